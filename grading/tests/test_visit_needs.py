"""Needs found on a visit: catalogue types ticked on the visit form (or sent
to the API) become need records of the visit, or nothing is saved at all."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone, translation

from audit.models import AuditEvent
from grading import services
from grading.models import Card, Visit
from grading.tests.factories import graded
from matching.models import Need, NeedType

pytestmark = pytest.mark.django_db


def _type(code: str) -> NeedType:
    return NeedType.objects.get(code=code)


def _counts() -> tuple[int, int, int]:
    return Visit.objects.count(), Need.objects.count(), AuditEvent.objects.count()


def test_it_makes_one_need_per_ticked_type_in_the_persons_community(tree: Any, worker: Any) -> None:
    person = graded(tree.a2, Card.RED)
    visit = services.visit_log(
        actor=worker,
        person=person,
        visited_on=timezone.localdate(),
        need_type_ids=[_type("meals").pk, _type("housekeeping").pk, _type("meals").pk],
        needs="  每天中午一顿，少盐  ",
    )
    needs = list(Need.objects.filter(visit=visit).order_by("need_type"))
    assert [n.need_type for n in needs] == ["housekeeping", "meals"]
    assert {n.unit for n in needs} == {tree.a2}  # the person's community, not the worker's station
    assert {n.domain.code for n in needs} == {"elderly"}
    assert all(n.source == "visit" and n.description == "每天中午一顿，少盐" and n.person == person for n in needs)
    assert visit.needs == "每天中午一顿，少盐"
    logged = AuditEvent.objects.get(action="visit.log")
    assert logged.changes["needs"] == [None, ["housekeeping", "meals"]]
    assert AuditEvent.objects.filter(action="need.create").count() == 2


def test_it_logs_a_visit_without_needs(tree: Any, worker: Any) -> None:
    visit = services.visit_log(actor=worker, person=graded(tree.a1), visited_on=timezone.localdate())
    assert not visit.needs_found.exists()


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        ({"need_type_ids": ["inactive"]}, "need_type_ids", "不在需求目录中或已停用"),
        ({"need_type_ids": [999_999]}, "need_type_ids", "不在需求目录中或已停用"),
        ({"need_type_ids": ["six"]}, "need_type_ids", "每次探访最多勾选 5 类需求"),
        ({"need_type_ids": ["meals"], "needs": "餐" * 1001}, "needs", "需求说明不能超过 1000 个字"),
        ({"needs": "助餐，每天中午"}, "need_type_ids", "请勾选这些说明对应的需求类型（也许是“助餐送餐”）"),
        ({"needs": "想要一台轮椅"}, "need_type_ids", "请勾选这些说明对应的需求类型。"),
    ],
)
def test_it_refuses_bad_needs_in_chinese_and_saves_nothing(
    tree: Any, worker: Any, kwargs: dict[str, Any], field: str, message: str
) -> None:
    person = graded(tree.a1, Card.RED)
    ids = kwargs.get("need_type_ids", [])
    if ids == ["inactive"]:
        NeedType.objects.filter(code="haircut").update(active=False)
        ids = [_type("meals").pk, _type("haircut").pk]
    elif ids == ["six"]:
        ids = list(NeedType.objects.values_list("pk", flat=True)[:6])
    elif ids == ["meals"]:
        ids = [_type("meals").pk]
    kwargs = {**kwargs, "need_type_ids": ids}
    before = _counts()
    with translation.override("zh-hans"), pytest.raises(ValidationError) as exc:
        services.visit_log(actor=worker, person=person, visited_on=timezone.localdate(), **kwargs)
    assert message in exc.value.message_dict[field][0]
    assert _counts() == before  # no visit without its needs, no need without its visit


@override_settings(LINLI_VISIT_MAX_NEEDS=2)
def test_it_reads_the_limit_of_needs_per_visit_from_settings(tree: Any, worker: Any) -> None:
    ids = list(NeedType.objects.values_list("pk", flat=True)[:3])
    with pytest.raises(ValidationError) as exc:
        services.visit_log(actor=worker, person=graded(tree.a1), visited_on=timezone.localdate(), need_type_ids=ids)
    assert "2" in exc.value.message_dict["need_type_ids"][0]


def test_it_refuses_a_visit_with_needs_outside_scope_and_saves_nothing(tree: Any, outsider: Any) -> None:
    person = graded(tree.a1)
    with pytest.raises(Http404):
        services.visit_log(
            actor=outsider, person=person, visited_on=timezone.localdate(), need_type_ids=[_type("meals").pk]
        )
    assert _counts()[:2] == (0, 0)


def test_it_rolls_the_visit_back_when_a_need_cannot_be_written(tree: Any, worker: Any, monkeypatch: Any) -> None:
    from matching import services as matching_services

    def broken(**kwargs: Any) -> Any:
        raise ValidationError({"domain": "boom"})

    monkeypatch.setattr(matching_services, "need_create", broken)
    before = _counts()
    with pytest.raises(ValidationError):
        services.visit_log(
            actor=worker, person=graded(tree.a1), visited_on=timezone.localdate(), need_type_ids=[_type("meals").pk]
        )
    assert _counts() == before


def test_it_offers_the_active_catalogue_grouped_by_domain_on_the_form(tree: Any, worker: Any, as_user: Any) -> None:
    NeedType.objects.filter(code="haircut").update(active=False)
    person = graded(tree.a1)
    html = as_user(worker).get(reverse("grading:visit_new", args=[person.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert 'type="checkbox" name="need_type_ids"' in html
    assert "助餐送餐" in html and "义务理发" not in html
    assert html.index("养老") < html.index("助餐送餐") < html.index("儿童") < html.index("课业辅导")


def test_it_logs_needs_from_the_form_and_explains_bad_input_in_chinese(tree: Any, worker: Any, as_user: Any) -> None:
    person = graded(tree.a1, Card.RED)
    client = as_user(worker)
    url = reverse("grading:visit_new", args=[person.pk])
    base = {"mode": "home", "visited_on": dt.date.today().isoformat()}
    NeedType.objects.filter(code="haircut").update(active=False)
    bad = client.post(
        url, {**base, "need_type_ids": [_type("haircut").pk], "needs": "理发"}, HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert "不在需求目录中或已停用" in bad.content.decode()
    long = client.post(url, {**base, "need_type_ids": [_type("meals").pk], "needs": "餐" * 1001})
    assert long.status_code == 200 and "1000" in long.content.decode()
    assert _counts()[:2] == (0, 0)
    ok = client.post(url, {**base, "need_type_ids": [_type("meals").pk], "needs": "每天中午"}, HTTP_HX_REQUEST="true")
    assert ok.status_code == 200
    need = Need.objects.get()
    assert (need.need_type, need.visit, need.description) == ("meals", Visit.objects.get(), "每天中午")
    file = client.get(reverse("grading:person", args=[person.pk])).content.decode()
    assert f'<a href="{reverse("matching:need_detail", args=[need.pk])}">助餐送餐</a>' in file


def test_api_takes_need_type_ids_and_answers_422_for_unknown_or_retired_ones(
    tree: Any, worker: Any, as_user: Any
) -> None:
    person = graded(tree.a1, Card.RED)
    client = as_user(worker)
    body = {"person_id": person.pk, "visited_on": dt.date.today().isoformat(), "needs": "每天中午"}
    NeedType.objects.filter(code="haircut").update(active=False)
    for ids in ([999_999], [_type("haircut").pk]):
        bad = client.post(
            "/api/v1/grading/visits",
            {**body, "need_type_ids": ids},
            content_type="application/json",
            HTTP_ACCEPT_LANGUAGE="zh-hans",
        )
        assert bad.status_code == 422
        assert "不在需求目录中或已停用" in bad.json()["errors"]["need_type_ids"][0]
    assert _counts()[:2] == (0, 0)
    ok = client.post(
        "/api/v1/grading/visits",
        {**body, "need_type_ids": [_type("meals").pk]},
        content_type="application/json",
    )
    assert ok.status_code == 201
    need = Need.objects.get()
    assert ok.json()["need_ids"] == [need.pk] and need.need_type == "meals"
    assert client.get("/api/v1/grading/visits").json()[0]["need_ids"] == [need.pk]
