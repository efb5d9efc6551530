"""An organisation's incubation: its log, its stage history and its roster
(imported from Excel too), with bad input refused and nothing written."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from openpyxl import Workbook

from audit.models import AuditEvent
from partners import incubation, services
from partners.member_import import MemberRegistry
from partners.models import CommunityOrganisation, IncubationEntry, OrganisationMember, StageChange

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 23)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(dt.datetime(2026, 11, 23, 10, 0), tick=False):
        yield


@pytest.fixture
def org(tree):
    return CommunityOrganisation.objects.create(
        unit=tree.a1, name="甲一合唱团", stage="planning", founded_on=dt.date(2025, 3, 1)
    )


def _counts():
    return (
        IncubationEntry.objects.count(),
        StageChange.objects.count(),
        OrganisationMember.objects.count(),
        AuditEvent.objects.count(),
    )


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"kind": "funding", "notes": "启动资金"}, "amount"),
        ({"kind": "funding", "amount": Decimal("-5")}, "amount"),
        ({"kind": "training", "notes": "骨干培训", "amount": Decimal("100")}, "amount"),
        ({"kind": "assessment", "notes": "中期评估", "score": 120}, "score"),
        ({"kind": "assessment", "notes": "中期评估"}, "score"),
        ({"kind": "mentoring", "notes": "陪伴", "score": 50}, "score"),
        ({"kind": "training", "notes": " "}, "notes"),
        ({"kind": "gift", "notes": "x"}, "kind"),
        ({"kind": "venue", "date": TODAY + dt.timedelta(days=1)}, "date"),
    ],
)
def test_bad_log_entries_refused(org, worker, fields, field):
    before = _counts()
    args = {"date": TODAY, **fields}
    with pytest.raises(ValidationError) as exc:
        incubation.incubation_record(actor=worker, organisation=org, **args)
    assert field in exc.value.message_dict
    assert _counts() == before


def test_log_entries_kept_and_audited(org, worker):
    incubation.incubation_record(actor=worker, organisation=org, kind="funding", date=TODAY, amount=Decimal("3000"))
    incubation.incubation_record(actor=worker, organisation=org, kind="assessment", date=TODAY, notes="评估", score=80)
    assert [e.kind for e in org.incubation.all()] == ["assessment", "funding"]
    assert AuditEvent.objects.filter(action="incubation.record").count() == 2


def test_stage_changes_keep_their_dates_in_order(org, worker):
    incubation.organisation_stage_set(actor=worker, organisation=org, stage="incubating", date=dt.date(2025, 6, 1))
    incubation.organisation_stage_set(actor=worker, organisation=org, stage="growing", date=dt.date(2026, 5, 1))
    org.refresh_from_db()
    assert org.stage == "growing"
    history = [(c.from_stage, c.to_stage, c.date) for c in org.stage_changes.order_by("date")]
    assert history == [("planning", "incubating", dt.date(2025, 6, 1)), ("incubating", "growing", dt.date(2026, 5, 1))]
    before = _counts()
    for stage, day, field in [
        ("growing", TODAY, "stage"),  # already there
        ("mature", dt.date(2026, 4, 1), "date"),  # before the last change
        ("mature", TODAY + dt.timedelta(days=1), "date"),
        ("unknown", TODAY, "stage"),
    ]:
        with pytest.raises(ValidationError) as exc:
            incubation.organisation_stage_set(actor=worker, organisation=org, stage=stage, date=day)
        assert field in exc.value.message_dict
    assert _counts() == before


def test_stage_changed_on_the_edit_form_is_kept_in_the_history(org, worker):
    services.organisation_update(actor=worker, organisation=org, stage="incubating")
    change = StageChange.objects.get(organisation=org)
    assert (change.from_stage, change.to_stage, change.date) == ("planning", "incubating", TODAY)


def test_roster_counts_are_the_organisations_figures(org, worker):
    incubation.member_add(actor=worker, organisation=org, name="王秀英", phone="13912345678", is_party_member=True)
    m = incubation.member_add(actor=worker, organisation=org, name="李建国")
    org.refresh_from_db()
    assert (org.members, org.party_members) == (2, 1)
    with pytest.raises(ValidationError) as exc:
        incubation.member_add(actor=worker, organisation=org, name="王秀英", phone="13912345678")
    assert "name" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        incubation.member_add(actor=worker, organisation=org, name="张三", phone="123")
    assert "phone" in exc.value.message_dict
    incubation.member_remove(actor=worker, member=m)
    org.refresh_from_db()
    assert (org.members, org.party_members) == (1, 1)


def test_another_stations_organisation_is_not_found(org, outsider):
    with pytest.raises(Http404):
        incubation.member_add(actor=outsider, organisation=org, name="王五")
    with pytest.raises(Http404):
        incubation.organisation_stage_set(actor=outsider, organisation=org, stage="growing", date=TODAY)


def _sheet(rows):
    wb = Workbook()
    ws = wb.active
    ws.append(["所属组织", "姓名", "联系电话", "职务", "是否党员", "加入日期"])
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    return buf


def test_member_import_checks_every_row_and_saves_the_good_ones(org, tree, worker):
    from core.excel import read_rows

    CommunityOrganisation.objects.create(unit=tree.b1, name="乙一舞蹈队")
    incubation.member_add(actor=worker, organisation=org, name="王秀英", phone="13912345678")
    reg = MemberRegistry()
    rows = [
        ["甲一合唱团", "李建国", "13800001111", "队长", "是", "2025-04-01"],
        ["甲一合唱团", "王秀英", "13912345678", "", "否", ""],  # on file
        ["甲一合唱团", "李建国", "13800001111", "", "是", ""],  # repeats row 2
        ["乙一舞蹈队", "赵六", "", "", "否", ""],  # another station's
        ["甲一合唱团", "", "", "", "", ""],  # no name
        ["甲一合唱团", "孙七", "", "", "也许", ""],
        ["甲一合唱团", "周八", "", "", "群众", "2025-05-01"],
    ]
    checked = reg.check(worker, read_rows(reg, _sheet(rows)))
    assert checked.total == 7
    assert sorted({e.row for e in checked.errors}) == [5, 6, 7]
    assert sorted(d.row for d in checked.duplicates) == [3, 4]
    assert [d["name"] for d in checked.rows] == ["李建国", "周八"]
    saved, skipped = reg.save(worker, checked.rows, lambda n: None)
    assert (saved, skipped) == (2, 0)
    org.refresh_from_db()
    assert (org.members, org.party_members) == (3, 1)
    assert AuditEvent.objects.filter(action="organisation_member.import").count() == 1


def test_incubation_page_shows_the_log_roster_and_schedule(org, worker, as_user):
    from venues.services import season_book
    from venues.tests.factories import room_at

    incubation.incubation_record(actor=worker, organisation=org, kind="venue", date=TODAY, notes="排练室")
    incubation.member_add(actor=worker, organisation=org, name="王秀英", phone="13912345678", is_party_member=True)
    season_book(
        actor=worker,
        room=room_at(org.unit.parent),
        organisation=org,
        purpose="合唱团每周排练",
        weekday=2,
        starts=dt.time(19),
        ends=dt.time(21),
        first_day=TODAY,
        last_day=TODAY + dt.timedelta(days=60),
    )
    page = as_user(worker).get(reverse("partners:organisation_detail", args=[org.pk])).content.decode()
    assert "排练室" in page and "王秀英" in page and "合唱团每周排练" in page
    assert "13912345678" not in page  # phones masked
