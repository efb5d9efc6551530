"""The duplicate finder: pairs of residents' files in the user's scope that
are likely the same person, by rule.

Each rule is one grouping query (GROUP BY its key HAVING COUNT > 1) over the
user's scoped residents, then one query fetches the members of the groups
found: a fixed number of queries however many residents there are, and no
comparison of files pair by pair in Python.

- same name (by pinyin) and birth date: the index `person_pinyin_birth`;
- same phone and address: the phone's digits (`phone_tail`, indexed) and the
  address with spaces, dashes and case taken out.

A third rule, the same resident ID, needs no finder: the registry holds each
ID once (a unique index on its keyed hash), so a second file with a known ID
is refused when it is entered, naming the existing one.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

from django.conf import settings
from django.db.models import Count, F, Q, QuerySet, Value
from django.db.models.functions import Coalesce, Lower, NullIf, Replace
from django.utils.translation import gettext_lazy as _

from people.models import DuplicateDismissal, Person
from people.selectors import persons_visible

RULES = {
    "name_birth": _("same name and birth date"),
    "phone_address": _("same phone and address"),
}

# How many groups of each rule one page of the finder shows (a district with
# more works through them and comes back).
GROUP_LIMIT: int = getattr(settings, "LINLI_DUPLICATE_GROUP_LIMIT", 100)


@dataclass
class Pair:
    first: Person  # the lower id
    second: Person
    rules: list[str] = field(default_factory=list)

    @property
    def rule_labels(self) -> list[str]:
        return [str(RULES[r]) for r in self.rules]


def address_key() -> Any:
    """The address a rule compares: the actual residence, else the registered
    one, without spaces (ASCII and full-width), dashes or case."""
    text: Any = Coalesce(NullIf(F("actual_address"), Value("")), F("registered_address"))
    for gap in (" ", "\u3000", "-", "－"):
        text = Replace(text, Value(gap), Value(""))
    return Lower(text)


def candidates(user: Any) -> QuerySet[Person]:
    """Files a duplicate may be among: in scope, not merged away, not anonymised."""
    return persons_visible(user).filter(merged_into__isnull=True, anonymised_at__isnull=True)


def _groups(qs: QuerySet[Person], keys: tuple[str, ...], limit: int) -> list[tuple[Any, ...]]:
    rows = qs.order_by().values(*keys).annotate(n=Count("pk")).filter(n__gt=1).order_by(*keys)[:limit]
    return [tuple(r[k] for k in keys) for r in rows]


def duplicate_pairs(user: Any, *, limit: int = GROUP_LIMIT) -> list[Pair]:
    """Likely duplicates in the user's scope, each pair once with every rule it
    matches; pairs marked "not a duplicate" are left out."""
    base = candidates(user)
    by_name = _groups(base.exclude(name_pinyin=""), ("name_pinyin", "birth_date"), limit)
    keyed = base.exclude(phone_tail="").annotate(addr=address_key()).exclude(addr="")
    by_phone = _groups(keyed, ("phone_tail", "addr"), limit)
    if not by_name and not by_phone:
        return []
    match = Q(pk__in=[])
    for pinyin, born in by_name:
        match |= Q(name_pinyin=pinyin, birth_date=born)
    for tail, addr in by_phone:
        match |= Q(phone_tail=tail, addr=addr)
    members = list(base.annotate(addr=address_key()).filter(match).select_related("grade").order_by("pk"))
    found: dict[tuple[int, int], Pair] = {}
    for rule, groups, key in (
        ("name_birth", set(by_name), lambda p: (p.name_pinyin, p.birth_date)),
        ("phone_address", set(by_phone), lambda p: (p.phone_tail, p.addr)),
    ):
        grouped: dict[tuple[Any, ...], list[Person]] = defaultdict(list)
        for person in members:
            if key(person) in groups:
                grouped[key(person)].append(person)
        for people in grouped.values():
            for a, b in combinations(people, 2):
                found.setdefault((a.pk, b.pk), Pair(a, b)).rules.append(rule)
    if not found:
        return []
    ids = {pk for pair in found for pk in pair}
    dismissed = set(
        DuplicateDismissal.objects.filter(first_id__in=ids, second_id__in=ids).values_list("first_id", "second_id")
    )
    return [pair for key, pair in sorted(found.items()) if key not in dismissed]
