"""共同个案研讨, 共商帮扶方案: the case conference, whose decisions become
goals and planned services of the case plan in the same transaction, each
naming who carries it out (staff, a partner, a volunteer, the family) and
by when; and the record of who agreed to the plan.

The plan follows the stage table (casework/workflow.py): while it awaits
approval nothing is added to it; added to an approved plan, the change is
written into the case's history as an amendment."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.actions import Action
from audit.services import audit_record
from casework.access import require_case_team
from casework.models import (
    Case,
    CaseConference,
    CaseGoal,
    CaseTransition,
    Pending,
    PlannedService,
    ResponsibleKind,
    Stage,
)
from casework.selectors import partner_choices, staff_for
from core.access import Perm, require, require_unit_in_scope, unit_in_scope

GOAL, SERVICE = "goal", "service"
FAMILY = "family"  # the party key of a family member named by hand
# A party key's prefix → the responsible kind and the field it fills.
PARTY_PREFIXES = {
    "user": (ResponsibleKind.STAFF, "responsible_user"),
    "org": (ResponsibleKind.PARTNER, "responsible_organisation"),
    "ent": (ResponsibleKind.PARTNER, "responsible_enterprise"),
    "vol": (ResponsibleKind.VOLUNTEER, "responsible_volunteer"),
}


@dataclass(frozen=True)
class Decision:
    """One decision of a conference: a goal or a planned service, who carries
    it out (a party key such as "org:12", or "family" with a name) and by when."""

    kind: str
    text: str
    party: str = ""
    family_name: str = ""
    due_on: dt.date | None = None
    frequency: str = ""


def _party_querysets(actor: Any, case: Case) -> dict[str, Any]:
    from volunteers.selectors import volunteers_visible

    organisations, enterprises = partner_choices(actor)
    return {
        "user": staff_for(case),
        "org": organisations.filter(is_active=True),
        "ent": enterprises.filter(is_active=True),
        "vol": volunteers_visible(actor).filter(is_active=True),
    }


def resolve_party(actor: Any, case: Case, key: str) -> tuple[str, str, Any] | None:
    """(responsible kind, field, record) of a party key, or None when the key
    names nobody the actor may name on this case."""
    prefix, _sep, pk = (key or "").partition(":")
    if prefix not in PARTY_PREFIXES or not pk.isdigit():
        return None
    found = _party_querysets(actor, case)[prefix].filter(pk=int(pk)).first()
    if found is None:
        return None
    kind, field = PARTY_PREFIXES[prefix]
    return kind, field, found


def _responsibility(actor: Any, case: Case, d: Decision, since: dt.date) -> tuple[dict[str, Any], str]:
    """The responsibility fields of a decision, or the reason it is refused."""
    fields: dict[str, Any] = {"due_on": d.due_on}
    if d.due_on is not None and d.due_on < since:
        return fields, _("the due date is before the conference")
    if not d.party:
        return fields, ""
    if d.party == FAMILY:
        if not d.family_name.strip():
            return fields, _("name the family member responsible")
        return {**fields, "responsible_kind": ResponsibleKind.FAMILY, "responsible_name": d.family_name.strip()}, ""
    party = resolve_party(actor, case, d.party)
    if party is None:
        return fields, _("the one responsible is not someone you may name on this case")
    kind, field, record = party
    return {**fields, "responsible_kind": kind, field: record}, ""


def require_plan_editable(case: Case) -> None:
    """Goals and services are added to an open case's plan, but not while it
    awaits approval (the approver decides on the plan as submitted)."""
    if not case.is_open:
        raise ValidationError({"__all__": _("The case is closed; reopen it first.")})
    if case.pending == Pending.PLAN:
        raise ValidationError(
            {"__all__": _("The plan awaits approval: it can change once it is approved or returned.")}
        )


def note_amendment(*, actor: Any, case: Case, comment: str) -> None:
    """An addition to an approved plan is kept in the case's history."""
    if case.stage in (Stage.INTERVENTION, Stage.EVALUATION):
        CaseTransition.objects.create(
            case=case, action="plan_amend", from_stage=case.stage, to_stage=case.stage, actor=actor, comment=comment
        )


@transaction.atomic
def conference_create(
    *,
    actor: Any,
    case: Case,
    date: dt.date,
    discussion: str,
    staff: Sequence[Any] = (),
    organisations: Sequence[Any] = (),
    enterprises: Sequence[Any] = (),
    family_members: Sequence[Any] = (),
    others: str = "",
    resident_attended: bool = False,
    decisions: Sequence[Decision] = (),
) -> CaseConference:
    """个案研讨: record a conference and put its decisions on the case plan
    in one step; any bad row refuses the whole conference."""
    require(actor, Perm.RECORD_EDIT)
    require_unit_in_scope(actor, case.unit)
    require_case_team(actor, case)
    case = Case.objects.select_for_update().select_related("person").get(pk=case.pk)
    errors: dict[str, list[str]] = {}

    def refuse(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if date is None or date > timezone.localdate():
        refuse("date", _("The date cannot be in the future."))
    elif date < case.opened_on:
        refuse("date", _("The date is before the case was opened."))
    if not (discussion or "").strip():
        refuse("discussion", _("Write down what was discussed."))
    if any(not unit_in_scope(u, case.unit) or not u.is_active for u in staff):
        refuse("staff", _("Staff taking part must work in the case's community or above it."))
    organisations_ok, enterprises_ok = partner_choices(actor)
    orgs_ok = set(organisations_ok.filter(pk__in=[o.pk for o in organisations]).values_list("pk", flat=True))
    if len(orgs_ok) != len({o.pk for o in organisations}):
        refuse("organisations", _("Choose partner organisations of your own registry."))
    ents_ok = set(enterprises_ok.filter(pk__in=[e.pk for e in enterprises]).values_list("pk", flat=True))
    if len(ents_ok) != len({e.pk for e in enterprises}):
        refuse("enterprises", _("Choose partner enterprises of your own registry."))
    household = case.person.household_id
    if any(p.pk == case.person_id or household is None or p.household_id != household for p in family_members):
        refuse("family_members", _("Family members are members of the resident's household."))
    if decisions:
        try:
            require_plan_editable(case)
        except ValidationError as exc:
            refuse("__all__", exc.messages[0])
    rows: list[tuple[Decision, dict[str, Any]]] = []
    since = date if date is not None else timezone.localdate()
    for n, d in enumerate(decisions, start=1):
        text = (d.text or "").strip()
        limit = 300 if d.kind == GOAL else 200
        problem = ""
        if d.kind not in (GOAL, SERVICE):
            problem = _("choose a goal or a planned service")
        elif not text:
            problem = _("write the decision")
        elif len(text) > limit:
            problem = _("keep it within %(n)s characters") % {"n": limit}
        fields, why = _responsibility(actor, case, d, since)
        problem = problem or why
        if problem:
            refuse("__all__", _("Decision %(n)s: %(problem)s.") % {"n": n, "problem": problem})
        rows.append((d, fields))
    if errors:
        raise ValidationError(errors)
    conference = CaseConference.objects.create(
        case=case,
        unit=case.unit,
        date=date,
        discussion=discussion.strip(),
        others=(others or "").strip(),
        resident_attended=resident_attended,
        created_by=actor,
    )
    conference.staff.set(staff)
    conference.organisations.set(organisations)
    conference.enterprises.set(enterprises)
    conference.family_members.set(family_members)
    goals = [CaseGoal(case=case, conference=conference, text=d.text.strip(), **f) for d, f in rows if d.kind == GOAL]
    planned = [
        PlannedService(case=case, conference=conference, description=d.text.strip(), frequency=d.frequency, **f)
        for d, f in rows
        if d.kind == SERVICE
    ]
    CaseGoal.objects.bulk_create(goals)
    PlannedService.objects.bulk_create(planned)
    if rows:
        note_amendment(
            actor=actor,
            case=case,
            comment=_("Case conference of %(date)s: %(n)s decisions added to the approved plan.")
            % {"date": date.isoformat(), "n": len(rows)},
        )
    audit_record(
        actor=actor,
        action=Action.CASE_CONFERENCE_CREATE,
        target=case,
        changes={
            "conference": [None, date.isoformat()],
            "goals": [None, len(goals)],
            "planned_services": [None, len(planned)],
            "partners": [None, len(organisations) + len(enterprises)],
        },
    )
    return conference


@transaction.atomic
def case_plan_agree(*, actor: Any, case: Case, agreed_by: str, agreed_on: dt.date) -> Case:
    """共商帮扶方案: record who agreed to the plan (the resident, the family,
    partners: names) and when. A plan without goals is not agreed to."""
    require(actor, Perm.RECORD_EDIT)
    require_unit_in_scope(actor, case.unit)
    require_case_team(actor, case)
    errors: dict[str, str] = {}
    if not case.is_open:
        errors["__all__"] = _("The case is closed; reopen it first.")
    elif not case.goals.exists():
        errors["__all__"] = _("Add at least one goal before recording who agreed to the plan.")
    if not (agreed_by or "").strip():
        errors["agreed_by"] = _("Name who agreed to the plan.")
    if agreed_on is None or agreed_on > timezone.localdate():
        errors["agreed_on"] = _("The date cannot be in the future.")
    elif agreed_on < case.opened_on:
        errors["agreed_on"] = _("The date is before the case was opened.")
    if errors:
        raise ValidationError(errors)
    before = [case.plan_agreed_by, case.plan_agreed_on.isoformat() if case.plan_agreed_on else None]
    case.plan_agreed_by = agreed_by.strip()
    case.plan_agreed_on = agreed_on
    case.save(update_fields=["plan_agreed_by", "plan_agreed_on", "updated_at"])
    audit_record(
        actor=actor,
        action=Action.CASE_PLAN_AGREE,
        target=case,
        changes={"agreed": [before, [case.plan_agreed_by, agreed_on.isoformat()]]},
    )
    return case
