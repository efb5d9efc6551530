"""A person's effective notification settings: their own, else their
district's defaults, else the built-in ones (every event, by e-mail, at once)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from notifications.models import DistrictPreference, Preference, UserPreference

DEFAULT_CHANNELS = ("email",)


@dataclass(frozen=True)
class Prefs:
    events_off: frozenset[str] = frozenset()
    channels: tuple[str, ...] = DEFAULT_CHANNELS
    digest_at: dt.time | None = None
    quiet_from: dt.time | None = None
    quiet_until: dt.time | None = None

    @classmethod
    def of(cls, row: Preference) -> Prefs:
        return cls(frozenset(row.events_off), tuple(row.channels), row.digest_at, row.quiet_from, row.quiet_until)

    def is_quiet(self, at: dt.datetime) -> bool:
        """Whether local time `at` falls in the quiet hours (which may span midnight)."""
        if self.quiet_from is None or self.quiet_until is None or self.quiet_from == self.quiet_until:
            return False
        t = timezone.localtime(at).time()
        if self.quiet_from < self.quiet_until:
            return self.quiet_from <= t < self.quiet_until
        return t >= self.quiet_from or t < self.quiet_until

    def quiet_ends(self, at: dt.datetime) -> dt.datetime:
        """The first moment after `at` outside the quiet hours."""
        if not self.is_quiet(at):
            return at
        assert self.quiet_until is not None  # is_quiet said so
        local = timezone.localtime(at)
        end = local.replace(hour=self.quiet_until.hour, minute=self.quiet_until.minute, second=0, microsecond=0)
        if end <= local:
            end += dt.timedelta(days=1)
        return end

    def send_after(self, now: dt.datetime) -> dt.datetime | None:
        """When a notification made now may leave the system: None when the
        person has no channel or reads a daily digest instead."""
        if not self.channels or self.digest_at is not None:
            return None
        return self.quiet_ends(now)


def _district_rows() -> list[DistrictPreference]:
    return list(DistrictPreference.objects.select_related("district"))


def _pick(user: Any, own: UserPreference | None, districts: list[DistrictPreference]) -> Prefs:
    if own is not None:
        return Prefs.of(own)
    for row in districts:
        if user.unit is not None and row.district.contains(user.unit):
            return Prefs.of(row)
    return Prefs()


def preferences_of(user: Any) -> Prefs:
    own = UserPreference.objects.filter(user_id=user.pk).first()
    return _pick(user, own, [] if own is not None else _district_rows())


def preferences_for(users: Iterable[Any]) -> dict[int, Prefs]:
    """Everyone's settings in two queries (their rows, the districts')."""
    users = list(users)
    own = {p.user_id: p for p in UserPreference.objects.filter(user__in=[u.pk for u in users])}
    districts = _district_rows()
    return {u.pk: _pick(u, own.get(u.pk), districts) for u in users}
