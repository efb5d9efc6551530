from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    """The three levels of the service structure (三级联动)."""

    DISTRICT = "district", _("District guidance centre")
    STATION = "station", _("Street station")
    COMMUNITY = "community", _("Community room")


class Role(models.TextChoices):
    DISTRICT_ADMIN = "district_admin", _("District administrator")
    STATION_LEAD = "station_lead", _("Station lead")
    SOCIAL_WORKER = "social_worker", _("Social worker")
    COMMUNITY_WORKER = "community_worker", _("Community worker")
    SUPERVISOR = "supervisor", _("Supervisor")
    VIEWER = "viewer", _("Read-only viewer")


# Which levels of the tree each role may be placed at.
ROLE_LEVELS: dict[str, frozenset[str]] = {
    Role.DISTRICT_ADMIN: frozenset({Level.DISTRICT}),
    Role.STATION_LEAD: frozenset({Level.STATION}),
    Role.SOCIAL_WORKER: frozenset({Level.STATION, Level.COMMUNITY}),
    Role.COMMUNITY_WORKER: frozenset({Level.COMMUNITY}),
    Role.SUPERVISOR: frozenset({Level.DISTRICT, Level.STATION}),
    Role.VIEWER: frozenset({Level.DISTRICT, Level.STATION, Level.COMMUNITY}),
}
