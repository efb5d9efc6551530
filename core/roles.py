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
    # 三员分立 (the 等保 profile): the district administrator's powers in three roles.
    SYSTEM_ADMIN = "system_admin", _("System administrator")
    SECURITY_ADMIN = "security_admin", _("Security administrator")
    AUDIT_ADMIN = "audit_admin", _("Audit administrator")


# Which levels of the tree each role may be placed at.
ROLE_LEVELS: dict[str, frozenset[str]] = {
    Role.DISTRICT_ADMIN: frozenset({Level.DISTRICT}),
    Role.STATION_LEAD: frozenset({Level.STATION}),
    Role.SOCIAL_WORKER: frozenset({Level.STATION, Level.COMMUNITY}),
    Role.COMMUNITY_WORKER: frozenset({Level.COMMUNITY}),
    Role.SUPERVISOR: frozenset({Level.DISTRICT, Level.STATION}),
    Role.VIEWER: frozenset({Level.DISTRICT, Level.STATION, Level.COMMUNITY}),
    Role.SYSTEM_ADMIN: frozenset({Level.DISTRICT}),
    Role.SECURITY_ADMIN: frozenset({Level.DISTRICT}),
    Role.AUDIT_ADMIN: frozenset({Level.DISTRICT}),
}

# The three administrator roles of 三员分立.
ADMIN_ROLES: frozenset[str] = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})
# Roles that must use two-factor login under the 等保 profile (REQUIRE_2FA_FOR_PRIVILEGED);
# the first set whenever REQUIRE_2FA_FOR_ADMINS is on (production).
ADMIN_2FA_ROLES: frozenset[str] = frozenset({Role.DISTRICT_ADMIN}) | ADMIN_ROLES
PRIVILEGED_ROLES: frozenset[str] = ADMIN_2FA_ROLES | {Role.STATION_LEAD, Role.SUPERVISOR}
