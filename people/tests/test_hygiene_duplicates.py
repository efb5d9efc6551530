"""The duplicate finder and "not the same person" (people/hygiene/duplicates.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse

from audit.actions import Action
from audit.models import AuditEvent
from people.hygiene.dismiss import duplicate_dismiss
from people.hygiene.duplicates import duplicate_pairs
from people.models import DuplicateDismissal
from people.tests.factories import PersonFactory
from tests.lists import assert_flat_queries

pytestmark = pytest.mark.django_db


def _pairs(user):
    return {(p.first.pk, p.second.pk): p.rules for p in duplicate_pairs(user)}


def test_it_finds_the_same_name_and_birth_date(tree, worker):
    a = PersonFactory(unit=tree.a1, name="张三", birth_date=dt.date(1950, 1, 2))
    b = PersonFactory(unit=tree.a2, name="张 三", name_pinyin="zhangsan", birth_date=dt.date(1950, 1, 2))
    PersonFactory(unit=tree.a1, name="张三", birth_date=dt.date(1951, 1, 2))  # another birthday
    assert _pairs(worker) == {(a.pk, b.pk): ["name_birth"]}


def test_it_finds_the_same_phone_and_address_written_differently(tree, worker):
    a = PersonFactory(unit=tree.a1, name="李四", phone="13800001111", actual_address="幸福路 3号-201")
    b = PersonFactory(unit=tree.a1, name="陈思", phone="138 0000 1111", phone_tail="11110000831",
                      actual_address="幸福路3号201")  # fmt: skip
    PersonFactory(unit=tree.a1, phone="13800001111", actual_address="幸福路4号")  # another address
    assert _pairs(worker) == {(a.pk, b.pk): ["phone_address"]}


def test_it_names_every_rule_a_pair_matches(tree, worker):
    a = PersonFactory(unit=tree.a1, name="王五", phone="13800002222", actual_address="和平路1号")
    b = PersonFactory(unit=tree.a1, name="王五", phone="13800002222", actual_address="和平路1号")
    assert _pairs(worker) == {(a.pk, b.pk): ["name_birth", "phone_address"]}


def test_it_leaves_out_merged_and_anonymised_files(tree, worker):
    from django.utils import timezone

    a = PersonFactory(unit=tree.a1, name="赵六")
    PersonFactory(unit=tree.a1, name="赵六", merged_into=a, is_active=False)
    PersonFactory(unit=tree.a1, name="赵六", anonymised_at=timezone.now())
    assert _pairs(worker) == {}


def test_it_looks_within_the_users_scope_only(tree, worker, outsider, community_worker):
    PersonFactory(unit=tree.a1, name="孙七")
    PersonFactory(unit=tree.a2, name="孙七")
    PersonFactory(unit=tree.b1, name="孙七")  # station B's: no pair with A's
    assert len(_pairs(worker)) == 1
    assert _pairs(outsider) == {}
    assert _pairs(community_worker) == {}  # A1 holds one of them only


def test_it_keeps_a_dismissed_pair_dismissed(tree, worker, colleague):
    a = PersonFactory(unit=tree.a1, name="周八")
    b = PersonFactory(unit=tree.a1, name="周八")
    duplicate_dismiss(actor=worker, first=b, second=a)
    duplicate_dismiss(actor=colleague, first=a, second=b)  # again: nothing new
    assert _pairs(worker) == {} and _pairs(colleague) == {}
    assert DuplicateDismissal.objects.get().first_id == a.pk
    assert AuditEvent.objects.filter(action=Action.PERSON_DUPLICATE_DISMISS).count() == 1
    c = PersonFactory(unit=tree.a1, name="周八")  # a third file is a new question
    assert set(_pairs(worker)) == {(a.pk, c.pk), (b.pk, c.pk)}


def test_it_refuses_to_dismiss_outside_scope_or_one_file(tree, worker):
    a = PersonFactory(unit=tree.a1, name="吴九")
    b = PersonFactory(unit=tree.b1, name="吴九")
    with pytest.raises(Http404):
        duplicate_dismiss(actor=worker, first=a, second=b)
    with pytest.raises(ValidationError):
        duplicate_dismiss(actor=worker, first=a, second=a)
    assert not DuplicateDismissal.objects.exists()


def test_it_dismisses_through_the_page(tree, worker, outsider, as_user):
    a = PersonFactory(unit=tree.a1, name="郑十")
    b = PersonFactory(unit=tree.a1, name="郑十")
    client = as_user(worker)
    listed = client.get(reverse("people:duplicate_list")).content.decode()
    url = reverse("people:duplicate_dismiss", args=[a.pk, b.pk])
    assert url in listed and "same name and birth date" not in listed  # shown in Chinese
    assert as_user(outsider).get(url).status_code == 404
    once = client.get(url).context["form"]["_once"].value()
    assert client.post(url, {"confirm": "on", "_once": once}).status_code == 302
    assert url not in client.get(reverse("people:duplicate_list")).content.decode()


def test_it_finds_duplicates_with_a_fixed_number_of_queries(tree, lead, as_user):
    made = [0]

    def add(k):
        for _ in range(k):
            made[0] += 1
            n = made[0]
            PersonFactory(unit=tree.a1, name=f"测{n}", birth_date=dt.date(1950, 1, 1) + dt.timedelta(days=n))
            PersonFactory(unit=tree.a2, name=f"测{n}", birth_date=dt.date(1950, 1, 1) + dt.timedelta(days=n))
            PersonFactory(unit=tree.a1, phone=f"1390000{n:04d}", actual_address=f"路{n}号")
            PersonFactory(unit=tree.a2, phone=f"1390000{n:04d}", actual_address=f"路{n}号")

    assert_flat_queries(as_user(lead), reverse("people:duplicate_list"), add)


def test_it_seeds_two_demo_pairs_once(tree):
    from core.demo import DemoContext
    from orgs.demo import seed as seed_orgs
    from people.demo import seed as seed_people
    from people.hygiene.demo import seed as seed_duplicates
    from tests.factories import UserFactory

    ctx = DemoContext()
    for seed in (seed_orgs, seed_people, seed_duplicates, seed_duplicates):
        seed(ctx)
    district = ctx.data["communities"][0].parent.parent
    admin = UserFactory(unit=district, role="district_admin")
    marked = [p for p in duplicate_pairs(admin) if "演示" in p.first.notes + p.second.notes]
    assert len(marked) == 2
