"""Merging two files of the same resident into one.

Everything that points at the merged file is moved to the kept one. The
relations are read from the model graph (`Person._meta`), so a new foreign
key to Person is re-pointed without anyone remembering it; RELATIONS names
how each known relation is handled, and a test fails on a relation missing
from it (a unique constraint needs a rule of its own, which a plain update
would break). The merged file stays as a tombstone (`merged_into`, status
merged): its links redirect to the kept file and no list or search shows it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.actions import Action
from audit.services import audit_record
from core import identity
from core.access import Perm, require, require_unit_in_scope
from people.models import DuplicateDismissal, Household, Person, PersonStatus, Relation
from people.search_keys import fill_search_keys

# The fields the merge page offers a choice for: the kept file's value unless
# the merged file's is chosen. `household` moves with the relation to its head
# and `location` is the pair of coordinates.
CHOICE_FIELDS = (
    "name",
    "sex",
    "birth_date",
    "unit",
    "phone",
    "phone2",
    "registered_address",
    "actual_address",
    "household",
    "location",
    "notes",
)
_MOVES = {"household": ("household", "relation"), "location": ("latitude", "longitude")}

Handler = Callable[[Person, Person], int]


def reverse_relations() -> list[models.ForeignKey[Any, Any]]:
    """Every foreign key (and one-to-one) to Person, hidden ones included."""
    return [
        rel.field
        for rel in Person._meta.get_fields(include_hidden=True)
        if isinstance(rel, models.ForeignObjectRel) and isinstance(rel.field, models.ForeignKey)
    ]


def is_set_link(fk: models.ForeignKey[Any, Any]) -> bool:
    """A row of a many-to-many field's own table (Django makes it)."""
    return bool(fk.model._meta.auto_created)


def relation_label(fk: models.ForeignKey[Any, Any]) -> str:
    return f"{fk.model._meta.label}.{fk.name}"


def _unique_with(fk: models.ForeignKey[Any, Any]) -> bool:
    """Whether the field takes part in a uniqueness a plain update could break."""
    meta = fk.model._meta
    if fk.unique:
        return True
    together = [set(t) for t in meta.unique_together]
    together += [set(c.fields) for c in meta.constraints if isinstance(c, models.UniqueConstraint)]
    return any(fk.name in t for t in together)


def _repoint(fk: models.ForeignKey[Any, Any]) -> Handler:
    def run(kept: Person, merged: Person) -> int:
        return int(fk.model._default_manager.filter(**{fk.name: merged}).update(**{fk.name: kept}))

    return run


def _drop(fk: models.ForeignKey[Any, Any]) -> Handler:
    def run(kept: Person, merged: Person) -> int:
        return int(fk.model._default_manager.filter(**{fk.name: merged}).delete()[0])

    return run


def _repoint_unique(
    fk: models.ForeignKey[Any, Any], others: tuple[str, ...], absorb: Callable[[Any, Any], None]
) -> Handler:
    """Re-point rows unique per (other fields, person): where the kept file
    already has the row, `absorb(kept_row, merged_row)` folds the merged row
    into it and the merged row goes."""

    def run(kept: Person, merged: Person) -> int:
        manager = fk.model._default_manager
        theirs = {tuple(getattr(r, f"{o}_id") for o in others): r for r in manager.filter(**{fk.name: kept})}
        moved = 0
        for row in manager.filter(**{fk.name: merged}).order_by("pk"):
            key = tuple(getattr(row, f"{o}_id") for o in others)
            if key in theirs:
                absorb(theirs[key], row)
                row.delete()
            else:
                setattr(row, fk.name, kept)
                row.save(update_fields=[fk.name])
            moved += 1
        return moved

    return run


def _absorb_signup(kept_row: Any, row: Any) -> None:
    # Attended under either file is attended once (counting.md: one person-time).
    if row.attended and not kept_row.attended:
        kept_row.attended = True
        kept_row.save(update_fields=["attended"])


def _absorb_member(kept_row: Any, row: Any) -> None:
    """A group member twice: the sessions attended as either member count once."""
    attendance = row.attendance.model._default_manager
    present = set(attendance.filter(member=kept_row).values_list("session_id", flat=True))
    attendance.filter(member=row, session_id__in=present).delete()
    attendance.filter(member=row).update(member=kept_row)
    for score in ("pre_score", "post_score"):
        if getattr(kept_row, score) is None and getattr(row, score) is not None:
            setattr(kept_row, score, getattr(row, score))
    kept_row.joined_on = min(kept_row.joined_on, row.joined_on)
    kept_row.save()


def _grade(kept: Person, merged: Person) -> int:
    """The current card: the more urgent of the two (the grading rules give a
    person the most urgent card any rule gives), its history joined, the
    follow-up due date worked out again from the later of the last visits."""
    from grading.models import PersonGrade
    from grading.selectors_config import policy_for
    from grading.services.due import refresh_due

    grades = {g.person_id: g for g in PersonGrade.objects.select_for_update().filter(person__in=[kept, merged])}
    mine, theirs = grades.get(kept.pk), grades.get(merged.pk)
    if theirs is None:
        return 0
    if mine is not None:
        keep, drop = (theirs, mine) if theirs.card_rank < mine.card_rank else (mine, theirs)
        visits = [d for d in (mine.last_visit_on, theirs.last_visit_on) if d]
        firsts = [d for d in (mine.first_graded_on, theirs.first_graded_on) if d]
        keep.last_visit_on = max(visits) if visits else None
        keep.first_graded_on = min(firsts) if firsts else None
        keep.responsible = keep.responsible or drop.responsible
        drop.delete()
    else:
        keep = theirs
    keep.person = kept
    keep.unit = kept.unit
    refresh_due(keep, policy_for(kept.unit))
    keep.save()
    return 1


def _household_head(kept: Person, merged: Person) -> int:
    """A household the merged file headed: the kept file heads it if it now
    lives there, else the household has no head until one is named."""
    heads = Household.objects.filter(head=merged)
    mine = heads.filter(pk=kept.household_id) if kept.household_id else heads.none()
    n = mine.update(head=kept) if kept.relation == Relation.HEAD else 0
    return n + heads.update(head=None)


def _categories(kept: Person, merged: Person) -> int:
    """Categories held: the same category over the same dates is held once."""
    from people.models import PersonCategory

    same = ("category_id", "start_date", "end_date", "subtype", "grade")
    held = {tuple(getattr(c, f) for f in same) for c in PersonCategory.objects.filter(person=kept)}
    n = 0
    for c in PersonCategory.objects.filter(person=merged):
        if tuple(getattr(c, f) for f in same) in held:
            c.delete()
        else:
            c.person = kept
            c.save(update_fields=["person"])
        n += 1
    return n


def _guardians(kept: Person, merged: Person) -> int:
    from people.models import Guardian

    known = {(g.name, g.relation, g.phone) for g in Guardian.objects.filter(person=kept)}
    n = 0
    for g in Guardian.objects.filter(person=merged):
        if (g.name, g.relation, g.phone) in known:
            g.delete()
        else:
            g.person = kept
            g.save(update_fields=["person"])
        n += 1
    return n


def _dismissals(kept: Person, merged: Person) -> int:
    # The merged file is gone from the finder; what was said about it goes too.
    return int(DuplicateDismissal.objects.filter(models.Q(first=merged) | models.Q(second=merged)).delete()[0])


def relation_handlers() -> dict[str, Handler]:
    """How each known relation to Person is carried over. Plain relations are
    re-pointed; the others say what they do with a clash."""
    fks = {relation_label(fk): fk for fk in reverse_relations()}

    def plain(label: str) -> Handler | None:
        return _repoint(fks[label]) if label in fks else None

    special: dict[str, Handler | None] = {
        "people.Household.head": _household_head,
        "people.PersonCategory.person": _categories,
        "people.Guardian.person": _guardians,
        "people.Person.merged_into": plain("people.Person.merged_into"),  # older tombstones follow
        "people.DuplicateDismissal.first": _dismissals,
        "people.DuplicateDismissal.second": lambda kept, merged: 0,  # done with .first
        "grading.PersonGrade.person": _grade,
    }
    if "casework.ActivitySignup.person" in fks:
        special["casework.ActivitySignup.person"] = _repoint_unique(
            fks["casework.ActivitySignup.person"], ("activity",), _absorb_signup
        )
    if "casework.GroupMember.person" in fks:
        special["casework.GroupMember.person"] = _repoint_unique(
            fks["casework.GroupMember.person"], ("group",), _absorb_member
        )
    handlers: dict[str, Handler] = {}
    for label, fk in fks.items():
        if is_set_link(fk):
            # A many-to-many link holds a set: the kept file joins the set once.
            others = tuple(f.name for f in fk.model._meta.concrete_fields if f.is_relation and f.name != fk.name)
            handlers[label] = _repoint_unique(fk, others, lambda kept_row, row: None)
        elif label in special:
            handler = special[label]
            if handler is not None:
                handlers[label] = handler
        elif not _unique_with(fk):
            handlers[label] = _repoint(fk)
    return handlers


# Relations that a plain re-point carries over correctly (the guard test
# compares this list with the model graph, so a new relation is looked at once).
PLAIN = frozenset(
    {
        "people.Consent.person",
        "people.DataRequest.person",
        "grading.Assessment.person",
        "grading.CardChange.person",
        "grading.Visit.person",
        "grading.MajorEvent.person",
        "matching.Need.person",
        "matching.Wish.person",
        "casework.Case.person",
        "casework.InboundReferral.person",
    }
)
SPECIAL = frozenset(
    {
        "people.Household.head",
        "people.PersonCategory.person",
        "people.Guardian.person",
        "people.Person.merged_into",
        "people.DuplicateDismissal.first",
        "people.DuplicateDismissal.second",
        "grading.PersonGrade.person",
        "casework.ActivitySignup.person",
        "casework.GroupMember.person",
    }
)


# ---------------------------------------------------------------- the merge


def merge_refusal(actor: Any, kept: Person, merged: Person) -> str | None:
    """Why these two files cannot be merged, or None."""
    if kept.pk == merged.pk:
        return _("A file cannot be merged with itself.")
    for p in (kept, merged):
        if p.merged_into_id:
            return _("%(name)s (file no. %(pk)s) was already merged into another file.") % {"name": p.name, "pk": p.pk}
        if p.anonymised_at:
            return _("An anonymised file cannot be merged.")
    if kept.id_hash and merged.id_hash and kept.id_hash != merged.id_hash:
        return _(
            "The two files carry different resident ID numbers, so they are two people: correct the wrong "
            "number first if one was mistyped."
        )
    return None


def _value(person: Person, choice: str) -> tuple[Any, ...]:
    values = (getattr(person, f) for f in _MOVES.get(choice, (choice,)))
    return tuple(identity.normalise_text(v) if isinstance(v, str) else v for v in values)


def differing_fields(kept: Person, merged: Person) -> list[str]:
    """The choice fields where the two files disagree."""
    return [f for f in CHOICE_FIELDS if _value(kept, f) != _value(merged, f)]


@transaction.atomic
def person_merge(*, actor: Any, kept: Person, merged: Person, take: Iterable[str] = ()) -> dict[str, int]:
    """Merge `merged` into `kept`, taking the merged file's values of the
    fields named in `take` (CHOICE_FIELDS). One transaction, one audit event
    with what moved (counts, never an ID number). Returns {relation: rows}."""
    require(actor, Perm.RECORD_MERGE)
    require_unit_in_scope(actor, kept.unit)
    require_unit_in_scope(actor, merged.unit)
    kept, merged = (
        Person.objects.select_for_update(of=("self",)).select_related("unit", "household").get(pk=p.pk)
        for p in (kept, merged)
    )
    refusal = merge_refusal(actor, kept, merged)
    if refusal:
        raise ValidationError(refusal)
    take = set(take)
    unknown = take - set(CHOICE_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown fields: %(fields)s.") % {"fields": ", ".join(sorted(unknown))})
    before = {f: _shown(kept, f) for f in CHOICE_FIELDS}
    old_household = kept.household
    for choice in take:
        for f in _MOVES.get(choice, (choice,)):
            setattr(kept, f, getattr(merged, f))
    if kept.household is not None and kept.household.unit_id != kept.unit_id:
        raise ValidationError({"household": _("The household belongs to another community.")})
    if old_household is not None and old_household != kept.household and old_household.head_id == kept.pk:
        old_household.head = None  # the kept file moved to the other household
        old_household.save(update_fields=["head", "updated_at"])
    number = identity.decrypt(kept.id_cipher or merged.id_cipher) if (kept.id_cipher or merged.id_cipher) else ""
    took_id = bool(number and not kept.id_cipher)
    if number:  # the ID decides the birth date and sex (core.identity.reconcile_identity)
        parsed = identity.parse_resident_id(number)
        kept.birth_date, kept.sex = parsed.birth_date, parsed.sex
    kept.custom = {**(merged.custom or {}), **(kept.custom or {})}
    if not kept.is_active and merged.is_active:  # a file still served keeps being served
        kept.is_active, kept.status, kept.status_on, kept.status_reason = True, PersonStatus.ACTIVE, None, ""
    # The tombstone gives its ID up first: the keyed hash is unique.
    identity.store_id(merged, None)
    merged.merged_into, merged.is_active, merged.status = kept, False, PersonStatus.MERGED
    merged.status_on, merged.status_reason = timezone.localdate(), _("merged into file no. %(pk)s") % {"pk": kept.pk}
    merged.household, merged.relation = None, ""
    merged.save()
    if took_id:
        identity.store_id(kept, number)
    fill_search_keys(kept)
    kept.save()
    handlers = relation_handlers()
    moved: dict[str, int] = {}
    for fk in reverse_relations():
        label = relation_label(fk)
        if label not in handlers:
            raise ImproperlyConfigured(f"{label} is unique per person: give people/hygiene/merge.py a rule for it")
        n = handlers[label](kept, merged)
        if n:
            moved[label] = n
    changes = {f: [before[f], _shown(kept, f)] for f in CHOICE_FIELDS if before[f] != _shown(kept, f)}
    if took_id:
        changes["resident_id"] = ["", identity.mask_id(number)]
    changes["merged"] = [merged.pk, None]
    audit_record(
        actor=actor,
        action=Action.PERSON_MERGE,
        target=kept,
        changes=changes,
        note="; ".join(f"{label}: {n}" for label, n in sorted(moved.items())),
    )
    from people import followup

    followup.enrol(actor=actor, persons=[kept], why=_("Files merged"))
    return moved


def _shown(person: Person, choice: str) -> Any:
    """A choice field as the audit log keeps it (plain values, ids for records)."""
    values = [getattr(person, f"{f}_id" if f in ("unit", "household") else f) for f in _MOVES.get(choice, (choice,))]
    out = [v.isoformat() if hasattr(v, "isoformat") else (str(v) if v is not None else None) for v in values]
    return out[0] if len(out) == 1 else out
