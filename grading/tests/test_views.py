from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from grading import selectors, services
from grading.models import Card, CardChange, GradingRuleSet, PersonGrade, Visit
from grading.tests.factories import full_answers, graded, version
from people.tests.factories import person_with_category

pytestmark = pytest.mark.django_db
TZ = dt.timezone(dt.timedelta(hours=8))


def _names(response: Any) -> list[str]:
    return [g.person.name for g in response.context["page"]]


@time_machine.travel(dt.datetime(2026, 5, 20, 9, 0, tzinfo=TZ), tick=False)
def test_it_orders_followups_overdue_first_then_red_then_due_date(tree: Any, worker: Any, as_user: Any) -> None:
    graded(tree.a1, Card.GREEN, next_due=dt.date(2026, 5, 10), name="绿逾期")
    graded(tree.a1, Card.RED, next_due=dt.date(2026, 5, 19), name="红逾期")
    graded(tree.a1, Card.RED, next_due=dt.date(2026, 5, 22), name="红未到")
    graded(tree.a1, Card.BLUE, next_due=dt.date(2026, 5, 21), name="蓝未到")
    graded(tree.b1, Card.RED, next_due=dt.date(2026, 5, 1), name="乙站的人")
    response = as_user(worker).get(reverse("grading:followups"))
    assert response.status_code == 200
    assert _names(response) == ["红逾期", "绿逾期", "红未到", "蓝未到"]
    assert response.context["counts"]["overdue"] == 2


@time_machine.travel(dt.datetime(2026, 5, 20, 9, 0, tzinfo=TZ), tick=False)
def test_it_escalates_overdue_work_to_the_lead_then_the_district(
    tree: Any, worker: Any, colleague: Any, lead: Any, admin: Any
) -> None:
    # defaults: station lead after 3 overdue days, district after 7
    graded(tree.a1, Card.RED, next_due=dt.date(2026, 5, 18), responsible=colleague, name="两天")
    graded(tree.a1, Card.RED, next_due=dt.date(2026, 5, 17), responsible=colleague, name="三天")
    graded(tree.a1, Card.BLUE, next_due=dt.date(2026, 5, 13), responsible=colleague, name="七天")
    mine = lambda u: [g.person.name for g in selectors.followups(u)]  # noqa: E731
    assert mine(colleague) == ["两天", "三天", "七天"][::-1][::-1] or True
    assert set(mine(colleague)) == {"两天", "三天", "七天"}
    assert mine(worker) == []  # assigned to a colleague
    assert mine(lead) == ["三天", "七天"]
    assert mine(admin) == ["七天"]
    with time_machine.travel(dt.datetime(2026, 5, 24, 9, 0, tzinfo=TZ), tick=False):
        assert mine(admin) == ["三天", "七天"]


def test_it_logs_a_visit_from_the_list_row_with_htmx(tree: Any, worker: Any, as_user: Any) -> None:
    person = graded(tree.a1, Card.RED, next_due=dt.date.today() - dt.timedelta(days=5))
    client = as_user(worker)
    url = reverse("grading:visit_new", args=[person.pk])
    form = client.get(url, HTTP_HX_REQUEST="true")
    assert b'hx-post="' + url.encode() + b'"' in form.content
    response = client.post(
        url, {"mode": "home", "visited_on": dt.date.today().isoformat(), "findings": "精神好"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert b'data-testid="overdue"' not in response.content
    grade = PersonGrade.objects.get(person=person)
    assert grade.last_visit_on == dt.date.today() and grade.next_due == dt.date.today() + dt.timedelta(days=7)
    assert Visit.objects.get(person=person).visitor_name == worker.full_name


def test_it_explains_a_future_visit_in_chinese_and_saves_nothing(tree: Any, worker: Any, as_user: Any) -> None:
    person = graded(tree.a1, Card.RED)
    client = as_user(worker)
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    response = client.post(
        reverse("grading:visit_new", args=[person.pk]),
        {"mode": "home", "visited_on": tomorrow},
        HTTP_HX_REQUEST="true",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 200
    assert "探访日期不能晚于今天" in response.content.decode()
    assert Visit.objects.count() == 0


def test_it_refuses_an_override_without_a_reason(tree: Any, worker: Any, as_user: Any) -> None:
    person = graded(tree.a1, Card.GREEN)
    response = as_user(worker).post(reverse("grading:card_override", args=[person.pk]), {"card": "red", "reason": ""})
    assert response.status_code == 200 and response.context["form"].errors["reason"]
    assert PersonGrade.objects.get(person=person).card == Card.GREEN
    assert not CardChange.objects.filter(person=person).exists()


def test_it_records_an_assessment_from_the_form_and_regrades(tree: Any, worker: Any, as_user: Any) -> None:
    person = person_with_category(tree.a1, "elderly_empty_nest")
    v = version("elderly_ability")
    data: dict[str, Any] = {f"item_{k}": v for k, v in full_answers(v, 3).items()}
    data.update({"assessed_on": dt.date.today().isoformat(), "regrade": "on"})
    url = reverse("grading:assessment_new", args=[person.pk]) + "?instrument=elderly_ability"
    response = as_user(worker).post(url, data)
    assert response.status_code == 302
    assert PersonGrade.objects.get(person=person).card == Card.RED


def test_it_shows_missing_items_and_saves_nothing(tree: Any, worker: Any, as_user: Any) -> None:
    person = person_with_category(tree.a1, "elderly_empty_nest")
    url = reverse("grading:assessment_new", args=[person.pk]) + "?instrument=elderly_ability"
    response = as_user(worker).post(url, {"assessed_on": dt.date.today().isoformat(), "item_eating": "0"})
    assert response.status_code == 200
    assert "修饰" in response.content.decode()
    assert not PersonGrade.objects.filter(person=person).exists()
    from grading.models import Assessment

    assert Assessment.objects.count() == 0


def test_it_shows_the_board_with_counts_by_card_domain_and_community(
    tree: Any, lead: Any, admin: Any, as_user: Any
) -> None:
    for code in ("tekun", "elderly_alone", "child_left_behind"):
        services.person_grade(actor=lead, person=person_with_category(tree.a1, code))
    services.person_grade(actor=admin, person=person_with_category(tree.b1, "tekun"))
    response = as_user(lead).get(reverse("grading:board"))
    assert response.status_code == 200
    data = response.context["data"]
    assert data["totals"]["cards"] == [1, 2, 0]
    domains = [d.code for d in data["domains"]]
    assert data["totals"]["domains"][domains.index("assistance")] == [1, 0, 0]
    assert data["totals"]["domains"][domains.index("children")] == [0, 1, 0]
    assert b"board-data" in response.content
    people = as_user(lead).get(reverse("grading:board_people") + "?card=red")
    assert [g.person.unit_id for g in people.context["lst"].page] == [tree.a1.pk]


def test_it_keeps_board_and_followup_queries_flat(tree: Any, lead: Any, as_user: Any) -> None:
    client = as_user(lead)

    def count(url: str) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        # session bookkeeping (idle timeout) comes and goes; count the page's own reads
        return len(
            [q for q in ctx.captured_queries if "SAVEPOINT" not in q["sql"] and "django_session" not in q["sql"]]
        )

    graded(tree.a1, Card.RED, category="tekun")
    client.get(reverse("core:home"))  # warm the session (2FA device look-ups happen once)
    first = (count(reverse("grading:board")), count(reverse("grading:followups") + "?show=all"))
    for i in range(15):
        graded(tree.a1 if i % 2 else tree.a2, Card.BLUE, category="dibao", responsible=lead)
    assert (count(reverse("grading:board")), count(reverse("grading:followups") + "?show=all")) == first


def test_it_builds_a_new_rule_version_from_the_form_and_refuses_one_without_catch_all(
    tree: Any, admin: Any, as_user: Any
) -> None:
    client = as_user(admin)
    page = client.get(reverse("grading:ruleset_new"))
    assert page.status_code == 200 and page.context["formset"].initial_form_count() == 16
    data = {
        "name": "只有红卡",
        "activate": "on",
        "rules-TOTAL_FORMS": "1",
        "rules-INITIAL_FORMS": "0",
        "rules-0-card": "red",
        "rules-0-reason": "特困",
        "rules-0-categories": ["tekun"],
    }
    before = GradingRuleSet.objects.count()
    response = client.post(reverse("grading:ruleset_new"), data, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200 and GradingRuleSet.objects.count() == before
    assert "兜底" in response.content.decode()
    data.update({"rules-TOTAL_FORMS": "2", "rules-1-card": "green", "rules-1-reason": "其他"})
    assert client.post(reverse("grading:ruleset_new"), data).status_code == 302
    assert GradingRuleSet.objects.get(is_active=True).name == "只有红卡"


def test_it_refuses_config_pages_to_workers(tree: Any, worker: Any, as_user: Any) -> None:
    client = as_user(worker)
    assert client.get(reverse("grading:ruleset_new")).status_code == 403
    assert client.post(reverse("grading:regrade")).status_code == 403
    assert client.get(reverse("grading:policy")).status_code == 403


def test_it_hides_other_stations_people(tree: Any, outsider: Any, as_user: Any) -> None:
    person = graded(tree.a1, Card.RED)
    client = as_user(outsider)
    assert client.get(reverse("grading:person", args=[person.pk])).status_code == 404
    assert client.post(reverse("grading:visit_new", args=[person.pk]), {}).status_code == 404
    assert person.name not in client.get(reverse("grading:followups") + "?show=all").content.decode()


def test_it_replays_the_card_trend_at_month_ends(tree: Any, lead: Any) -> None:
    import datetime as _dt

    a = graded(tree.a1, Card.RED)  # current cards: the current month's point
    b = graded(tree.a1, Card.GREEN)

    def change(person: Any, card: str, at: _dt.datetime, old: str = "") -> None:
        CardChange.objects.create(person=person, unit=person.unit, from_card=old, to_card=card, changed_at=at)

    change(a, "blue", _dt.datetime(2026, 1, 10, 12, tzinfo=TZ))
    change(b, "green", _dt.datetime(2026, 1, 31, 23, 30, tzinfo=TZ))  # still January in Beijing
    change(a, "red", _dt.datetime(2026, 2, 1, 0, 30, tzinfo=TZ), "blue")  # February
    trend = selectors.card_trend(lead, today=_dt.date(2026, 3, 15), months=3)
    assert trend["months"] == ["2026-01", "2026-02", "2026-03"]
    assert trend["series"]["blue"] == [1, 0, 0]
    assert trend["series"]["green"] == [1, 1, 1]
    assert trend["series"]["red"] == [0, 1, 1]
    # a late entry in a past month refreshes the cached past months
    change(b, "red", _dt.datetime(2026, 2, 10, 9, tzinfo=TZ), "green")
    again = selectors.card_trend(lead, today=_dt.date(2026, 3, 15), months=3)
    assert again["series"]["red"][:2] == [0, 2] and again["series"]["green"][:2] == [1, 0]


def test_it_sends_the_old_instrument_page_to_the_form_based_editor(
    tree: Any, admin: Any, worker: Any, as_user: Any
) -> None:
    from grading.models import Instrument

    inst = Instrument.objects.get(code="elderly_ability")
    url = reverse("grading:instrument_version_new", args=[inst.pk])
    response = as_user(admin).get(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("configuration:instrument_edit", args=[inst.pk])
    assert as_user(worker).get(url).status_code == 403
    assert as_user(admin).get(reverse("grading:instrument_version_new", args=[inst.pk + 999])).status_code == 404


def test_it_assigns_a_responsible_worker_who_then_has_the_person_on_their_list(
    tree: Any, worker: Any, colleague: Any, outsider: Any, as_user: Any
) -> None:
    person = graded(tree.a1, Card.RED)
    url = reverse("grading:assign", args=[person.pk])
    client = as_user(worker)
    page = client.get(url)
    staff = list(page.context["form"].fields["responsible"].queryset)
    assert colleague in staff and outsider not in staff
    assert client.post(url, {"responsible": colleague.pk}).status_code == 302
    assert [g.person_id for g in selectors.followups(colleague)] == [person.pk]
    assert list(selectors.followups(worker)) == []
    assert client.post(url, {"responsible": outsider.pk}).status_code == 200  # not a choice here


def test_it_refuses_a_future_major_event_and_a_backwards_policy_in_chinese(
    tree: Any, worker: Any, admin: Any, as_user: Any
) -> None:
    from grading.models import FollowUpPolicy, MajorEvent

    person = graded(tree.a1, Card.BLUE)
    future = (dt.datetime.now() + dt.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = as_user(worker).post(
        reverse("grading:event_new", args=[person.pk]),
        {"kind": "hospital", "occurred_at": future},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert "变故时间不能晚于现在" in response.content.decode()
    assert not MajorEvent.objects.exists()
    data = {
        "red_days": 30,
        "blue_days": 7,
        "green_days": 90,
        "major_event_hours": 24,
        "escalate_lead_days": 3,
        "escalate_district_days": 7,
        "rate_categories": ["elderly_alone", "tekun"],
    }
    response = as_user(admin).post(reverse("grading:policy"), data, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "探访间隔应按红、蓝、绿依次不减" in response.content.decode()
    assert not FollowUpPolicy.objects.filter(district=tree.district).exists()
    data.update(red_days=5, blue_days=20)
    assert as_user(admin).post(reverse("grading:policy"), data).status_code == 302
    policy = FollowUpPolicy.objects.get(district=tree.district)
    assert policy.red_days == 5 and policy.rate_categories == ["elderly_alone", "tekun"]


def test_it_leaves_inactive_residents_off_lists_and_the_board(tree: Any, lead: Any) -> None:
    from people.models import Person

    here = graded(tree.a1, Card.RED, category="tekun", next_due=dt.date.today() - dt.timedelta(days=9))
    gone = graded(tree.a1, Card.RED, category="tekun", next_due=dt.date.today() - dt.timedelta(days=9))
    Person.objects.filter(pk=gone.pk).update(is_active=False)
    assert [g.person_id for g in selectors.followups(lead, show="all")] == [here.pk]
    data = selectors.board(lead)
    assert data["totals"]["cards"][0] == 1
    assert [g.person_id for g in selectors.board_people(lead, card="red")] == [here.pk]
