"""The privacy notice's promise: closed items go after PORTAL_KEEP_MONTHS."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import override_settings
from django.utils import timezone

from audit.models import AuditEvent
from matching.models import NeedType
from portal import limits
from portal.models import Feedback, FeedbackKind, HelpRequest, Hit, IntakeStatus, PortalAccount, SignInCode
from portal.retention import months_before, portal_forget_closed

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 12, 2, 3, 20, tzinfo=dt.UTC)


def _help(resident: PortalAccount, tree: Any, n: int, status: str, decided: dt.datetime | None, photo: str = "") -> Any:
    return HelpRequest.objects.create(
        tracking=f"QZ{n}",
        account=resident,
        unit=tree.a1,
        need_type=NeedType.objects.filter(active=True).earliest("pk"),
        description="买菜",
        person_name="李阿姨",
        contact_phone=resident.phone,
        status=status,
        decided_at=decided,
        photo=photo,
    )


def _feedback(resident: PortalAccount, tree: Any, n: int, status: str, replied: dt.datetime | None) -> Any:
    return Feedback.objects.create(
        tracking=f"FK{n}",
        account=resident,
        unit=tree.a1,
        kind=FeedbackKind.FEEDBACK,
        text="谢谢",
        status=status,
        replied_at=replied,
    )


def test_it_counts_calendar_months_back() -> None:
    assert months_before(NOW, 36) == NOW.replace(year=2023)
    assert months_before(dt.datetime(2026, 3, 31, tzinfo=dt.UTC), 1) == dt.datetime(2026, 2, 28, tzinfo=dt.UTC)
    assert months_before(dt.datetime(2026, 1, 15, tzinfo=dt.UTC), 13) == dt.datetime(2024, 12, 15, tzinfo=dt.UTC)


@override_settings(PORTAL_KEEP_MONTHS=12)
def test_it_removes_items_closed_before_the_period_and_keeps_the_rest(
    resident: Any, tree: Any, django_capture_on_commit_callbacks: Any
) -> None:
    old, recent = NOW - dt.timedelta(days=400), NOW - dt.timedelta(days=300)
    photo = default_storage.save("portal/help/old.jpg", ContentFile(b"x"))
    gone = [
        _help(resident, tree, 1, IntakeStatus.DECLINED, old, photo),
        _help(resident, tree, 2, IntakeStatus.ACCEPTED, old),
        _feedback(resident, tree, 1, IntakeStatus.CLOSED, old),
    ]
    kept = [
        _help(resident, tree, 3, IntakeStatus.DECLINED, recent),
        _help(resident, tree, 4, IntakeStatus.RECEIVED, None),  # still waiting for staff: never removed
        _feedback(resident, tree, 2, IntakeStatus.CLOSED, recent),
        _feedback(resident, tree, 3, IntakeStatus.RECEIVED, None),
    ]
    HelpRequest.objects.filter(pk=kept[1].pk).update(created_at=old)
    with django_capture_on_commit_callbacks(execute=True):
        done = portal_forget_closed(now=NOW)
    assert (done.help_requests, done.feedback) == (2, 1)
    assert not any(type(r).objects.filter(pk=r.pk).exists() for r in gone)
    assert all(type(r).objects.filter(pk=r.pk).exists() for r in kept)
    assert not default_storage.exists(photo)
    event = AuditEvent.objects.get(action="portal.forget")
    assert event.changes == {"help_requests": 2, "feedback": 1, "before": "2025-12-02"}
    assert "李阿姨" not in str(event.changes)


def test_it_removes_spent_codes_and_old_counts_a_day_later(resident: Any) -> None:
    day = dt.timedelta(days=1)
    SignInCode.objects.create(phone_hash="a", code_hash="b", created_at=NOW - 3 * day, expires_at=NOW - 2 * day)
    live = SignInCode.objects.create(phone_hash="a", code_hash="c", created_at=NOW, expires_at=NOW + day / 24)
    limits.hit(limits.CODE_PHONE, resident.phone, now=NOW - 2 * day)
    limits.hit(limits.CODE_PHONE, resident.phone, now=NOW - day / 2)
    done = portal_forget_closed(now=NOW)
    assert (done.codes, done.hits) == (1, 1)
    assert list(SignInCode.objects.values_list("pk", flat=True)) == [live.pk]
    assert Hit.objects.count() == 1
    assert not AuditEvent.objects.filter(action="portal.forget").exists()  # nothing anyone sent was removed


def test_it_runs_every_night_in_the_worker() -> None:
    from portal.tasks import forget_closed_portal_items

    task = forget_closed_portal_items.task_class()
    assert task.validate_datetime(timezone.make_aware(dt.datetime(2026, 12, 2, 3, 20)))
    assert not task.validate_datetime(timezone.make_aware(dt.datetime(2026, 12, 2, 14, 20)))
