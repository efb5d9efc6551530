"""Writes for venues, rooms and bookings: each one transaction with one audit
event. Every booking goes through `_take`, which locks the room's row first
(so two bookings of one room are decided one after the other, on PostgreSQL
as on SQLite) and then applies the rule of venues/rules.py."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.actions import Action
from audit.services import audit_record, diff, snapshot
from core.access import Perm, require, require_unit_in_scope
from venues import rules
from venues.models import Booking, BookingKind, Room, Season

_VENUE_FIELDS = ("name", "address", "capacity", "latitude", "longitude")
_ROOM_FIELDS = ("name", "capacity", "facilities", "area_m2", "hours", "closed_dates", "is_active")
_BOOKING_FIELDS = ("room_id", "starts_at", "ends_at", "purpose", "attendees")


# ---------------------------------------------------------------- venues and rooms


@transaction.atomic
def venue_update(
    *,
    actor: Any,
    venue: Any,
    name: str,
    address: str = "",
    capacity: int | None = None,
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
) -> Any:
    """Change a venue (workrecords.Venue; its unit does not change)."""
    require(actor, Perm.RECORD_EDIT)
    require_unit_in_scope(actor, venue.unit)
    if not (name or "").strip():
        raise ValidationError({"name": _("Name the venue.")})
    if (latitude is None) != (longitude is None):
        raise ValidationError({"longitude": _("Give both latitude and longitude, or neither.")})
    before = snapshot(venue, _VENUE_FIELDS)
    venue.name, venue.address, venue.capacity = name.strip(), address, capacity
    venue.latitude, venue.longitude = latitude, longitude
    venue.save()
    audit_record(
        actor=actor, action=Action.VENUE_UPDATE, target=venue, changes=diff(before, snapshot(venue, _VENUE_FIELDS))
    )
    return venue


def _check_hours(hours: dict[str, Any]) -> dict[str, list[str]]:
    clean: dict[str, list[str]] = {}
    for key, span in (hours or {}).items():
        if not span:
            continue
        opens, closes = (dt.time.fromisoformat(str(v)) for v in span)
        if closes <= opens:
            raise ValidationError({f"closes_{key}": _("A room closes after it opens.")})
        clean[str(int(key))] = [opens.strftime("%H:%M"), closes.strftime("%H:%M")]
    return clean


def _room_values(
    name: str, capacity: int | None, hours: dict[str, Any], closed_dates: Iterable[dt.date]
) -> dict[str, Any]:
    if not (name or "").strip():
        raise ValidationError({"name": _("Name the room.")})
    if capacity is not None and capacity < 1:
        raise ValidationError({"capacity": _("A room holds at least one person.")})
    return {
        "name": name.strip(),
        "capacity": capacity,
        "hours": _check_hours(hours),
        "closed_dates": sorted({d.isoformat() for d in closed_dates}),
    }


@transaction.atomic
def room_create(
    *,
    actor: Any,
    venue: Any,
    name: str,
    capacity: int | None = None,
    facilities: str = "",
    area_m2: int | None = None,
    hours: dict[str, Any] | None = None,
    closed_dates: Iterable[dt.date] = (),
    is_active: bool = True,
) -> Room:
    require(actor, Perm.RECORD_EDIT)
    require_unit_in_scope(actor, venue.unit)
    values = _room_values(name, capacity, hours or {}, closed_dates)
    if Room.objects.filter(venue=venue, name=values["name"]).exists():
        raise ValidationError({"name": _("This venue already has a room of that name.")})
    room = Room.objects.create(venue=venue, facilities=facilities, area_m2=area_m2, is_active=is_active, **values)
    audit_record(
        actor=actor,
        action=Action.ROOM_CREATE,
        target=room,
        unit=venue.unit,
        changes=diff({}, snapshot(room, _ROOM_FIELDS)),
    )
    return room


@transaction.atomic
def room_update(
    *,
    actor: Any,
    room: Room,
    name: str,
    capacity: int | None = None,
    facilities: str = "",
    area_m2: int | None = None,
    hours: dict[str, Any] | None = None,
    closed_dates: Iterable[dt.date] = (),
    is_active: bool = True,
) -> Room:
    """Change a room. Bookings already made stay (a room that closes earlier
    keeps its later bookings until they are moved)."""
    require(actor, Perm.RECORD_EDIT)
    require_unit_in_scope(actor, room.venue.unit)
    values = _room_values(name, capacity, hours or {}, closed_dates)
    if Room.objects.filter(venue_id=room.venue_id, name=values["name"]).exclude(pk=room.pk).exists():
        raise ValidationError({"name": _("This venue already has a room of that name.")})
    before = snapshot(room, _ROOM_FIELDS)
    for key, value in {**values, "facilities": facilities, "area_m2": area_m2, "is_active": is_active}.items():
        setattr(room, key, value)
    room.save()
    audit_record(
        actor=actor,
        action=Action.ROOM_UPDATE,
        target=room,
        unit=room.venue.unit,
        changes=diff(before, snapshot(room, _ROOM_FIELDS)),
    )
    return room


# ---------------------------------------------------------------- the rule, applied


def _locked_room(room: Room) -> Room:
    """The room's row, locked until the transaction ends: bookings of one room
    are decided one at a time (PostgreSQL makes the second wait here)."""
    return Room.objects.select_for_update().select_related("venue__unit").get(pk=room.pk)


def _taken(room: Room, starts: dt.datetime, ends: dt.datetime) -> list[rules.Taken]:
    rows = Booking.objects.filter(room=room, starts_at__lt=ends, ends_at__gt=starts)
    return [
        rules.Taken(timezone.localtime(b.starts_at), timezone.localtime(b.ends_at), b.purpose, b.pk)
        for b in rows.only("pk", "starts_at", "ends_at", "purpose")
    ]


def _check(
    room: Room, starts: dt.datetime, ends: dt.datetime, attendees: int | None, ignore: int | None = None
) -> None:
    if not room.is_active:
        raise ValidationError({"room": _("%(room)s is not in use.") % {"room": room.name}})
    local_starts, local_ends = timezone.localtime(starts), timezone.localtime(ends)
    errors = rules.refusals(
        room, local_starts, local_ends, attendees=attendees, taken=_taken(room, starts, ends), ignore=ignore
    )
    if errors:
        raise ValidationError(errors)


def _check_unit(actor: Any, room: Room, unit: Any) -> None:
    """A booking belongs to the room's venue's unit; the actor must see it,
    and what it is booked for (an activity, a group) must lie in that unit's
    area or above it."""
    require_unit_in_scope(actor, room.venue.unit)
    if unit is not None and not (unit.contains(room.venue.unit) or room.venue.unit.contains(unit)):
        raise ValidationError({"room": _("Choose a room of this station's area.")})


@transaction.atomic
def booking_create(
    *,
    actor: Any,
    room: Room,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    purpose: str,
    attendees: int | None = None,
) -> Booking:
    """Book a room for another use (a meeting, a partner's event)."""
    require(actor, Perm.RECORD_EDIT)
    _check_unit(actor, room, None)
    if not (purpose or "").strip():
        raise ValidationError({"purpose": _("Say what the room is booked for.")})
    room = _locked_room(room)
    _check(room, starts_at, ends_at, attendees)
    booking = Booking.objects.create(
        unit=room.venue.unit,
        room=room,
        starts_at=starts_at,
        ends_at=ends_at,
        kind=BookingKind.OTHER,
        purpose=purpose.strip(),
        attendees=attendees,
        booked_by=actor,
    )
    audit_record(
        actor=actor, action=Action.BOOKING_CREATE, target=booking, changes=diff({}, snapshot(booking, _BOOKING_FIELDS))
    )
    return booking


@transaction.atomic
def booking_release(*, actor: Any, booking: Booking) -> None:
    """Give the room back (a booking of an activity goes with the activity's own edit)."""
    require(actor, Perm.RECORD_EDIT)
    require_unit_in_scope(actor, booking.unit)
    if booking.activity_id is not None:
        raise ValidationError(
            {"__all__": _("This booking belongs to an activity: change the activity's room instead.")}
        )
    audit_record(
        actor=actor, action=Action.BOOKING_RELEASE, target=booking, changes=diff(snapshot(booking, _BOOKING_FIELDS), {})
    )
    booking.delete()


def activity_room_set(*, actor: Any, activity: Any, room: Room | None, attendees: int | None = None) -> Booking | None:
    """Make the activity's booking match its room and times: create, move or
    release it. Called by the activity's services inside their transaction,
    so the activity and its booking are saved together or not at all."""
    require(actor, Perm.RECORD_EDIT)
    current = Booking.objects.filter(activity_id=activity.pk).first()
    if room is None or activity.status == "cancelled":
        if current is not None:
            audit_record(
                actor=actor,
                action=Action.BOOKING_RELEASE,
                target=current,
                changes=diff(snapshot(current, _BOOKING_FIELDS), {}),
            )
            current.delete()
        return None
    if current is None or current.room_id != room.pk:
        _check_unit(actor, room, activity.unit)  # a new room: one the actor may book
    room = _locked_room(room)
    try:
        _check(room, activity.starts_at, activity.ends_at, attendees, ignore=current.pk if current else None)
    except ValidationError as exc:
        # The activity form shows the rule's words on its own fields.
        mapping = {"starts_at": "room", "attendees": "room", "__all__": "room", "ends_at": "ends_at", "room": "room"}
        errors: dict[str, list[str]] = {}
        for field, messages in exc.message_dict.items():
            errors.setdefault(mapping.get(field, "room"), []).extend(messages)
        raise ValidationError(errors) from exc
    if current is None:
        booking = Booking.objects.create(
            unit=room.venue.unit,
            room=room,
            starts_at=activity.starts_at,
            ends_at=activity.ends_at,
            kind=BookingKind.ACTIVITY,
            activity_id=activity.pk,
            purpose=activity.title[:120],
            attendees=attendees,
            booked_by=actor,
        )
        audit_record(
            actor=actor,
            action=Action.BOOKING_CREATE,
            target=booking,
            changes=diff({}, snapshot(booking, _BOOKING_FIELDS)),
        )
        return booking
    before = snapshot(current, _BOOKING_FIELDS)
    current.room, current.unit = room, room.venue.unit
    current.starts_at, current.ends_at, current.purpose = activity.starts_at, activity.ends_at, activity.title[:120]
    current.attendees = attendees if attendees is not None else current.attendees
    current.save()
    changes = diff(before, snapshot(current, _BOOKING_FIELDS))
    if changes:
        audit_record(actor=actor, action=Action.BOOKING_MOVE, target=current, changes=changes)
    return current


# ---------------------------------------------------------------- seasons


@transaction.atomic
def season_book(
    *,
    actor: Any,
    room: Room,
    purpose: str,
    weekday: int,
    starts: dt.time,
    ends: dt.time,
    first_day: dt.date,
    last_day: dt.date,
    skip_dates: Iterable[dt.date] = (),
    organisation: Any = None,
    attendees: int | None = None,
) -> Season:
    """Book a group's weekly slot for a term in one step: every week's booking
    or none. A refusal lists every date that cannot be booked and why."""
    require(actor, Perm.RECORD_EDIT)
    _check_unit(actor, room, organisation.unit if organisation is not None else None)
    if not (purpose or "").strip():
        raise ValidationError({"purpose": _("Say what the room is booked for.")})
    if ends <= starts:
        raise ValidationError({"ends": _("A session must end after it starts.")})
    if last_day < first_day:
        raise ValidationError({"last_day": _("The term must end after it starts.")})
    if (last_day - first_day).days > 366:
        raise ValidationError({"last_day": _("A season is at most a year long.")})
    if not 0 <= weekday <= 6:
        raise ValidationError({"weekday": _("Choose a weekday.")})
    skip = sorted(set(skip_dates))
    days = rules.season_days(first_day, last_day, weekday, skip)
    if not days:
        raise ValidationError({"weekday": _("No session falls within the term.")})
    room = _locked_room(room)
    tz = timezone.get_current_timezone()
    slots = [(dt.datetime.combine(d, starts, tz), dt.datetime.combine(d, ends, tz)) for d in days]
    problems = []
    for s, e in slots:
        try:
            _check(room, s, e, attendees)
        except ValidationError as exc:
            problems.append(f"{s.date().isoformat()}: {' '.join(exc.messages)}")
    if problems:
        raise ValidationError(
            {
                "__all__": [
                    _("Nothing was booked: %(n)s of %(total)s dates cannot be booked.")
                    % {"n": len(problems), "total": len(slots)},
                    *problems,
                ]
            }
        )
    season = Season.objects.create(
        unit=room.venue.unit,
        room=room,
        organisation=organisation,
        purpose=purpose.strip(),
        weekday=weekday,
        starts=starts,
        ends=ends,
        first_day=first_day,
        last_day=last_day,
        skip_dates=[d.isoformat() for d in skip],
        attendees=attendees,
        booked_by=actor,
    )
    Booking.objects.bulk_create(
        Booking(
            unit=room.venue.unit,
            room=room,
            starts_at=s,
            ends_at=e,
            kind=BookingKind.GROUP,
            season=season,
            purpose=season.purpose,
            attendees=attendees,
            booked_by=actor,
        )
        for s, e in slots
    )
    audit_record(
        actor=actor,
        action=Action.SEASON_BOOK,
        target=season,
        changes={"room": [None, str(room)], "dates": [None, len(slots)], "skipped": [None, len(skip)]},
    )
    return season


@transaction.atomic
def season_cancel(*, actor: Any, season: Season) -> int:
    """Cancel what is left of a season: its bookings from now on are released."""
    require(actor, Perm.RECORD_EDIT)
    require_unit_in_scope(actor, season.unit)
    season = Season.objects.select_for_update().get(pk=season.pk)
    if season.cancelled_at is not None:
        raise ValidationError({"__all__": _("This season was already cancelled.")})
    now = timezone.now()
    released, _by_kind = season.bookings.filter(starts_at__gte=now).delete()
    season.cancelled_at = now
    season.save(update_fields=["cancelled_at"])
    audit_record(actor=actor, action=Action.SEASON_CANCEL, target=season, changes={"released": [None, released]})
    return released
