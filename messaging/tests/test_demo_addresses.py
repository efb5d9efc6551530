"""The demo's staff have addresses at a reserved example domain, so the
whole chain (scheduler → delivery → SMTP or the console) works on one machine."""

from __future__ import annotations

import pytest

from accounts.models import User
from core.demo import DemoContext
from messaging.api import Recipient, channels_available

pytestmark = pytest.mark.django_db


def test_it_gives_every_demo_staff_member_an_example_address() -> None:
    from orgs.demo import seed

    seed(DemoContext())
    staff = list(User.objects.all())
    assert staff and all(u.email == f"{u.username}@linli.example" for u in staff)
    assert "email" in channels_available(Recipient(user=staff[0]))
