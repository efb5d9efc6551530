"""Writes: visits (with the needs they raise) and major events."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.actions import Action
from audit.services import audit_record
from core.access import Perm, require, require_unit_in_scope
from customfields.values import audit_snapshot, clean_custom
from grading import notices
from grading.models import (
    VISIT_NEED_NOTES_MAX,
    Card,
    EventKind,
    MajorEvent,
    PersonGrade,
    Visit,
    VisitMode,
)
from grading.selectors_config import policy_for
from grading.services.due import refresh_due
from grading.services.visit_record import Extras, visit_extras_apply, visit_extras_check, visit_extras_store
from people.models import Person


def _visit_need_types(need_type_ids: Sequence[int], notes: str, errors: dict[str, str]) -> list[Any]:
    """The catalogue types ticked on a visit, checked: known, active, not too
    many, and notes only with at least one type (a note alone cannot be matched)."""
    from matching.conf import visit_max_needs
    from matching.models import NeedType
    from matching.needtypes import active_types, need_type_match

    ids = list(dict.fromkeys(need_type_ids))
    types = list(NeedType.objects.filter(pk__in=ids, active=True).select_related("domain"))
    limit = visit_max_needs()
    if len(ids) > limit:
        errors["need_type_ids"] = _("Tick at most %(n)s kinds of help per visit.") % {"n": limit}
    elif len(types) != len(ids):
        errors["need_type_ids"] = _("A kind of help you ticked is not in the catalogue or no longer in use.")
    if len(notes) > VISIT_NEED_NOTES_MAX:
        errors["needs"] = _("Keep the notes on the needs within %(n)s characters.") % {"n": VISIT_NEED_NOTES_MAX}
    elif notes.strip() and not ids:
        guess = need_type_match(notes, active_types()).need_type
        errors["need_type_ids"] = (
            _("Tick the kind of help these notes are about (perhaps %(name)s).") % {"name": guess.name}
            if guess
            else _("Tick the kind of help these notes are about.")
        )
    return sorted(types, key=lambda t: (t.order, t.code))


@transaction.atomic
def visit_log(
    *,
    actor: Any,
    person: Person,
    visited_on: date,
    mode: str = VisitMode.HOME,
    visitor_name: str = "",
    findings: str = "",
    need_type_ids: Sequence[int] = (),
    needs: str = "",
    suggested_card: str = "",
    duration_minutes: int | None = None,
    location_consent: bool = False,
    latitude: Any = None,
    longitude: Any = None,
    location_accuracy: int | None = None,
    photos: Sequence[Any] = (),
    signature: str | bytes = "",
    signed_by: str = "",
    signer_name: str = "",
    companion_user_ids: Sequence[int] = (),
    companion_volunteer_ids: Sequence[int] = (),
    companion_organisation_ids: Sequence[int] = (),
    companion_others: str | Sequence[str] = "",
    custom: dict[str, Any] | None = None,
) -> Visit:
    """Log a follow-up contact; moves the person's next due date on and
    closes any major event it answers. Each kind of help ticked from the
    catalogue becomes a need record of the visit, with the notes as its
    description. The richer record (duration, location check-in with
    consent, photos, the resident's or guardian's signature, co-visitors) is
    checked with the rest before anything is written
    (grading/services/visit_record.py). `custom` holds the district's custom
    fields on visits by code (customfields checks them)."""
    require(actor, Perm.RECORD_EDIT)
    require_unit_in_scope(actor, person.unit)
    errors: dict[str, str] = {}
    if visited_on > timezone.localdate():
        errors["visited_on"] = _("A visit cannot be dated in the future.")
    if mode not in VisitMode.values:
        errors["mode"] = _("Choose how the contact was made.")
    if suggested_card and suggested_card not in Card.values:
        errors["suggested_card"] = _("Choose a card.")
    need_types = _visit_need_types(need_type_ids, needs, errors)
    extras = visit_extras_check(
        actor=actor,
        person=person,
        errors=errors,
        duration_minutes=duration_minutes,
        location_consent=location_consent,
        latitude=latitude,
        longitude=longitude,
        location_accuracy=location_accuracy,
        photos=photos,
        signature=signature,
        signed_by=signed_by,
        signer_name=signer_name,
        companion_user_ids=companion_user_ids,
        companion_volunteer_ids=companion_volunteer_ids,
        companion_organisation_ids=companion_organisation_ids,
        companion_others=companion_others,
    )
    values: dict[str, Any] = {}
    if custom is not None:
        try:
            values = clean_custom(target="visit", unit=person.unit, values=custom)
        except ValidationError as exc:
            errors.update({k: v[0] for k, v in exc.message_dict.items()})
    if errors:
        raise ValidationError(errors)
    written: list[Any] = []
    try:
        return _visit_write(
            actor,
            person,
            visited_on,
            mode,
            visitor_name,
            findings,
            needs,
            suggested_card,
            need_types,
            extras,
            written,
            values,
        )
    except Exception:
        for f in written:  # the transaction rolls the rows back; the files go too
            f.storage.delete(f.name)
        raise


def _visit_write(
    actor: Any,
    person: Person,
    visited_on: date,
    mode: str,
    visitor_name: str,
    findings: str,
    needs: str,
    suggested_card: str,
    need_types: list[Any],
    extras: Extras,
    written: list[Any],
    custom: dict[str, Any],
) -> Visit:
    visit = Visit(
        person=person,
        unit=person.unit,
        mode=mode,
        visited_on=visited_on,
        visitor=actor,
        visitor_name=visitor_name or getattr(actor, "full_name", "") or str(actor),
        findings=findings,
        needs=needs.strip(),
        suggested_card=suggested_card,
        custom=custom,
    )
    visit_extras_apply(visit=visit, extras=extras, written=written)
    visit.save()
    extra_changes = visit_extras_store(actor=actor, visit=visit, extras=extras, written=written)
    if need_types:
        from matching.models import NeedSource
        from matching.services import need_create

        for t in need_types:
            need_create(
                actor=actor,
                person=person,
                domain=t.domain,
                need_type=t.code,
                description=needs.strip(),
                source=NeedSource.VISIT,
                visit=visit,
            )
    end_of_day = timezone.make_aware(datetime.combine(visited_on + timedelta(days=1), datetime.min.time()))
    MajorEvent.objects.filter(person=person, resolved_by__isnull=True, occurred_at__lt=end_of_day).update(
        resolved_by=visit
    )
    grade = PersonGrade.objects.select_for_update().filter(person=person).first()
    if grade is not None:
        if grade.last_visit_on is None or visited_on > grade.last_visit_on:
            grade.last_visit_on = visited_on
        refresh_due(grade, policy_for(person.unit))
        grade.save(update_fields=["last_visit_on", "next_due", "card_rank"])
    audit_record(
        actor=actor,
        action=Action.VISIT_LOG,
        target=visit,
        changes={
            "mode": [None, mode],
            "visited_on": [None, visited_on.isoformat()],
            "needs": [None, [t.code for t in need_types]],
            **extra_changes,
            **{k: [None, v] for k, v in audit_snapshot("visit", person.unit, custom).items()},
        },
    )
    return visit


@transaction.atomic
def major_event_record(*, actor: Any, person: Person, kind: str, occurred_at: datetime, note: str = "") -> MajorEvent:
    """A hospitalisation, bereavement, disaster…: a visit is due within the
    policy window (24 h by default)."""
    require(actor, Perm.RECORD_EDIT)
    require_unit_in_scope(actor, person.unit)
    errors = {}
    if kind not in EventKind.values:
        errors["kind"] = _("Choose what happened.")
    if occurred_at > timezone.now() + timedelta(minutes=5):
        errors["occurred_at"] = _("The event cannot be in the future.")
    if errors:
        raise ValidationError(errors)
    policy = policy_for(person.unit)
    event = MajorEvent.objects.create(
        person=person,
        unit=person.unit,
        kind=kind,
        occurred_at=occurred_at,
        due_at=occurred_at + timedelta(hours=policy.major_event_hours),
        note=note,
        recorded_by=actor,
    )
    grade = PersonGrade.objects.select_for_update().filter(person=person).first()
    if grade is not None:
        refresh_due(grade, policy)
        grade.save(update_fields=["next_due", "card_rank"])
    audit_record(actor=actor, action=Action.MAJOR_EVENT_RECORD, target=event, changes={"kind": [None, kind]})
    notices.major_event(event=event, responsible_id=grade.responsible_id if grade else None)
    return event
