"""Signing many residents up for an activity at once: residents ticked in a
search, picked by a filter (community, category, card) or pasted as a list
of names or phone tails. A preview says who will be added and who is
skipped and why; the sign-up itself is one transaction with one audit event."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.actions import Action
from audit.services import audit_record
from casework.models import Activity, ActivitySignup, ActivityStatus
from core.access import Perm, require, require_unit_in_scope
from core.concurrency import lock
from core.identity import normalise_text
from people.models import Person
from people.selectors import filter_persons, persons_visible, search_persons

# A pasted list longer than this is refused (each line is one look-up).
MAX_LINES = 200
# Picking by filter adds at most this many residents at once.
MAX_PICKED = 500


@dataclass
class BatchPlan:
    add: list[Person] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (who, why)


def _lines(text: str) -> list[str]:
    raw = (text or "").replace("，", "\n").replace(",", "\n").replace("、", "\n").replace(";", "\n")
    return [t for t in (normalise_text(line) for line in raw.splitlines()) if t]


def signup_batch_plan(
    *,
    actor: Any,
    activity: Activity,
    person_ids: Iterable[int] = (),
    pasted: str = "",
    filters: Mapping[str, Any] | None = None,
) -> BatchPlan:
    """Who would be signed up, and who is skipped with the reason. Reads only."""
    require(actor, Perm.RECORD_EDIT)
    require_unit_in_scope(actor, activity.unit)
    plan = BatchPlan()
    lines = _lines(pasted)
    if len(lines) > MAX_LINES:
        raise ValidationError({"pasted": _("Paste at most %(n)s names or phone tails at once.") % {"n": MAX_LINES}})
    visible = persons_visible(actor).filter(merged_into__isnull=True)
    wanted: dict[int, Person] = {}
    ids = {int(i) for i in person_ids}
    found = {p.pk: p for p in visible.filter(pk__in=ids)}
    plan.skipped += [(_("file no. %(pk)s") % {"pk": pk}, _("not in your area")) for pk in sorted(ids - set(found))]
    wanted.update(found)
    for line in lines:
        matches = list(search_persons(visible, line)[:2])
        if not matches:
            plan.skipped.append((line, _("nobody in your area by this name or phone")))
        elif len(matches) > 1:
            plan.skipped.append((line, _("more than one resident: tick the right one in the search")))
        else:
            wanted.setdefault(matches[0].pk, matches[0])
    chosen = {k: v for k, v in (filters or {}).items() if v}
    if chosen:
        picked = list(filter_persons(visible, **chosen).order_by("name_pinyin", "pk")[: MAX_PICKED + 1])
        if len(picked) > MAX_PICKED:
            raise ValidationError(_("The filter picks more than %(n)s residents; narrow it down.") % {"n": MAX_PICKED})
        for p in picked:
            wanted.setdefault(p.pk, p)
    signed = set(
        ActivitySignup.objects.filter(activity=activity, person_id__in=wanted).values_list("person_id", flat=True)
    )
    for person in sorted(wanted.values(), key=lambda p: (p.name_pinyin, p.pk)):
        if person.pk in signed:
            plan.skipped.append((person.name, _("already signed up")))
        elif not person.is_active:
            plan.skipped.append((person.name, person.get_status_display()))
        else:
            plan.add.append(person)
    return plan


@transaction.atomic
def activity_signup_batch(
    *,
    actor: Any,
    activity: Activity,
    person_ids: Iterable[int] = (),
    pasted: str = "",
    filters: Mapping[str, Any] | None = None,
) -> BatchPlan:
    """Sign up everyone the plan adds, in one go. Returns the plan carried out."""
    require(actor, Perm.RECORD_EDIT)
    require_unit_in_scope(actor, activity.unit)
    lock(activity)  # two batches for one activity run one after the other
    if activity.status == ActivityStatus.CANCELLED:
        raise ValidationError(_("The activity was cancelled."))
    plan = signup_batch_plan(actor=actor, activity=activity, person_ids=person_ids, pasted=pasted, filters=filters)
    if not plan.add:
        raise ValidationError(_("Nobody to sign up: everyone chosen is skipped."))
    ActivitySignup.objects.bulk_create(ActivitySignup(activity=activity, person=p) for p in plan.add)
    audit_record(
        actor=actor,
        action=Action.ACTIVITY_SIGNUP_BATCH,
        target=activity,
        changes={"signed_up": [None, len(plan.add)], "skipped": [None, len(plan.skipped)]},
    )
    return plan
