from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import translation

from audit.models import AuditEvent
from volunteering.models import ServiceRecord
from volunteering.selectors import star_level, volunteer_hours
from volunteering.services import service_record_create, working_days_between
from volunteers.tests.factories import VolunteerFactory

pytestmark = pytest.mark.django_db


def _make(actor, volunteer, **kw):
    args = {"activity_name": "敬老助餐", "date": dt.date(2026, 11, 20), "hours": "2.5"}
    args.update(kw)
    return service_record_create(actor=actor, volunteer=volunteer, **args)


@time_machine.travel(dt.datetime(2026, 11, 23, 9, 0), tick=False)
def test_it_records_service_and_audits(tree, worker):
    v = VolunteerFactory(unit=tree.a1)
    rec = _make(worker, v)
    assert rec.unit == tree.a1 and rec.hours == Decimal("2.5") and not rec.late
    assert rec.recorded_by == worker
    assert AuditEvent.objects.filter(action="servicerecord.create", target_id=str(rec.pk)).exists()


@time_machine.travel(dt.datetime(2026, 11, 23, 9, 0), tick=False)
@pytest.mark.parametrize("hours", ["0", "-1", "24.5", "abc", None])
def test_it_refuses_bad_hours(tree, worker, hours):
    v = VolunteerFactory(unit=tree.a1)
    with pytest.raises(ValidationError) as exc:
        _make(worker, v, hours=hours)
    assert "hours" in exc.value.message_dict
    assert not ServiceRecord.objects.exists()


@time_machine.travel(dt.datetime(2026, 11, 23, 9, 0), tick=False)
def test_it_accepts_exactly_24_hours(tree, worker):
    assert _make(worker, VolunteerFactory(unit=tree.a1), hours=24).hours == Decimal("24")


@time_machine.travel(dt.datetime(2026, 11, 23, 9, 0), tick=False)
def test_it_refuses_a_future_date_in_chinese(tree, worker):
    v = VolunteerFactory(unit=tree.a1)
    with translation.override("zh-hans"), pytest.raises(ValidationError) as exc:
        _make(worker, v, date=dt.date(2026, 11, 24))
    assert exc.value.message_dict["date"] == ["服务日期不能晚于今天。"]


@time_machine.travel(dt.datetime(2026, 11, 23, 9, 0), tick=False)
def test_it_flags_records_entered_after_ten_working_days(tree, worker):
    v = VolunteerFactory(unit=tree.a1)
    # 2026-11-23 is a Monday. 10 working days back = Mon 2026-11-09 → not late.
    assert working_days_between(dt.date(2026, 11, 9), dt.date(2026, 11, 23)) == 10
    assert not _make(worker, v, date=dt.date(2026, 11, 9)).late
    # Fri 2026-11-06 → 11 working days → late but accepted.
    late = _make(worker, v, date=dt.date(2026, 11, 6))
    assert late.late and late.pk


@time_machine.travel(dt.datetime(2026, 11, 23, 9, 0), tick=False)
def test_it_enforces_role_and_scope(tree, worker, viewer, outsider):
    v = VolunteerFactory(unit=tree.a1)
    with pytest.raises(PermissionDenied):
        _make(viewer, v)
    with pytest.raises(Http404):
        _make(outsider, v)


@time_machine.travel(dt.datetime(2026, 11, 23, 9, 0), tick=False)
def test_it_totals_hours_per_volunteer(tree, worker):
    a, b, c = (VolunteerFactory(unit=tree.a1) for _ in range(3))
    _make(worker, a, hours="2.5")
    _make(worker, a, hours="3")
    _make(worker, b, hours="1")
    assert volunteer_hours([a.pk, b.pk, c.pk]) == {a.pk: Decimal("5.5"), b.pk: Decimal("1"), c.pk: Decimal("0")}


@pytest.mark.parametrize(
    ("hours", "stars"),
    [(0, 0), (99.9, 0), (100, 1), (299, 1), (300, 2), (600, 3), (999, 3), (1000, 4), (1500, 5), (9999, 5)],
)
def test_it_maps_hours_to_star_levels(hours, stars):
    assert star_level(hours) == stars


def test_it_reads_star_thresholds_from_settings(settings):
    settings.LINLI_VOLUNTEER_STAR_HOURS = ["10", "20", "30", "40", "50"]
    assert star_level(25) == 2
