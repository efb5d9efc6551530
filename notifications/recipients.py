"""Who is told when a record is waiting: the station's leads, the
district's administrators and supervisors. One query for everyone."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model

from core.roles import Level, Role


@dataclass
class Overseers:
    leads: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))  # station id → lead ids
    district: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))  # district path → ids

    def of_station(self, station_id: int) -> list[int]:
        return self.leads.get(station_id, [])

    def of_district(self, path: str) -> list[int]:
        """`path` of any unit: its district's (the path's first part)."""
        return self.district.get(path.split("/", 1)[0] + "/", [])


def overseers() -> Overseers:
    out = Overseers()
    for uid, role, unit_id, level, path in (
        get_user_model()
        .objects.filter(is_active=True, role__in=[Role.STATION_LEAD, Role.DISTRICT_ADMIN, Role.SUPERVISOR])
        .values_list("id", "role", "unit_id", "unit__level", "unit__path")
    ):
        if level == Level.DISTRICT and role in (Role.DISTRICT_ADMIN, Role.SUPERVISOR):
            out.district[path].append(uid)
        elif role == Role.STATION_LEAD:
            out.leads[unit_id].append(uid)
    return out
