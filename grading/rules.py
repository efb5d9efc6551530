"""Pure grading logic: turn a person's facts into a card with reasons, and
score an assessment against an instrument version. No database access."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from grading.models import CARD_RANK


@dataclass(frozen=True)
class RuleSpec:
    card: str
    reason: str
    categories: frozenset[str] = frozenset()
    min_age: int | None = None
    instrument: str | None = None  # instrument code
    min_level: int | None = None
    min_score: int | None = None

    @property
    def is_catch_all(self) -> bool:
        return not self.categories and self.min_age is None and self.instrument is None


@dataclass(frozen=True)
class Facts:
    categories: frozenset[str]
    age: int
    # instrument code → (level, total) of the latest assessment
    assessments: Mapping[str, tuple[int, int]] = field(default_factory=dict)


def fires(rule: RuleSpec, facts: Facts) -> bool:
    if rule.categories and not (rule.categories & facts.categories):
        return False
    if rule.min_age is not None and facts.age < rule.min_age:
        return False
    if rule.instrument is not None:
        latest = facts.assessments.get(rule.instrument)
        if latest is None:
            return False
        level, total = latest
        if rule.min_level is not None and level < rule.min_level:
            return False
        if rule.min_score is not None and total < rule.min_score:
            return False
    return True


def evaluate(rules: Iterable[RuleSpec], facts: Facts) -> tuple[str, list[str]] | None:
    """The most urgent card among the rules that fire, with the reasons of
    every fired rule of that card; None when no rule fires."""
    fired = [r for r in rules if fires(r, facts)]
    if not fired:
        return None
    card = min((r.card for r in fired), key=CARD_RANK.__getitem__)
    return card, [r.reason for r in fired if r.card == card]


def due_date(
    *, graded_on: date, card: str, interval_days: int, last_visit: date | None, event_due: date | None
) -> date:
    """Next follow-up: last visit + the card's interval (never visited: due
    the day of grading), brought forward by any open major event."""
    due = last_visit + timedelta(days=interval_days) if last_visit else graded_on
    if event_due is not None and event_due < due:
        due = event_due
    return due


def score(schema: Mapping, answers: Mapping[str, int]) -> tuple[dict[str, int], int, int, str, list[str]]:
    """Score answers ({item code: option index}) against an instrument
    schema. Returns (dimension scores, total, level, level name, missing item
    codes). Raises ValueError for an option index out of range."""
    dims: dict[str, int] = {}
    missing: list[str] = []
    for dim in schema["dimensions"]:
        subtotal = 0
        for item in dim["items"]:
            if item["code"] not in answers or answers[item["code"]] is None:
                missing.append(item["code"])
                continue
            index = answers[item["code"]]
            if not isinstance(index, int) or isinstance(index, bool) or not 0 <= index < len(item["options"]):
                raise ValueError(item["code"])
            subtotal += item["options"][index]["score"]
        dims[dim["code"]] = subtotal
    total = sum(dims.values())
    level, name = 0, ""
    for band in schema["levels"]:
        if band["min"] <= total <= band["max"]:
            level, name = band["level"], band["name"]
            break
    return dims, total, level, name, missing
