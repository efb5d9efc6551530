"""The resident file as the hub, the residents list's card column and
filter, and a resident's life changes (moved, deceased, service ended)."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from grading import selectors as grading_selectors
from grading.models import PersonGrade
from grading.tests.factories import graded
from people import lifecycle
from people import services as people_services
from people.models import Person, PersonStatus
from people.tests.factories import PersonFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


def _resident(tree: Any, worker: Any, name: str = "张三", category: str | None = "tekun") -> Person:
    from people.models import CategoryType

    person = people_services.person_create(
        actor=worker, unit=tree.a1, name=name, sex="F", birth_date=dt.date(1940, 1, 1)
    )
    if category:
        people_services.category_add(
            actor=worker,
            person=person,
            category=CategoryType.objects.get(code=category),
            start_date=timezone.localdate() - dt.timedelta(days=30),
        )
    return person


# ---------------------------------------------------------------- the hub


def test_the_file_shows_card_reasons_due_worker_cases_needs_and_actions(tree: Any, worker: Any, as_user: Any) -> None:
    from casework.tests.factories import open_case
    from matching.tests.factories import need_for

    person = _resident(tree, worker)
    case = open_case(worker, person=person)
    need = need_for(tree.a1, person=person)
    body = as_user(worker).get(reverse("people:person_detail", args=[person.pk]), **ZH).content.decode()
    assert 'data-testid="hub-card"' in body and "红卡" in body
    assert "特困供养人员" in body  # the rule reason of the latest card change
    assert timezone.localdate().isoformat() in body  # never visited: due today
    assert str(worker) in body
    assert reverse("casework:case_detail", args=[case.pk]) in body and case.number in body
    assert reverse("matching:need_detail", args=[need.pk]) in body
    for url in (
        reverse("grading:visit_new", args=[person.pk]),
        reverse("grading:assessment_new", args=[person.pk]),
        f"{reverse('casework:case_create')}?person={person.pk}",
        f"{reverse('matching:need_create')}?person={person.pk}",
    ):
        assert url in body
    for label in ("记录探访", "评估", "开案", "登记需求"):
        assert label in body


def test_the_prefilled_case_and_need_forms_name_the_person(tree: Any, worker: Any, as_user: Any) -> None:
    person = _resident(tree, worker)
    c = as_user(worker)
    case_form = c.get(f"{reverse('casework:case_create')}?person={person.pk}").context["form"]
    need_form = c.get(f"{reverse('matching:need_create')}?person={person.pk}").context["form"]
    assert case_form.initial["person"] in (person.pk, person)
    assert need_form.initial["person"] == person


def test_a_viewer_sees_the_card_but_no_action(tree: Any, worker: Any, viewer: Any, as_user: Any) -> None:
    person = _resident(tree, worker)
    body = as_user(viewer).get(reverse("people:person_detail", args=[person.pk]), **ZH).content.decode()
    assert "红卡" in body and 'data-testid="hub-actions"' not in body
    assert reverse("grading:visit_new", args=[person.pk]) not in body
    assert reverse("people:person_status", args=[person.pk]) not in body


def test_the_file_says_when_a_resident_is_not_graded(tree: Any, worker: Any, as_user: Any) -> None:
    person = cast(Person, PersonFactory(unit=tree.a1))
    body = as_user(worker).get(reverse("people:person_detail", args=[person.pk]), **ZH).content.decode()
    assert 'data-testid="hub-ungraded"' in body and "尚未分级" in body


def test_the_file_of_another_station_is_not_found(tree: Any, worker: Any, outsider: Any, as_user: Any) -> None:
    person = _resident(tree, worker)
    assert as_user(outsider).get(reverse("people:person_detail", args=[person.pk])).status_code == 404
    assert as_user(outsider).get(reverse("people:person_status", args=[person.pk])).status_code == 404
    assert (
        as_user(outsider).post(reverse("people:person_restore", args=[person.pk]), {"reason": "x"}).status_code == 404
    )


# ---------------------------------------------------------------- the residents list


def test_the_list_shows_and_filters_by_card(tree: Any, worker: Any, as_user: Any) -> None:
    red = graded(tree.a1, "red", name="红一")
    blue = graded(tree.a1, "blue", name="蓝一")
    ungraded = PersonFactory(unit=tree.a1, name="未分")
    c = as_user(worker)
    url = reverse("people:person_list")
    body = c.get(url, **ZH).content.decode()
    assert 'class="badge red">红卡' in body and 'class="badge blue">蓝卡' in body and "未分级" in body

    def names(**query: str) -> set[str]:
        pks = [r["pk"] for r in c.get(url, query).context["lst"].rows]
        return set(Person.objects.filter(pk__in=pks).values_list("name", flat=True))

    assert names(card="red") == {red.name}
    assert names(card="blue") == {blue.name}
    assert names(card="none") == {ungraded.name}
    assert names() == {red.name, blue.name, ungraded.name}


def test_the_list_costs_the_same_queries_however_many_residents(tree: Any, worker: Any, as_user: Any) -> None:
    c = as_user(worker)
    url = reverse("people:person_list")

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert c.get(url).status_code == 200
        return len(ctx.captured_queries)

    for i in range(3):
        graded(tree.a1, "red", category="tekun", name=f"甲{i}")
    PersonFactory(unit=tree.a1)
    queries()  # the session's first request also looks up the user's devices
    few = queries()
    for i in range(15):
        graded(tree.a2, ["red", "blue", "green"][i % 3], category="dibao", name=f"乙{i}")
        PersonFactory(unit=tree.a2)
    assert queries() == few
    with CaptureQueriesContext(connection) as ctx:
        c.get(url, {"card": "blue"})
    assert len(ctx.captured_queries) == few


# ---------------------------------------------------------------- life changes


def _lists(user: Any) -> dict[str, Any]:
    month = timezone.localdate()
    rates = {r.unit.pk: r.target for r in grading_selectors.visit_rates(user, month)}
    return {
        "followups": {g.person_id for g in grading_selectors.followups(user, show="all")},
        "overdue": {g.person_id for g in grading_selectors.followups(user, show="overdue")},
        "board_red": grading_selectors.board(user)["totals"]["cards"][0],
        "rate_target": rates[user.unit.pk],
    }


def test_a_resident_who_moves_away_leaves_every_list_and_can_be_restored(
    tree: Any, worker: Any, lead: Any, as_user: Any
) -> None:
    person = _resident(tree, worker)  # 特困: red card, counted in the visit rate
    PersonGrade.objects.filter(person=person).update(next_due=timezone.localdate() - dt.timedelta(days=10))
    before = _lists(lead)
    assert person.pk in before["followups"] and person.pk in before["overdue"]
    assert before["board_red"] == 1 and before["rate_target"] == 1
    c = as_user(worker)
    moved_on = timezone.localdate() - dt.timedelta(days=2)
    r = c.post(
        reverse("people:person_status", args=[person.pk]),
        {"status": "moved", "on": moved_on.isoformat(), "reason": "随子女迁往厦门"},
    )
    assert r.status_code == 302
    person.refresh_from_db()
    assert (person.status, person.status_on, person.is_active) == (PersonStatus.MOVED, moved_on, False)
    after = _lists(lead)
    assert person.pk not in after["followups"] and person.pk not in after["overdue"]
    assert after["board_red"] == 0 and after["rate_target"] == 0
    assert PersonGrade.objects.filter(person=person).exists()  # history kept
    body = c.get(reverse("people:person_detail", args=[person.pk]), **ZH).content.decode()
    assert "迁出" in body and "随子女迁往厦门" in body and reverse("people:person_restore", args=[person.pk]) in body
    assert 'data-testid="hub-actions"' not in body
    listed = c.get(reverse("people:person_list"), {"status": "moved"}).context["lst"].rows
    assert [r["pk"] for r in listed] == [person.pk]
    assert person.pk not in {r["pk"] for r in c.get(reverse("people:person_list")).context["lst"].rows}
    event = AuditEvent.objects.get(action="person.status")
    assert event.changes["status"] == ["active", "moved"] and event.note == "随子女迁往厦门"

    assert c.post(reverse("people:person_restore", args=[person.pk]), {"reason": "又搬回来了"}).status_code == 302
    person.refresh_from_db()
    assert person.is_active and person.status == PersonStatus.ACTIVE and person.status_on is None
    assert person.pk in _lists(lead)["followups"]
    assert AuditEvent.objects.get(action="person.restore").note == "又搬回来了"


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"status": "deceased", "reason": "病故"}, "on", "必填"),
        ({"status": "deceased", "on": "2020-01-01"}, "reason", "必填"),
        ({"status": "deceased", "on": "2999-01-01", "reason": "病故"}, "on", "不能晚于今天"),
        ({"on": "2020-01-01", "reason": "病故"}, "status", "必填"),
    ],
)
def test_a_status_without_date_or_reason_or_in_the_future_is_refused(
    tree: Any, worker: Any, as_user: Any, data: dict[str, str], field: str, message: str
) -> None:
    person = _resident(tree, worker)
    r = as_user(worker).post(reverse("people:person_status", args=[person.pk]), data, **ZH)
    assert r.status_code == 200
    assert any(message in e for e in r.context["form"].errors[field]), r.context["form"].errors
    person.refresh_from_db()
    assert person.is_active and person.status == PersonStatus.ACTIVE
    assert not AuditEvent.objects.filter(action="person.status").exists()


def test_the_service_refuses_bad_status_input_in_chinese(tree: Any, worker: Any) -> None:
    from django.core.exceptions import ValidationError
    from django.utils import translation

    person = _resident(tree, worker)
    with translation.override("zh-hans"):
        with pytest.raises(ValidationError) as exc:
            lifecycle.person_status_set(actor=worker, person=person, status="moved", on=None, reason=" ")
        assert exc.value.message_dict == {"on": ["请填写日期。"], "reason": ["请填写原因。"]}
        with pytest.raises(ValidationError) as exc:
            lifecycle.person_status_set(
                actor=worker, person=person, status="active", on=timezone.localdate(), reason="x"
            )
        assert "status" in exc.value.message_dict
        with pytest.raises(ValidationError) as exc:
            lifecycle.person_restore(actor=worker, person=person, reason="x")
        assert "仍在服务" in exc.value.messages[0]
    lifecycle.person_status_set(actor=worker, person=person, status="deceased", on=timezone.localdate(), reason="病故")
    with pytest.raises(ValidationError):
        lifecycle.person_status_set(actor=worker, person=person, status="moved", on=timezone.localdate(), reason="x")
    with pytest.raises(ValidationError):
        lifecycle.person_restore(actor=worker, person=person, reason="")
    assert AuditEvent.objects.filter(action__in=["person.status", "person.restore"]).count() == 1


def test_restoring_an_active_person_on_the_page_says_so(tree: Any, worker: Any, as_user: Any) -> None:
    person = _resident(tree, worker)
    r = as_user(worker).post(reverse("people:person_restore", args=[person.pk]), {"reason": "x"}, **ZH)
    assert r.status_code == 200 and "仍在服务" in r.content.decode()
    assert not AuditEvent.objects.filter(action="person.restore").exists()


def test_a_viewer_cannot_change_a_status(tree: Any, worker: Any, viewer: Any, as_user: Any) -> None:
    person = _resident(tree, worker)
    data = {"status": "moved", "on": "2020-01-01", "reason": "x"}
    assert as_user(viewer).post(reverse("people:person_status", args=[person.pk]), data).status_code == 403
    assert Person.objects.get(pk=person.pk).is_active


def test_status_and_restore_through_the_api(tree: Any, worker: Any, as_user: Any) -> None:
    person = _resident(tree, worker)
    c = as_user(worker)
    url = f"/api/v1/people/{person.pk}"
    r = c.post(f"{url}/status", {"status": "ended", "reason": "本人不再需要"}, content_type="application/json", **ZH)
    assert r.status_code == 422 and r.json()["errors"]["on"] == ["请填写日期。"]
    today = timezone.localdate().isoformat()
    r = c.post(
        f"{url}/status", {"status": "ended", "on": today, "reason": "本人不再需要"}, content_type="application/json"
    )
    assert r.status_code == 200 and r.json()["status"] == "ended" and r.json()["is_active"] is False
    assert c.get("/api/v1/people", {"status": "ended"}).json()["count"] == 1
    r = c.post(f"{url}/restore", {"reason": "重新申请"}, content_type="application/json")
    assert r.status_code == 200 and r.json()["status"] == "active" and r.json()["card"] == "red"
    assert c.get("/api/v1/people", {"card": "red"}).json()["count"] == 1


def test_a_station_lead_of_another_station_cannot_restore(tree: Any, worker: Any, as_user: Any) -> None:
    person = _resident(tree, worker)
    lifecycle.person_status_set(actor=worker, person=person, status="moved", on=timezone.localdate(), reason="x")
    lead_b = UserFactory(username="lead_b2", role="station_lead", unit=tree.station_b)
    r = as_user(lead_b).post(f"/api/v1/people/{person.pk}/restore", {"reason": "x"}, content_type="application/json")
    assert r.status_code == 404
    assert not Person.objects.get(pk=person.pk).is_active
