"""Writes: publishing a new version of an assessment instrument."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.actions import Action
from audit.services import audit_record
from core.access import Perm, require
from grading.models import (
    Instrument,
    InstrumentVersion,
)


def _schema_errors(schema: Any) -> list[str]:
    """Problems with an instrument schema, in the user's language."""
    errors: list[str] = []
    if not isinstance(schema, dict) or not isinstance(schema.get("dimensions"), list) or not schema["dimensions"]:
        return [_("Give at least one dimension with items.")]
    codes: set[str] = set()
    for dim in schema["dimensions"]:
        if not isinstance(dim, dict) or not dim.get("code") or not dim.get("name") or not dim.get("items"):
            errors.append(_("Every dimension needs a code, a name and items."))
            continue
        for item in dim["items"]:
            code = item.get("code") if isinstance(item, dict) else None
            if not code or not item.get("text"):
                errors.append(_("Every item needs a code and a text."))
                continue
            if code in codes:
                errors.append(_("Item code %(code)s is used twice.") % {"code": code})
            codes.add(code)
            options = item.get("options") or []
            if len(options) < 2 or any(
                not isinstance(o, dict) or not o.get("label") or not isinstance(o.get("score"), int) for o in options
            ):
                errors.append(
                    _("Item %(code)s needs at least two options, each with a label and a whole-number score.")
                    % {"code": code}
                )
    if errors:
        return errors
    top = sum(max(o["score"] for o in i["options"]) for d in schema["dimensions"] for i in d["items"])
    low = sum(min(o["score"] for o in i["options"]) for d in schema["dimensions"] for i in d["items"])
    levels = schema.get("levels") or []
    covered: set[int] = set()
    for band in levels:
        if not isinstance(band, dict) or not {"level", "name", "min", "max"} <= set(band):
            return [_("Every level needs a number, a name, a minimum and a maximum score.")]
        span = set(range(int(band["min"]), int(band["max"]) + 1))
        if span & covered:
            errors.append(_("Level bands overlap at %(score)s points.") % {"score": min(span & covered)})
        covered |= span
    gaps = sorted(set(range(low, top + 1)) - covered)
    if gaps:
        errors.append(
            _("Scores %(scores)s fall in no level: the bands must cover %(low)s–%(top)s.")
            % {"scores": ", ".join(str(g) for g in gaps[:5]), "low": low, "top": top}
        )
    return errors


@transaction.atomic
def instrument_version_publish(*, actor: Any, instrument: Instrument, schema: Any, note: str = "") -> InstrumentVersion:
    """Publish a new version of an instrument. Past assessments keep the
    version they were taken with."""
    require(actor, Perm.CONFIG_MANAGE)
    errors = _schema_errors(schema)
    if errors:
        raise ValidationError({"schema": errors})
    latest = instrument.versions.order_by("-number").first()
    version = InstrumentVersion.objects.create(
        instrument=instrument, number=(latest.number if latest else 0) + 1, schema=schema, note=note, created_by=actor
    )
    audit_record(
        actor=actor,
        action=Action.INSTRUMENT_PUBLISH,
        target=version,
        unit=actor.unit,
        changes={"version": [latest.number if latest else None, version.number]},
        note=note,
    )
    return version
