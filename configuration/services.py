"""Writes to the catalogues: add, change, retire, bring back. One
transaction and one audit event each, with the field diff the entry's page
shows as its history. Nothing is deleted: a retired value stays on the
records that hold it."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.actions import Action
from audit.services import audit_record, diff, snapshot
from configuration.catalogues import Catalogue
from core.access import Perm, can, require
from core.roles import Level

if TYPE_CHECKING:
    from django.db import models

    from accounts.models import User

CODE = re.compile(r"^[a-z][a-z0-9_-]*$")


def may_edit(user: Any) -> bool:
    """The district's administrators edit the catalogues; everyone who sees
    records may read them."""
    unit = getattr(user, "unit", None)
    return can(user, Perm.CONFIG_MANAGE) and unit is not None and unit.level == Level.DISTRICT


def may_view(user: Any) -> bool:
    return can(user, Perm.VIEW) or can(user, Perm.CONFIG_MANAGE)


def _require_editor(actor: Any) -> None:
    require(actor, Perm.CONFIG_MANAGE)
    if not may_edit(actor):
        raise PermissionDenied


def _fields(catalogue: Catalogue, *, new: bool) -> list[str]:
    names = list(catalogue.create_fields if new else catalogue.edit_fields)
    return [*names, *(f for f in catalogue.fixed if f not in names)] if new else names


def _tracked(catalogue: Catalogue) -> list[str]:
    active = [catalogue.active_field] if catalogue.retirable else []
    return list(dict.fromkeys([*catalogue.create_fields, *catalogue.fixed, *active]))


def _check(catalogue: Catalogue, values: dict[str, Any], entry: Any) -> None:
    """The rules every catalogue keeps (codes slug-like and unique, names
    unique within the catalogue) and the catalogue's own."""
    errors: dict[str, str] = {}
    model = catalogue.model
    others = model._default_manager.exclude(pk=entry.pk) if entry is not None else model._default_manager.all()
    code_field, name_field = catalogue.code_field, catalogue.name_field
    if entry is None and code_field:
        code = values.get(code_field) or ""
        if not CODE.match(code):
            errors[code_field] = _(
                "A code is lower-case Latin letters, digits, “-” and “_”, starting with a letter (e.g. elder_meal)."
            )
        elif others.filter(**{code_field: code}).exists():
            errors[code_field] = _("Another entry already has the code %(code)s.") % {"code": code}
    if name_field and name_field in values:
        name = (values.get(name_field) or "").strip()
        values[name_field] = name
        if not name:
            errors[name_field] = _("Give it a name.")
        elif catalogue.rows().exclude(pk=getattr(entry, "pk", None)).filter(**{name_field: name}).exists():
            errors[name_field] = _("%(name)s is already in this list.") % {"name": name}
    if catalogue.clean is not None:
        for key, message in catalogue.clean(values, entry).items():
            errors.setdefault(key, message)
    if errors:
        raise ValidationError(errors)


def _full_clean(entry: models.Model) -> None:
    # The model's own limits (lengths, choices), worded by Django in the user's language.
    entry.full_clean(validate_unique=False)


@transaction.atomic
def entry_create(*, actor: User, catalogue: Catalogue, **values: Any) -> models.Model:
    """Add an entry to a catalogue (in use from now on)."""
    _require_editor(actor)
    unknown = set(values) - set(catalogue.create_fields)
    if unknown:
        raise TypeError(f"unknown fields for {catalogue.slug}: {sorted(unknown)}")
    values = {**values, **catalogue.fixed}
    _check(catalogue, values, None)
    entry = catalogue.model(**values)
    _full_clean(entry)
    entry.save()
    audit_record(
        actor=actor,
        action=Action.CONFIGURATION_CREATE,
        target=entry,
        unit=actor.unit,
        changes=diff({}, snapshot(entry, _tracked(catalogue))),
    )
    return entry


@transaction.atomic
def entry_update(*, actor: User, catalogue: Catalogue, entry: models.Model, **values: Any) -> models.Model:
    """Change what an entry says; its code stays, because records hold it."""
    _require_editor(actor)
    unknown = set(values) - set(catalogue.edit_fields)
    if unknown:
        raise TypeError(f"unknown fields for {catalogue.slug}: {sorted(unknown)}")
    entry = catalogue.model._default_manager.select_for_update().get(pk=entry.pk)
    _check(catalogue, values, entry)
    before = snapshot(entry, _tracked(catalogue))
    for name, value in values.items():
        setattr(entry, name, value)
    _full_clean(entry)
    entry.save()
    changes = diff(before, snapshot(entry, _tracked(catalogue)))
    if changes:
        audit_record(actor=actor, action=Action.CONFIGURATION_UPDATE, target=entry, unit=actor.unit, changes=changes)
    return entry


@transaction.atomic
def entry_set_active(*, actor: User, catalogue: Catalogue, entry: models.Model, active: bool) -> models.Model:
    """Retire an entry (new records no longer offer it; those that hold it
    keep showing it) or bring a retired one back."""
    _require_editor(actor)
    if not catalogue.retirable:
        raise ValidationError(_("Entries of this list are changed, not retired."))
    entry = catalogue.model._default_manager.select_for_update().get(pk=entry.pk)
    if catalogue.is_active(entry) == active:
        return entry  # a second click changes nothing
    if not active and catalogue.keep is not None:
        reason = catalogue.keep(entry)
        if reason:
            raise ValidationError(reason)
    before = snapshot(entry, _tracked(catalogue))
    setattr(entry, catalogue.active_field, catalogue.active_value(active))
    entry.save(update_fields=[catalogue.active_field])
    audit_record(
        actor=actor,
        action=Action.CONFIGURATION_REACTIVATE if active else Action.CONFIGURATION_RETIRE,
        target=entry,
        unit=actor.unit,
        changes=diff(before, snapshot(entry, _tracked(catalogue))),
    )
    return entry
