"""A small station A scene for the printed forms, and one record of each kind
in station B that no print of station A may show."""

from __future__ import annotations

import datetime as dt
import subprocess
from dataclasses import dataclass
from typing import Any, cast
from zoneinfo import ZoneInfo

import pytest
import time_machine

from casework.models import Activity, ActivitySignIn, ActivitySignup
from casework.tests.factories import case_in_intervention, domain, open_case
from core import identity
from grading.models import Visit
from people.models import Consent, Guardian, Household, Person
from people.tests.factories import HouseholdFactory, PersonFactory, person_with_category
from volunteers.models import Volunteer
from volunteers.tests.factories import VolunteerFactory
from workrecords.models import JointMeeting, Supervision

NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
HEAD_ID = identity.make_resident_id("350502", dt.date(1948, 5, 6), 123, "F")
CHILD_ID = identity.make_resident_id("350502", dt.date(2018, 4, 2), 456, "M")


def pdf_text(content: bytes) -> str:
    assert content.startswith(b"%PDF")
    done = subprocess.run(["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True)
    return done.stdout.decode()


def pdf_pages(content: bytes) -> int:
    done = subprocess.run(["pdfinfo", "-"], input=content, capture_output=True, check=True)
    line = next(x for x in done.stdout.decode().splitlines() if x.startswith("Pages:"))
    return int(line.split()[1])


@dataclass
class Scene:
    household: Household
    head: Person
    child: Person
    case: Any
    child_case: Any
    activity: Activity
    joint: JointMeeting
    supervision: Supervision
    other: dict[str, Any]


@pytest.fixture
def frozen() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield NOW


@pytest.fixture
def scene(tree: Any, worker: Any, lead: Any, frozen: Any) -> Scene:
    from orgs.models import OperatingAgency

    agency = OperatingAgency.objects.create(unit=tree.station_a, name="鲤城区乐善社工服务中心")
    tree.station_a.agency = agency
    tree.station_a.save()
    hh = cast(Household, HouseholdFactory(unit=tree.a1, address="东街路12号3单元401"))
    head = person_with_category(
        tree.a1,
        "dibao",
        name="林秀英",
        household=hh,
        relation="head",
        phone="13855551234",
        birth_date=dt.date(1948, 5, 6),
    )
    identity.store_id(head, HEAD_ID)
    head.save()
    hh.head = head
    hh.save()
    child = cast(
        Person,
        PersonFactory(
            unit=tree.a1, name="林小宝", household=hh, relation="grandchild", sex="M", birth_date=dt.date(2018, 4, 2)
        ),
    )
    identity.store_id(child, CHILD_ID)
    child.save()
    Guardian.objects.create(person=child, name="林建国", relation="父亲", phone="13900001111")
    Consent.objects.create(
        person=head, unit=tree.a1, purpose="入户探访与个案服务", given_on="2026-01-05", given_by="林秀英"
    )
    Visit.objects.create(
        person=head, unit=tree.a1, visited_on=dt.date(2026, 11, 10), visitor=worker, findings="一切安好"
    )
    case = case_in_intervention(worker, lead, person=head, title="独居老人情绪低落", opened_on=dt.date(2026, 11, 2))
    case.planned_services.update(responsible_kind="family", responsible_name="林建国", due_on=dt.date(2026, 12, 31))
    case.plan_agreed_by = "林秀英、林建国"
    case.plan_agreed_on = dt.date(2026, 11, 6)
    case.save()
    child_case = open_case(
        worker, person=child, domain=domain("children"), title="留守儿童学业辅导", opened_on=dt.date(2026, 11, 5)
    )
    start = dt.datetime(2026, 11, 20, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    activity = Activity.objects.create(
        unit=tree.a1,
        title="重阳敬老茶话会",
        domain=domain(),
        venue="甲一社区活动室",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        organiser="甲街道社工站",
        person_in_charge=worker,
    )
    ActivitySignup.objects.create(activity=activity, person=head, attended=True)
    ActivitySignup.objects.create(activity=activity, person=child, attended=True)
    volunteer = cast(Volunteer, VolunteerFactory(unit=tree.a1, name="陈志愿", phone="13766667777"))
    ActivitySignup.objects.create(activity=activity, volunteer=volunteer)
    ActivitySignIn.objects.create(activity=activity, kind="guest", name="王来宾", phone_digest="x" * 64)
    joint = JointMeeting.objects.create(
        unit=tree.station_a,
        date=dt.date(2026, 11, 12),
        participants="街道办、民政所、各社区",
        topics="第四季度困难群众帮扶",
        resolutions="建立联络群",
        recorded_by=worker,
    )
    supervision = Supervision.objects.create(
        unit=tree.station_a,
        date=dt.date(2026, 11, 18),
        supervisor="郑督导",
        topics="个案记录规范",
        follow_ups="下月复查",
        recorded_by=worker,
    )
    # Station B: same month, same kinds, never in station A's prints.
    hh_b = cast(Household, HouseholdFactory(unit=tree.b1, address="乙路9号"))
    person_b = cast(Person, PersonFactory(unit=tree.b1, name="乙居民", household=hh_b))
    other = {
        "household": hh_b,
        "joint": JointMeeting.objects.create(
            unit=tree.station_b, date=dt.date(2026, 11, 12), participants="乙单位", topics="乙议题"
        ),
        "supervision": Supervision.objects.create(
            unit=tree.station_b, date=dt.date(2026, 11, 3), supervisor="乙督导", topics="乙内容"
        ),
        "person": person_b,
    }
    return Scene(hh, head, child, case, child_case, activity, joint, supervision, other)
