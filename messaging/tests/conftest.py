from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import pytest
from django.utils.translation import gettext_lazy as _

from messaging import api
from messaging.tests import servers


@pytest.fixture
def template() -> Iterator[str]:
    """A template of the kind the areas declare: fixed words, a masked name."""
    api.message_template(
        "test_plan",
        subject=_("A service plan awaits your approval"),
        body=_("{name}'s service plan awaits your approval: {link}"),
        params=("name",),
    )
    yield "test_plan"
    api._templates.pop("test_plan", None)


@pytest.fixture
def smtp(settings: Any) -> Iterator[servers.SmtpServer]:
    for server in servers.smtp_server():
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = server.port
        yield server


@pytest.fixture
def fast_retries(settings: Any) -> None:
    settings.MESSAGING_MAX_ATTEMPTS = 3
    settings.MESSAGING_RETRY_SECONDS = 10


class _Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if not record.name.startswith("mail.log"):  # the test's own SMTP server (aiosmtpd)
            self.lines.append(self.format(record))

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


@pytest.fixture
def logged() -> Iterator[_Lines]:
    """Every log line Linli and its libraries wrote during the test, at any level."""
    handler = _Lines()
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield handler
    finally:
        root.removeHandler(handler)
        root.setLevel(level)
