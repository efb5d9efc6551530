"""The resident's file as the hub of the daily loop: the card and why, the
next visit, the responsible worker, open cases and needs, and the actions a
worker takes from here.

The follow-up, services and matching areas build on this one (they import
`people`), so their records are read through the app registry, like the
timeline does, each read scoped by `core.access.scope()`: a constant
number of queries per file.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.access import Perm, can, scope

# Needs no longer waiting for help (matching's NeedStatus.DONE and CLOSED_UNMET).
_NEED_FINISHED = ("done", "closed_unmet")
NOT_GRADED = "none"  # the residents list's card filter value for "not graded yet"


@dataclass(frozen=True)
class Action:
    label: Any
    url: str
    primary: bool = False


def _model(label: str) -> Any:
    try:
        return apps.get_model(label)
    except LookupError:
        return None


def _url(name: str, *args: Any, query: str = "") -> str:
    try:
        return reverse(name, args=args) + (f"?{query}" if query else "")
    except NoReverseMatch:
        return ""


def card_choices() -> list[tuple[str, Any]]:
    """The cards of 一分三卡 plus "not graded", for the residents list filter."""
    grade = _model("grading.PersonGrade")
    cards = list(grade._meta.get_field("card").choices) if grade else []
    return [*cards, (NOT_GRADED, _("not graded yet"))]


def followup(user: Any, person: Any) -> dict[str, Any]:
    """The card, its reasons (the rule reasons of the latest card change),
    the next visit due and the responsible worker. Two queries."""
    grade_model, change_model = _model("grading.PersonGrade"), _model("grading.CardChange")
    if grade_model is None:
        return {}
    grade = scope(grade_model.objects.filter(person=person), user).select_related("responsible").first()
    if grade is None:
        return {"grade": None}
    change = scope(change_model.objects.filter(person=person), user).order_by("-changed_at", "-id").first()
    reasons = (change.reasons or [change.why]) if change else grade.reasons
    today = timezone.localdate()
    return {
        "grade": grade,
        "reasons": [r for r in reasons if r],
        "change": change,
        "overdue": bool(person.is_active and grade.next_due and grade.next_due < today),
    }


def open_cases(user: Any, person: Any) -> list[Any]:
    case = _model("casework.Case")
    if case is None:
        return []
    return list(
        scope(case.objects.filter(person=person, closed_on__isnull=True), user)
        .exclude(stage="closed")
        .only("pk", "number", "title", "stage", "opened_on", "unit_id")
        .order_by("-opened_on", "-id")[:20]
    )


def open_needs(user: Any, person: Any) -> list[Any]:
    need = _model("matching.Need")
    if need is None:
        return []
    return list(
        scope(need.objects.filter(person=person), user)
        .exclude(status__in=_NEED_FINISHED)
        .only("pk", "need_type", "status", "unit_id")
        .order_by("-id")[:20]
    )


def actions(user: Any, person: Any) -> list[Action]:
    """What the user may do from the file: each links to the area's own page
    (case and need forms open with the person filled in)."""
    if not person.is_active or not can(user, Perm.RECORD_EDIT):
        return []
    found = [
        Action(_("Log a visit"), _url("grading:visit_new", person.pk), primary=True),
        Action(_("Assessment"), _url("grading:assessment_new", person.pk)),
        Action(_("Open a case"), _url("casework:case_create", query=f"person={person.pk}")),
        Action(_("Register a need"), _url("matching:need_create", query=f"person={person.pk}")),
    ]
    return [a for a in found if a.url]


def context(user: Any, person: Any) -> dict[str, Any]:
    return {
        "followup": followup(user, person),
        "open_cases": open_cases(user, person),
        "open_needs": open_needs(user, person),
        "actions": actions(user, person),
        "grading_url": _url("grading:person", person.pk) if can(user, Perm.VIEW) else "",
    }
