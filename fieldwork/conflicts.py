"""Conflicts of a visit recorded offline: what changed on the server since
the phone last knew the person. The phone sends what it knew (the last visit
it had seen, the card, the person's status); the server compares with now and
answers with the differences in the user's language, saving nothing, so that
the worker decides: keep both, discard theirs, or edit."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _

from grading.models import Card, PersonGrade, Visit
from people.models import Person, PersonStatus


@dataclass(frozen=True)
class Known:
    """What the phone knew when the visit was typed (fieldwork.selectors)."""

    visit: int = 0
    card: str = ""
    status: str = PersonStatus.ACTIVE

    @classmethod
    def from_post(cls, data: Any) -> Known:
        visit = str(data.get("known_visit", "") or "0")
        return cls(
            visit=int(visit) if visit.isdigit() and len(visit) < 12 else 0,
            card=str(data.get("known_card", ""))[:10],
            status=str(data.get("known_status", "") or PersonStatus.ACTIVE)[:10],
        )


@dataclass
class Conflicts:
    messages: list[str] = field(default_factory=list)
    # the server's values now: the phone's "edit" sends these as what it knows
    current: dict[str, Any] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.messages)


def _card_label(code: str) -> str:
    return str(dict(Card.choices).get(code, code or "—"))


def visit_conflicts(*, actor: Any, person: Person, known: Known) -> Conflicts:
    """The differences between what the phone knew and now. A visit the same
    worker logged elsewhere is not a colleague's visit and is not reported."""
    found = Conflicts()
    others = list(
        Visit.objects.filter(person=person, pk__gt=known.visit)
        .exclude(visitor=actor)
        .order_by("visited_on", "pk")
        .values("pk", "visited_on", "visitor_name", "mode")
    )
    latest = Visit.objects.filter(person=person).order_by("-pk").values_list("pk", flat=True).first() or 0
    from grading.models import VisitMode

    modes = dict(VisitMode.choices)
    for v in others:
        found.messages.append(
            _("%(who)s logged a visit on %(day)s (%(mode)s) after your phone last saw this person.")
            % {
                "who": v["visitor_name"] or _("A colleague"),
                "day": date_format(v["visited_on"], "Y-m-d"),
                "mode": modes.get(v["mode"], v["mode"]),
            }
        )
    card = PersonGrade.objects.filter(person=person).values_list("card", flat=True).first() or ""
    if known.card and card and card != known.card:
        found.messages.append(
            _("The card changed from %(old)s to %(new)s.") % {"old": _card_label(known.card), "new": _card_label(card)}
        )
    if person.status != PersonStatus.ACTIVE and person.status != known.status:
        since = date_format(person.status_on, "Y-m-d") if person.status_on else ""
        words = {
            PersonStatus.MOVED: _("This person has moved away (since %(day)s)."),
            PersonStatus.DECEASED: _("This person has died (since %(day)s)."),
            PersonStatus.ENDED: _("The service for this person has ended (since %(day)s)."),
        }
        found.messages.append(words.get(PersonStatus(person.status), words[PersonStatus.ENDED]) % {"day": since or "—"})
    found.current = {"visit": latest, "card": card, "status": person.status}
    return found
