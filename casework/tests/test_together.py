"""五社联动 together on a case (issue 15): the case conference and its
decisions, the multi-party plan, referrals to partners with their answer
link, overdue answers, referrals received from partners."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from audit.models import AuditEvent
from casework import referral_link
from casework.models import CaseConference, CaseGoal, PlannedService, Referral
from casework.reminders import is_overdue, overdue, referrals_overdue, todo
from casework.services import (
    case_goal_add,
    case_move,
    case_plan_agree,
    conference_create,
    inbound_referral_record,
    referral_answer,
    referral_create,
    referral_link_issue,
)
from casework.services.together import Decision
from casework.tests.factories import case_in_intervention, domain, open_case
from core.todo import TodoContext
from notifications.models import Notification
from partners.models import CommunityOrganisation
from partners.tests.factories import CommunityOrganisationFactory, EnterpriseFactory
from people.tests.factories import HouseholdFactory, PersonFactory
from tests.factories import UserFactory
from tests.lists import assert_flat_queries
from volunteers.tests.factories import VolunteerFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]
TODAY = dt.date(2026, 11, 23)


@pytest.fixture(autouse=True)
def _fresh_limits() -> Iterator[None]:
    cache.clear()  # the answer page's per-address limit
    with translation.override("en"):  # the services' messages, read in English below
        yield


def _planning(worker: Any, tree: Any, **kw: Any) -> Any:
    case = open_case(worker, unit=tree.a1, **kw)
    case_move(actor=worker, case=case, action="assess")
    return case_move(actor=worker, case=case, action="draft_plan")


def _conference(worker: Any, case: Any, decisions: list[Decision], **kw: Any) -> CaseConference:
    args: dict[str, Any] = {"date": TODAY, "discussion": "共同研讨：家庭照护与康复"}
    args.update(kw)
    return conference_create(actor=worker, case=case, decisions=decisions, **args)


# ---------------------------------------------------------------- the case conference


def test_it_puts_a_conferences_decisions_on_the_plan_in_one_step(tree, worker):
    case = _planning(worker, tree)
    org = CommunityOrganisationFactory(unit=tree.station_a, name="邻里互助会")
    volunteer = VolunteerFactory(unit=tree.a1, name="王志愿")
    conference = _conference(
        worker,
        case,
        [
            Decision("goal", "每周外出社交一次", party=f"org:{org.pk}", due_on=dt.date(2026, 12, 31)),
            Decision("goal", "按时服药", party="family", family_name="女儿 李梅"),
            Decision("service", "每周上门探访", party=f"vol:{volunteer.pk}", frequency="每周"),
        ],
        organisations=[org],
        resident_attended=True,
    )
    goals = list(CaseGoal.objects.filter(case=case).order_by("id"))
    assert [g.text for g in goals] == ["每周外出社交一次", "按时服药"]
    assert goals[0].conference == conference and goals[0].responsible_organisation == org
    assert goals[0].responsible_kind == "partner" and goals[0].due_on == dt.date(2026, 12, 31)
    assert goals[1].responsible_kind == "family" and goals[1].responsible == "女儿 李梅"
    service = PlannedService.objects.get(case=case)
    assert service.responsible_volunteer == volunteer and service.conference == conference
    assert list(conference.organisations.all()) == [org]
    event = AuditEvent.objects.get(action="case.conference_create")
    assert event.changes["goals"] == [None, 2] and event.changes["planned_services"] == [None, 1]


def test_it_refuses_the_whole_conference_for_one_bad_decision_row(tree, worker):
    case = _planning(worker, tree)
    with translation.override("zh-hans"), pytest.raises(ValidationError) as exc:
        _conference(
            worker,
            case,
            [
                Decision("goal", "每周外出社交一次"),
                Decision("goal", "   "),
                Decision("goal", "x", due_on=TODAY - dt.timedelta(days=1)),
            ],
        )
    messages = exc.value.message_dict["__all__"]
    assert len(messages) == 2 and "2" in messages[0] and "3" in messages[1]
    assert not CaseConference.objects.exists() and not CaseGoal.objects.exists()


def test_it_refuses_a_responsible_party_outside_the_workers_scope(tree, worker):
    case = _planning(worker, tree)
    org_b = CommunityOrganisationFactory(unit=tree.station_b)
    staff_b = UserFactory(username="sw_b", role="social_worker", unit=tree.station_b)
    volunteer_b = VolunteerFactory(unit=tree.b1)
    for party in (f"org:{org_b.pk}", f"user:{staff_b.pk}", f"vol:{volunteer_b.pk}", "ent:999999", "nonsense"):
        with pytest.raises(ValidationError) as exc:
            _conference(worker, case, [Decision("goal", "康复训练", party=party)])
        assert "Decision 1" in exc.value.message_dict["__all__"][0]
    with pytest.raises(ValidationError) as exc:
        _conference(worker, case, [Decision("goal", "康复训练", party="family")])  # a family member needs a name
    assert not CaseGoal.objects.exists()


def test_it_refuses_participants_who_do_not_belong(tree, worker):
    household = HouseholdFactory(unit=tree.a1)
    resident = PersonFactory(unit=tree.a1, household=household)
    daughter = PersonFactory(unit=tree.a1, household=household)
    stranger = PersonFactory(unit=tree.a1)
    case = _planning(worker, tree, person=resident)
    with pytest.raises(ValidationError) as exc:
        _conference(
            worker,
            case,
            [],
            family_members=[stranger],
            staff=[UserFactory(username="sw_b2", role="social_worker", unit=tree.station_b)],
            organisations=[CommunityOrganisationFactory(unit=tree.station_b)],
            enterprises=[EnterpriseFactory(unit=tree.station_b)],
        )
    assert set(exc.value.message_dict) == {"family_members", "staff", "organisations", "enterprises"}
    conference = _conference(worker, case, [], family_members=[daughter], staff=[worker])
    assert list(conference.family_members.all()) == [daughter]


def test_it_keeps_a_plan_awaiting_approval_as_submitted(tree, worker, lead):
    case = _planning(worker, tree)
    case_goal_add(actor=worker, case=case, text="目标一")
    case = case_move(actor=worker, case=case, action="submit_plan")
    with pytest.raises(ValidationError) as exc:
        _conference(worker, case, [Decision("goal", "新目标")])
    assert "awaits approval" in exc.value.messages[0]
    with pytest.raises(ValidationError):
        case_goal_add(actor=worker, case=case, text="新目标")
    _conference(worker, case, [])  # a conference without decisions is still recorded


def test_it_records_an_addition_to_an_approved_plan_in_the_history(tree, worker, lead):
    case = case_in_intervention(worker, lead, unit=tree.a1)
    _conference(worker, case, [Decision("goal", "新目标"), Decision("service", "新服务")])
    amend = case.transitions.get(action="plan_amend")
    assert "2" in amend.comment and amend.actor == worker


def test_it_lets_only_the_case_team_hold_a_conference(tree, worker, colleague, outsider):
    case = _planning(worker, tree)
    with pytest.raises(PermissionDenied):
        _conference(colleague, case, [])
    with pytest.raises(Exception):  # noqa: B017  (out of scope: 404 from require_unit_in_scope)
        _conference(outsider, case, [])


def test_it_records_who_agreed_to_the_plan(tree, worker):
    case = _planning(worker, tree)
    with pytest.raises(ValidationError):  # no goal yet
        case_plan_agree(actor=worker, case=case, agreed_by="本人、女儿", agreed_on=TODAY)
    case_goal_add(actor=worker, case=case, text="目标一")
    with pytest.raises(ValidationError) as exc:
        case_plan_agree(actor=worker, case=case, agreed_by=" ", agreed_on=TODAY + dt.timedelta(days=1))
    assert set(exc.value.message_dict) == {"agreed_by", "agreed_on"}
    case_plan_agree(actor=worker, case=case, agreed_by="本人、女儿、邻里互助会", agreed_on=TODAY)
    case.refresh_from_db()
    assert case.plan_agreed_by == "本人、女儿、邻里互助会" and case.plan_agreed_on == TODAY


# ---------------------------------------------------------------- referrals to partners


def _referral(worker: Any, case: Any, partner: Any = None, **kw: Any) -> Referral:
    args: dict[str, Any] = {
        "reason": "需要康复评估",
        "asked": "请安排康复科门诊",
        "referred_on": TODAY,
        "consent_on": TODAY,
        "consent_method": "written",
    }
    args.update(kw)
    return referral_create(actor=worker, case=case, partner=partner, **args)


def test_it_refers_to_a_registry_partner_or_a_new_one(tree, worker):
    case = open_case(worker, unit=tree.a1)
    hospital = EnterpriseFactory(unit=tree.station_a, name="社区康复医院")
    referral = _referral(worker, case, hospital)
    assert referral.partner_enterprise == hospital and referral.organisation == "社区康复医院"
    new = _referral(worker, case, new_partner_name="街道残疾人之家")
    created = CommunityOrganisation.objects.get(name="街道残疾人之家")
    assert new.partner_organisation == created and created.unit == tree.station_a
    assert AuditEvent.objects.filter(action="organisation.create").exists()
    with pytest.raises(ValidationError) as exc:
        _referral(worker, case, EnterpriseFactory(unit=tree.station_b))
    assert "partner" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        _referral(worker, case)
    assert "partner" in exc.value.message_dict


def _linked(worker: Any, tree: Any) -> tuple[Referral, str]:
    case = open_case(worker, unit=tree.a1, person=PersonFactory(unit=tree.a1, name="张秀英", id_tail="9731"))
    referral = _referral(worker, case, EnterpriseFactory(unit=tree.station_a, name="社区康复医院"))
    return referral, referral_link_issue(actor=worker, referral=referral)


def test_it_keeps_only_the_digest_of_an_answer_link(tree, worker):
    referral, token = _linked(worker, tree)
    referral.refresh_from_db()
    assert referral.link_digest == referral_link.digest(token) and token not in referral.link_digest
    assert referral.link_expires_at == timezone.now() + dt.timedelta(days=14)
    assert token not in str(AuditEvent.objects.filter(action="referral.link_issue").values_list("changes", "note"))


def test_it_takes_one_answer_per_link(tree, worker):
    referral, token = _linked(worker, tree)
    done = referral_answer(token=token, answer="accept", answered_by="康复科 刘医生", feedback="下周一门诊评估")
    assert done.status == "accepted" and done.answered_by == "康复科 刘医生" and "下周一门诊评估" in done.feedback
    with pytest.raises(ValidationError) as exc:
        referral_answer(token=token, answer="done", answered_by="刘医生", feedback="已评估")
    assert "already been used" in exc.value.messages[0]
    event = AuditEvent.objects.get(action="referral.answer")
    assert event.actor is None and event.target_id == str(referral.pk)
    # A new link for the later answer: what was done completes the referral and adds to the feedback.
    later = referral_link_issue(actor=worker, referral=done)
    completed = referral_answer(token=later, answer="done", answered_by="刘医生", feedback="已完成康复评估")
    assert completed.status == "completed" and "下周一门诊评估" in completed.feedback
    assert "已完成康复评估" in completed.feedback
    with pytest.raises(ValidationError):
        referral_link_issue(actor=worker, referral=completed)  # closed: nothing more to answer


def test_it_refuses_an_expired_tampered_or_replaced_link(tree, worker):
    referral, token = _linked(worker, tree)
    assert referral_link.open_link(token[:-2] + "xx").refusal == referral_link.Refusal.BROKEN
    assert referral_link.open_link("").refusal == referral_link.Refusal.BROKEN
    with time_machine.travel(timezone.now() + dt.timedelta(days=14, seconds=1), tick=False):
        with pytest.raises(ValidationError) as exc:
            referral_answer(token=token, answer="accept", answered_by="刘医生")
        assert "expired" in exc.value.messages[0]
    newer = referral_link_issue(actor=worker, referral=referral)
    assert referral_link.open_link(token).refusal == referral_link.Refusal.BROKEN
    assert referral_link.open_link(newer).refusal is None


def test_it_asks_the_reason_of_a_decline_and_what_was_done(tree, worker):
    _referral, token = _linked(worker, tree)
    with pytest.raises(ValidationError) as exc:
        referral_answer(token=token, answer="decline", answered_by="")
    assert set(exc.value.message_dict) == {"reason", "answered_by"}
    with pytest.raises(ValidationError) as exc:
        referral_answer(token=token, answer="done", answered_by="刘医生")
    assert set(exc.value.message_dict) == {"feedback"}
    declined = referral_answer(token=token, answer="decline", answered_by="刘医生", reason="床位已满")
    assert declined.status == "declined" and declined.decline_reason == "床位已满"


def test_it_issues_a_link_only_to_the_case_team(tree, worker, colleague):
    referral, _token = _linked(worker, tree)
    with pytest.raises(PermissionDenied):
        referral_link_issue(actor=colleague, referral=referral)


# ---------------------------------------------------------------- the public answer page


def test_it_shows_the_partner_only_the_minimum_and_takes_its_answer(tree, worker, client):
    referral, token = _linked(worker, tree)
    url = reverse("referrals_public:answer") + f"?t={token}"
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
    body = page.content.decode()
    assert page.status_code == 200 and "张**" in body and "需要康复评估" in body and "请安排康复科门诊" in body
    assert "张秀英" not in body and "9731" not in body
    assert page["Referrer-Policy"] == "same-origin"
    viewed = AuditEvent.objects.get(action="referral.link_view")
    assert viewed.actor is None and viewed.target_id == str(referral.pk)
    once = page.context["form"]["_once"].value()
    answered = client.post(url, {"_once": once, "answer": "accept", "answered_by": "刘医生", "feedback": "周一门诊"})
    assert answered.status_code == 302
    assert "referral-done" in client.get(answered["Location"]).content.decode()
    again = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "已经用过" in again.content.decode() or "already been used" in again.content.decode()
    assert client.post(url, {"answer": "done", "answered_by": "x", "feedback": "y"}).status_code == 410
    assert AuditEvent.objects.filter(action="referral.link_refused", target_id=str(referral.pk)).count() == 2
    referral.refresh_from_db()
    assert referral.status == "accepted"


def test_it_shows_a_clear_page_for_a_bad_link(client):
    for query in ("", "?t=nonsense", "?t=" + "x" * 300):
        page = client.get(reverse("referrals_public:answer") + query, HTTP_ACCEPT_LANGUAGE="en")
        assert page.status_code == 200 and "not valid" in page.content.decode()


def test_it_limits_the_answer_page_per_address(tree, worker, client, settings):
    settings.LINLI_REFERRAL_PER_IP = 3
    _referral, token = _linked(worker, tree)
    url = reverse("referrals_public:answer") + f"?t={token}"
    assert [client.get(url).status_code for _ in range(4)] == [200, 200, 200, 429]


def test_it_refuses_an_invalid_answer_with_the_form_again(tree, worker, client):
    _referral, token = _linked(worker, tree)
    url = reverse("referrals_public:answer") + f"?t={token}"
    once = client.get(url).context["form"]["_once"].value()
    page = client.post(url, {"_once": once, "answer": "decline", "answered_by": "刘医生"}, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200 and "Give the reason for declining." in page.content.decode()
    assert referral_link.open_link(token).refusal is None  # not spent


# ---------------------------------------------------------------- overdue answers


def test_it_reminds_the_case_worker_once_of_an_overdue_answer(tree, worker):
    referral, _token = _linked(worker, tree)
    referral.refresh_from_db()
    now = timezone.now()
    assert referrals_overdue(now=now + dt.timedelta(days=6)) == 0
    later = now + dt.timedelta(days=7, minutes=1)
    assert is_overdue(referral, later) and list(overdue(later)) == [referral]
    assert referrals_overdue(now=later) == 1
    assert referrals_overdue(now=later + dt.timedelta(days=1)) == 0
    notice = Notification.objects.get(user=worker, event="referral_overdue")
    assert referral.case.number in notice.subject and "张**" in notice.subject
    entries = todo([worker], TodoContext(now=later))[worker.pk]
    assert entries[0].count == 1 and entries[0].url == reverse("casework:case_detail", args=[referral.case_id])


def test_it_stops_counting_a_referral_once_answered(tree, worker):
    _referral, token = _linked(worker, tree)
    referral_answer(token=token, answer="accept", answered_by="刘医生")
    later = timezone.now() + dt.timedelta(days=30)
    assert not list(overdue(later)) and referrals_overdue(now=later) == 0
    assert todo([worker], TodoContext(now=later)) == {}


# ---------------------------------------------------------------- referrals received


def test_it_opens_a_case_or_a_need_from_a_referral_received(tree, worker, as_user):
    org = CommunityOrganisationFactory(unit=tree.station_a, name="社区卫生服务中心")
    person = PersonFactory(unit=tree.a1)
    base = {"partner": org, "person": person, "received_on": TODAY, "reason": "出院后无人照料", "domain": domain()}
    inbound = inbound_referral_record(actor=worker, opens="case", title="出院后照护", **base)
    assert inbound.case.person == person and inbound.case.stage == "intake"
    assert "社区卫生服务中心" in inbound.case.intake_summary
    page = as_user(worker).get(reverse("casework:case_detail", args=[inbound.case_id]), HTTP_ACCEPT_LANGUAGE="en")
    assert "Referred to the station by 社区卫生服务中心" in page.content.decode()
    need = inbound_referral_record(actor=worker, opens="need", need_type="送餐", **base).need
    assert need.person == person and need.need_type == "送餐"
    with pytest.raises(ValidationError) as exc:
        inbound_referral_record(actor=worker, opens="case", title="", **base)
    assert "title" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        inbound_referral_record(
            actor=worker, opens="need", **{**base, "partner": CommunityOrganisationFactory(unit=tree.station_b)}
        )
    assert {"partner", "need_type"} <= set(exc.value.message_dict)


# ---------------------------------------------------------------- pages


def test_it_records_a_conference_through_its_form(tree, worker, as_user):
    case = _planning(worker, tree)
    org = CommunityOrganisationFactory(unit=tree.station_a, name="邻里互助会")
    url = reverse("casework:conference_create", args=[case.pk])
    page = as_user(worker).get(url)
    assert page.status_code == 200 and "邻里互助会" in page.content.decode()
    data = {
        "date": "2026-11-23",
        "staff": [worker.pk],
        "organisations": [org.pk],
        "discussion": "共同研讨",
        "decision-TOTAL_FORMS": "3",
        "decision-INITIAL_FORMS": "0",
        "decision-0-kind": "goal",
        "decision-0-text": "每周外出社交一次",
        "decision-0-party": f"org:{org.pk}",
        "decision-0-due_on": "2026-12-31",
        "decision-1-kind": "goal",
        "decision-1-text": "按时服药",
        "decision-1-party": "family",
        "decision-1-family_name": "女儿",
        "decision-2-kind": "goal",
    }
    bad = as_user(worker).post(url, {**data, "decision-1-family_name": ""}, HTTP_ACCEPT_LANGUAGE="en")
    assert bad.status_code == 200 and "Decision 2" in bad.content.decode() and not CaseGoal.objects.exists()
    assert as_user(worker).post(url, data).status_code == 302
    assert CaseGoal.objects.filter(case=case, conference__isnull=False).count() == 2
    detail = as_user(worker).get(reverse("casework:case_detail", args=[case.pk])).content.decode()
    assert "每周外出社交一次" in detail and "邻里互助会" in detail and "共同研讨" in detail


def test_it_hides_a_conference_from_other_stations_and_its_discussion_from_colleagues(
    tree, worker, colleague, outsider, as_user
):
    case = _planning(worker, tree)
    _conference(worker, case, [Decision("goal", "目标")], discussion="家庭矛盾的机密细节")
    detail = reverse("casework:case_detail", args=[case.pk])
    assert as_user(outsider).get(detail).status_code == 404
    assert as_user(outsider).get(reverse("casework:conference_create", args=[case.pk])).status_code == 404
    seen = as_user(colleague).get(detail).content.decode()
    assert "目标" in seen and "家庭矛盾的机密细节" not in seen
    assert as_user(colleague).get(reverse("casework:conference_create", args=[case.pk])).status_code == 403
    timeline = as_user(outsider).get(reverse("casework:person_timeline", args=[case.person_id]))
    assert timeline.status_code == 404


def test_it_shows_the_conference_on_the_persons_timeline(tree, worker, as_user):
    case = _planning(worker, tree)
    _conference(worker, case, [])
    page = as_user(worker).get(reverse("casework:person_timeline", args=[case.person_id]), HTTP_ACCEPT_LANGUAGE="en")
    assert f"Case conference on {case.number}" in page.content.decode()


def test_it_issues_the_link_on_a_page_that_shows_it_once(tree, worker, as_user):
    referral, _token = _linked(worker, tree)
    url = reverse("casework:referral_link_issue", args=[referral.pk])
    page = as_user(worker).get(url)
    assert page.status_code == 200
    form = page.context["form"]
    issued = as_user(worker).post(url, {"_once": form["_once"].value()})
    body = issued.content.decode()
    assert issued.status_code == 200 and "/public/referrals/?t=" in body
    token = body.split("/public/referrals/?t=")[1].split('"')[0]
    assert referral_link.open_link(token).referral == referral


def test_it_keeps_the_case_page_flat_as_conferences_grow(tree, worker, as_user):
    case = _planning(worker, tree)
    org = CommunityOrganisationFactory(unit=tree.station_a)

    def add(k: int) -> None:
        for _ in range(k):
            _conference(
                worker, case, [Decision("goal", "目标", party=f"org:{org.pk}")], organisations=[org], staff=[worker]
            )
            _referral(worker, case, org)

    assert_flat_queries(as_user(worker), reverse("casework:case_detail", args=[case.pk]), add)


def test_it_records_a_referral_received_through_its_form(tree, worker, as_user):
    org = CommunityOrganisationFactory(unit=tree.station_a, name="社区卫生服务中心")
    person = PersonFactory(unit=tree.a1)
    url = reverse("casework:inbound_create")
    page = as_user(worker).get(url)
    assert page.status_code == 200 and "社区卫生服务中心" in page.content.decode()
    data = {
        "_once": page.context["form"]["_once"].value(),
        "partner": f"org:{org.pk}",
        "person": person.pk,
        "received_on": "2026-11-23",
        "reason": "出院后无人照料",
        "domain": domain().pk,
        "opens": "need",
        "need_type": "",
    }
    refused = as_user(worker).post(url, data, HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 200 and "Say what kind of help is needed." in refused.content.decode()
    done = as_user(worker).post(url, {**data, "need_type": "送餐"})
    assert done.status_code == 302 and "/needs/" in done["Location"]


def test_it_counts_case_conferences_by_one_rule_on_every_page(tree, worker, admin, outsider):
    from orgs.models import OrgUnit
    from reports.dashboards import dashboard
    from reports.figures import figure_table

    in_a1 = _planning(worker, tree)
    in_a2 = _planning(worker, tree, person=PersonFactory(unit=tree.a2))
    _conference(worker, in_a1, [], date=dt.date(2026, 11, 20))
    _conference(worker, in_a1, [], date=dt.date(2026, 11, 21))
    _conference(worker, in_a2, [], date=dt.date(2026, 11, 22))
    _conference(worker, in_a2, [], date=dt.date(2026, 11, 2))  # before the month
    in_b = open_case(outsider, unit=tree.b1)
    _conference(outsider, in_b, [], date=dt.date(2026, 11, 20))
    month = (dt.date(2026, 11, 3), dt.date(2026, 11, 30))
    station = figure_table(tree.station_a, [tree.a1, tree.a2], *month, ["case_conferences"])
    assert [r.values["case_conferences"] for r in station.rows] == [0, 2, 1]
    assert station.totals["case_conferences"] == 3
    district = figure_table(tree.district, [tree.station_a, tree.station_b], *month)
    by_unit = {r.unit.pk: r.values["case_conferences"] for r in district.rows if not r.own}
    assert by_unit == {tree.station_a.pk: 3, tree.station_b.pk: 1}
    year = dashboard(admin, OrgUnit.objects.get(pk=tree.district.pk), 2026)["table"]
    assert year.totals["case_conferences"] == 5  # the whole year: the early one too
