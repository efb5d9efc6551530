"""Categories a resident holds, and the local tags an administrator defines."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.actions import Action
from audit.services import audit_record
from core import identity
from core.access import Perm, require, require_unit_in_scope
from people import followup, rules
from people.models import CategoryGroup, CategoryType, Person, PersonCategory

if TYPE_CHECKING:
    from accounts.models import User


@transaction.atomic
def category_add(
    *,
    actor: User,
    person: Person,
    category: CategoryType,
    start_date: dt.date,
    end_date: dt.date | None = None,
    subtype: str = "",
    grade: int | None = None,
    evidence: str = "",
) -> PersonCategory:
    require(actor, Perm.RECORD_EDIT)
    require_unit_in_scope(actor, person.unit)
    if not category.active:
        raise ValidationError({"category": _("This category is no longer in use.")})
    errors: dict[str, str] = {}
    if start_date > timezone.localdate():
        errors["start_date"] = _("The start date cannot be in the future.")
    if end_date and end_date < start_date:
        errors["end_date"] = _("The end date is before the start date.")
    allowed = dict(rules.SUBTYPES.get(category.code, []))
    if subtype and subtype not in allowed:
        errors["subtype"] = _("This subtype does not belong to %(cat)s.") % {"cat": category.name}
    if category.code in {"disability", "child_plight"} and not subtype:
        errors["subtype"] = _("Choose the kind for %(cat)s.") % {"cat": category.name}
    bounds = rules.GRADES.get(category.code)
    if bounds:
        if grade is None:
            errors["grade"] = _("Enter the grade or level (%(lo)s–%(hi)s).") % {"lo": bounds[0], "hi": bounds[1]}
        elif not bounds[0] <= grade <= bounds[1]:
            errors["grade"] = _("The grade or level must be between %(lo)s and %(hi)s.") % {
                "lo": bounds[0],
                "hi": bounds[1],
            }
    elif grade is not None:
        errors["grade"] = _("%(cat)s has no grade.") % {"cat": category.name}
    overlapping = person.categories.filter(category=category, start_date__lte=end_date or dt.date.max).exclude(
        end_date__lt=start_date
    )
    if overlapping.exists():
        errors["start_date"] = _("The person already holds %(cat)s in this period.") % {"cat": category.name}
    if errors:
        raise ValidationError(errors)
    held = PersonCategory.objects.create(
        person=person,
        category=category,
        start_date=start_date,
        end_date=end_date,
        subtype=subtype,
        grade=grade,
        evidence=identity.normalise_text(evidence),
    )
    audit_record(
        actor=actor,
        action=Action.PERSON_CATEGORY_ADD,
        target=person,
        changes={"category": [None, category.name], "start_date": [None, start_date.isoformat()]},
    )
    followup.enrol(actor=actor, persons=[person], why=_("Category added: %(cat)s") % {"cat": category.name})
    return held


@transaction.atomic
def category_end(*, actor: User, held: PersonCategory, end_date: dt.date) -> PersonCategory:
    require(actor, Perm.RECORD_EDIT)
    require_unit_in_scope(actor, held.person.unit)
    if end_date < held.start_date:
        raise ValidationError({"end_date": _("The end date is before the start date.")})
    before = held.end_date
    held.end_date = end_date
    held.save(update_fields=["end_date"])
    audit_record(
        actor=actor,
        action=Action.PERSON_CATEGORY_END,
        target=held.person,
        changes={"end_date": [before and before.isoformat(), end_date.isoformat()], "category": held.category.name},
    )
    followup.enrol(actor=actor, persons=[held.person], why=_("Category ended: %(cat)s") % {"cat": held.category.name})
    return held


@transaction.atomic
def persons_tag(*, actor: User, persons: QuerySet[Person], tag: CategoryType, on: dt.date | None = None) -> int:
    """Give the selected residents a local tag from `on` (today); those who
    already hold it are left as they are. All or nothing; audited per person.
    Returns how many were tagged."""
    require(actor, Perm.RECORD_EDIT)
    if tag.group != CategoryGroup.CUSTOM or not tag.active:
        raise ValidationError({"tag": _("Choose a local tag that is in use.")})
    on = on or timezone.localdate()
    chosen = list(persons.select_related("unit"))
    for person in chosen:
        require_unit_in_scope(actor, person.unit)
    holding = set(
        PersonCategory.objects.filter(person__in=chosen, category=tag, start_date__lte=on)
        .exclude(end_date__lt=on)
        .values_list("person_id", flat=True)
    )
    tagged = [p for p in chosen if p.pk not in holding]
    PersonCategory.objects.bulk_create([PersonCategory(person=p, category=tag, start_date=on) for p in tagged])
    followup.categories_changed(persons=tagged)
    for person in tagged:
        audit_record(
            actor=actor,
            action=Action.PERSON_TAG,
            target=person,
            changes={"category": [None, tag.name], "start_date": [None, on.isoformat()]},
        )
    return len(tagged)
