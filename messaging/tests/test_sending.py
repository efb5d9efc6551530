"""Sending once per key, retrying with growing waits, and a failure that
ends up in front of the district administrator."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from audit.models import AuditEvent
from messaging.api import Recipient, message_send
from messaging.models import Delivery, Status
from messaging.selectors import deliveries_failed_count
from messaging.sending import deliveries_due, delivery_attempt
from messaging.services import delivery_retry
from messaging.tests import servers

pytestmark = pytest.mark.django_db


def _send(to: Recipient, template: str, key: str = "plan:1:lead", channel: str = "email") -> Delivery:
    return message_send(
        channel=channel,
        to=to,
        template=template,
        params={"name": "王小明"},
        event="plan_submitted",
        dedupe_key=key,
        link="/x/",
    )


@pytest.fixture
def lead_with_mail(lead: Any) -> Any:
    lead.email = "lead@linli.example"
    lead.phone = "13912345678"
    lead.save()
    return lead


def test_it_sends_the_same_key_once(
    template: str, lead_with_mail: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        first = _send(Recipient(user=lead_with_mail), template)
        again = _send(Recipient(user=lead_with_mail), template)
    with django_capture_on_commit_callbacks(execute=True):
        later = _send(Recipient(user=lead_with_mail), template)
    assert first.pk == again.pk == later.pk
    assert len(mail.outbox) == 1
    assert Delivery.objects.get().status == Status.SENT


def test_it_sends_the_same_key_once_per_channel(template: str, lead_with_mail: Any) -> None:
    _send(Recipient(user=lead_with_mail), template, channel="email")
    _send(Recipient(user=lead_with_mail), template, channel="sms")
    assert Delivery.objects.count() == 2


def test_it_refuses_an_unknown_template_channel_or_parameter(template: str, lead: Any) -> None:
    to = Recipient(user=lead)
    for bad in (
        {"channel": "fax", "template": template, "params": {}},
        {"channel": "email", "template": "nope", "params": {}},
        {"channel": "email", "template": template, "params": {"id_number": "x"}},
    ):
        with pytest.raises(ValueError):
            message_send(to=to, event="e", dedupe_key="k", **bad)  # type: ignore[arg-type]
    assert not Delivery.objects.exists()


def test_it_never_sends_a_delivery_twice_when_two_attempts_overlap(template: str, lead_with_mail: Any) -> None:
    d = _send(Recipient(user=lead_with_mail), template)
    assert delivery_attempt(d.pk) is None
    assert delivery_attempt(d.pk) is None  # a second worker with the same task, late
    assert len(mail.outbox) == 1


@pytest.fixture
def failing_gateway(settings: Any) -> Iterator[servers.HttpServer]:
    for server in servers.http_server(
        lambda r: (503, {"Code": "isv.BUSINESS_LIMIT_CONTROL", "Message": "13912345678"})
    ):
        settings.SMS_BACKEND = "http"
        settings.SMS_GATEWAY_URL = server.url
        settings.SMS_ACCESS_KEY_ID = "AKID1"
        settings.SMS_ACCESS_KEY_SECRET = "s"
        yield server


def test_it_retries_with_doubling_waits_then_reports_the_failure(
    failing_gateway: servers.HttpServer,
    fast_retries: None,
    template: str,
    lead_with_mail: Any,
    admin: Any,
    time_machine: Any,
) -> None:
    time_machine.move_to(timezone.now(), tick=False)
    d = _send(Recipient(user=lead_with_mail), template, channel="sms")
    assert delivery_attempt(d.pk) == 10
    d.refresh_from_db()
    assert d.status == Status.QUEUED and d.next_attempt_at == timezone.now() + timedelta(seconds=10)
    assert delivery_attempt(d.pk) == 20
    assert delivery_attempt(d.pk) is None  # the third of three
    d.refresh_from_db()
    assert d.status == Status.FAILED and d.attempts == 3 and len(failing_gateway.requests) == 3
    assert "isv.BUSINESS_LIMIT_CONTROL" in d.last_error and "13912345678" not in d.last_error
    assert delivery_attempt(d.pk) is None and len(failing_gateway.requests) == 3  # failed stays failed
    assert deliveries_failed_count(admin) == 1


def test_it_resumes_retries_a_restarted_worker_lost(template: str, lead_with_mail: Any, time_machine: Any) -> None:
    time_machine.move_to(timezone.now(), tick=False)
    d = _send(Recipient(user=lead_with_mail), template)
    Delivery.objects.filter(pk=d.pk).update(attempts=1, next_attempt_at=timezone.now() + timedelta(seconds=60))
    assert deliveries_due() == []
    time_machine.shift(timedelta(seconds=121))
    assert deliveries_due() == [d.pk]


def test_it_sends_a_failed_message_again_on_the_administrators_word(
    template: str, lead_with_mail: Any, admin: Any, django_capture_on_commit_callbacks: Any
) -> None:
    d = _send(Recipient(user=lead_with_mail), template)
    Delivery.objects.filter(pk=d.pk).update(status=Status.FAILED, attempts=5, last_error="SMTPServerDisconnected")
    d.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        delivery_retry(actor=admin, delivery=d)
    d.refresh_from_db()
    assert d.status == Status.SENT and d.attempts == 1 and len(mail.outbox) == 1
    assert AuditEvent.objects.filter(action="delivery.retry").count() == 1


def test_it_lets_only_the_district_retry_what_it_sees(template: str, lead_with_mail: Any, lead: Any) -> None:
    from django.core.exceptions import PermissionDenied

    d = _send(Recipient(user=lead_with_mail), template)
    Delivery.objects.filter(pk=d.pk).update(status=Status.FAILED)
    d.refresh_from_db()
    with pytest.raises(PermissionDenied):
        delivery_retry(actor=lead, delivery=d)  # a station lead does not run the district's channels


def test_it_schedules_the_next_try_in_the_worker_after_a_failure(
    failing_gateway: servers.HttpServer,
    fast_retries: None,
    template: str,
    lead_with_mail: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from huey.contrib.djhuey import HUEY

    HUEY.storage.flush_schedule()
    with django_capture_on_commit_callbacks(execute=True):
        d = _send(Recipient(user=lead_with_mail), template, channel="sms")
    d.refresh_from_db()
    assert d.attempts == 1 and d.status == Status.QUEUED
    [task] = HUEY.scheduled()
    assert task.name.endswith("deliver") and task.args == (d.pk,)
    HUEY.storage.flush_schedule()
