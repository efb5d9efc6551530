"""Writes of the instrument editor: keep a draft, publish it as a new
version (grading's service makes the version; past assessments keep the
version they were taken with), discard it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.actions import Action
from audit.services import audit_record
from configuration import instruments
from configuration.models import InstrumentDraft
from configuration.services import may_edit
from core.access import Perm, require
from grading.services import instrument_version_publish

if TYPE_CHECKING:
    from accounts.models import User
    from grading.models import Instrument, InstrumentVersion


def _require_editor(actor: Any) -> None:
    require(actor, Perm.CONFIG_MANAGE)
    if not may_edit(actor):
        raise PermissionDenied


def published_state(instrument: Instrument) -> instruments.State:
    current = instrument.current_version()
    return instruments.state_of(current.schema if current else None)


@transaction.atomic
def instrument_draft_save(
    *, actor: User, instrument: Instrument, content: instruments.State, note: str = ""
) -> InstrumentDraft | None:
    """Keep the rows as typed. A draft that says what the published version
    says is no draft: it is dropped instead."""
    _require_editor(actor)
    draft = InstrumentDraft.objects.select_for_update().filter(instrument=instrument).first()
    if content == published_state(instrument) and not note:
        if draft is not None:
            draft.delete()
            audit_record(
                actor=actor,
                action=Action.CONFIGURATION_INSTRUMENT_DRAFT,
                target=instrument,
                unit=actor.unit,
                note=_("Draft discarded"),
            )
        return None
    if draft is not None and draft.content == content and draft.note == note:
        return draft
    created = draft is None
    draft = draft or InstrumentDraft(instrument=instrument)
    draft.content, draft.note, draft.saved_by = content, note, actor
    draft.save()
    audit_record(
        actor=actor,
        action=Action.CONFIGURATION_INSTRUMENT_DRAFT,
        target=instrument,
        unit=actor.unit,
        note=note or (_("Draft started") if created else _("Draft saved")),
    )
    return draft


@transaction.atomic
def instrument_draft_discard(*, actor: User, instrument: Instrument) -> None:
    instrument_draft_save(actor=actor, instrument=instrument, content=published_state(instrument))


@transaction.atomic
def instrument_publish(
    *, actor: User, instrument: Instrument, content: instruments.State, note: str
) -> InstrumentVersion:
    """Publish the rows as the instrument's next version; the draft goes."""
    _require_editor(actor)
    schema, errors, general = instruments.check(content)
    if schema is None:
        raise ValidationError([*general, *errors.values()])
    if not note.strip():
        raise ValidationError({"note": _("Say in a few words what changed: the list of versions shows it.")})
    if content == published_state(instrument):
        raise ValidationError(_("Nothing changed since the published version."))
    version = instrument_version_publish(actor=actor, instrument=instrument, schema=schema, note=note.strip())
    InstrumentDraft.objects.filter(instrument=instrument).delete()
    return version
