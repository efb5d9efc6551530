"""The richer parts of a visit (issue 13): photos, the signature, the
location check-in, co-visitors and the duration. `visit_extras_check`
validates everything before a row is written (its messages join those of
`visit_log`); `visit_extras_store` writes them for the new visit. The
district's settings are written by `visit_settings_update`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from audit.actions import Action
from audit.services import audit_record
from core.access import Perm, require, require_unit_in_scope
from grading import conf
from grading.models import Companion, CompanionKind, SignedBy, Visit, VisitPhoto, VisitSettings
from grading.photos import Processed, photo_process, signature_process
from grading.selectors_config import district_of, visit_settings_for

OTHERS_MAX = 10  # names typed in for co-visitors outside the registries


@dataclass
class Extras:
    """What `visit_extras_check` found valid, ready to store."""

    duration_minutes: int | None = None
    location_consent: bool = False
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    location_accuracy: int | None = None
    photos: list[Processed] = field(default_factory=list)
    signature: bytes = b""
    signed_by: str = ""
    signer_name: str = ""
    companions: list[Companion] = field(default_factory=list)


def _coordinate(value: Any, limit: int, name: str, errors: dict[str, str]) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value)).quantize(Decimal("0.000001"))
    except (InvalidOperation, ValueError):
        errors[name] = _("The location could not be read; check in again.")
        return None
    if not -limit <= number <= limit:
        errors[name] = _("The location could not be read; check in again.")
        return None
    return number


def _others(value: str | Sequence[str]) -> list[str]:
    if isinstance(value, str):
        for sep in ("、", "，", ",", ";", "；", "\n"):
            value = value.replace(sep, "\n")
        value = value.split("\n")
    return list(dict.fromkeys(n.strip() for n in value if n and n.strip()))


def _companions(
    actor: Any,
    person: Any,
    user_ids: Sequence[int],
    volunteer_ids: Sequence[int],
    organisation_ids: Sequence[int],
    others: str | Sequence[str],
    errors: dict[str, str],
) -> list[Companion]:
    """Co-visitors, each from the registry the actor may offer on this
    resident's form (an id from elsewhere is refused, not silently dropped)."""
    from grading.selectors_visits import companion_organisations, companion_staff, companion_volunteers

    found: list[Companion] = []
    for ids, qs, key, kind, attr in (
        (user_ids, companion_staff(actor, person), "companion_user_ids", CompanionKind.STAFF, "user"),
        (
            volunteer_ids,
            companion_volunteers(actor, person),
            "companion_volunteer_ids",
            CompanionKind.VOLUNTEER,
            "volunteer",
        ),
        (
            organisation_ids,
            companion_organisations(actor, person),
            "companion_organisation_ids",
            CompanionKind.ORGANISATION,
            "organisation",
        ),
    ):
        wanted = list(dict.fromkeys(int(i) for i in ids))
        if not wanted:
            continue
        rows = {r.pk: r for r in qs.filter(pk__in=wanted)}
        if len(rows) != len(wanted):
            errors[key] = _("Someone you chose as a co-visitor is not in the list for this resident.")
            continue
        for pk in wanted:
            row = rows[pk]
            name = getattr(row, "full_name", "") or getattr(row, "name", "") or str(row)
            found.append(Companion(kind=kind, name=name[:100], **{attr: row}))
    names = _others(others)
    if len(names) > OTHERS_MAX:
        errors["companion_others"] = _("Name at most %(n)s other co-visitors.") % {"n": OTHERS_MAX}
    elif any(len(n) > 100 for n in names):
        errors["companion_others"] = _("Keep each co-visitor's name within 100 characters.")
    else:
        found += [Companion(kind=CompanionKind.OTHER, name=n) for n in names]
    return found


def visit_extras_check(
    *,
    actor: Any,
    person: Any,
    errors: dict[str, str],
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
) -> Extras:
    """Validate the richer parts; problems go into `errors` by field."""
    settings = visit_settings_for(person.unit)
    extras = Extras(signer_name=(signer_name or "").strip()[:50])
    if duration_minutes is not None:
        limit = conf.max_minutes()
        if not 1 <= int(duration_minutes) <= limit:
            errors["duration_minutes"] = _("Give the duration in minutes, from 1 to %(n)s.") % {"n": limit}
        else:
            extras.duration_minutes = int(duration_minutes)
    lat = _coordinate(latitude, 90, "latitude", errors)
    lon = _coordinate(longitude, 180, "longitude", errors)
    if (lat is None) != (lon is None) and "latitude" not in errors and "longitude" not in errors:
        errors["location_consent"] = _("The location could not be read; check in again.")
    elif lat is not None and lon is not None:
        if not settings.location_checkin:
            errors["location_consent"] = _("Your district does not record the location of visits.")
        elif not location_consent:
            errors["location_consent"] = _(
                "A location is recorded only when the resident agrees: tick the consent or clear the check-in."
            )
        else:
            extras.latitude, extras.longitude = lat, lon
            extras.location_consent = True
            if location_accuracy is not None and int(location_accuracy) >= 0:
                extras.location_accuracy = min(int(location_accuracy), 100000)
    elif location_consent and settings.location_checkin:
        extras.location_consent = True  # agreed, though the phone found no position
    uploads = [p for p in photos if p]
    if len(uploads) > conf.max_photos():
        errors["photos"] = _("Attach at most %(n)s photos to a visit.") % {"n": conf.max_photos()}
    else:
        for upload in uploads:
            try:
                extras.photos.append(photo_process(upload, keep_location=settings.keep_photo_location))
            except ValidationError as exc:
                errors["photos"] = " ".join(exc.messages)
                break
    try:
        extras.signature = signature_process(signature)
    except ValidationError as exc:
        errors["signature"] = " ".join(exc.messages)
    if signed_by and signed_by not in SignedBy.values:
        errors["signed_by"] = _("Choose who signed.")
    elif extras.signature:
        extras.signed_by = signed_by or SignedBy.RESIDENT
    elif signed_by and "signature" not in errors:
        errors["signature"] = _("Ask the resident or guardian to sign, or leave who signed empty.")
    extras.companions = _companions(
        actor,
        person,
        companion_user_ids,
        companion_volunteer_ids,
        companion_organisation_ids,
        companion_others,
        errors,
    )
    return extras


def visit_extras_apply(*, visit: Visit, extras: Extras, written: list[Any]) -> None:
    """Put the checked parts that live on the visit row onto the unsaved
    visit (the signature file is written now). Each file written is appended
    to `written`, for the caller to remove if the rest of its work fails."""
    for name in (
        "duration_minutes",
        "location_consent",
        "latitude",
        "longitude",
        "location_accuracy",
        "signed_by",
        "signer_name",
    ):
        setattr(visit, name, getattr(extras, name))
    if extras.signature:
        visit.signature.save("signature.png", ContentFile(extras.signature), save=False)
        written.append(visit.signature)


def visit_extras_store(*, actor: Any, visit: Visit, extras: Extras, written: list[Any]) -> dict[str, Any]:
    """Write the photos and co-visitors of the saved visit; the audit changes
    the richer record adds. Files go into `written` as above."""
    for processed in extras.photos:
        photo = VisitPhoto(
            visit=visit,
            size=len(processed.content),
            width=processed.width,
            height=processed.height,
            has_location=processed.has_location,
            uploaded_by=actor,
        )
        photo.file.save("photo.jpg", ContentFile(processed.content), save=False)
        written.append(photo.file)
        photo.save()
    for c in extras.companions:
        c.visit = visit
    Companion.objects.bulk_create(extras.companions)
    changes: dict[str, Any] = {}
    if extras.duration_minutes is not None:
        changes["duration_minutes"] = [None, extras.duration_minutes]
    if extras.latitude is not None:
        changes["location"] = [None, "checked in"]  # the coordinates stay out of the log
    if extras.photos:
        changes["photos"] = [None, len(extras.photos)]
    if extras.signature:
        changes["signature"] = [None, extras.signed_by]
    if extras.companions:
        changes["companions"] = [None, [f"{c.kind}:{c.name}" for c in extras.companions]]
    return changes


@transaction.atomic
def visit_settings_update(
    *, actor: Any, district: Any, location_checkin: bool, keep_photo_location: bool
) -> VisitSettings:
    """A district's choices: whether visits offer the location check-in at
    the door, and whether photos keep the location the camera stored."""
    require(actor, Perm.CONFIG_MANAGE)
    require_unit_in_scope(actor, district)
    district = district_of(district)
    current = visit_settings_for(district)
    before = {"location_checkin": current.location_checkin, "keep_photo_location": current.keep_photo_location}
    row, _created = VisitSettings.objects.update_or_create(
        district=district,
        defaults={"location_checkin": bool(location_checkin), "keep_photo_location": bool(keep_photo_location)},
    )
    audit_record(
        actor=actor,
        action=Action.VISIT_SETTINGS_UPDATE,
        target=row,
        unit=district,
        changes={k: [v, getattr(row, k)] for k, v in before.items() if v != getattr(row, k)},
    )
    return row
