"""Merging two files of the same resident (people/hygiene/merge.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse

from audit.actions import Action
from audit.models import AuditEvent
from casework.models import ActivitySignup, Case, GroupAttendance, GroupMember
from casework.services.activities import activity_create, activity_signup_add
from casework.services.groups import group_attendance_set, group_create, group_member_add, group_session_add
from casework.tests.factories import domain, open_case
from core import identity
from grading.models import Card, PersonGrade, Visit
from grading.services.visits import visit_log
from grading.tests.factories import graded
from matching.tests.factories import need_for
from people.hygiene import merge
from people.hygiene.dismiss import duplicate_dismiss
from people.models import Consent, DuplicateDismissal, Guardian, Household, Person, PersonStatus, Relation
from people.tests.factories import PersonFactory

SH = dt.timezone(dt.timedelta(hours=8))


def _with_id(person: Person, seq: int) -> Person:
    identity.store_id(person, identity.make_resident_id("350502", person.birth_date, seq, person.sex))
    person.save()
    return person


def _activity(actor, unit):
    start = dt.datetime(2026, 11, 21, 9, 0, tzinfo=SH)
    return activity_create(
        actor=actor,
        unit=unit,
        title="重阳敬老活动",
        domain=domain(),
        venue="社区活动中心",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=3),
        organiser="甲街道社工站",
    )


def _group(actor, unit):
    return group_create(
        actor=actor,
        unit=unit,
        name="长者互助小组",
        domain=domain(),
        goals="减少孤独感",
        start_on=dt.date(2026, 11, 1),
        scale_name="UCLA孤独量表",
        higher_is_better=False,
    )


def test_it_knows_how_to_carry_every_relation_to_a_person():
    """The guard: a new foreign key to Person must be looked at (plain
    re-point, or a rule of its own when it is unique per person)."""
    found = {merge.relation_label(fk) for fk in merge.reverse_relations() if not merge.is_set_link(fk)}
    unknown = found - merge.PLAIN - merge.SPECIAL
    assert not unknown, (
        f"new relations to Person: {sorted(unknown)}; add each to PLAIN (re-pointed as it is) or give it a rule "
        "in SPECIAL and relation_handlers() (people/hygiene/merge.py)"
    )
    gone = (merge.PLAIN | merge.SPECIAL) - found
    assert not gone, f"listed but no longer relations to Person: {sorted(gone)}"
    for fk in merge.reverse_relations():
        if merge.relation_label(fk) in merge.PLAIN:
            assert not merge._unique_with(fk), f"{merge.relation_label(fk)} is unique per person: it needs a rule"
    assert set(merge.relation_handlers()) == {merge.relation_label(fk) for fk in merge.reverse_relations()}


@pytest.mark.django_db
def test_it_moves_every_record_to_the_kept_file(tree, lead, worker):
    kept = graded(tree.a1, Card.GREEN, name="张三", last_visit_on=dt.date(2026, 10, 1))
    dup = graded(tree.a1, Card.RED, name="张三", last_visit_on=dt.date(2026, 11, 1), phone2="13900000001")
    _with_id(dup, 11)
    household = Household.objects.create(unit=tree.a1, address="幸福路1号", head=dup)
    dup.household, dup.relation = household, Relation.HEAD
    dup.save()
    visit_log(actor=worker, person=dup, visited_on=dt.date(2026, 11, 2), findings="好")
    visit_log(actor=worker, person=kept, visited_on=dt.date(2026, 11, 3), findings="好")
    case = open_case(worker, person=dup)
    need = need_for(tree.a1, person=dup)
    Consent.objects.create(person=dup, unit=tree.a1, purpose="服务", given_on=dt.date(2026, 1, 1), given_by="本人")
    Guardian.objects.create(person=dup, name="李四", relation="子")
    activity = _activity(worker, tree.station_a)
    activity_signup_add(actor=worker, activity=activity, person=kept)
    activity_signup_add(actor=worker, activity=activity, person=dup, attended=True)
    group = _group(worker, tree.station_a)
    m_kept = group_member_add(actor=worker, group=group, person=kept, joined_on=dt.date(2026, 11, 2))
    m_dup = group_member_add(actor=worker, group=group, person=dup, joined_on=dt.date(2026, 11, 1))
    s1 = group_session_add(actor=worker, group=group, date=dt.date(2026, 11, 5), topic="一")
    s2 = group_session_add(actor=worker, group=group, date=dt.date(2026, 11, 12), topic="二")
    group_attendance_set(actor=worker, session=s1, member_ids=[m_kept.pk, m_dup.pk])
    group_attendance_set(actor=worker, session=s2, member_ids=[m_dup.pk])
    other = PersonFactory(unit=tree.a1)
    duplicate_dismiss(actor=worker, first=dup, second=other)
    events = AuditEvent.objects.count()

    moved = merge.person_merge(actor=lead, kept=kept, merged=dup, take=["phone2", "household"])

    kept.refresh_from_db()
    dup.refresh_from_db()
    assert Visit.objects.filter(person=kept).count() == 2 and not Visit.objects.filter(person=dup).exists()
    assert Case.objects.get(pk=case.pk).person == kept
    need.refresh_from_db()
    assert need.person == kept
    assert kept.consents.count() == 1 and kept.guardians.count() == 1
    # One sign-up each: the clash folded, attended under either file is attended.
    signup = ActivitySignup.objects.get(activity=activity)
    assert signup.person == kept and signup.attended
    member = GroupMember.objects.get(group=group)
    assert member.pk == m_kept.pk and member.joined_on == dt.date(2026, 11, 1)
    assert GroupAttendance.objects.filter(member=member).count() == 2  # s1 once, s2 carried over
    # The card: the more urgent one, the later visit; one card left.
    grade = PersonGrade.objects.get(person=kept)
    assert not PersonGrade.objects.filter(person=dup).exists()
    assert grade.last_visit_on == dt.date(2026, 11, 3)
    # The household and its head, the ID, the chosen second phone.
    assert kept.household == household and kept.relation == Relation.HEAD
    assert Household.objects.get(pk=household.pk).head == kept
    assert kept.id_hash and identity.decrypt(kept.id_cipher).endswith(dup.id_tail or kept.id_tail)
    assert kept.phone2 == "13900000001"
    assert not DuplicateDismissal.objects.exists()
    # The tombstone.
    assert dup.merged_into == kept and dup.status == PersonStatus.MERGED and not dup.is_active
    assert dup.id_hash is None and not dup.id_cipher
    # One merge event, counts only, no ID number.
    event = AuditEvent.objects.filter(action=Action.PERSON_MERGE).get()
    assert event.target_id == str(kept.pk)
    assert "grading.Visit.person: 1" in event.note
    number = identity.decrypt(kept.id_cipher)
    assert number not in str(event.changes) and number not in event.note
    assert AuditEvent.objects.filter(action=Action.PERSON_MERGE).count() == 1
    assert AuditEvent.objects.count() > events
    assert moved["grading.Visit.person"] == 1 and moved["casework.ActivitySignup.person"] == 1


@pytest.mark.django_db
def test_it_refuses_two_files_with_different_resident_ids(tree, lead):
    a = _with_id(PersonFactory(unit=tree.a1, name="王五"), 21)
    b = _with_id(PersonFactory(unit=tree.a1, name="王五"), 23)
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError, match="身份证号不同"):
        merge.person_merge(actor=lead, kept=a, merged=b)
    b.refresh_from_db()
    assert b.merged_into is None and b.is_active and AuditEvent.objects.count() == events


@pytest.mark.django_db
def test_it_refuses_to_merge_a_file_with_itself(tree, lead):
    a = PersonFactory(unit=tree.a1)
    with pytest.raises(ValidationError, match="自身合并"):
        merge.person_merge(actor=lead, kept=a, merged=a)


@pytest.mark.django_db
def test_it_refuses_a_file_outside_the_leads_scope(tree, lead):
    a = PersonFactory(unit=tree.a1, name="赵六")
    b = PersonFactory(unit=tree.b1, name="赵六")
    with pytest.raises(Http404):
        merge.person_merge(actor=lead, kept=a, merged=b)
    assert Person.objects.get(pk=b.pk).merged_into is None


@pytest.mark.django_db
def test_it_refuses_workers_who_are_not_station_leads(tree, worker):
    a, b = PersonFactory(unit=tree.a1), PersonFactory(unit=tree.a1)
    with pytest.raises(PermissionDenied):
        merge.person_merge(actor=worker, kept=a, merged=b)


@pytest.mark.django_db
def test_it_refuses_a_file_already_merged(tree, lead):
    a, b, c = (PersonFactory(unit=tree.a1) for _ in range(3))
    merge.person_merge(actor=lead, kept=a, merged=b)
    with pytest.raises(ValidationError, match="已合并到另一份档案"):
        merge.person_merge(actor=lead, kept=c, merged=b)


@pytest.mark.django_db
def test_it_points_older_tombstones_at_the_new_kept_file(tree, lead):
    a, b, c = (PersonFactory(unit=tree.a1) for _ in range(3))
    merge.person_merge(actor=lead, kept=b, merged=c)
    merge.person_merge(actor=lead, kept=a, merged=b)
    assert Person.objects.get(pk=c.pk).merged_into_id == a.pk


@pytest.mark.django_db
def test_it_refuses_a_household_of_another_community(tree, lead):
    household = Household.objects.create(unit=tree.a2, address="幸福路9号")
    a = PersonFactory(unit=tree.a1)
    b = PersonFactory(unit=tree.a2, household=household, relation=Relation.SPOUSE)
    with pytest.raises(ValidationError):
        merge.person_merge(actor=lead, kept=a, merged=b, take=["household"])
    assert Person.objects.get(pk=b.pk).merged_into is None


@pytest.mark.django_db
def test_it_redirects_the_merged_files_links_and_hides_it(tree, lead, as_user):
    a = PersonFactory(unit=tree.a1, name="孙七")
    b = PersonFactory(unit=tree.a1, name="孙七")
    merge.person_merge(actor=lead, kept=a, merged=b)
    client = as_user(lead)
    response = client.get(reverse("people:person_detail", args=[b.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("people:person_detail", args=[a.pk])
    listed = client.get(reverse("people:person_list"), {"q": "孙七"}).content.decode()
    assert reverse("people:person_detail", args=[a.pk]) in listed
    assert reverse("people:person_detail", args=[b.pk]) not in listed


@pytest.mark.django_db
def test_it_keeps_the_visit_figures_right_after_a_merge(tree, lead, worker):
    from casework.selectors import person_times_breakdown, persons_served
    from contracts import rollup

    a = PersonFactory(unit=tree.a1, name="周八")
    b = PersonFactory(unit=tree.a2, name="周八")
    for day, who in ((2, a), (3, b), (4, b)):
        visit_log(actor=worker, person=who, visited_on=dt.date(2026, 11, day), findings="好")
    rollup.refresh("visits")
    span = (dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    visits_before = person_times_breakdown(lead, *span)["visits"]
    assert persons_served(lead, *span) == 2

    merge.person_merge(actor=lead, kept=a, merged=b)

    assert person_times_breakdown(lead, *span)["visits"] == visits_before == 3  # none lost, none twice
    assert persons_served(lead, *span) == 1  # one resident, counted once
    current = rollup.current("visits")
    assert current is not None  # the rollup still matches its records
    assert sum(r.visits for r in current.rows) == Visit.objects.count() == 3


@pytest.mark.django_db
def test_it_merges_through_the_page(tree, lead, as_user):
    a = PersonFactory(unit=tree.a1, name="吴九", phone="13800000011")
    b = PersonFactory(unit=tree.a1, name="吴九", phone="13800000022")
    client = as_user(lead)
    url = reverse("people:person_merge", args=[a.pk, b.pk])
    page = client.get(url).content.decode()
    assert "13800000022" in page and 'name="take_phone"' in page
    refused = client.post(url, {"take_phone": "merged"})  # the confirmation box not ticked
    assert refused.status_code == 200 and Person.objects.get(pk=b.pk).merged_into is None
    form = client.get(url).context["form"]
    once = form["_once"].value()
    done = client.post(url, {"take_phone": "merged", "confirm": "on", "_once": once})
    assert done.status_code == 302
    a.refresh_from_db()
    assert a.phone == "13800000022" and Person.objects.get(pk=b.pk).merged_into_id == a.pk


@pytest.mark.django_db
def test_it_shows_the_merge_page_to_station_leads_only(tree, lead, worker, outsider, as_user):
    a, b = PersonFactory(unit=tree.a1), PersonFactory(unit=tree.a1)
    url = reverse("people:person_merge", args=[a.pk, b.pk])
    assert as_user(worker).get(url).status_code == 403
    assert as_user(outsider).get(url).status_code in (403, 404)
    assert as_user(lead).get(url).status_code == 200
