"""Thin views for venues, rooms, bookings and the week calendar."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, cast

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.access import Perm, can, get_in_scope_or_404, requires, scope
from core.forms import form_page, with_tokens
from venues import forms, selectors, services
from venues.calendar import week_grid
from venues.models import Booking, Room, Season
from workrecords.selectors import venues_visible

if TYPE_CHECKING:
    from accounts.models import User


def _crumbs(*extra: tuple[str, str]) -> list[tuple[str, str]]:
    return [(_("Venues and rooms"), reverse("venues:index")), *extra]


@requires(Perm.VIEW)
def index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "venues/index.html",
        {
            "title": _("Venues and rooms"),
            "venues": list(selectors.venues_with_rooms(request.user)),
            "can_edit": can(request.user, Perm.RECORD_EDIT),
            "breadcrumbs": [(_("Venues and rooms"), "")],
        },
    )


@requires(Perm.RECORD_EDIT)
def venue_edit(request: HttpRequest, venue_id: int) -> HttpResponse:
    venue = get_in_scope_or_404(venues_visible(request.user), request.user, pk=venue_id)
    fields = ("name", "address", "capacity", "latitude", "longitude")
    form = forms.VenueEditForm(request.POST or None, user=request.user, initial={f: getattr(venue, f) for f in fields})
    return form_page(
        request,
        form=form,
        edits=venue,
        act=lambda d: services.venue_update(actor=request.user, venue=venue, **d),
        success=lambda v: reverse("venues:index"),
        done_message=_("Changes saved."),
        title=_("Edit the venue"),
        cancel_url=reverse("venues:index"),
        breadcrumbs=_crumbs((venue.name, "")),
    )


@requires(Perm.RECORD_EDIT)
def room_create(request: HttpRequest, venue_id: int) -> HttpResponse:
    venue = get_in_scope_or_404(venues_visible(request.user), request.user, pk=venue_id)
    form = forms.RoomForm(request.POST or None)
    return form_page(
        request,
        form=form,
        act=lambda d: services.room_create(actor=request.user, venue=venue, **d),
        success=lambda r: reverse("venues:room_detail", args=[r.pk]),
        done_message=_("The room was added."),
        title=_("Add a room to %(venue)s") % {"venue": venue.name},
        cancel_url=reverse("venues:index"),
        breadcrumbs=_crumbs((venue.name, "")),
        intro=_(
            "Leave the hours of a weekday empty when the room is closed that day; leave all empty for no set hours."
        ),
    )


def _room(request: HttpRequest, room_id: int) -> Room:
    return get_in_scope_or_404(selectors.rooms_visible(request.user), request.user, "venue__unit", pk=room_id)


@requires(Perm.VIEW)
def room_detail(request: HttpRequest, room_id: int) -> HttpResponse:
    room = _room(request, room_id)
    hours = [(label, (room.hours or {}).get(str(day))) for day, label in forms.WEEKDAYS]
    return render(
        request,
        "venues/room_detail.html",
        {
            "title": str(room),
            "room": room,
            "hours": hours,
            "seasons": list(selectors.seasons_visible(request.user).filter(room=room, cancelled_at__isnull=True)),
            "can_edit": can(request.user, Perm.RECORD_EDIT),
            "breadcrumbs": _crumbs((room.name, "")),
        },
    )


@requires(Perm.RECORD_EDIT)
def room_edit(request: HttpRequest, room_id: int) -> HttpResponse:
    room = _room(request, room_id)
    form = forms.RoomForm(request.POST or None, initial=forms.RoomForm.initial_for(room))
    return form_page(
        request,
        form=form,
        edits=room,
        act=lambda d: services.room_update(actor=request.user, room=room, **d),
        success=lambda r: reverse("venues:room_detail", args=[r.pk]),
        done_message=_("Changes saved."),
        title=_("Edit the room"),
        cancel_url=reverse("venues:room_detail", args=[room.pk]),
        breadcrumbs=_crumbs((room.name, reverse("venues:room_detail", args=[room.pk]))),
    )


def _monday(request: HttpRequest) -> dt.date:
    try:
        day = dt.date.fromisoformat(request.GET.get("week", ""))
    except ValueError:
        day = timezone.localdate()
    return selectors.week_of(day)


@requires(Perm.VIEW)
def calendar(request: HttpRequest) -> HttpResponse:
    """The week's bookings, day by day, for the rooms in scope (one venue or one room when chosen)."""
    user = request.user
    rooms_qs = selectors.rooms_visible(user).filter(is_active=True)
    venue_id, room_id = request.GET.get("venue", ""), request.GET.get("room", "")
    if venue_id.isdigit():
        rooms_qs = rooms_qs.filter(venue_id=int(venue_id))
    if room_id.isdigit():
        rooms_qs = rooms_qs.filter(pk=int(room_id))
    rooms = list(rooms_qs)
    monday = _monday(request)
    days = week_grid(monday, rooms, selectors.week_bookings(user, rooms, monday), today=timezone.localdate())
    query = "&".join(f"{k}={v}" for k, v in (("venue", venue_id), ("room", room_id)) if v.isdigit())
    ctx: dict[str, Any] = {
        "title": _("Room bookings"),
        "monday": monday,
        "sunday": monday + dt.timedelta(days=6),
        "prev_week": (monday - dt.timedelta(days=7)).isoformat(),
        "next_week": (monday + dt.timedelta(days=7)).isoformat(),
        "this_week": selectors.week_of(timezone.localdate()).isoformat(),
        "query": query,
        "days": days,
        "rooms": rooms,
        "venues": list(venues_visible(user).filter(rooms__isnull=False).distinct()),
        "venue_id": venue_id,
        "room_id": room_id,
        "can_edit": can(user, Perm.RECORD_EDIT),
        "breadcrumbs": _crumbs((_("Room bookings"), "")),
    }
    if request.headers.get("HX-Request"):
        return render(request, "venues/_week.html", ctx)
    return render(request, "venues/calendar.html", ctx)


def _calendar_url(booking_or_day: Any) -> str:
    day = booking_or_day if isinstance(booking_or_day, dt.date) else timezone.localtime(booking_or_day.starts_at).date()
    return f"{reverse('venues:calendar')}?week={selectors.week_of(day).isoformat()}"


@requires(Perm.RECORD_EDIT)
def booking_create(request: HttpRequest) -> HttpResponse:
    user = cast("User", request.user)
    initial: dict[str, Any] = {}
    if request.GET.get("room", "").isdigit():
        initial["room"] = int(request.GET["room"])
    form = forms.BookingForm(request.POST or None, rooms=selectors.rooms_bookable(user), initial=initial)
    return form_page(
        request,
        form=form,
        act=lambda d: services.booking_create(actor=user, **d),
        success=_calendar_url,
        done_message=_("The room was booked."),
        title=_("Book a room"),
        cancel_url=reverse("venues:calendar"),
        breadcrumbs=_crumbs((_("Room bookings"), reverse("venues:calendar"))),
    )


def _booking(request: HttpRequest, booking_id: int) -> Booking:
    return get_in_scope_or_404(selectors.bookings_visible(request.user), request.user, pk=booking_id)


@requires(Perm.VIEW)
def booking_detail(request: HttpRequest, booking_id: int) -> HttpResponse:
    booking = _booking(request, booking_id)
    release = None
    if can(request.user, Perm.RECORD_EDIT) and booking.activity_id is None and booking.ends_at > timezone.now():
        release = with_tokens(forms.ReleaseForm())
    return render(
        request,
        "venues/booking_detail.html",
        {
            "title": booking.purpose,
            "booking": booking,
            "release_form": release,
            "breadcrumbs": _crumbs((_("Room bookings"), _calendar_url(booking)), (booking.purpose, "")),
        },
    )


@requires(Perm.RECORD_EDIT)
def booking_release(request: HttpRequest, booking_id: int) -> HttpResponse:
    booking = _booking(request, booking_id)
    back = _calendar_url(booking)
    return form_page(
        request,
        form=forms.ReleaseForm(request.POST or None),
        act=lambda d: services.booking_release(actor=request.user, booking=booking),
        success=lambda _r: back,
        done_message=_("The booking was released."),
        title=_("Release the booking"),
        cancel_url=reverse("venues:booking_detail", args=[booking.pk]),
        breadcrumbs=_crumbs((booking.purpose, reverse("venues:booking_detail", args=[booking.pk]))),
        intro=_("Release %(what)s?") % {"what": str(booking)},
        submit_label=_("Release"),
    )


def _groups(user: Any) -> Any:
    """The resident groups (partners.CommunityOrganisation) in scope, named
    through the season's link so that venues does not import partners (which
    shows a group's seasons)."""
    model = Season._meta.get_field("organisation").related_model
    return scope(model._default_manager.filter(is_active=True), user)  # type: ignore[union-attr]


@requires(Perm.RECORD_EDIT)
def season_create(request: HttpRequest) -> HttpResponse:
    user = cast("User", request.user)
    initial: dict[str, Any] = {}
    for key in ("room", "organisation"):
        if request.GET.get(key, "").isdigit():
            initial[key] = int(request.GET[key])
    form = forms.SeasonForm(
        request.POST or None,
        rooms=selectors.rooms_bookable(user),
        organisations=_groups(user),
        initial=initial,
    )
    return form_page(
        request,
        form=form,
        act=lambda d: services.season_book(actor=user, **d),
        success=lambda s: reverse("venues:season_detail", args=[s.pk]),
        done_message=lambda s: _("%(n)s sessions were booked.") % {"n": s.bookings.count()},
        title=_("Book a room for a season"),
        cancel_url=reverse("venues:calendar"),
        breadcrumbs=_crumbs((_("Room bookings"), reverse("venues:calendar"))),
        intro=_("Every week's session is booked at once, or none: a refusal lists the dates that clash."),
    )


def _season(request: HttpRequest, season_id: int) -> Season:
    return get_in_scope_or_404(selectors.seasons_visible(request.user), request.user, pk=season_id)


@requires(Perm.VIEW)
def season_detail(request: HttpRequest, season_id: int) -> HttpResponse:
    season = _season(request, season_id)
    cancel = None
    if can(request.user, Perm.RECORD_EDIT) and season.cancelled_at is None:
        cancel = with_tokens(forms.ReleaseForm())
    return render(
        request,
        "venues/season_detail.html",
        {
            "title": season.purpose,
            "season": season,
            "weekday": dict(forms.WEEKDAYS)[season.weekday],
            "bookings": list(season.bookings.order_by("starts_at")),
            "cancel_form": cancel,
            "breadcrumbs": _crumbs((_("Room bookings"), reverse("venues:calendar")), (season.purpose, "")),
        },
    )


@requires(Perm.RECORD_EDIT)
def season_cancel(request: HttpRequest, season_id: int) -> HttpResponse:
    season = _season(request, season_id)
    form = forms.ReleaseForm(request.POST or None)
    return form_page(
        request,
        form=form,
        act=lambda d: services.season_cancel(actor=request.user, season=season),
        success=lambda _n: reverse("venues:season_detail", args=[season.pk]),
        done_message=lambda n: _("%(n)s coming sessions were released.") % {"n": n},
        title=_("Cancel the season"),
        cancel_url=reverse("venues:season_detail", args=[season.pk]),
        breadcrumbs=_crumbs((season.purpose, reverse("venues:season_detail", args=[season.pk]))),
        submit_label=_("Cancel the season"),
    )
