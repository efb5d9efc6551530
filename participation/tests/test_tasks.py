"""Service tasks through the portal: an approved volunteer sees the open
tasks of their station (no resident's personal data), asks for one, staff
accept it into the task (first come) and the volunteer reports its hours."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from participation import applications
from participation.models import HoursReport, RequestKind, VolunteerRequest
from participation.tests.conftest import make_account, open_task, volunteer_of
from portal.tests.conftest import sign_in
from volunteering.models import ServiceRecord

pytestmark = pytest.mark.django_db


def _client(account):
    account.privacy_accepted_at = timezone.now()
    account.save()
    client = Client()
    sign_in(client, account.phone)
    return client


@pytest.fixture
def signed_in(account):
    return _client(account)


@pytest.fixture
def task(tree):
    from people.tests.factories import HouseholdFactory, PersonFactory

    household = HouseholdFactory(unit=tree.a1, address="幸福路18号")
    person = PersonFactory(unit=tree.a1, name="张秀英", phone="13912345678", household=household)
    return open_task(tree.a1, person=person)


def _ask(account, task):
    return applications.request_submit(account=account, kind=RequestKind.TASK, task=task)


def test_it_lists_open_tasks_own_community_and_skills_first_without_personal_data(signed_in, account, lead, tree, task):
    from volunteers.models import Skill

    volunteer = volunteer_of(account, lead, tree.a2)
    elsewhere = open_task(tree.a1, code="housekeeping")
    near = open_task(tree.a2, code="housekeeping")
    skilled_near = open_task(tree.a2, code="escort")
    volunteer.skills.set([Skill.objects.get(code="escort")])
    page = signed_in.get(reverse("participation_portal:tasks")).content.decode()
    order = [page.index(f'data-task="{t.pk}"') for t in (skilled_near, near, task, elsewhere)]
    assert order == sorted(order)
    assert "张秀英" not in page and "张" not in page.split("<h1>")[1]
    assert "13912345678" not in page and "幸福路" not in page
    home = signed_in.get(reverse("participation_portal:volunteer")).content.decode()
    assert 'data-entry="tasks"' in home


def test_it_sends_a_sign_up_that_waits_for_the_station(signed_in, account, lead, tree, task):
    volunteer_of(account, lead, tree.a1)
    response = signed_in.post(reverse("participation_portal:task_signup", args=[task.pk]), {})
    assert response.status_code == 302
    request = VolunteerRequest.objects.get(kind=RequestKind.TASK)
    assert request.status == "pending" and request.task == task
    task.refresh_from_db()
    assert task.volunteer_id is None
    page = signed_in.get(reverse("participation_portal:tasks")).content.decode()
    assert "待确认" in page.split(f'data-task="{task.pk}"')[1]


def test_it_gives_the_task_to_the_first_one_staff_accept(account, other_account, lead, tree, task):
    first = volunteer_of(account, lead, tree.a1)
    volunteer_of(other_account, lead, tree.a1)
    mine, theirs = _ask(account, task), _ask(other_account, task)
    applications.request_accept(actor=lead, request=mine)
    task.refresh_from_db()
    assert task.volunteer == first
    with translation.override("en"), pytest.raises(ValidationError, match="already has a volunteer"):
        applications.request_accept(actor=lead, request=theirs)
    theirs.refresh_from_db()
    assert theirs.status == "pending"
    applications.request_decline(actor=lead, request=theirs, reason="已有志愿者")
    theirs.refresh_from_db()
    assert theirs.status == "declined" and theirs.reason == "已有志愿者"


def test_it_refuses_the_accept_to_staff_of_another_station(account, lead, outsider, tree, task):
    volunteer_of(account, lead, tree.a1)
    request = _ask(account, task)
    with pytest.raises(Exception):  # noqa: B017 - the scoping refusal, whatever its class
        applications.request_accept(actor=outsider, request=request)
    task.refresh_from_db()
    assert task.volunteer_id is None


def test_it_takes_hours_only_for_own_tasks(signed_in, account, other_account, lead, tree, task):
    volunteer_of(account, lead, tree.a1)
    volunteer_of(other_account, lead, tree.a1)
    applications.request_accept(actor=lead, request=_ask(other_account, task))
    url = reverse("participation_portal:task_hours", args=[task.pk])
    assert signed_in.get(url).status_code == 404
    assert signed_in.post(url, {"hours": "2"}).status_code == 404
    mine = open_task(tree.a1)
    applications.request_accept(actor=lead, request=_ask(account, mine))
    page = signed_in.get(reverse("participation_portal:tasks")).content.decode()
    assert f'data-own-task="{mine.pk}"' in page and f'data-own-task="{task.pk}"' not in page
    response = signed_in.post(reverse("participation_portal:task_hours", args=[mine.pk]), {"hours": "2.5"})
    assert response.status_code == 302
    report = HoursReport.objects.get()
    assert report.status == "pending" and report.record.pending and str(report.hours) == "2.5"
    assert ServiceRecord.objects.get().source_id == str(mine.pk)


def test_it_hides_another_stations_task(signed_in, account, lead, tree):
    volunteer_of(account, lead, tree.a1)
    far = open_task(tree.b1)
    assert signed_in.post(reverse("participation_portal:task_signup", args=[far.pk]), {}).status_code == 404
    assert f'data-task="{far.pk}"' not in signed_in.get(reverse("participation_portal:tasks")).content.decode()


def test_it_shows_the_tasks_only_to_an_approved_volunteer(tree, task):
    client = _client(make_account(tree.station_a, "13800000009", "赵一"))
    assert client.get(reverse("participation_portal:tasks")).status_code == 404
    assert client.post(reverse("participation_portal:task_signup", args=[task.pk]), {}).status_code == 404
    assert not VolunteerRequest.objects.exists()


def test_it_refuses_a_staff_login(worker, task):
    client = Client()
    client.force_login(worker)
    assert client.get(reverse("participation_portal:tasks")).status_code in (302, 403)
