from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import translation

from audit.models import AuditEvent
from casework.models import CaseTransition, Pending, Referral, Stage
from casework.services import (
    case_create,
    case_goal_add,
    case_move,
    case_note_add,
    case_service_deliver,
    case_service_plan,
    case_transfer,
    referral_create,
)
from casework.tests.factories import case_in_intervention, domain, open_case
from casework.workflow import MOVES, allowed
from people.tests.factories import PersonFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

ALL_STAGES = list(Stage.values)


def test_it_numbers_cases_from_the_default_pattern(tree, worker):
    case = open_case(worker, unit=tree.a1)
    assert case.number == f"ELD-0001-20261102-001-{worker.pk}"
    second = open_case(worker, unit=tree.a2, domain=domain("children"))
    assert second.number.startswith("CHD-0002-")
    assert case.stage == Stage.INTAKE and case.unit == tree.a1


def test_it_uses_a_configured_number_pattern(tree, worker, settings):
    settings.LINLI_CASE_NUMBER_PATTERN = "{station}{year}-{seq:03d}"
    assert open_case(worker, unit=tree.a1).number == "0012026-001"


def test_it_refuses_a_case_for_a_person_out_of_scope(tree, outsider):
    person = PersonFactory(unit=tree.a1)
    with pytest.raises(Http404):
        open_case(outsider, person=person)


def test_it_refuses_a_blank_problem_in_chinese(tree, worker):
    with translation.override("zh-hans"), pytest.raises(ValidationError) as exc:
        open_case(worker, unit=tree.a1, title=" ")
    assert exc.value.message_dict["title"] == ["请描述服务对象的主要问题。"]


# ------------------------------------------------------------ the stage table

# The full path a case takes, with who does each step.
HAPPY = [
    ("assess", "worker", Stage.ASSESSMENT, Pending.NONE),
    ("draft_plan", "worker", Stage.PLAN, Pending.NONE),
    ("submit_plan", "worker", Stage.PLAN, Pending.PLAN),
    ("return_plan", "lead", Stage.PLAN, Pending.NONE),
    ("submit_plan", "worker", Stage.PLAN, Pending.PLAN),
    ("approve_plan", "lead", Stage.INTERVENTION, Pending.NONE),
    ("evaluate", "worker", Stage.EVALUATION, Pending.NONE),
    ("resume", "worker", Stage.INTERVENTION, Pending.NONE),
    ("evaluate", "worker", Stage.EVALUATION, Pending.NONE),
    ("request_closure", "worker", Stage.EVALUATION, Pending.CLOSURE),
    ("return_closure", "supervisor", Stage.EVALUATION, Pending.NONE),
    ("request_closure", "worker", Stage.EVALUATION, Pending.CLOSURE),
    ("approve_closure", "supervisor", Stage.CLOSED, Pending.NONE),
    ("reopen", "worker", Stage.ASSESSMENT, Pending.NONE),
]


def test_it_walks_every_allowed_move(tree, worker, lead, supervisor):
    people = {"worker": worker, "lead": lead, "supervisor": supervisor}
    case = open_case(worker, unit=tree.a1)
    for action, who, stage, pending in HAPPY:
        if action == "submit_plan" and not case.goals.exists():
            case_goal_add(actor=worker, case=case, text="改善情绪")
            case_service_plan(actor=worker, case=case, description="每周探访")
        case = case_move(actor=people[who], case=case, action=action, comment="说明")
        assert (case.stage, case.pending) == (stage, pending), action
        if stage == Stage.CLOSED:
            assert case.closed_on == dt.date(2026, 11, 23)
    assert case.closed_on is None
    assert list(case.transitions.values_list("action", flat=True)) == ["open", *[a for a, *_ in HAPPY]]
    comments = CaseTransition.objects.filter(case=case, action="approve_plan").values_list("comment", flat=True)
    assert list(comments) == ["说明"]
    assert AuditEvent.objects.filter(action="case.approve_closure", target_id=str(case.pk)).exists()


@pytest.mark.parametrize("stage", ALL_STAGES)
@pytest.mark.parametrize("pending", list(Pending.values))
@pytest.mark.parametrize("action", list(MOVES))
def test_it_refuses_every_illegal_move_with_a_reason(tree, worker, lead, stage, pending, action):
    if allowed(stage, pending, action):
        return
    case = open_case(worker, unit=tree.a1)
    case.stage, case.pending = stage, pending
    case.save()
    actor = lead if MOVES[action].is_decision else worker
    with pytest.raises(ValidationError) as exc:
        case_move(actor=actor, case=case, action=action, comment="x")
    assert str(MOVES[action].refusal) in exc.value.message_dict["action"][0]
    case.refresh_from_db()
    assert (case.stage, case.pending) == (stage, pending)


def test_it_explains_a_refusal_in_chinese(tree, worker):
    case = open_case(worker, unit=tree.a1)
    with translation.override("zh-hans"), pytest.raises(ValidationError) as exc:
        case_move(actor=worker, case=case, action="evaluate")
    assert exc.value.message_dict["action"] == ["当前无法执行“开始评估”：评估须在介入之后进行。"]


def test_it_requires_goals_before_the_plan_is_submitted(tree, worker):
    case = open_case(worker, unit=tree.a1)
    case_move(actor=worker, case=case, action="assess")
    case_move(actor=worker, case=case, action="draft_plan")
    with pytest.raises(ValidationError):
        case_move(actor=worker, case=case, action="submit_plan")


def test_it_lets_only_approvers_decide(tree, worker, lead, colleague):
    case = open_case(worker, unit=tree.a1)
    for action in ("assess", "draft_plan"):
        case_move(actor=worker, case=case, action=action)
    case_goal_add(actor=worker, case=case, text="目标")
    case_service_plan(actor=worker, case=case, description="服务")
    case_move(actor=worker, case=case, action="submit_plan")
    with pytest.raises(PermissionDenied):
        case_move(actor=worker, case=case, action="approve_plan")
    with pytest.raises(PermissionDenied):
        case_move(actor=colleague, case=case, action="approve_plan")


def test_it_refuses_self_approval(tree, lead, supervisor):
    case = open_case(lead, unit=tree.a1)
    for action in ("assess", "draft_plan"):
        case_move(actor=lead, case=case, action=action)
    case_goal_add(actor=lead, case=case, text="目标")
    case_service_plan(actor=lead, case=case, description="服务")
    case_move(actor=lead, case=case, action="submit_plan")
    with pytest.raises(ValidationError):
        case_move(actor=lead, case=case, action="approve_plan")
    assert case_move(actor=supervisor, case=case, action="approve_plan").stage == Stage.INTERVENTION


def test_it_requires_a_comment_to_return_a_plan(tree, worker, lead):
    case = open_case(worker, unit=tree.a1)
    for action in ("assess", "draft_plan"):
        case_move(actor=worker, case=case, action=action)
    case_goal_add(actor=worker, case=case, text="目标")
    case_service_plan(actor=worker, case=case, description="服务")
    case_move(actor=worker, case=case, action="submit_plan")
    with pytest.raises(ValidationError) as exc:
        case_move(actor=lead, case=case, action="return_plan", comment="  ")
    assert "comment" in exc.value.message_dict


def test_it_keeps_approvers_out_of_other_stations(tree, worker, outsider):
    case = open_case(worker, unit=tree.a1)
    with pytest.raises(Http404):
        case_move(actor=outsider, case=case, action="assess")


def test_it_logs_services_only_during_intervention(tree, worker, lead):
    case = open_case(worker, unit=tree.a1)
    with pytest.raises(ValidationError):
        case_service_deliver(actor=worker, case=case, date=dt.date(2026, 11, 20), description="陪诊")
    case = case_in_intervention(worker, lead, unit=tree.a1)
    service = case_service_deliver(actor=worker, case=case, date=dt.date(2026, 11, 20), description="陪诊", minutes=90)
    assert service.worker == worker
    with pytest.raises(ValidationError) as exc:
        case_service_deliver(actor=worker, case=case, date=dt.date(2026, 11, 24), description="陪诊", minutes=0)
    assert set(exc.value.message_dict) == {"date", "minutes"}


def test_it_keeps_colleagues_from_working_on_someone_elses_case(tree, worker, colleague):
    case = open_case(worker, unit=tree.a1)
    with pytest.raises(PermissionDenied):
        case_note_add(actor=colleague, case=case, text="x")
    with pytest.raises(PermissionDenied):
        case_move(actor=colleague, case=case, action="assess")


def test_it_lets_co_workers_work_on_the_case(tree, worker, colleague):
    case = open_case(worker, unit=tree.a1)
    case.co_workers.add(colleague)
    assert case_note_add(actor=colleague, case=case, text="共同跟进").author == colleague


def test_it_transfers_a_case_with_an_audit_row(tree, worker, colleague, lead, outsider, viewer):
    case = open_case(worker, unit=tree.a1)
    with pytest.raises(ValidationError):
        case_transfer(actor=worker, case=case, to_worker=outsider, reason="调岗")
    with pytest.raises(ValidationError):
        case_transfer(actor=worker, case=case, to_worker=viewer, reason="调岗")
    with pytest.raises(ValidationError):
        case_transfer(actor=worker, case=case, to_worker=colleague, reason="")
    case_transfer(actor=lead, case=case, to_worker=colleague, reason="原社工休产假")
    case.refresh_from_db()
    assert case.worker == colleague
    event = AuditEvent.objects.get(action="case.transfer", target_id=str(case.pk))
    assert event.changes["worker"] == [str(worker), str(colleague)]
    with pytest.raises(PermissionDenied):  # the old worker is no longer on the case
        case_transfer(actor=worker, case=case, to_worker=worker, reason="x")


def test_it_refers_only_with_consent_on_record(tree, worker):
    case = open_case(worker, unit=tree.a1)
    base = {"new_partner_name": "区残联康复中心", "reason": "需要康复训练", "referred_on": dt.date(2026, 11, 20)}
    with translation.override("zh-hans"), pytest.raises(ValidationError) as exc:
        referral_create(actor=worker, case=case, consent_on=None, consent_method="written", **base)
    assert exc.value.message_dict["consent_on"] == ["转介须有服务对象的知情同意记录。"]
    with pytest.raises(ValidationError):
        referral_create(actor=worker, case=case, consent_on=dt.date(2026, 11, 21), consent_method="written", **base)
    assert not Referral.objects.exists()
    ref = referral_create(actor=worker, case=case, consent_on=dt.date(2026, 11, 19), consent_method="written", **base)
    assert ref.unit == tree.a1 and ref.status == "sent"


def test_it_refuses_case_creation_to_viewers(tree, viewer):
    with pytest.raises(PermissionDenied):
        case_create(actor=viewer, person=PersonFactory(unit=tree.a1), domain=domain(), title="x")
