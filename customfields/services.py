"""Writes of custom-field definitions: one audited event each. A field's
code (and its kind) cannot change once a record holds a value for it: the
stored values are read by that code and in that shape."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.actions import Action
from audit.services import audit_record, diff, snapshot
from core.access import Perm, require, require_unit_in_scope, under
from core.identity import normalise_text
from customfields.models import TARGET_MODELS, CustomField, Kind, Target
from orgs.models import Level

CODE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
CHOICES_MAX = 30
FIELDS = ("target", "code", "label", "help_text", "kind", "choices", "required", "sensitive", "order", "active")


def values_exist(field: CustomField) -> bool:
    """Whether a record in the field's district holds a value under its code."""
    model = apps.get_model(TARGET_MODELS[field.target])
    return under(model.objects.all(), field.district).filter(custom__has_key=field.code).exists()


def _clean(
    *, target: str, code: str, label: str, kind: str, choices: Sequence[str], help_text: str
) -> tuple[str, str, list[str], str]:
    errors: dict[str, str] = {}
    if target not in Target.values:
        errors["target"] = _("Choose the records the field is for.")
    code = (code or "").strip()
    if not CODE.match(code):
        errors["code"] = _("Start the code with a small Latin letter; then letters, digits or _ (e.g. lives_alone).")
    label = normalise_text(label or "")
    if not label:
        errors["label"] = _("Give the field a label.")
    if kind not in Kind.values:
        errors["kind"] = _("Choose the kind of field.")
    options = list(dict.fromkeys(normalise_text(c) for c in choices if c and normalise_text(c)))
    if kind == Kind.CHOICE:
        if len(options) < 2:
            errors["choices"] = _("A choice field needs at least two choices, one per line.")
        elif len(options) > CHOICES_MAX or any(len(c) > 60 for c in options):
            errors["choices"] = _("At most %(n)s choices of up to 60 characters each.") % {"n": CHOICES_MAX}
    else:
        options = []
    if errors:
        raise ValidationError(errors)
    return code, label, options, normalise_text(help_text or "")


def _check_district(actor: Any, district: Any) -> None:
    require(actor, Perm.CONFIG_MANAGE)
    require_unit_in_scope(actor, district)
    if district.level != Level.DISTRICT:
        raise ValidationError(_("Custom fields are defined by the district."))


@transaction.atomic
def custom_field_create(
    *,
    actor: Any,
    district: Any,
    target: str,
    code: str,
    label: str,
    kind: str,
    help_text: str = "",
    choices: Sequence[str] = (),
    required: bool = False,
    sensitive: bool = False,
    order: int = 10,
) -> CustomField:
    _check_district(actor, district)
    code, label, options, help_text = _clean(
        target=target, code=code, label=label, kind=kind, choices=choices, help_text=help_text
    )
    if CustomField.objects.filter(district=district, target=target, code=code).exists():
        raise ValidationError({"code": _("These records already have a field with this code.")})
    field = CustomField.objects.create(
        district=district,
        target=target,
        code=code,
        label=label,
        help_text=help_text,
        kind=kind,
        choices=options,
        required=required,
        sensitive=sensitive,
        order=order,
    )
    audit_record(
        actor=actor, action=Action.CUSTOMFIELDS_FIELD_CREATE, target=field, changes=diff({}, snapshot(field, FIELDS))
    )
    return field


@transaction.atomic
def custom_field_update(
    *,
    actor: Any,
    field: CustomField,
    code: str,
    label: str,
    kind: str,
    help_text: str = "",
    choices: Sequence[str] = (),
    required: bool = False,
    sensitive: bool = False,
    order: int = 10,
    active: bool = True,
) -> CustomField:
    """Change a definition; retiring it (`active=False`) takes it off the
    forms while its stored values still show, marked as retired."""
    _check_district(actor, field.district)
    field = CustomField.objects.select_for_update().get(pk=field.pk)
    code, label, options, help_text = _clean(
        target=field.target, code=code, label=label, kind=kind, choices=choices, help_text=help_text
    )
    if (code != field.code or kind != field.kind) and values_exist(field):
        key = "code" if code != field.code else "kind"
        raise ValidationError({key: _("Records already hold values of this field: its code and kind stay.")})
    if (
        code != field.code
        and CustomField.objects.filter(district=field.district, target=field.target, code=code).exists()
    ):
        raise ValidationError({"code": _("These records already have a field with this code.")})
    before = snapshot(field, FIELDS)
    was_active = field.active
    for name, value in {
        "code": code,
        "label": label,
        "help_text": help_text,
        "kind": kind,
        "choices": options,
        "required": required,
        "sensitive": sensitive,
        "order": order,
        "active": active,
    }.items():
        setattr(field, name, value)
    field.save()
    action = Action.CUSTOMFIELDS_FIELD_UPDATE
    if was_active and not active:
        action = Action.CUSTOMFIELDS_FIELD_RETIRE
    elif active and not was_active:
        action = Action.CUSTOMFIELDS_FIELD_RESTORE
    audit_record(actor=actor, action=action, target=field, changes=diff(before, snapshot(field, FIELDS)))
    return field
