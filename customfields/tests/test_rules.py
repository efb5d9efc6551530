"""Custom fields beyond the walk of every target and kind: required and
optional, retired fields, district scoping, bad input, sensitive values,
the field app's offline form, the definitions' own pages and query counts."""

from __future__ import annotations

import datetime as dt
import io
import uuid
from typing import Any, cast

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from audit.models import AuditEvent
from customfields.models import CustomField, Kind
from customfields.services import custom_field_update
from customfields.tests.helpers import define
from customfields.values import clean_custom
from grading.models import Card, PersonGrade, Visit
from grading.tests.factories import graded
from orgs.models import Level
from people.models import Person
from people.tests.factories import PersonFactory
from tests.factories import UserFactory, unit
from tests.lists import assert_flat_queries

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


def _person_data(tree: Any, name: str = "李桂兰", **extra: Any) -> dict[str, Any]:
    return {"unit": tree.a1.pk, "name": name, "birth_date": "1948-05-01", "sex": "F", **extra}


def _cells(content: bytes) -> list[list[Any]]:
    wb = load_workbook(io.BytesIO(content), read_only=True)
    return [list(row) for ws in wb.worksheets for row in ws.iter_rows(values_only=True)]


def test_it_refuses_a_missing_required_value_in_the_form_and_saves_nothing(
    tree: Any, admin: Any, worker: Any, as_user: Any
) -> None:
    define(admin, "person", Kind.YESNO, code="lives_alone", label="是否独居", required=True)
    client = as_user(worker)
    refused = client.post(reverse("people:person_create"), _person_data(tree), **ZH)
    assert refused.status_code == 200
    assert "请填写是否独居" in refused.content.decode()
    assert not Person.objects.exists()
    saved = client.post(reverse("people:person_create"), _person_data(tree, custom_lives_alone="false"))
    assert saved.status_code == 302
    assert Person.objects.get().custom == {"lives_alone": False}


def test_it_saves_an_optional_field_left_empty_as_no_value(tree: Any, admin: Any, worker: Any, as_user: Any) -> None:
    define(admin, "person", Kind.NUMBER, code="income", label="月收入")
    assert as_user(worker).post(reverse("people:person_create"), _person_data(tree)).status_code == 302
    assert Person.objects.get().custom == {}


@pytest.mark.parametrize(
    ("kind", "value", "message"),
    [
        (Kind.NUMBER, "十二", "请填写数字"),
        (Kind.DATE, "2026-02-30", "请填写日期"),
        (Kind.CHOICE, "丁", "请从以下选项中选择：甲、乙、丙"),
        (Kind.YESNO, "也许", "请选择“是”或“否”"),
        (Kind.TEXT, "长" * 501, "不能超过 500 个字"),
    ],
)
def test_it_refuses_bad_input_of_each_kind_in_chinese(
    kind: str, value: str, message: str, tree: Any, admin: Any, worker: Any, as_user: Any
) -> None:
    field = define(admin, "person", kind)
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        clean_custom(target="person", unit=tree.a1, values={field.code: value})
    assert message in refused.value.message_dict[field.form_name][0]
    # the API answers the same message and saves nothing
    answer = as_user(worker).post(
        "/api/v1/people",
        {"unit_id": tree.a1.pk, "name": "张三", "birth_date": "1950-01-01", "sex": "M", "custom": {field.code: value}},
        content_type="application/json",
        **ZH,
    )
    assert answer.status_code == 422
    assert message in answer.json()["errors"][field.form_name][0]
    assert not Person.objects.exists()


def test_it_refuses_an_unknown_code_and_a_required_value_missing_through_the_api(
    tree: Any, admin: Any, worker: Any, as_user: Any
) -> None:
    define(admin, "person", Kind.TEXT, code="note", label="备注二", required=True)
    client = as_user(worker)
    base = {"unit_id": tree.a1.pk, "name": "张三", "birth_date": "1950-01-01", "sex": "M"}
    missing = client.post("/api/v1/people", base, content_type="application/json", **ZH)
    assert missing.status_code == 422 and "请填写备注二" in missing.json()["errors"]["custom_note"][0]
    unknown = client.post(
        "/api/v1/people", {**base, "custom": {"note": "x", "nope": 1}}, content_type="application/json"
    )
    assert unknown.status_code == 422 and "custom" in unknown.json()["errors"]
    assert not Person.objects.exists()


def test_it_merges_a_patch_over_the_stored_values(tree: Any, admin: Any, worker: Any, as_user: Any) -> None:
    define(admin, "person", Kind.TEXT, code="a", label="甲项")
    define(admin, "person", Kind.TEXT, code="b", label="乙项")
    person = cast(Person, PersonFactory(unit=tree.a1, custom={"a": "一", "b": "二"}))
    answer = as_user(worker).patch(
        f"/api/v1/people/{person.pk}", {"custom": {"b": "三"}}, content_type="application/json"
    )
    assert answer.status_code == 200, answer.content
    person.refresh_from_db()
    assert person.custom == {"a": "一", "b": "三"}
    event = AuditEvent.objects.filter(action="person.update").latest("pk")
    assert event.changes == {"custom.b": ["二", "三"]}


def test_a_retired_field_leaves_the_form_but_its_value_still_shows_and_stays(
    tree: Any, admin: Any, worker: Any, as_user: Any
) -> None:
    field = define(admin, "person", Kind.TEXT, code="old", label="旧字段")
    person = cast(Person, PersonFactory(unit=tree.a1, custom={"old": "保留的值"}))
    custom_field_update(actor=admin, field=field, code="old", label="旧字段", kind=Kind.TEXT, active=False)
    assert AuditEvent.objects.filter(action="customfields.field_retire").count() == 1
    client = as_user(worker)
    client.defaults.update(ZH)
    edit = reverse("people:person_edit", args=[person.pk])
    assert 'name="custom_old"' not in client.get(edit).content.decode()
    detail = client.get(reverse("people:person_detail", args=[person.pk])).content.decode()
    assert "旧字段" in detail and "保留的值" in detail and 'data-testid="custom-retired"' in detail
    header = _cells(client.get(reverse("people:person_list") + "?export=masked").content)[0]
    assert "旧字段（已停用）" in header
    saved = client.post(edit, {"unit": tree.a1.pk, "name": person.name, "birth_date": "1950-01-01", "sex": "F"})
    assert saved.status_code == 302
    person.refresh_from_db()
    assert person.custom == {"old": "保留的值"}
    with pytest.raises(ValidationError):
        clean_custom(target="person", unit=tree.a1, values={"old": "新值"}, before=person.custom)


def test_a_field_of_another_district_does_not_appear(tree: Any, admin: Any, worker: Any, as_user: Any) -> None:
    other = unit(Level.DISTRICT, None, "另一区", "350599000000")
    other_admin = UserFactory(username="admin_other", role="district_admin", unit=other)
    define(other_admin, "person", Kind.TEXT, code="elsewhere", label="别区字段")
    define(admin, "person", Kind.TEXT, code="here", label="本区字段")
    page = as_user(worker).get(reverse("people:person_create")).content.decode()
    assert "本区字段" in page and "别区字段" not in page
    listed = as_user(admin).get(reverse("customfields:field_list")).content.decode()
    assert "本区字段" in listed and "别区字段" not in listed
    theirs = CustomField.objects.get(code="elsewhere")
    assert as_user(admin).get(reverse("customfields:field_edit", args=[theirs.pk])).status_code == 404


def test_a_sensitive_value_is_masked_in_the_export_and_the_audit_log(
    tree: Any, admin: Any, lead: Any, worker: Any, as_user: Any
) -> None:
    define(admin, "person", Kind.TEXT, code="diagnosis", label="诊断", sensitive=True)
    client = as_user(worker)
    assert (
        client.post(reverse("people:person_create"), _person_data(tree, custom_diagnosis="糖尿病")).status_code == 302
    )
    rows = _cells(client.get(reverse("people:person_list") + "?export=masked").content)
    assert rows[1][rows[0].index("诊断")] == "***"
    unmasked = _cells(as_user(lead).get(reverse("people:person_list") + "?export=unmasked").content)
    assert unmasked[1][unmasked[0].index("诊断")] == "糖尿病"
    event = AuditEvent.objects.get(action="person.create")
    assert event.changes["custom.diagnosis"] == [None, "***"] and "糖尿病" not in str(event.changes)


def test_the_code_and_kind_stay_once_values_exist(tree: Any, admin: Any) -> None:
    field = define(admin, "visit", Kind.TEXT, code="bp", label="血压")
    custom_field_update(actor=admin, field=field, code="blood_pressure", label="血压", kind=Kind.TEXT)
    person = graded(tree.a1, Card.BLUE)
    Visit.objects.create(person=person, unit=tree.a1, visited_on=dt.date.today(), custom={"blood_pressure": "120/80"})
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        custom_field_update(actor=admin, field=field, code="bp2", label="血压", kind=Kind.TEXT)
    assert "代码和类型不能再改" in refused.value.message_dict["code"][0]
    with pytest.raises(ValidationError):
        custom_field_update(actor=admin, field=field, code="blood_pressure", label="血压", kind=Kind.NUMBER)
    field.refresh_from_db()
    assert field.code == "blood_pressure" and field.kind == Kind.TEXT


def test_the_offline_visit_form_draws_the_fields_and_the_queue_saves_them(
    tree: Any, admin: Any, worker: Any, as_user: Any
) -> None:
    define(admin, "visit", Kind.TEXT, code="blood_pressure", label="血压")
    define(admin, "visit", Kind.YESNO, code="fell", label="近期跌倒", required=True)
    client = as_user(worker)
    shell = client.get(reverse("fieldwork:app")).content.decode()
    assert 'name="custom_blood_pressure"' in shell and 'name="custom_fell"' in shell
    person = graded(tree.a1, Card.RED, responsible=worker)
    grade = PersonGrade.objects.get(person=person)
    data = {
        "_once": str(uuid.uuid4()),
        "person_id": person.pk,
        "mode": "home",
        "visited_on": dt.date.today().isoformat(),
        "known_visit": 0,
        "known_card": grade.card,
        "known_status": person.status,
        "custom_blood_pressure": "135/85",
    }
    refused = client.post(reverse("fieldwork:send"), data, **ZH)
    assert refused.status_code == 422 and "custom_fell" in refused.json()["errors"]
    assert not Visit.objects.exists()
    saved = client.post(reverse("fieldwork:send"), {**data, "custom_fell": "true"})
    assert saved.status_code == 201, saved.content
    assert Visit.objects.get().custom == {"blood_pressure": "135/85", "fell": True}


def test_only_the_district_administrator_manages_fields(
    tree: Any, admin: Any, lead: Any, worker: Any, as_user: Any
) -> None:
    for user in (lead, worker):
        assert as_user(user).get(reverse("customfields:field_list")).status_code == 403
        assert as_user(user).get(reverse("customfields:field_new")).status_code == 403
    client = as_user(admin)
    client.defaults.update(ZH)
    made = client.post(
        reverse("customfields:field_new"),
        {
            "target": "person",
            "label": "居住情况",
            "code": "living",
            "kind": "choice",
            "choices": "独居\n与子女同住\n",
            "order": 10,
        },
    )
    assert made.status_code == 302
    field = CustomField.objects.get(code="living")
    assert field.choices == ["独居", "与子女同住"] and field.district == tree.district
    bad = client.post(
        reverse("customfields:field_new"),
        {"target": "person", "label": "x", "code": "Bad code", "kind": "choice", "choices": "只有一个", "order": 1},
    )
    page = bad.content.decode()
    assert "代码须以小写英文字母开头" in page and "下拉选择至少需要两个选项" in page
    edit = client.get(reverse("customfields:field_edit", args=[field.pk])).content.decode()
    assert 'data-testid="record-history"' in edit and "新增自定义字段" in edit


def test_the_people_list_stays_flat_with_custom_fields(
    tree: Any, admin: Any, lead: Any, as_user: Any, settings: Any
) -> None:
    settings.LIST_PAGE_SIZES, settings.LIST_PAGE_SIZE = [50], 50
    for kind in Kind.values:
        define(admin, "person", kind)

    def add(k: int) -> None:
        for i in range(k):
            PersonFactory(unit=tree.a1, custom={"f_text": f"值{i}", "f_yesno": True})

    assert_flat_queries(as_user(lead), reverse("people:person_list") + "?custom_f_yesno=true", add)
