"""The lists on the list toolkit: an outsider sees none of their rows, and
each issues the same number of queries for 3 and 30 rows."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any, cast

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from audit.models import AuditEvent
from core import identity
from partners.models import Enterprise, EnterpriseOffer, ResourceEntry
from partners.tests.factories import CommunityOrganisationFactory, EnterpriseFactory
from people.tests.factories import HouseholdFactory, PersonFactory
from tests.lists import assert_flat_queries
from volunteers.models import Skill, Volunteer, VolunteerTeam
from volunteers.tests.factories import VolunteerFactory, VolunteerTeamFactory

pytestmark = pytest.mark.django_db


def _enterprise(unit: Any) -> Any:
    e = cast(Enterprise, EnterpriseFactory(unit=unit))
    EnterpriseOffer.objects.create(enterprise=e, kind="goods", category="米面油", value=10)
    return e


def _entry(unit: Any) -> Any:
    return ResourceEntry.objects.create(
        unit=unit, direction="in", kind="money", date=dt.date(2026, 3, 1), donor="爱心人士", purpose="慰问", value=100
    )


def _volunteer(unit: Any) -> Any:
    v = cast(Volunteer, VolunteerFactory(unit=unit, availability={"sat": ["am"]}))
    v.skills.add(*Skill.objects.order_by("code")[:1])
    v.teams.add(cast(VolunteerTeam, VolunteerTeamFactory(unit=unit.parent)))
    return v


def _need(unit: Any) -> Any:
    from matching.tests.factories import need_for

    return need_for(unit, card="red")


def _offer(unit: Any) -> Any:
    from matching.tests.factories import volunteer_offer

    return volunteer_offer(unit)


def _wish(unit: Any) -> Any:
    from matching.models import Wish

    need = _need(unit)
    return Wish.objects.create(
        unit=unit,
        person=need.person,
        need=need,
        title=f"心愿{need.pk}",
        value=10,
        deadline=dt.date(2026, 3, 1),
        published_on=dt.date(2026, 2, 1),
    )


def _task(unit: Any) -> Any:
    from matching.tests.factories import task_for

    return task_for(unit)


def _run(unit: Any) -> Any:
    from matching.tests.factories import run_for

    return run_for(unit)


def _untyped(unit: Any) -> Any:
    need = _need(unit)
    need.need_type = "老式家电"  # free text from an old visit: not in the catalogue
    need.save(update_fields=["need_type"])
    return need


def _graded(unit: Any) -> Any:
    from grading.tests.factories import graded

    return graded(unit, category="elderly_alone")


def _unvisited(unit: Any) -> Any:
    from people.tests.factories import person_with_category

    return person_with_category(unit, "elderly_alone")


def _agency(unit: Any) -> Any:
    from orgs.models import OperatingAgency

    return OperatingAgency.objects.create(unit=unit.parent, name=f"机构{OperatingAgency.objects.count()}号")


def _report_job(unit: Any) -> Any:
    from reports.models import ReportJob

    day = dt.date(2026, 1, 1)
    return ReportJob.objects.create(
        unit=unit.parent, period_kind="quarter", period_start=day, period_end=dt.date(2026, 3, 31), fmt="pdf"
    )


def _narrative(unit: Any) -> Any:
    from reports.models import ReportNarrative

    n = ReportNarrative.objects.count()
    return ReportNarrative.objects.create(
        unit=unit.parent, period_kind="year", period_start=dt.date(2000 + n, 1, 1), highlights=f"亮点{n}号"
    )


def _household(unit: Any) -> Any:
    h = HouseholdFactory(unit=unit)
    PersonFactory(unit=unit, household=h)
    return h


def _project(unit: Any) -> Any:
    from projects.models import Project

    n = Project.objects.count()
    return Project.objects.create(
        unit=unit.parent, name=f"项目{n}号", starts_on=dt.date(2026, 1, 1), ends_on=dt.date(2026, 12, 31)
    )


LISTS = {
    "partners:enterprise_list": (_enterprise, lambda e: e.name),
    "partners:ledger": (_entry, lambda e: f"/partners/ledger/{e.pk}/edit/"),
    "volunteers:volunteer_list": (_volunteer, lambda v: v.name),
    "matching:need_list": (_need, lambda n: f"/matching/needs/{n.pk}/"),
    "matching:offer_list": (_offer, lambda o: o.name),
    "matching:wish_list": (_wish, lambda w: w.title),
    "matching:task_list": (_task, lambda t: f"/matching/tasks/{t.pk}/"),
    "matching:run_list": (_run, lambda r: f"/matching/runs/{r.pk}/"),
    "matching:need_review": (_untyped, lambda n: f"/matching/needs/{n.pk}/"),
    "grading:board_people": (_graded, lambda p: p.name),
    "grading:rates_unvisited": (_unvisited, lambda p: p.name),
    "people:person_list": (lambda unit: PersonFactory(unit=unit), lambda p: p.name),
    "people:household_list": (_household, lambda h: h.address),
    "partners:organisation_list": (lambda unit: CommunityOrganisationFactory(unit=unit), lambda o: o.name),
    "orgs:agency_list": (_agency, lambda a: a.name),
    "reports:job_list": (_report_job, lambda j: f"/reports/jobs/{j.pk}/"),
    "reports:narrative_list": (_narrative, lambda n: n.highlights),
    "projects:project_list": (_project, lambda p: f"/projects/{p.pk}/"),
}


@pytest.mark.parametrize("url_name", sorted(LISTS))
def test_it_shows_an_outsider_none_of_the_rows(
    url_name: str, tree: Any, lead: Any, outsider: Any, as_user: Any
) -> None:
    make, mark = LISTS[url_name]
    row = make(tree.a1)
    url = reverse(url_name)
    assert mark(row) in as_user(lead).get(url).content.decode()
    body = as_user(outsider).get(url).content.decode()
    assert mark(row) not in body
    # Naming station A's unit in the org filter does not widen the outsider's scope.
    assert mark(row) not in as_user(outsider).get(url, {"unit": tree.a1.pk}).content.decode()
    # Nor does selecting its id for a bulk export.
    response = as_user(outsider).post(url, {"bulk": "export_selected", "ids": [row.pk]})
    assert response.status_code == 302
    assert not AuditEvent.objects.filter(action__endswith=".export").exists()


@pytest.mark.parametrize("url_name", sorted(LISTS))
def test_it_issues_as_many_queries_for_many_rows_as_for_few(
    url_name: str, tree: Any, lead: Any, as_user: Any, settings: Any
) -> None:
    settings.LIST_PAGE_SIZES, settings.LIST_PAGE_SIZE = [50], 50  # all rows on one page
    make = LISTS[url_name][0]

    def add(k: int) -> None:
        for i in range(k):
            make(tree.a1 if i % 2 else tree.a2)

    assert_flat_queries(as_user(lead), reverse(url_name), add)


def test_it_exports_volunteers_masked_or_unmasked(tree: Any, worker: Any, lead: Any, as_user: Any) -> None:
    rid = identity.make_resident_id("350102", dt.date(1985, 6, 1), 456, "F")
    v = cast(Volunteer, VolunteerFactory(unit=tree.a1, phone="13966664321", address="东街路12号3单元"))
    identity.store_id(v, rid)
    v.save()
    url = reverse("volunteers:volunteer_list")

    def cells(response: Any) -> str:
        ws = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
        return "\n".join(str(c) for row in ws.iter_rows(values_only=True) for c in row if c is not None)

    masked = cells(as_user(worker).get(url, {"export": "masked"}))
    assert v.name in masked and "139****4321" in masked and "东街路****" in masked
    assert rid not in masked and "13966664321" not in masked
    assert as_user(worker).get(url, {"export": "unmasked"}).status_code == 403
    full = cells(as_user(lead).get(url, {"export": "unmasked"}))
    assert rid in full and "13966664321" in full and "东街路12号3单元" in full
    assert [e.action for e in AuditEvent.objects.order_by("id")] == ["volunteer.export", "volunteer.export_unmasked"]


def test_it_filters_volunteers_by_unit_skill_day_and_search(tree: Any, worker: Any, as_user: Any) -> None:
    a1 = _volunteer(tree.a1)
    a2 = VolunteerFactory(unit=tree.a2, name="王小明", availability={"mon": ["pm"]})
    url = reverse("volunteers:volunteer_list")
    c = as_user(worker)
    body = c.get(url, {"unit": tree.a1.pk}).content.decode()
    assert a1.name in body and a2.name not in body
    body = c.get(url, {"day": "mon"}).content.decode()
    assert a1.name not in body and a2.name in body
    body = c.get(url, {"skill": a1.skills.get().pk}).content.decode()
    assert a1.name in body and a2.name not in body
    body = c.get(url, {"q": "wxm"}).content.decode()
    assert a1.name not in body and a2.name in body


def test_it_totals_the_filtered_ledger(tree: Any, worker: Any, as_user: Any) -> None:
    _entry(tree.a1)
    ResourceEntry.objects.create(
        unit=tree.a2,
        direction="out",
        kind="money",
        date=dt.date(2026, 3, 2),
        recipient="困难户",
        purpose="救助",
        value=30,
    )
    url = reverse("partners:ledger")
    page = as_user(worker).get(url, {"unit": tree.a1.pk, "period": "year"})
    assert page.context["totals"]["in"] == 100 and page.context["totals"]["out"] == 0
    assert page.context["totals"]["lines"][0]["label"] == "2026"
    assert as_user(worker).get(url, {"direction": "out"}).context["totals"]["out"] == 30
