"""Handing a leaving worker's recipients and cases on (people/hygiene/reassign.py)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse

from audit.actions import Action
from audit.models import AuditEvent
from casework.models import Case, CaseTransition
from casework.tests.factories import open_case
from grading.models import Card, CommunityResponsible, PersonGrade
from grading.tests.factories import graded
from notifications.models import Notification
from people.hygiene.reassign import workload_reassign
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def load(tree, worker):
    recipients = [graded(tree.a1, Card.RED, responsible=worker) for _ in range(3)]
    cases = [open_case(worker, person=p) for p in recipients[:2]]
    CommunityResponsible.objects.create(unit=tree.a1, worker=worker)
    return recipients, cases


def _grades(worker):
    return list(PersonGrade.objects.filter(responsible=worker).values_list("pk", flat=True))


def test_it_hands_everything_on_in_one_event_and_tells_the_new_worker_once(tree, lead, worker, colleague, load):
    _recipients, cases = load
    moved = workload_reassign(
        actor=lead,
        leaving=worker,
        to_worker=colleague,
        grade_ids=_grades(worker),
        case_ids=[c.pk for c in cases],
        reason="调岗",
    )
    assert moved == {"recipients": 3, "cases": 2, "communities": 1, "stations": 0}
    assert PersonGrade.objects.filter(responsible=colleague).count() == 3
    assert Case.objects.filter(worker=colleague).count() == 2
    assert CommunityResponsible.objects.get(unit=tree.a1).worker == colleague
    assert CaseTransition.objects.filter(action="transfer").count() == 2
    assert AuditEvent.objects.filter(action=Action.PERSON_WORKLOAD_REASSIGN).count() == 1
    assert Notification.objects.filter(user=colleague).count() == 1


def test_it_moves_only_what_is_ticked(tree, lead, worker, colleague, load):
    recipients, _cases = load
    first = PersonGrade.objects.get(person=recipients[0])
    workload_reassign(actor=lead, leaving=worker, to_worker=colleague, grade_ids=[first.pk], case_ids=[], reason="调岗")
    assert PersonGrade.objects.filter(responsible=worker).count() == 2
    assert Case.objects.filter(worker=worker).count() == 2


def test_it_refuses_a_worker_outside_scope_or_switched_off(tree, lead, worker, outsider, load):
    events = AuditEvent.objects.count()
    with pytest.raises(Http404):
        workload_reassign(
            actor=lead, leaving=worker, to_worker=outsider, grade_ids=_grades(worker), case_ids=[], reason="x"
        )
    off = UserFactory(unit=tree.station_a, role="social_worker", is_active=False)
    with pytest.raises(ValidationError, match="已停用"):
        workload_reassign(actor=lead, leaving=worker, to_worker=off, grade_ids=_grades(worker), case_ids=[], reason="x")
    far = UserFactory(unit=tree.a2, role="community_worker")  # A2's worker for A1's residents
    with pytest.raises(ValidationError, match="不负责"):
        workload_reassign(actor=lead, leaving=worker, to_worker=far, grade_ids=_grades(worker), case_ids=[], reason="x")
    assert PersonGrade.objects.filter(responsible=worker).count() == 3
    assert AuditEvent.objects.count() == events


def test_it_refuses_no_reason_nothing_ticked_and_workers_who_are_not_leads(tree, lead, worker, colleague, load):
    with pytest.raises(ValidationError):
        workload_reassign(
            actor=lead, leaving=worker, to_worker=colleague, grade_ids=_grades(worker), case_ids=[], reason=" "
        )
    with pytest.raises(ValidationError):
        workload_reassign(
            actor=lead, leaving=worker, to_worker=colleague, grade_ids=[], case_ids=[], reason="x", designated=False
        )
    with pytest.raises(PermissionDenied):
        workload_reassign(
            actor=colleague, leaving=worker, to_worker=colleague, grade_ids=_grades(worker), case_ids=[], reason="x"
        )


def test_it_reassigns_through_the_page(tree, lead, worker, colleague, outsider, load, as_user):
    client = as_user(lead)
    listing = client.get(reverse("people:workload_staff")).content.decode()
    url = reverse("people:workload_reassign", args=[worker.pk])
    assert url in listing
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["form"]
    data = {
        "to_worker": colleague.pk,
        "recipients": _grades(worker),
        "cases": [c.pk for c in load[1]],
        "designated": "on",
        "reason": "离职",
        "_once": form["_once"].value(),
    }
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302  # sent twice: done once
    assert PersonGrade.objects.filter(responsible=colleague).count() == 3
    assert AuditEvent.objects.filter(action=Action.PERSON_WORKLOAD_REASSIGN).count() == 1
    assert as_user(worker).get(url).status_code == 403
    assert as_user(UserFactory(unit=tree.station_b, role="station_lead")).get(url).status_code == 404
