"""房间与预约: the rooms of a venue (workrecords.Venue), their opening hours,
and the bookings made for activities, group sessions and other uses.

The conflict rule lives in venues/rules.py (pure) and is applied by
venues/services.py under a row lock on the room."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Room(models.Model):
    venue = models.ForeignKey(
        "workrecords.Venue", on_delete=models.PROTECT, related_name="rooms", verbose_name=_("venue")
    )
    name = models.CharField(_("name"), max_length=100)
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    facilities = models.CharField(
        _("facilities"), max_length=300, blank=True, help_text=_("e.g. projector, piano, 20 chairs")
    )
    area_m2 = models.PositiveIntegerField(_("floor area (m²)"), null=True, blank=True)
    # Opening hours per weekday: {"0": ["08:30", "21:00"], …} (0 = Monday);
    # a weekday missing is closed. An empty mapping: no set hours (always open).
    hours = models.JSONField(_("opening hours"), default=dict, blank=True)
    # Whole days the room is closed (holidays, repairs): ISO dates.
    closed_dates = models.JSONField(pgettext_lazy("room", "closed on"), default=list, blank=True)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("room (房间)")
        verbose_name_plural = _("rooms")
        ordering = ["venue", "name"]

    def __str__(self) -> str:
        return f"{self.venue} · {self.name}"

    def opening(self, day: dt.date) -> tuple[dt.time, dt.time] | None:
        """The hours the room is open on `day`; None when closed that day.
        A room without set hours is open the whole day."""
        if day.isoformat() in (self.closed_dates or []):
            return None
        if not self.hours:
            return dt.time(0, 0), dt.time(23, 59, 59)
        span = self.hours.get(str(day.weekday()))
        if not span:
            return None
        return dt.time.fromisoformat(span[0]), dt.time.fromisoformat(span[1])


class BookingKind(models.TextChoices):
    ACTIVITY = "activity", _("activity")
    GROUP = "group", pgettext_lazy("booking", "group session")
    OTHER = "other", _("other use")


class Season(models.Model):
    """A resident group's regular weekly slot for a term (学期): one booking
    per week from `first_day` to `last_day`, skipping the `skip_dates`."""

    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="seasons", verbose_name=_("room"))
    organisation = models.ForeignKey(
        "partners.CommunityOrganisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="seasons",
        verbose_name=_("resident group"),
    )
    purpose = models.CharField(_("purpose"), max_length=120)
    weekday = models.PositiveSmallIntegerField(_("weekday"))
    starts = models.TimeField(pgettext_lazy("booking", "from"))
    ends = models.TimeField(pgettext_lazy("booking", "until"))
    first_day = models.DateField(_("term starts"))
    last_day = models.DateField(_("term ends"))
    skip_dates = models.JSONField(_("no session on (holidays)"), default=list, blank=True)
    attendees = models.PositiveIntegerField(_("expected attendees"), null=True, blank=True)
    booked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("season booking (学期预约)")
        verbose_name_plural = _("season bookings")
        ordering = ["-first_day", "weekday", "starts"]

    def __str__(self) -> str:
        return f"{self.purpose} · {self.room.name}"


class Booking(models.Model):
    """One room taken from `starts_at` to `ends_at` (half-open: a booking
    ending at 10:00 and one starting at 10:00 do not clash)."""

    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="bookings", verbose_name=_("room"))
    starts_at = models.DateTimeField(pgettext_lazy("booking", "from"))
    ends_at = models.DateTimeField(pgettext_lazy("booking", "until"))
    kind = models.CharField(_("booked for"), max_length=10, choices=BookingKind.choices, default=BookingKind.OTHER)
    activity = models.OneToOneField(
        "casework.Activity",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="booking",
        verbose_name=_("activity"),
    )
    season = models.ForeignKey(
        Season, null=True, blank=True, on_delete=models.CASCADE, related_name="bookings", verbose_name=_("season")
    )
    purpose = models.CharField(_("purpose"), max_length=120)
    attendees = models.PositiveIntegerField(_("expected attendees"), null=True, blank=True)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("booked by")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("room booking (预约)")
        verbose_name_plural = _("room bookings")
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["room", "starts_at"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")), name="venues_booking_ends"),
        ]

    def __str__(self) -> str:
        return f"{self.room.name} {self.starts_at:%Y-%m-%d %H:%M} {self.purpose}"

    @property
    def hours(self) -> float:
        return (self.ends_at - self.starts_at).total_seconds() / 3600
