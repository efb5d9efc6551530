"""How the audit log page words a stored event: the action's label, each
changed field by its model's verbose_name, values by their choice labels.

Events store `changes` as {field: [before, after]} (a diff) or {key: value}
(a fact such as an export's row count); both are shown as stored."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from audit.models import AuditEvent

# Keys that are not fields of the event's target (facts about a batch, or
# about a related record).
KEY_LABELS = {
    "rows": gettext_lazy("rows"),
    "unmasked": gettext_lazy("unmasked"),
    "needs": gettext_lazy("open needs"),
    "member": gettext_lazy("member"),
    "session": gettext_lazy("session"),
    "members scored": gettext_lazy("members scored"),
    "goal": gettext_lazy("goal"),
    "note": pgettext_lazy("case note", "note"),
    "planned": gettext_lazy("service planned"),
    "delivered": gettext_lazy("service delivered"),
    "attachment": gettext_lazy("attachment"),
    "photo": gettext_lazy("photo"),
    "person": gettext_lazy("resident"),
    "volunteer": gettext_lazy("volunteer"),
    "training": gettext_lazy("training"),
    "award": gettext_lazy("award"),
    "rating": gettext_lazy("rating"),
    "offer": gettext_lazy("offer"),
    "instrument": gettext_lazy("instrument"),
    "total": gettext_lazy("total score"),
    "rules": gettext_lazy("rules"),
    "graded": gettext_lazy("graded"),
    "changed": gettext_lazy("card changed"),
    "kept_manual": gettext_lazy("card set by hand kept"),
    "assigned": gettext_lazy("worker assigned"),
    "unchanged": gettext_lazy("unchanged"),
    "guardian": gettext_lazy("guardian"),
    "category": gettext_lazy("category"),
    "proposal": gettext_lazy("proposal"),
}


def _target_model(event: AuditEvent) -> type[models.Model] | None:
    if not event.target_type:
        return None
    try:
        return apps.get_model(event.target_type)
    except (LookupError, ValueError):
        return None


def _field(model: type[models.Model] | None, key: str) -> models.Field | None:  # type: ignore[type-arg]
    if model is None:
        return None
    try:
        field = model._meta.get_field(key)
    except FieldDoesNotExist:
        return None
    return field if isinstance(field, models.Field) else None


def _value(field: models.Field | None, value: Any) -> str:  # type: ignore[type-arg]
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        return "、".join(_value(field, v) for v in value) or "—"
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field is not None and field.is_relation and field.related_model is not None and type(value) is int:
        # Diffs usually store the related record's name; some store its id.
        related = field.related_model._default_manager.filter(pk=value).first()
        if related is not None:
            return str(related)
    return str(value)


def change_rows(event: AuditEvent) -> list[tuple[str, str]]:
    """(label, text) for each stored change: "before → after" for a diff,
    the value alone for a fact or for a value set where there was none."""
    model = _target_model(event)
    rows = []
    for key, stored in (event.changes or {}).items():
        field = _field(model, key)
        label = str(field.verbose_name) if field is not None else str(KEY_LABELS.get(key, key))
        if isinstance(stored, list) and len(stored) == 2:
            before, after = stored
            if before is None or before == "":
                text = _value(field, after)
            else:
                text = f"{_value(field, before)} → {_value(field, after)}"
        else:
            text = _value(field, stored)
        rows.append((label, text))
    return rows
