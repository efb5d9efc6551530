"""Group work services: plan, members, sessions, attendance, scale scores."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.actions import Action
from audit.services import audit_record, diff, snapshot
from casework.models import Group, GroupAttendance, GroupMember, GroupSession, GroupStatus
from core.access import Perm, can, require, require_unit_in_scope, unit_in_scope
from projects.links import check_project_link

_GROUP_FIELDS = ("name", "domain", "goals", "worker", "planned_sessions", "start_on", "scale_name", "status", "project")


@transaction.atomic
def group_create(
    *,
    actor: Any,
    unit: Any,
    name: str,
    domain: Any,
    goals: str,
    start_on: dt.date,
    planned_sessions: int = 6,
    worker: Any = None,
    scale_name: str = "",
    higher_is_better: bool = True,
    project: Any = None,
) -> Group:
    require(actor, Perm.RECORD_EDIT)
    require_unit_in_scope(actor, unit)
    worker = worker or actor
    check_project_link(actor=actor, project=project, unit=unit)
    errors: dict[str, str] = {}
    if not (name or "").strip():
        errors["name"] = _("Name the group.")
    if not (goals or "").strip():
        errors["goals"] = _("State the group's goals.")
    if planned_sessions is None or not 1 <= planned_sessions <= 52:
        errors["planned_sessions"] = _("Plan between 1 and 52 sessions.")
    if not (can(worker, Perm.RECORD_EDIT) and unit_in_scope(worker, unit)):
        errors["worker"] = _("Choose an active worker whose unit covers this group.")
    if errors:
        raise ValidationError(errors)
    group = Group.objects.create(
        unit=unit,
        name=name.strip(),
        domain=domain,
        goals=goals.strip(),
        start_on=start_on,
        planned_sessions=planned_sessions,
        worker=worker,
        scale_name=scale_name,
        higher_is_better=higher_is_better,
        project=project,
    )
    audit_record(
        actor=actor, action=Action.GROUP_CREATE, target=group, changes=diff({}, snapshot(group, _GROUP_FIELDS))
    )
    return group


@transaction.atomic
def group_member_add(*, actor: Any, group: Group, person: Any, joined_on: dt.date | None = None) -> GroupMember:
    require(actor, Perm.RECORD_EDIT)
    require_unit_in_scope(actor, group.unit)
    require_unit_in_scope(actor, person.unit)
    if not group.unit.contains(person.unit):
        raise ValidationError({"person": _("The resident does not live in this group's area.")})
    if GroupMember.objects.filter(group=group, person=person).exists():
        raise ValidationError({"person": _("%(name)s is already a member.") % {"name": person.name}})
    member = GroupMember.objects.create(group=group, person=person, joined_on=joined_on or timezone.localdate())
    audit_record(actor=actor, action=Action.GROUP_MEMBER_ADD, target=group, changes={"member": [None, person.name]})
    return member


@transaction.atomic
def group_session_add(*, actor: Any, group: Group, date: dt.date, topic: str, notes: str = "") -> GroupSession:
    require(actor, Perm.RECORD_EDIT)
    require_unit_in_scope(actor, group.unit)
    errors: dict[str, str] = {}
    if not (topic or "").strip():
        errors["topic"] = _("Give the session a topic.")
    if date is None:
        errors["date"] = _("Enter the session date.")
    elif date < group.start_on:
        errors["date"] = _("The session is before the group starts.")
    if errors:
        raise ValidationError(errors)
    number = (group.sessions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    session = GroupSession.objects.create(group=group, number=number, date=date, topic=topic.strip(), notes=notes)
    if group.status == GroupStatus.PLANNED:
        group.status = GroupStatus.RUNNING
        group.save(update_fields=["status"])
    audit_record(
        actor=actor, action=Action.GROUP_SESSION_ADD, target=group, changes={"session": [None, session.number]}
    )
    return session


@transaction.atomic
def group_attendance_set(*, actor: Any, session: GroupSession, member_ids: Iterable[int]) -> int:
    """Replace the attendance of one session with the given members; returns the count."""
    group = session.group
    require(actor, Perm.RECORD_EDIT)
    require_unit_in_scope(actor, group.unit)
    if session.date > timezone.localdate():
        raise ValidationError({"members": _("Attendance is taken on or after the session date.")})
    wanted = {int(i) for i in member_ids}
    valid = set(group.members.filter(pk__in=wanted).values_list("pk", flat=True))
    if wanted - valid:
        raise ValidationError({"members": _("Some people ticked are not members of this group.")})
    before = sorted(session.attendance.values_list("member_id", flat=True))
    session.attendance.exclude(member_id__in=valid).delete()
    existing = set(session.attendance.values_list("member_id", flat=True))
    GroupAttendance.objects.bulk_create(
        [GroupAttendance(session=session, member_id=m) for m in sorted(valid - existing)]
    )
    audit_record(
        actor=actor,
        action=Action.GROUP_ATTENDANCE_SET,
        target=group,
        changes={f"session {session.number}": [len(before), len(valid)]},
    )
    return len(valid)


def _score(value: Any, field: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValidationError({field: _("Scores are numbers.")}) from None
    if not number.is_finite() or not Decimal("-9999") <= number <= Decimal("9999"):
        raise ValidationError({field: _("Scores are numbers.")})
    return number.quantize(Decimal("0.1"))


@transaction.atomic
def group_scores_set(*, actor: Any, group: Group, scores: Mapping[int, tuple[Any, Any]]) -> None:
    """Pre/post scale scores per member id: {member_id: (pre, post)}."""
    require(actor, Perm.RECORD_EDIT)
    require_unit_in_scope(actor, group.unit)
    members = {m.pk: m for m in group.members.all()}
    for member_id, (pre, post) in scores.items():
        member = members.get(int(member_id))
        if member is None:
            raise ValidationError({"scores": _("Some scores are for people who are not members.")})
        member.pre_score = _score(pre, f"pre_{member_id}")
        member.post_score = _score(post, f"post_{member_id}")
    GroupMember.objects.bulk_update(list(members.values()), ["pre_score", "post_score"])
    audit_record(
        actor=actor, action=Action.GROUP_SCORES_SET, target=group, changes={"members scored": [None, len(scores)]}
    )
