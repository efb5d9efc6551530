"""Community activity services: plan, sign-ups, attendance, photos; attended
volunteers get service records through volunteering.services."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.actions import Action
from audit.services import audit_record, diff, snapshot
from casework.models import Activity, ActivityPhoto, ActivitySignup, ActivityStatus
from casework.storage import ACTIVITY_PHOTO
from core import uploads
from core.access import Perm, require, require_unit_in_scope, unit_in_scope
from core.concurrency import lock
from projects.links import check_project_link
from venues.services import activity_room_set
from volunteering.services import service_record_create

_FIELDS = (
    "title",
    "domain",
    "venue",
    "room",
    "project",
    "party_led",
    "starts_at",
    "ends_at",
    "organiser",
    "person_in_charge",
    "status",
    "head_count",
)


def _validate(
    unit: Any,
    title: str,
    venue: str,
    starts_at: Any,
    ends_at: Any,
    organisations: Any,
    enterprises: Any,
    room: Any = None,
) -> None:
    errors: dict[str, str] = {}
    if not (title or "").strip():
        errors["title"] = _("Name the activity.")
    if not (venue or "").strip() and room is None:
        errors["venue"] = _("Give the venue or choose a room.")
    if starts_at and ends_at and ends_at <= starts_at:
        errors["ends_at"] = _("The activity must end after it starts.")
    for partner in [*(organisations or []), *(enterprises or [])]:
        if not unit_in_scope_of_unit(partner.unit, unit):
            errors["partners"] = _("Partners must belong to this station's area or the district.")
    if errors:
        raise ValidationError(errors)


def unit_in_scope_of_unit(partner_unit: Any, unit: Any) -> bool:
    """A partner registered at the activity's unit, above it or below it."""
    return partner_unit.contains(unit) or unit.contains(partner_unit)


@transaction.atomic
def activity_create(
    *,
    actor: Any,
    unit: Any,
    title: str,
    domain: Any,
    venue: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    organiser: str,
    person_in_charge: Any = None,
    plan: str = "",
    resources: str = "",
    partner_organisations: Iterable[Any] = (),
    partner_enterprises: Iterable[Any] = (),
    room: Any = None,
    project: Any = None,
    party_led: bool = False,
) -> Activity:
    """Plan an activity; with a room, the room is booked in the same
    transaction (refused, with nothing saved, when it is taken or closed)."""
    require(actor, Perm.RECORD_EDIT)
    require_unit_in_scope(actor, unit)
    organisations, enterprises = list(partner_organisations), list(partner_enterprises)
    venue = (venue or "").strip() or (str(room) if room is not None else "")
    _validate(unit, title, venue, starts_at, ends_at, organisations, enterprises, room)
    check_project_link(actor=actor, project=project, unit=unit)
    person_in_charge = person_in_charge or actor
    if not unit_in_scope(person_in_charge, unit):
        raise ValidationError({"person_in_charge": _("Choose a staff member whose unit covers this activity.")})
    activity = Activity.objects.create(
        unit=unit,
        title=title.strip(),
        domain=domain,
        venue=venue.strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        organiser=organiser,
        person_in_charge=person_in_charge,
        plan=plan,
        resources=resources,
        room=room,
        project=project,
        party_led=bool(party_led),
        created_by=actor,
    )
    activity.partner_organisations.set(organisations)
    activity.partner_enterprises.set(enterprises)
    if room is not None:
        activity_room_set(actor=actor, activity=activity, room=room)
    audit_record(
        actor=actor, action=Action.ACTIVITY_CREATE, target=activity, changes=diff({}, snapshot(activity, _FIELDS))
    )
    return activity


@transaction.atomic
def activity_update(*, actor: Any, activity: Activity, **fields: Any) -> Activity:
    require(actor, Perm.RECORD_EDIT)
    require_unit_in_scope(actor, activity.unit)
    organisations = fields.pop("partner_organisations", None)
    enterprises = fields.pop("partner_enterprises", None)
    before = snapshot(activity, _FIELDS)
    unknown = set(fields) - {
        "title",
        "domain",
        "venue",
        "starts_at",
        "ends_at",
        "organiser",
        "person_in_charge",
        "plan",
        "resources",
        "room",
        "project",
        "party_led",
    }
    if unknown:
        raise ValidationError(
            {"__all__": _("These fields cannot be changed here: %(f)s") % {"f": ", ".join(sorted(unknown))}}
        )
    in_charge = fields.get("person_in_charge")
    if in_charge is not None and not unit_in_scope(in_charge, activity.unit):
        raise ValidationError({"person_in_charge": _("Choose a staff member whose unit covers this activity.")})
    for name, value in fields.items():
        setattr(activity, name, value)
    if not (activity.venue or "").strip() and activity.room is not None:
        activity.venue = str(activity.room)
    _validate(
        activity.unit,
        activity.title,
        activity.venue,
        activity.starts_at,
        activity.ends_at,
        organisations or [],
        enterprises or [],
        activity.room,
    )
    if "project" in fields:
        check_project_link(actor=actor, project=activity.project, unit=activity.unit)
    activity.save()
    # The booking follows the room and the times: made, moved or released here.
    activity_room_set(actor=actor, activity=activity, room=activity.room)
    if organisations is not None:
        activity.partner_organisations.set(organisations)
    if enterprises is not None:
        activity.partner_enterprises.set(enterprises)
    audit_record(
        actor=actor, action=Action.ACTIVITY_UPDATE, target=activity, changes=diff(before, snapshot(activity, _FIELDS))
    )
    return activity


@transaction.atomic
def activity_signup_add(
    *, actor: Any, activity: Activity, person: Any = None, volunteer: Any = None, attended: bool = False
) -> ActivitySignup:
    """Sign up a resident or a volunteer (one of the two)."""
    require(actor, Perm.RECORD_EDIT)
    require_unit_in_scope(actor, activity.unit)
    if (person is None) == (volunteer is None):
        raise ValidationError({"person": _("Choose either a resident or a volunteer.")})
    who = person or volunteer
    require_unit_in_scope(actor, who.unit)
    if activity.status == ActivityStatus.CANCELLED:
        raise ValidationError({"__all__": _("The activity was cancelled.")})
    lookup = {"person": person} if person is not None else {"volunteer": volunteer}
    if ActivitySignup.objects.filter(activity=activity, **lookup).exists():
        raise ValidationError({"person": _("%(name)s is already signed up.") % {"name": who.name}})
    signup = ActivitySignup.objects.create(activity=activity, attended=attended, **lookup)
    kind = "person" if person is not None else "volunteer"
    audit_record(actor=actor, action=Action.ACTIVITY_SIGNUP_ADD, target=activity, changes={kind: [None, who.name]})
    return signup


@transaction.atomic
def activity_signup_self(*, activity: Activity, volunteer: Any, via: str) -> ActivitySignup:
    """A registered volunteer signs themselves up (no staff actor: the caller
    has checked who they are and that the activity is theirs to join, `via`
    names the way for the audit log)."""
    lock(activity)
    if activity.status != ActivityStatus.PLANNED or activity.ends_at < timezone.now():
        raise ValidationError({"__all__": _("This activity is no longer open for sign-up.")})
    if ActivitySignup.objects.filter(activity=activity, volunteer=volunteer).exists():
        raise ValidationError({"__all__": _("You are already signed up.")})
    signup = ActivitySignup.objects.create(activity=activity, volunteer=volunteer)
    audit_record(
        actor=None,
        actor_label=via,
        action=Action.ACTIVITY_SIGNUP_ADD,
        target=activity,
        changes={"volunteer": [None, volunteer.name]},
    )
    return signup


@transaction.atomic
def activity_complete(
    *,
    actor: Any,
    activity: Activity,
    attended_signup_ids: Iterable[int],
    head_count: int,
    summary: str,
    volunteer_hours: Mapping[int, Any] | None = None,
    resources: str | None = None,
) -> Activity:
    """Record attendance and the summary; every attending volunteer gets a
    service record (hours per sign-up id, default: the activity's length)."""
    require(actor, Perm.RECORD_EDIT)
    require_unit_in_scope(actor, activity.unit)
    lock(activity)
    errors: dict[str, str] = {}
    if activity.status == ActivityStatus.CANCELLED:
        errors["__all__"] = _("The activity was cancelled.")
    if activity.starts_at > timezone.now():
        errors["__all__"] = _("Attendance is recorded once the activity has started.")
    if head_count is None or head_count < 0:
        errors["head_count"] = _("The head count cannot be negative.")
    if not (summary or "").strip():
        errors["summary"] = _("Write a short summary.")
    if errors:
        raise ValidationError(errors)
    wanted = {int(i) for i in attended_signup_ids}
    signups = {s.pk: s for s in activity.signups.select_related("volunteer", "person", "volunteer__unit")}
    if wanted - set(signups):
        raise ValidationError({"attended": _("Some people ticked are not signed up for this activity.")})
    before = snapshot(activity, _FIELDS)
    default_hours = Decimal((activity.ends_at - activity.starts_at).total_seconds() / 3600).quantize(Decimal("0.1"))
    hours_by_signup = {int(k): v for k, v in (volunteer_hours or {}).items()}
    day = timezone.localtime(activity.starts_at).date()
    for pk, signup in signups.items():
        signup.attended = pk in wanted
        if signup.volunteer is not None and signup.attended and signup.service_record_id is None:
            hours = hours_by_signup.get(pk) or min(default_hours, Decimal(24))
            try:
                signup.service_record = service_record_create(
                    actor=actor,
                    volunteer=signup.volunteer,
                    activity_name=activity.title,
                    date=day,
                    place=activity.venue,
                    content=(summary or "")[:500],
                    hours=hours,
                    organiser=activity.organiser,
                    person_in_charge=str(activity.person_in_charge),
                    source_type="casework.activity",
                    source_id=str(activity.pk),
                )
            except ValidationError as exc:
                raise ValidationError({f"hours_{pk}": [f"{signup.volunteer.name}: {m}" for m in exc.messages]}) from exc
    ActivitySignup.objects.bulk_update(list(signups.values()), ["attended", "service_record"])
    activity.head_count = head_count
    activity.summary = summary.strip()
    if resources is not None:
        activity.resources = resources
    activity.status = ActivityStatus.DONE
    activity.save()
    audit_record(
        actor=actor, action=Action.ACTIVITY_COMPLETE, target=activity, changes=diff(before, snapshot(activity, _FIELDS))
    )
    return activity


@transaction.atomic
def activity_cancel(*, actor: Any, activity: Activity, reason: str) -> Activity:
    require(actor, Perm.RECORD_EDIT)
    require_unit_in_scope(actor, activity.unit)
    lock(activity)
    if activity.status != ActivityStatus.PLANNED:
        raise ValidationError({"__all__": _("Only a planned activity can be cancelled.")})
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason for cancelling.")})
    activity.status = ActivityStatus.CANCELLED
    activity.summary = reason.strip()
    activity.save(update_fields=["status", "summary"])
    activity_room_set(actor=actor, activity=activity, room=None)  # the room is free again
    audit_record(actor=actor, action=Action.ACTIVITY_CANCEL, target=activity, note=reason)
    return activity


@transaction.atomic
def activity_photo_add(*, actor: Any, activity: Activity, upload: UploadedFile, caption: str = "") -> ActivityPhoto:
    require(actor, Perm.RECORD_EDIT)
    require_unit_in_scope(actor, activity.unit)
    checked = uploads.check(upload, ACTIVITY_PHOTO, field="file")
    name = checked.name
    photo = ActivityPhoto(
        activity=activity, content_type=checked.content_type, size=checked.size, caption=caption, uploaded_by=actor
    )
    photo.file.save(name, upload, save=False)
    try:
        photo.save()
        audit_record(actor=actor, action=Action.ACTIVITY_PHOTO_ADD, target=activity, changes={"photo": [None, name]})
    except Exception:
        photo.file.delete(save=False)
        raise
    return photo
