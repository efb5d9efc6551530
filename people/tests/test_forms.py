"""Bad input on every people form: a clear message in Chinese, nothing saved."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from people.models import CategoryType, Consent, Guardian, Household, PersonCategory
from people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


def _body(r) -> str:
    assert r.status_code == 200
    return r.content.decode()


def test_it_refuses_a_category_with_a_bad_grade(tree, worker, as_user):
    p = PersonFactory(unit=tree.a1)
    dis = CategoryType.objects.get(code="disability").pk
    body = _body(
        as_user(worker).post(
            reverse("people:category_add", args=[p.pk]),
            {"category": dis, "subtype": "physical", "start_date": "2024/1/5", "grade": 4, "end_date": "2023-01-01"},
            **ZH,
        )
    )
    assert "截止日期早于起始日期" in body and not PersonCategory.objects.exists()


def test_it_refuses_a_guardian_for_an_adult_and_a_bad_phone(tree, worker, as_user):
    adult = PersonFactory(unit=tree.a1, birth_date=dt.date(1980, 1, 1))
    body = _body(
        as_user(worker).post(
            reverse("people:guardian_add", args=[adult.pk]), {"name": "王某", "relation": "母亲", "phone": "1"}, **ZH
        )
    )
    assert "仅为未成年人登记监护人" in body and not Guardian.objects.exists()


def test_it_refuses_a_childs_consent_without_a_guardian_then_withdraws_one(tree, worker, as_user):
    child = PersonFactory(unit=tree.a1, birth_date=dt.date(2018, 1, 1))
    c = as_user(worker)
    url = reverse("people:consent_add", args=[child.pk])
    body = _body(c.post(url, {"purpose": "服务", "given_on": "2099-01-01", "given_by": "本人"}, **ZH))
    assert "日期不能晚于今天" in body
    body = _body(c.post(url, {"purpose": "服务", "given_on": "2026-01-05", "given_by": "本人"}, **ZH))
    assert "须由监护人同意" in body and not Consent.objects.exists()
    c.post(url, {"purpose": "服务", "given_on": "2026-01-05", "given_by": "王母", "by_guardian": "on"})
    consent = Consent.objects.get()
    r = c.post(reverse("people:consent_withdraw", args=[consent.pk]))
    consent.refresh_from_db()
    assert r.status_code == 302 and consent.withdrawn_on is not None
    assert AuditEvent.objects.filter(action="consent.withdraw").count() == 1


def test_it_refuses_a_household_without_address(tree, worker, as_user):
    body = _body(as_user(worker).post(reverse("people:household_create"), {"unit": tree.a1.pk, "address": " "}, **ZH))
    assert "这个字段是必填项" in body or "请填写地址" in body
    assert not Household.objects.exists()


def test_it_refuses_a_data_request_dated_in_the_future(tree, worker, as_user):
    p = PersonFactory(unit=tree.a1)
    body = _body(
        as_user(worker).post(
            reverse("people:data_request", args=[p.pk]), {"kind": "see", "received_on": "2099-01-01"}, **ZH
        )
    )
    assert "日期不能晚于今天" in body
    assert not p.data_requests.exists()


def test_it_refuses_a_person_in_a_station_instead_of_a_community(tree, worker, as_user):
    r = as_user(worker).post(
        reverse("people:person_create"),
        {"unit": tree.station_a.pk, "name": "张三", "sex": "F", "birth_date": "1950-01-01"},
        **ZH,
    )
    assert "选择一个有效的选项" in _body(r) or "请选择社区" in r.content.decode()
