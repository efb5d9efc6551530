from __future__ import annotations

import datetime as dt
from typing import Any, cast

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from grading import services
from grading.models import Assessment, Card, CardChange, GradingRuleSet, MajorEvent, PersonGrade, Visit
from grading.tests.factories import full_answers, graded, version
from people.models import Person
from people.tests.factories import PersonFactory, person_with_category

pytestmark = pytest.mark.django_db

TZ = dt.timezone(dt.timedelta(hours=8))


def test_it_scores_the_elderly_ability_assessment_to_90_and_levels(tree: Any, worker: Any) -> None:
    v = version("elderly_ability")
    assert v.max_total == 90
    person = cast(Person, PersonFactory(unit=tree.a1))
    best = services.assessment_record(
        actor=worker, person=person, version=v, answers=full_answers(v, 0), assessed_on=timezone.localdate()
    )
    assert (best.total, best.level) == (90, 0)
    worst = services.assessment_record(
        actor=worker, person=person, version=v, answers=full_answers(v, 9), assessed_on=timezone.localdate()
    )
    assert (worst.total, worst.level) == (0, 4)
    assert set(worst.dimension_scores) == {"self_care", "motor", "mental", "perception"}


def test_it_refuses_an_assessment_with_missing_items_and_saves_nothing(tree: Any, worker: Any) -> None:
    v = version("elderly_ability")
    answers = full_answers(v)
    answers.pop("eating")
    with pytest.raises(ValidationError) as exc:
        services.assessment_record(
            actor=worker,
            person=cast(Person, PersonFactory(unit=tree.a1)),
            version=v,
            answers=answers,
            assessed_on=dt.date.today(),
        )
    assert "进食" in str(exc.value.message_dict["answers"])
    assert Assessment.objects.count() == 0


def test_it_grades_by_the_default_rules_with_reasons(tree: Any, worker: Any) -> None:
    tekun = person_with_category(tree.a1, "tekun")
    old_alone = person_with_category(tree.a1, "elderly_alone", birth_date=dt.date(1940, 1, 1))
    young_alone = person_with_category(tree.a1, "elderly_alone", birth_date=dt.date(1960, 1, 1))
    plain = cast(Person, PersonFactory(unit=tree.a1))
    assert services.person_grade(actor=worker, person=tekun).card == Card.RED
    g = services.person_grade(actor=worker, person=old_alone)
    assert g.card == Card.RED and "80岁以上独居老人" in g.reasons
    assert services.person_grade(actor=worker, person=young_alone).card == Card.BLUE
    assert services.person_grade(actor=worker, person=plain).card == Card.GREEN
    change = CardChange.objects.get(person=old_alone)
    assert change.from_card == "" and change.to_card == Card.RED and change.changed_by == worker


def test_it_turns_red_on_a_severe_ability_level_and_keeps_the_scores(tree: Any, worker: Any) -> None:
    person = person_with_category(tree.a1, "elderly_empty_nest", birth_date=dt.date(1950, 1, 1))
    assert services.person_grade(actor=worker, person=person).card == Card.BLUE
    v = version("elderly_ability")
    services.assessment_record(
        actor=worker, person=person, version=v, answers=full_answers(v, 3), assessed_on=dt.date.today()
    )
    grade = services.person_grade(actor=worker, person=person)
    assert grade.card == Card.RED
    change = CardChange.objects.filter(person=person).first()
    assert change is not None
    assert change.from_card == Card.BLUE and change.scores["elderly_ability"]["level"] >= 3
    # a new red card is a major event: due within 24 h
    assert MajorEvent.objects.filter(person=person, kind="new_red").exists()
    assert grade.next_due is not None and grade.next_due <= timezone.localdate() + dt.timedelta(days=1)


def test_it_requires_a_reason_to_override_and_audits_it(tree: Any, worker: Any) -> None:
    person = cast(Person, PersonFactory(unit=tree.a1))
    services.person_grade(actor=worker, person=person)
    with pytest.raises(ValidationError) as exc:
        services.card_override(actor=worker, person=person, card=Card.RED, reason="  ")
    assert "reason" in exc.value.message_dict
    assert PersonGrade.objects.get(person=person).card == Card.GREEN
    services.card_override(actor=worker, person=person, card=Card.RED, reason="家中失火")
    grade = PersonGrade.objects.get(person=person)
    assert grade.card == Card.RED and grade.overridden
    assert CardChange.objects.filter(person=person, overridden=True, why="家中失火").exists()
    from audit.models import AuditEvent

    assert AuditEvent.objects.filter(action="card.override", note="家中失火").exists()


def test_it_refuses_a_rule_set_that_could_leave_someone_ungraded(tree: Any, admin: Any) -> None:
    before = GradingRuleSet.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.ruleset_create(
            actor=admin, name="只有红卡", rules=[{"card": "red", "reason": "特困", "categories": ["tekun"]}]
        )
    assert "catch-all" in str(exc.value) or "兜底" in str(exc.value)
    assert GradingRuleSet.objects.count() == before


def test_it_regrades_a_batch_only_on_request_and_keeps_manual_cards(tree: Any, admin: Any, worker: Any) -> None:
    a = person_with_category(tree.a1, "dibao")
    b = person_with_category(tree.a1, "dibao")
    services.person_grade(actor=worker, person=a)
    services.person_grade(actor=worker, person=b)
    services.card_override(actor=worker, person=b, card=Card.GREEN, reason="已就业")
    rs = services.ruleset_create(
        actor=admin,
        name="低保为红",
        rules=[
            {"card": "red", "reason": "低保", "categories": ["dibao"]},
            {"card": "green", "reason": "其他"},
        ],
        activate=True,
    )
    assert PersonGrade.objects.get(person=a).card == Card.BLUE  # nothing silent
    from people.models import Person

    counts = services.grades_refresh(actor=admin, persons=Person.objects.all())
    assert counts["kept_manual"] == 1 and counts["changed"] == 1
    assert PersonGrade.objects.get(person=a).card == Card.RED
    assert PersonGrade.objects.get(person=a).rule_set == rs
    assert PersonGrade.objects.get(person=b).card == Card.GREEN


def test_it_refuses_a_visit_in_the_future_and_saves_nothing(tree: Any, worker: Any) -> None:
    person = graded(tree.a1)
    with pytest.raises(ValidationError) as exc:
        services.visit_log(actor=worker, person=person, visited_on=timezone.localdate() + dt.timedelta(days=1))
    assert "visited_on" in exc.value.message_dict
    assert Visit.objects.count() == 0


@time_machine.travel(dt.datetime(2028, 2, 25, 10, 0, tzinfo=TZ), tick=False)
def test_it_moves_the_due_date_by_the_card_interval_across_a_leap_day(tree: Any, worker: Any) -> None:
    person = graded(tree.a1, Card.RED, next_due=dt.date(2028, 2, 20))
    services.visit_log(actor=worker, person=person, visited_on=dt.date(2028, 2, 22))
    grade = PersonGrade.objects.get(person=person)
    assert grade.last_visit_on == dt.date(2028, 2, 22)
    assert grade.next_due == dt.date(2028, 2, 29)  # 7 days, through the leap day
    blue = graded(tree.a1, Card.BLUE)
    services.visit_log(actor=worker, person=blue, visited_on=dt.date(2028, 2, 1))
    assert PersonGrade.objects.get(person=blue).next_due == dt.date(2028, 3, 2)  # 30 days in a 29-day February


@time_machine.travel(dt.datetime(2026, 3, 10, 9, 0, tzinfo=TZ), tick=False)
def test_it_brings_the_due_date_forward_after_a_major_event_and_a_visit_clears_it(tree: Any, worker: Any) -> None:
    person = graded(tree.a1, Card.GREEN, last_visit_on=dt.date(2026, 3, 1))
    services.visit_log(actor=worker, person=person, visited_on=dt.date(2026, 3, 1))
    assert PersonGrade.objects.get(person=person).next_due == dt.date(2026, 5, 30)
    services.major_event_record(
        actor=worker, person=person, kind="hospital", occurred_at=dt.datetime(2026, 3, 10, 8, 0, tzinfo=TZ)
    )
    assert PersonGrade.objects.get(person=person).next_due == dt.date(2026, 3, 11)
    services.visit_log(actor=worker, person=person, visited_on=dt.date(2026, 3, 10))
    assert PersonGrade.objects.get(person=person).next_due == dt.date(2026, 6, 8)
    assert MajorEvent.objects.get(kind="hospital").resolved_by is not None


def test_it_checks_scope_on_writes(tree: Any, outsider: Any) -> None:
    from django.http import Http404

    person = cast(Person, PersonFactory(unit=tree.a1))
    with pytest.raises(Http404):
        services.visit_log(actor=outsider, person=person, visited_on=dt.date.today())


def test_it_recomputes_due_dates_when_a_district_changes_its_intervals(tree: Any, admin: Any, worker: Any) -> None:
    person = graded(tree.a1, Card.RED)
    services.visit_log(actor=worker, person=person, visited_on=timezone.localdate())
    services.policy_update(
        actor=admin,
        district=tree.district,
        red_days=3,
        blue_days=14,
        green_days=60,
        major_event_hours=24,
        escalate_lead_days=2,
        escalate_district_days=5,
    )
    assert PersonGrade.objects.get(person=person).next_due == timezone.localdate() + dt.timedelta(days=3)
    with pytest.raises(ValidationError) as exc:
        services.policy_update(
            actor=admin,
            district=tree.district,
            red_days=3,
            blue_days=14,
            green_days=60,
            major_event_hours=24,
            escalate_lead_days=5,
            escalate_district_days=2,
        )
    assert "escalate_district_days" in exc.value.message_dict


def test_it_publishes_instrument_versions_and_old_assessments_keep_theirs(tree: Any, admin: Any, worker: Any) -> None:
    import copy

    from grading.models import Instrument

    v1 = version("child_risk")
    person = cast(Person, PersonFactory(unit=tree.a1))
    old = services.assessment_record(
        actor=worker, person=person, version=v1, answers=full_answers(v1, 1), assessed_on=dt.date.today()
    )
    schema = copy.deepcopy(v1.schema)
    schema["dimensions"][0]["items"].append(
        {"code": "no_id", "text": "无户籍", "options": [{"label": "否", "score": 0}, {"label": "是", "score": 1}]}
    )
    with pytest.raises(ValidationError) as exc:  # the bands no longer reach the new maximum (22)
        services.instrument_version_publish(actor=admin, instrument=v1.instrument, schema=schema, note="加一题")
    assert "22" in str(exc.value)
    schema["levels"][-1]["max"] = 22
    v2 = services.instrument_version_publish(actor=admin, instrument=v1.instrument, schema=schema, note="加一题")
    assert v2.number == 2 and Instrument.objects.get(code="child_risk").current_version() == v2
    old.refresh_from_db()
    assert old.version == v1 and old.total == 21
    with pytest.raises(ValidationError):  # the new item is required now
        services.assessment_record(
            actor=worker, person=person, version=v2, answers=full_answers(v1, 1), assessed_on=dt.date.today()
        )
