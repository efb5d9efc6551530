"""Pending service records (proposed by a volunteer's own sign-in at an
activity): they count towards hours, stars and certificates only once staff
confirm them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse

from audit.models import AuditEvent
from volunteering.models import ServiceRecord
from volunteering.selectors import volunteer_hours, volunteers_with_hours
from volunteering.services import certificate_issue, service_record_confirm, service_record_propose
from volunteers.tests.factories import VolunteerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _monday() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2026, 11, 23, 9, 0), tick=False):
        yield


def _propose(volunteer, hours="2.0"):
    return service_record_propose(
        volunteer=volunteer,
        activity_name="重阳敬老活动",
        date=dt.date(2026, 11, 23),
        place="社区活动中心",
        hours=hours,
        source_type="casework.activity",
        source_id="7",
        via="qr-signin",
    )


def test_a_proposed_record_waits_and_does_not_count(tree, worker):
    volunteer = VolunteerFactory(unit=tree.a1)
    record = _propose(volunteer)
    assert record.pending and record.recorded_by is None and record.unit == tree.a1
    assert volunteer_hours([volunteer.pk])[volunteer.pk] == 0
    row = volunteers_with_hours(worker).get(pk=volunteer.pk)
    assert (row.total_hours, row.n_records) == (0, 0)
    with pytest.raises(ValidationError):
        certificate_issue(actor=worker, volunteer=volunteer)
    event = AuditEvent.objects.get(action="servicerecord.create")
    assert event.actor is None and event.actor_label == "qr-signin" and event.changes["pending"] == [None, True]


def test_a_proposed_record_is_checked_as_any_other(tree):
    with pytest.raises(ValidationError):
        _propose(VolunteerFactory(unit=tree.a1), hours="30")
    assert not ServiceRecord.objects.exists()


def test_staff_confirm_it_once_and_then_it_counts(tree, worker, colleague):
    volunteer = VolunteerFactory(unit=tree.a1)
    record = _propose(volunteer)
    service_record_confirm(actor=worker, record=record, hours="1.5")
    record.refresh_from_db()
    assert not record.pending and record.confirmed_by == worker and record.hours == Decimal("1.5")
    assert volunteer_hours([volunteer.pk])[volunteer.pk] == Decimal("1.5")
    with pytest.raises(ValidationError):
        service_record_confirm(actor=colleague, record=ServiceRecord.objects.get(pk=record.pk))
    assert AuditEvent.objects.filter(action="servicerecord.confirm").count() == 1
    assert certificate_issue(actor=worker, volunteer=volunteer).hours == Decimal("1.5")


def test_only_staff_in_scope_who_edit_records_confirm(tree, outsider, viewer):
    record = _propose(VolunteerFactory(unit=tree.a1))
    with pytest.raises(Http404):
        service_record_confirm(actor=outsider, record=record)
    with pytest.raises(PermissionDenied):
        service_record_confirm(actor=viewer, record=record)
    assert ServiceRecord.objects.get(pk=record.pk).pending


def test_the_confirm_page(tree, worker, outsider, as_user):
    volunteer = VolunteerFactory(unit=tree.a1)
    record = _propose(volunteer)
    url = reverse("volunteering:record_confirm", args=[record.pk])
    assert as_user(outsider).get(url).status_code == 404
    staff = as_user(worker)
    listing = staff.get(reverse("volunteering:records", args=[volunteer.pk])).content.decode()
    assert "待确认" in listing and url in listing
    page = staff.get(url)
    assert page.status_code == 200 and "重阳敬老活动" in page.content.decode()
    response = staff.post(url, {"hours": "2.0"})
    assert response.status_code == 302
    assert not ServiceRecord.objects.get(pk=record.pk).pending


def test_the_api_marks_a_pending_record(tree, worker, as_user):
    volunteer = VolunteerFactory(unit=tree.a1)
    _propose(volunteer)
    rows = as_user(worker).get(f"/api/v1/volunteering/{volunteer.pk}/records").json()
    assert [r["pending"] for r in rows] == [True]
    assert as_user(worker).get(f"/api/v1/volunteering/{volunteer.pk}/hours").json()["hours"] in ("0", "0.0", 0)
