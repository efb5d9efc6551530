"""The casework lists on the list toolkit: scope, flat queries, exports and
the case list's bulk reassign."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from accounts.models import User
from audit.models import AuditEvent
from casework.models import Case, CaseTransition
from casework.services import activity_create, group_create
from casework.tests.factories import domain, open_case
from people.tests.factories import PersonFactory
from tests.factories import UserFactory
from tests.lists import assert_flat_queries, xlsx_rows

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


def _case(actor: Any, unit: Any) -> Any:
    return open_case(actor, unit=unit, title="列表里的个案")


def _group(actor: Any, unit: Any) -> Any:
    return group_create(
        actor=actor,
        unit=unit,
        name="列表小组",
        domain=domain(),
        goals="互助",
        start_on=dt.date(2026, 11, 1),
        scale_name="",
        higher_is_better=True,
    )


def _activity(actor: Any, unit: Any) -> Any:
    start = dt.datetime(2026, 11, 21, 9, 0, tzinfo=SH)
    return activity_create(
        actor=actor,
        unit=unit,
        title="列表活动",
        domain=domain(),
        venue="社区活动中心",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        organiser="甲街道社工站",
    )


LISTS = {
    "casework:case_list": (_case, lambda c: c.number),
    "casework:group_list": (_group, lambda g: f"/services/groups/{g.pk}/"),
    "casework:activity_list": (_activity, lambda a: f"/services/activities/{a.pk}/"),
}


@pytest.mark.parametrize("url_name", sorted(LISTS))
def test_it_shows_an_outsider_none_of_the_rows(
    url_name: str, tree: Any, lead: Any, outsider: Any, as_user: Any
) -> None:
    make, mark = LISTS[url_name]
    row = make(lead, tree.a1)
    url = reverse(url_name)
    assert mark(row) in as_user(lead).get(url).content.decode()
    assert mark(row) not in as_user(outsider).get(url).content.decode()
    assert mark(row) not in as_user(outsider).get(url, {"unit": tree.a1.pk}).content.decode()
    response = as_user(outsider).post(url, {"bulk": "export_selected", "ids": [row.pk]})
    assert response.status_code == 302
    assert not AuditEvent.objects.filter(action__endswith=".export").exists()
    # The outsider's own export holds none of A's rows.
    rows = xlsx_rows(as_user(outsider).get(url, {"export": "masked"}))
    assert len(rows) == 1  # the header only


@pytest.mark.parametrize("url_name", sorted(LISTS))
def test_it_issues_as_many_queries_for_many_rows_as_for_few(
    url_name: str, tree: Any, lead: Any, as_user: Any, settings: Any
) -> None:
    settings.LIST_PAGE_SIZES, settings.LIST_PAGE_SIZE = [50], 50
    make = LISTS[url_name][0]

    def add(k: int) -> None:
        for i in range(k):
            make(lead, tree.a1 if i % 2 else tree.a2)

    assert_flat_queries(as_user(lead), reverse(url_name), add)


def test_it_exports_cases_masked_or_unmasked_with_the_row_count(
    tree: Any, worker: Any, lead: Any, as_user: Any
) -> None:
    person = PersonFactory(unit=tree.a1, phone="13955551234")
    case = open_case(worker, person=person)
    open_case(worker, unit=tree.a2)
    url = reverse("casework:case_list")
    masked = xlsx_rows(as_user(worker).get(url, {"export": "masked", "q": case.number}))
    assert len(masked) == 2 and case.number in masked[1] and "139****1234" in masked[1]
    assert as_user(worker).get(url, {"export": "unmasked"}).status_code == 403
    full = xlsx_rows(as_user(lead).get(url, {"export": "unmasked"}))
    assert len(full) == 3 and any("13955551234" in r for r in full)
    events = list(AuditEvent.objects.filter(action__startswith="case.export").order_by("id"))
    assert [(e.action, e.changes["rows"]) for e in events] == [("case.export", 1), ("case.export_unmasked", 2)]


def test_it_filters_cases_by_stage_pending_and_mine(tree: Any, worker: Any, colleague: Any, as_user: Any) -> None:
    mine = open_case(worker, unit=tree.a1)
    theirs = open_case(colleague, unit=tree.a1, worker=colleague)
    url = reverse("casework:case_list")
    body = as_user(worker).get(url, {"mine": "1"}).content.decode()
    assert mine.number in body and theirs.number not in body
    assert mine.number not in as_user(worker).get(url, {"stage": "closed"}).content.decode()
    assert mine.number not in as_user(worker).get(url, {"pending": "1"}).content.decode()


def test_it_reassigns_selected_cases_one_audited_transfer_each(
    tree: Any, worker: Any, colleague: Any, lead: Any, as_user: Any
) -> None:
    cases = [open_case(worker, unit=tree.a1), open_case(worker, unit=tree.a2)]
    url = reverse("casework:case_list")
    response = as_user(lead).post(
        url,
        {
            "bulk": "reassign",
            "ids": [c.pk for c in cases],
            "reassign-to_worker": colleague.pk,
            "reassign-reason": "社工休产假",
        },
    )
    assert response.status_code == 302
    assert set(Case.objects.values_list("worker_id", flat=True)) == {colleague.pk}
    assert AuditEvent.objects.filter(action="case.transfer").count() == 2
    assert CaseTransition.objects.filter(action="transfer").count() == 2


def test_it_reassigns_nothing_when_one_case_may_not_move(tree: Any, worker: Any, colleague: Any, as_user: Any) -> None:
    own = open_case(worker, unit=tree.a1)
    other = open_case(colleague, unit=tree.a1, worker=colleague)
    # A plain worker may hand on their own case only: the batch is refused whole.
    data = {"bulk": "reassign", "ids": [own.pk, other.pk], "reassign-reason": "调岗"}
    third = cast(User, UserFactory(username="third_a", role="social_worker", unit=tree.station_a))
    response = as_user(worker).post(reverse("casework:case_list"), {**data, "reassign-to_worker": third.pk})
    assert response.status_code == 302
    assert Case.objects.get(pk=own.pk).worker_id == worker.pk
    assert Case.objects.get(pk=other.pk).worker_id == colleague.pk
    assert not AuditEvent.objects.filter(action="case.transfer").exists()


def test_it_offers_no_worker_out_of_scope_and_ignores_an_outsiders_ids(
    tree: Any, worker: Any, lead: Any, outsider: Any, as_user: Any
) -> None:
    case = open_case(worker, unit=tree.a1)
    url = reverse("casework:case_list")
    data = {"bulk": "reassign", "ids": [case.pk], "reassign-reason": "调岗"}
    # Station B's worker is not a choice for station A's lead.
    as_user(lead).post(url, {**data, "reassign-to_worker": outsider.pk})
    # And station A's case is not in the outsider's list.
    as_user(outsider).post(url, {**data, "reassign-to_worker": outsider.pk})
    assert Case.objects.get(pk=case.pk).worker_id == worker.pk
    assert not AuditEvent.objects.filter(action="case.transfer").exists()


def test_it_exports_activities_and_groups_with_their_counts(tree: Any, lead: Any, as_user: Any) -> None:
    _activity(lead, tree.a1)
    _group(lead, tree.a2)
    rows = xlsx_rows(as_user(lead).get(reverse("casework:activity_list"), {"export": "masked"}))
    assert rows[0][0] == "活动名称" and rows[1][0] == "列表活动"
    rows = xlsx_rows(as_user(lead).get(reverse("casework:group_list"), {"export": "masked", "unit": tree.a1.pk}))
    assert len(rows) == 1
    changes = [e.changes["rows"] for e in AuditEvent.objects.filter(action__endswith=".export").order_by("id")]
    assert changes == [1, 0]
