"""Every resident enters 一分三卡: graded at once (form, API, import, category
change), given a responsible worker by the station's rule, on the lists."""

from __future__ import annotations

import datetime as dt
from io import BytesIO
from typing import Any, cast

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook

from audit.models import AuditEvent
from core import identity
from grading import enrolment, selectors
from grading.models import CardChange, CommunityResponsible, MajorEvent, PersonGrade, ResponsibleRule
from grading.tests.factories import graded
from people import services as people_services
from people.models import CategoryType, Person, PersonCategory
from people.tests.factories import PersonFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 10, 9, 0, tzinfo=dt.UTC)
TODAY = dt.date(2026, 3, 10)


def _form_data(tree: Any, name: str = "张三", **extra: Any) -> dict[str, Any]:
    return {"unit": tree.a1.pk, "name": name, "sex": "F", "birth_date": "1940-05-06", **extra}


@time_machine.travel(NOW, tick=False)
def test_it_grades_and_assigns_a_resident_created_on_the_form(tree: Any, worker: Any, as_user: Any) -> None:
    r = as_user(worker).post(reverse("people:person_create"), _form_data(tree))
    assert r.status_code == 302, r.content
    person = Person.objects.get(name="张三")
    grade = PersonGrade.objects.get(person=person)
    assert (grade.card, grade.reasons, grade.responsible, grade.unit) == ("green", ["总体稳定"], worker, tree.a1)
    assert grade.next_due == TODAY and grade.first_graded_on == TODAY  # never visited: due the day of grading
    change = CardChange.objects.get(person=person)
    assert (change.from_card, change.to_card, change.changed_by) == ("", "green", worker)
    assert AuditEvent.objects.filter(action="card.enrol", target_id=str(grade.pk)).count() == 1
    assert [g.person_id for g in selectors.followups(worker)] == [person.pk]


@time_machine.travel(NOW, tick=False)
def test_it_grades_a_resident_created_through_the_api(tree: Any, worker: Any, lead: Any, as_user: Any) -> None:
    r = as_user(worker).post(
        "/api/v1/people",
        {"unit_id": tree.a1.pk, "name": "李四", "sex": "M", "birth_date": "1950-01-02"},
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    grade = PersonGrade.objects.get(person_id=r.json()["id"])
    assert (grade.card, grade.responsible) == ("green", worker)
    assert r.json()["card"] == "green"
    # the lead sees it among everything in scope; the worker has it as their own
    assert grade.pk in {g.pk for g in selectors.followups(lead, show="all")}
    assert grade.pk in {g.pk for g in selectors.followups(worker)}


def _xlsx(rows: list[list[Any]]) -> SimpleUploadedFile:
    wb = Workbook()
    ws = wb.active
    ws.append(["姓名", "身份证号", "性别", "出生日期", "社区", "联系电话", "类别", "类别起始日期"])
    for row in rows:
        ws.append(row)
    buf = BytesIO()
    wb.save(buf)
    return SimpleUploadedFile("roster.xlsx", buf.getvalue())


@time_machine.travel(NOW, tick=False)
def test_it_grades_an_import_in_bulk(
    tree: Any, worker: Any, as_user: Any, settings: Any, tmp_path: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from people.tests.test_import import confirm, upload

    settings.MEDIA_ROOT = tmp_path

    def jobs(method: Any, *args: Any, **kwargs: Any) -> Any:  # the request, then the jobs it queued
        with django_capture_on_commit_callbacks(execute=True):
            return method(*args, **kwargs)

    def roster(n: int) -> list[list[Any]]:
        rows = []
        for i in range(n):
            born = dt.date(1940, 1, 1) + dt.timedelta(days=i)
            number = identity.make_resident_id("350502", born, i + 1, "F") if i % 2 else None
            rows.append([f"居民{i}", number, "女", born.isoformat(), "甲一社区", None, "特困", None])
        return rows

    def run(rows: list[list[Any]]) -> int:
        c = as_user(worker)
        job = upload(jobs, c, rows)
        with CaptureQueriesContext(connection) as ctx:  # the confirmation and the save job it queues
            assert confirm(jobs, c, job).status_code == 302
        return len(ctx.captured_queries)

    small = run(roster(5))
    assert PersonGrade.objects.filter(card="red", responsible=worker).count() == 5
    assert MajorEvent.objects.filter(kind="new_red").count() == 5  # a new red card is itself a major event
    assert CardChange.objects.filter(why="从花名册导入").count() == 5
    PersonGrade.objects.all().delete()
    CardChange.objects.all().delete()
    MajorEvent.objects.all().delete()
    Person.objects.all().delete()
    larger = run(roster(60))
    assert PersonGrade.objects.count() == 60
    assert larger == small  # grading in bulk: the query count does not grow with the rows
    assert AuditEvent.objects.filter(action="card.enrol").count() == 2  # one summary per import


@time_machine.travel(NOW, tick=False)
def test_it_regrades_when_a_category_is_added_or_ended(tree: Any, worker: Any) -> None:
    person = people_services.person_create(
        actor=worker, unit=tree.a1, name="王五", sex="F", birth_date=dt.date(1940, 1, 1)
    )
    assert person.grade.card == "green"
    held = people_services.category_add(
        actor=worker,
        person=person,
        category=CategoryType.objects.get(code="tekun"),
        start_date=TODAY - dt.timedelta(days=5),
    )
    grade = PersonGrade.objects.get(person=person)
    assert (grade.card, grade.reasons) == ("red", ["特困供养人员"])
    assert MajorEvent.objects.filter(person=person, kind="new_red").exists()
    assert grade.next_due == TODAY
    people_services.category_end(actor=worker, held=held, end_date=TODAY - dt.timedelta(days=1))
    grade.refresh_from_db()
    assert grade.card == "green"
    assert list(CardChange.objects.filter(person=person).order_by("id").values_list("to_card", flat=True)) == [
        "green",
        "red",
        "green",
    ]


@time_machine.travel(NOW, tick=False)
def test_it_keeps_a_card_set_by_hand_and_a_named_worker(tree: Any, worker: Any, colleague: Any) -> None:
    from grading import services

    person = people_services.person_create(
        actor=worker, unit=tree.a1, name="赵六", sex="F", birth_date=dt.date(1940, 1, 1)
    )
    services.card_override(actor=worker, person=person, card="blue", reason="家访发现子女失联")
    services.grade_assign(actor=worker, person=person, responsible=colleague)
    people_services.category_add(
        actor=worker, person=person, category=CategoryType.objects.get(code="tekun"), start_date=TODAY
    )
    grade = PersonGrade.objects.get(person=person)
    assert (grade.card, grade.overridden, grade.responsible) == ("blue", True, colleague)


def test_it_leaves_residents_ungraded_without_an_active_rule_set(tree: Any, worker: Any) -> None:
    from grading.models import GradingRuleSet

    GradingRuleSet.objects.update(is_active=False)
    person = people_services.person_create(
        actor=worker, unit=tree.a1, name="钱七", sex="F", birth_date=dt.date(1940, 1, 1)
    )
    assert not PersonGrade.objects.filter(person=person).exists()


# ---------------------------------------------------------------- the responsible-worker rule


def test_it_names_the_creator_by_default_and_nobody_when_the_creator_cannot(tree: Any, worker: Any, admin: Any) -> None:
    mine = people_services.person_create(actor=worker, unit=tree.a1, name="甲", sex="F", birth_date=dt.date(1940, 1, 1))
    theirs = people_services.person_create(
        actor=admin, unit=tree.a1, name="乙", sex="F", birth_date=dt.date(1940, 1, 1)
    )
    assert PersonGrade.objects.get(person=mine).responsible == worker
    # a district administrator does no follow-up: unassigned, so on every worker's list in scope
    assert PersonGrade.objects.get(person=theirs).responsible is None
    assert {g.person_id for g in selectors.followups(worker)} == {mine.pk, theirs.pk}


def test_it_follows_the_community_rule_and_the_station_rule(tree: Any, worker: Any, lead: Any, colleague: Any) -> None:
    cw = UserFactory(username="cw_a2", role="community_worker", unit=tree.a2)
    enrolment.responsible_rule_update(
        actor=lead, station=tree.station_a, mode="community", community_workers={tree.a2: cw, tree.a1: None}
    )
    in_a2 = people_services.person_create(
        actor=worker, unit=tree.a2, name="丙", sex="F", birth_date=dt.date(1940, 1, 1)
    )
    in_a1 = people_services.person_create(
        actor=worker, unit=tree.a1, name="丁", sex="F", birth_date=dt.date(1940, 1, 1)
    )
    assert PersonGrade.objects.get(person=in_a2).responsible == cw
    assert PersonGrade.objects.get(person=in_a1).responsible == worker  # no designated worker: the creator
    enrolment.responsible_rule_update(actor=lead, station=tree.station_a, mode="station", worker=colleague)
    third = people_services.person_create(
        actor=worker, unit=tree.a2, name="戊", sex="F", birth_date=dt.date(1940, 1, 1)
    )
    assert PersonGrade.objects.get(person=third).responsible == colleague
    events = AuditEvent.objects.filter(action="responsible_rule.update").order_by("id")
    last = events.last()
    assert events.count() == 2 and last is not None and last.changes["mode"] == ["community", "station"]


def test_it_refuses_bad_rules_in_chinese_and_saves_nothing(tree: Any, lead: Any, outsider: Any, worker: Any) -> None:
    from django.utils import translation

    with translation.override("zh-hans"):
        with pytest.raises(ValidationError) as exc:
            enrolment.responsible_rule_update(actor=lead, station=tree.station_a, mode="station")
        assert "请选择工作站指定的社工" in str(exc.value.message_dict["worker"])
        with pytest.raises(ValidationError) as exc:
            enrolment.responsible_rule_update(actor=lead, station=tree.station_a, mode="station", worker=outsider)
        assert "不能跟进" in str(exc.value.message_dict["worker"])
    assert not ResponsibleRule.objects.exists() and not CommunityResponsible.objects.exists()
    assert not AuditEvent.objects.filter(action="responsible_rule.update").exists()


def test_only_the_station_lead_and_the_district_edit_the_rule(
    tree: Any, lead: Any, worker: Any, outsider: Any, admin: Any, as_user: Any
) -> None:
    url = reverse("grading:responsible_rule", args=[tree.station_a.pk])
    assert as_user(worker).get(url).status_code == 403
    assert as_user(worker).post(url, {"mode": "creator"}).status_code == 403
    lead_b = UserFactory(username="lead_b", role="station_lead", unit=tree.station_b)
    assert as_user(lead_b).get(url).status_code == 404
    assert as_user(lead_b).post(url, {"mode": "creator"}).status_code == 404
    assert as_user(outsider).get(url).status_code == 403
    assert as_user(lead).get(reverse("grading:responsible_rules")).url == url  # a lead goes to their station
    page = as_user(lead).get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "甲一社区" in page and "建档的工作人员" in page
    r = as_user(lead).post(url, {"mode": "station", "worker": worker.pk})
    assert r.status_code == 302
    assert ResponsibleRule.objects.get(unit=tree.station_a).worker == worker
    r = as_user(admin).post(url, {"mode": "community", f"community_{tree.a1.pk}": worker.pk})
    assert r.status_code == 302 and CommunityResponsible.objects.get(unit=tree.a1).worker == worker
    listing = as_user(admin).get(reverse("grading:responsible_rules"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert tree.station_b.name in listing.content.decode()


def test_the_assign_page_and_service_use_the_same_worker_rule(
    tree: Any, lead: Any, worker: Any, outsider: Any, as_user: Any
) -> None:
    from grading import services

    person = graded(tree.a1, "green")
    inactive = UserFactory(username="left_a", role="social_worker", unit=tree.station_a, is_active=False)
    viewer = UserFactory(username="viewer_a2", role="viewer", unit=tree.a1)
    choices = set(selectors.assignable_workers(lead, tree.a1))
    assert worker in choices and lead in choices
    assert not {inactive, viewer, outsider} & choices
    page = as_user(lead).get(reverse("grading:assign", args=[person.pk])).content.decode()
    assert worker.username in page or str(worker) in page
    for nobody in (inactive, viewer, outsider):
        with pytest.raises(ValidationError):
            services.grade_assign(actor=lead, person=person, responsible=nobody)


def test_moving_a_resident_moves_their_card(tree: Any, worker: Any) -> None:
    person = people_services.person_create(
        actor=worker, unit=tree.a1, name="己", sex="F", birth_date=dt.date(1940, 1, 1)
    )
    people_services.person_update(actor=worker, person=person, unit=tree.a2)
    assert PersonGrade.objects.get(person=person).unit == tree.a2


def test_a_second_enrolment_changes_nothing(tree: Any, worker: Any) -> None:
    person = cast(Person, PersonFactory(unit=tree.a1))
    PersonCategory.objects.create(person=person, category=CategoryType.objects.get(code="dibao"), start_date=TODAY)
    enrolment.persons_enrol(actor=worker, persons=[person.pk], why="x")
    enrolment.persons_enrol(actor=worker, persons=[person.pk], why="x")
    assert CardChange.objects.filter(person=person).count() == 1
    assert AuditEvent.objects.filter(action="card.enrol").count() == 1
