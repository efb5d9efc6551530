"""Needs without a catalogue type: the one mapping rule, and the services that
give such needs a type (one by one from the review page, or every clear case
at once from the page or `manage.py map_need_types`); the check of a
catalogue entry's names, which the rule reads (the entries themselves are
edited in the configuration area's catalogue pages).

A need is *untyped* when its `need_type` is not the code of an active
`NeedType`: older visits wrote the first line of free text there ("助餐"),
which the engine cannot pair with any offer ("助餐送餐" is `meals`)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.actions import Action
from audit.services import audit_record
from core.access import Perm, require, require_unit_in_scope
from matching.models import Need, NeedStatus, NeedType

# Punctuation and spaces that do not change what a need is ("助餐。" = "助餐").
_NOISE = re.compile(r"[\s,.;:!?，。；：！？、（）()]+")


def _key(text: str) -> str:
    first = (text or "").strip().splitlines()[0] if (text or "").strip() else ""
    return _NOISE.sub("", first).casefold()


@dataclass(frozen=True)
class TypeMatch:
    """What the rule says about one text: the type when exactly one fits,
    otherwise the types that fit equally well (none, or several)."""

    need_type: NeedType | None
    candidates: tuple[NeedType, ...]

    @property
    def ambiguous(self) -> bool:
        return self.need_type is None and len(self.candidates) > 1


def need_type_match(text: str, types: Iterable[NeedType]) -> TypeMatch:
    """The catalogue type a free text means, when that is unambiguous.

    1. The text is a type's code, name or one of its other names → that type.
    2. Otherwise: a type's name starts with or contains the text (two
       characters or more), or the text contains the name or one of the
       other names → that type when it is the only one.
    A tier with several types is ambiguous and stops there."""
    key = _key(text)
    types = list(types)
    if not key:
        return TypeMatch(None, ())

    def words(t: NeedType) -> list[str]:
        return [w for w in (_key(a) for a in (t.aliases or [])) if w]

    exact = [t for t in types if key in (t.code.casefold(), _key(t.name), *words(t))]
    if not exact:
        exact = [
            t
            for t in types
            if (len(key) >= 2 and key in _key(t.name))
            or _key(t.name) in key
            or any(len(w) >= 2 and w in key for w in words(t))
        ]
    if len(exact) == 1:
        return TypeMatch(exact[0], (exact[0],))
    return TypeMatch(None, tuple(exact))


def active_types() -> list[NeedType]:
    return list(NeedType.objects.filter(active=True).select_related("domain"))


def _assign(actor: Any, need: Need, need_type: NeedType, action: Action) -> Need:
    before = need.need_type
    need.need_type = need_type.code
    need.domain = need_type.domain
    need.save(update_fields=["need_type", "domain", "updated_at"])
    audit_record(actor=actor, action=action, target=need, changes={"need_type": [before, need_type.code]})
    return need


@transaction.atomic
def need_type_assign(*, actor: Any, need: Need, need_type: NeedType | None) -> Need:
    """Give an open need its catalogue type (the review page's choice)."""
    require(actor, Perm.RECORD_EDIT)
    require_unit_in_scope(actor, need.unit)
    if need_type is None or not need_type.active:
        raise ValidationError({"need_type": _("Choose a kind of help from the catalogue.")})
    need = Need.objects.select_for_update().get(pk=need.pk)
    if need.status != NeedStatus.OPEN:
        raise ValidationError(_("Only an open need can be given a type."))
    return _assign(actor, need, need_type, Action.NEED_TYPE_ASSIGN)


@transaction.atomic
def needs_type_map(*, actor: Any, needs: Sequence[Need]) -> dict[str, int]:
    """Give every untyped open need among `needs` the type the rule finds,
    when it finds exactly one; the others stay for review. Returns counts
    (mapped, ambiguous, unmatched)."""
    require(actor, Perm.RECORD_EDIT)
    types = active_types()
    codes = {t.code for t in types}
    counts = {"mapped": 0, "ambiguous": 0, "unmatched": 0}
    for need in needs:
        require_unit_in_scope(actor, need.unit)
        if need.status != NeedStatus.OPEN or need.need_type in codes:
            continue
        found = need_type_match(need.need_type, types)
        if found.need_type is not None:
            _assign(actor, need, found.need_type, Action.NEED_TYPE_MAP)
            counts["mapped"] += 1
        else:
            counts["ambiguous" if found.ambiguous else "unmatched"] += 1
    return counts


ALIAS_MAX = 20


def need_type_name_problems(*, need_type: NeedType | None, name: str, aliases: Sequence[str]) -> dict[str, str]:
    """What is wrong with a catalogue entry's name and other names (the
    district's configuration page checks them): a word may name one entry
    only, or the mapping rule could not tell them apart."""
    name = name.strip()
    words = list(dict.fromkeys(w.strip() for w in aliases if w.strip()))
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = _("Give the kind of help a name.")
    taken: dict[str, str] = {}
    others = NeedType.objects.exclude(pk=need_type.pk) if need_type is not None else NeedType.objects.all()
    for other in others:
        for w in (other.name, *(other.aliases or [])):
            taken.setdefault(_key(w), other.name)
    if name and _key(name) in taken:
        errors["name"] = _("“%(word)s” already names %(other)s.") % {"word": name, "other": taken[_key(name)]}
    long = [w for w in words if len(w) > ALIAS_MAX]
    clash = [w for w in words if _key(w) in taken]
    if long:
        errors["aliases"] = _("Keep each other name within %(n)s characters: %(word)s") % {
            "n": ALIAS_MAX,
            "word": long[0],
        }
    elif clash:
        errors["aliases"] = _("“%(word)s” already names %(other)s.") % {
            "word": clash[0],
            "other": taken[_key(clash[0])],
        }
    return errors
