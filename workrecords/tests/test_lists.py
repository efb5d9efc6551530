"""The work-record and volunteering lists on the list toolkit: scope, flat
queries, exports with the row count."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, cast

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from tests.lists import assert_flat_queries, xlsx_rows
from volunteering.models import ServiceRecord
from volunteers.models import Volunteer
from volunteers.tests.factories import VolunteerFactory
from workrecords.models import ReportingEntry, TeamMeeting, Venue

pytestmark = pytest.mark.django_db


def _meeting(unit: Any) -> Any:
    return TeamMeeting.objects.create(unit=unit, date=dt.date(2026, 3, 2), attendees="甲乙", minutes="列表纪要")


def _entry(unit: Any) -> Any:
    return ReportingEntry.objects.create(unit=unit, date=dt.date(2026, 3, 2), kind="proposal", subject="列表报送")


def _venue(unit: Any) -> Any:
    return Venue.objects.create(unit=unit, name="列表场地", latitude=Decimal("24.9"), longitude=Decimal("118.6"))


def _volunteer_with_hours(unit: Any) -> Any:
    v = cast(Volunteer, VolunteerFactory(unit=unit))
    ServiceRecord.objects.create(volunteer=v, unit=unit, activity_name="敬老", date=dt.date(2026, 3, 1), hours=3)
    return v


def _record(unit: Any) -> Any:
    return _volunteer_with_hours(unit).service_records.get()


LISTS = {
    "workrecords:meetings": (_meeting, lambda m: f"/meetings/{m.pk}/"),
    "workrecords:reporting": (_entry, lambda e: "列表报送"),
    "workrecords:venues": (_venue, lambda v: "列表场地"),
    "volunteering:board": (_volunteer_with_hours, lambda v: v.name),
}


@pytest.mark.parametrize("url_name", sorted(LISTS))
def test_it_shows_an_outsider_none_of_the_rows(
    url_name: str, tree: Any, lead: Any, outsider: Any, as_user: Any
) -> None:
    make, mark = LISTS[url_name]
    row = make(tree.a1)
    url = reverse(url_name)
    assert mark(row) in as_user(lead).get(url).content.decode()
    assert mark(row) not in as_user(outsider).get(url).content.decode()
    assert mark(row) not in as_user(outsider).get(url, {"unit": tree.a1.pk}).content.decode()
    response = as_user(outsider).post(url, {"bulk": "export_selected", "ids": [row.pk]})
    assert response.status_code == 302
    assert not AuditEvent.objects.filter(action__endswith=".export").exists()
    assert len(xlsx_rows(as_user(outsider).get(url, {"export": "masked"}))) == 1


@pytest.mark.parametrize("url_name", sorted(LISTS))
def test_it_issues_as_many_queries_for_many_rows_as_for_few(
    url_name: str, tree: Any, lead: Any, as_user: Any, settings: Any
) -> None:
    settings.LIST_PAGE_SIZES, settings.LIST_PAGE_SIZE = [50], 50
    make = LISTS[url_name][0]

    def add(k: int) -> None:
        for i in range(k):
            make(tree.a1 if i % 2 else tree.a2)

    assert_flat_queries(as_user(lead), reverse(url_name), add)


def test_it_exports_the_filtered_meetings_with_the_row_count(tree: Any, lead: Any, as_user: Any) -> None:
    _meeting(tree.a1)
    _meeting(tree.a2)
    rows = xlsx_rows(as_user(lead).get(reverse("workrecords:meetings"), {"export": "masked", "unit": tree.a1.pk}))
    assert rows[0][:3] == ("日期", "单位", "参会人员") and len(rows) == 2 and rows[1][1] == tree.a1.name
    event = AuditEvent.objects.get(action="work_record.export")
    assert event.changes["rows"] == 1


def test_it_searches_and_filters_records_by_date(tree: Any, lead: Any, as_user: Any) -> None:
    _meeting(tree.a1)
    TeamMeeting.objects.create(unit=tree.a1, date=dt.date(2026, 5, 4), attendees="丙", minutes="另一次")
    url = reverse("workrecords:meetings")
    body = as_user(lead).get(url, {"q": "另一次"}).content.decode()
    assert "2026-05-04" in body and "2026-03-02" not in body
    body = as_user(lead).get(url, {"end": "2026-04-01"}).content.decode()
    assert "2026-03-02" in body and "2026-05-04" not in body


def test_it_lists_and_exports_one_volunteers_service_records(
    tree: Any, worker: Any, outsider: Any, as_user: Any
) -> None:
    record = _record(tree.a1)
    url = reverse("volunteering:records", args=[record.volunteer_id])
    assert "敬老" in as_user(worker).get(url).content.decode()
    rows = xlsx_rows(as_user(worker).get(url, {"export": "masked"}))
    assert len(rows) == 2 and rows[1][0] == record.volunteer.name
    assert as_user(outsider).get(url).status_code == 404
    assert AuditEvent.objects.get(action="volunteer_hours.export").changes["rows"] == 1
