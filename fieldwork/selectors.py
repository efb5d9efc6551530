"""What a worker's phone keeps for the day's visits: the minimum (issue 13,
PIPL's "minimum necessary"). Only the recipients on the user's own follow-up
list (grading's "mine"), and for each of them the card, the community, the
address, the phone and the last visit; no ID number, no case notes, no
findings. A child under 18 is kept as name, community and card only. Nothing
else about the person leaves the server for the phone."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from grading.models import Visit
from grading.selectors import followups
from people.models import PersonStatus

ADULT_AGE = 18
# A phone keeps at most this many recipients (a worker's list is far shorter).
MAX_PEOPLE = 500


def _age(birth: date | None, today: date) -> int | None:
    if birth is None:
        return None
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def is_child(birth: date | None, today: date) -> bool:
    age = _age(birth, today)
    return age is not None and age < ADULT_AGE


def field_people(user: Any, *, today: date | None = None) -> list[dict[str, Any]]:
    """The user's follow-ups as the phone stores them, most urgent first."""
    today = today or timezone.localdate()
    last = Visit.objects.filter(person=OuterRef("person_id")).order_by("-visited_on", "-pk")
    mine: Any = followups(user, today=today)  # annotated with `overdue`, which the stubs cannot see
    rows = (
        mine.select_related("person", "person__household", "unit")
        .annotate(last_visit_id=Subquery(last.values("pk")[:1]))
        .order_by("-overdue", "card_rank", "next_due", "person_id")[:MAX_PEOPLE]
    )
    people = []
    for g in rows:
        p = g.person
        entry: dict[str, Any] = {
            "id": p.pk,
            "name": p.name,
            "community": g.unit.name,
            "card": g.card,
            "card_label": str(g.get_card_display()),
            "next_due": g.next_due.isoformat() if g.next_due else None,
            "overdue": bool(g.overdue),
            # what the phone knew when the visit was typed: the server compares it with now
            "known": {"visit": g.last_visit_id or 0, "card": g.card, "status": p.status or PersonStatus.ACTIVE},
        }
        if not is_child(p.birth_date, today):
            household = p.household
            entry |= {
                "address": p.actual_address or (household.address if household else ""),
                "phone": p.phone,
                "last_visit_on": g.last_visit_on.isoformat() if g.last_visit_on else None,
            }
        people.append(entry)
    return people
