"""In a phone's browser: the field app's visit form, drawn offline, carries
the district's custom fields, and the queue sends them when the connection
returns; the resident form shows and saves one at phone width."""

from __future__ import annotations

from typing import Any

import pytest

from customfields.models import Kind
from customfields.tests.helpers import define
from grading.models import Card, Visit
from grading.tests.factories import graded
from people.models import Person
from tests.browser import PHONE, login_as
from tests.factories import PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.parametrize("page", [PHONE], indirect=True),
]


def test_a_custom_field_typed_offline_arrives_with_the_visit(page: Any, tree: Any, admin: Any, worker: Any) -> None:
    define(admin, "visit", Kind.TEXT, code="blood_pressure", label="血压")
    define(admin, "visit", Kind.YESNO, code="fell", label="近期跌倒")
    person = graded(tree.a1, Card.RED, responsible=worker, name="陈红梅")
    login_as(page, "worker_a", PASSWORD)
    page.goto("/field/")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    page.get_by_test_id(f"field-row-{person.pk}").wait_for()
    page.context.set_offline(True)
    page.reload()  # the shell and its form come from the phone
    page.get_by_test_id(f"open-{person.pk}").click()
    form = page.get_by_test_id("field-visit-form")
    form.wait_for()
    form.locator("input[name=custom_blood_pressure]").fill("135/85")
    form.locator("select[name=custom_fell]").select_option("true")
    page.get_by_test_id("field-save").click()
    page.get_by_test_id("queue").wait_for()
    assert not Visit.objects.filter(person=person).exists()
    page.context.set_offline(False)
    page.get_by_test_id("queue").wait_for(state="hidden")
    assert Visit.objects.get(person=person).custom == {"blood_pressure": "135/85", "fell": True}


def test_the_resident_form_saves_a_custom_field_at_phone_width(page: Any, tree: Any, admin: Any, worker: Any) -> None:
    define(admin, "person", Kind.YESNO, code="lonely_contact", label="是否独居老人联系人已登记", required=True)
    login_as(page, "worker_a", PASSWORD)
    page.goto("/people/new/")
    page.locator("select[name=unit]").select_option(str(tree.a1.pk))
    page.locator("input[name=name]").fill("林阿婆")
    page.locator("input[name=birth_date]").fill("1940-02-03")
    page.locator("select[name=sex]").select_option("F")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.locator("form.form button[type=submit]").click()
    page.get_by_text("请填写是否独居老人联系人已登记").wait_for()  # required: refused, nothing saved
    assert not Person.objects.exists()
    page.locator("select[name=custom_lonely_contact]").select_option("true")
    page.locator("form.form button[type=submit]").click()
    page.get_by_test_id("custom-value").wait_for()
    assert page.get_by_test_id("custom-value").inner_text() == "是"
    assert Person.objects.get().custom == {"lonely_contact": True}
