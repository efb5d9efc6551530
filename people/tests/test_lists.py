"""The residents list and the household files on the list toolkit: filters,
the bulk tag, exports with their audit row counts."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any, cast

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from audit.models import AuditEvent
from core import identity
from people import services
from people.models import CategoryType, Household, Person, PersonCategory
from people.tests.factories import HouseholdFactory, PersonFactory

pytestmark = pytest.mark.django_db
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


@pytest.fixture
def tag(admin: Any) -> CategoryType:
    return CategoryType.objects.create(name="楼栋长联系", code="local_contact", group="custom", sensitive=False)


def _listed(response: Any) -> set[int]:
    return {r["pk"] for r in response.context["lst"].rows}


def test_it_tags_the_selected_residents_once_each_and_audits_each(tree: Any, worker: Any, tag: Any, as_user: Any):
    a, b = cast(Person, PersonFactory(unit=tree.a1)), cast(Person, PersonFactory(unit=tree.a1))
    services.persons_tag(actor=worker, persons=PersonFactory._meta.model.objects.filter(pk=a.pk), tag=tag)
    r = as_user(worker).post(
        reverse("people:person_list"), {"bulk": "tag", "ids": [a.pk, b.pk], "tag-tag": tag.pk}, **ZH
    )
    assert r.status_code == 302
    assert PersonCategory.objects.filter(category=tag, person=a).count() == 1  # already held: left as it is
    assert PersonCategory.objects.filter(category=tag, person=b).count() == 1
    assert AuditEvent.objects.filter(action="person.tag").count() == 2
    listed = as_user(worker).get(reverse("people:person_list"), {"tag": tag.pk})
    assert _listed(listed) == {a.pk, b.pk}


def test_it_refuses_a_tag_without_a_choice_in_chinese_and_tags_no_one(tree: Any, worker: Any, tag: Any, as_user):
    p = cast(Person, PersonFactory(unit=tree.a1))
    c = as_user(worker)
    r = c.post(reverse("people:person_list"), {"bulk": "tag", "ids": [p.pk], "tag-tag": ""}, follow=True, **ZH)
    assert "这个字段是必填项" in r.content.decode()
    assert not PersonCategory.objects.filter(category=tag).exists()
    assert not AuditEvent.objects.filter(action="person.tag").exists()


def test_it_refuses_a_built_in_category_as_a_tag(tree: Any, worker: Any) -> None:
    from django.core.exceptions import ValidationError

    p = cast(Person, PersonFactory(unit=tree.a1))
    builtin = CategoryType.objects.get(code="elderly_alone")
    with pytest.raises(ValidationError):
        services.persons_tag(actor=worker, persons=PersonFactory._meta.model.objects.filter(pk=p.pk), tag=builtin)
    assert not PersonCategory.objects.exists()


def test_it_leaves_an_outsiders_residents_untagged(tree: Any, outsider: Any, tag: Any, as_user: Any) -> None:
    p = cast(Person, PersonFactory(unit=tree.a1))
    as_user(outsider).post(reverse("people:person_list"), {"bulk": "tag", "ids": [p.pk], "tag-tag": tag.pk})
    assert not PersonCategory.objects.filter(category=tag).exists()
    assert not AuditEvent.objects.filter(action="person.tag").exists()


def test_a_viewer_cannot_tag(tree: Any, viewer: Any, tag: Any, as_user: Any) -> None:
    p = cast(Person, PersonFactory(unit=tree.a1))
    r = as_user(viewer).post(reverse("people:person_list"), {"bulk": "tag", "ids": [p.pk], "tag-tag": tag.pk})
    assert r.status_code == 403
    assert not PersonCategory.objects.filter(category=tag).exists()


def test_it_exports_what_is_filtered_masked_with_the_row_count(tree: Any, worker: Any, lead: Any, as_user: Any):
    rid = identity.make_resident_id("350102", dt.date(1940, 3, 1), 123, "F")
    old = cast(Person, PersonFactory(unit=tree.a1, name="老人甲", birth_date=dt.date(1940, 3, 1), phone="13855551234"))
    identity.store_id(old, rid)
    old.save()
    PersonFactory(unit=tree.a1, name="孩子乙", birth_date=dt.date(2018, 1, 1))
    PersonFactory(unit=tree.b1, name="乙站的人")
    r = as_user(worker).get(reverse("people:person_list"), {"age_band": "80+", "export": "masked"})
    ws = load_workbook(io.BytesIO(r.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == "姓名" and [row[0] for row in rows[1:]] == ["老人甲"]
    cells = [str(v) for v in rows[1]]
    assert rid not in cells and identity.mask_id(rid) in cells and "138****1234" in cells
    event = AuditEvent.objects.get(action="person.export")
    assert event.changes["rows"] == 1 and event.changes["unmasked"] is False
    r = as_user(lead).get(reverse("people:person_list"), {"export": "unmasked"})
    cells = [str(v) for row in load_workbook(io.BytesIO(r.content)).active.iter_rows(values_only=True) for v in row]
    assert rid in cells and "乙站的人" not in cells
    assert AuditEvent.objects.get(action="person.export_unmasked").changes["rows"] == 2


def test_it_keeps_residents_who_left_care_off_the_list_unless_asked(tree: Any, worker: Any, as_user: Any) -> None:
    here = cast(Person, PersonFactory(unit=tree.a1))
    gone = cast(Person, PersonFactory(unit=tree.a1, status="moved", is_active=False))
    c = as_user(worker)
    assert _listed(c.get(reverse("people:person_list"))) == {here.pk}
    assert _listed(c.get(reverse("people:person_list"), {"status": "moved"})) == {gone.pk}
    assert _listed(c.get(reverse("people:person_list"), {"status": "bogus"})) == {here.pk}


def test_it_filters_households_by_community_and_address(tree: Any, worker: Any, lead: Any, as_user: Any) -> None:
    h1 = cast(Household, HouseholdFactory(unit=tree.a1, address="东街路1号"))
    h2 = cast(Household, HouseholdFactory(unit=tree.a2, address="西街路2号"))
    c = as_user(lead)
    assert _listed(c.get(reverse("people:household_list"))) == {h1.pk, h2.pk}
    assert _listed(c.get(reverse("people:household_list"), {"unit": tree.a2.pk})) == {h2.pk}
    assert _listed(c.get(reverse("people:household_list"), {"q": "东街"})) == {h1.pk}
    r = c.get(reverse("people:household_list"), {"export": "masked"})
    cells = [str(v) for row in load_workbook(io.BytesIO(r.content)).active.iter_rows(values_only=True) for v in row]
    assert "东街路1号" not in cells and identity.mask_address("东街路1号") in cells
    assert AuditEvent.objects.get(action="household.export").changes["rows"] == 2
