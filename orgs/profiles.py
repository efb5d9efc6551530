"""Community profiles (社区概况) and the district's list of characteristics:
who may edit them, the services that change them, and the reads other areas
use (the population per community for the 一分 overview's rate, a unit's
profiles beside a needs survey).

A station lead edits the profiles of their own communities, the district
(whoever manages the tree) every community; the list of characteristics is
configuration, edited at the district and retired rather than deleted."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.actions import Action
from audit.services import audit_record, diff, snapshot
from core.access import Perm, can, require_unit_in_scope, unit_in_scope
from core.roles import Level, Role
from orgs.models import CommunityProfile, CommunityTrait, OrgUnit

if TYPE_CHECKING:
    from collections.abc import Iterable

    from accounts.models import User

PROFILE_FIELDS = (
    "figures_year",
    "population",
    "households",
    "area_km2",
    "secretary",
    "secretary_phone",
    "contacts",
    "notes",
)


# ---------------------------------------------------------------- who may


def may_edit_profile(user: Any, unit: OrgUnit) -> bool:
    """A community's profile: the district (tree managers) or the lead of the
    station it belongs to; nobody outside their scope."""
    if unit.level != Level.COMMUNITY or not unit_in_scope(user, unit):
        return False
    return can(user, Perm.ORG_MANAGE) or (can(user, Perm.VIEW) and user.role == Role.STATION_LEAD)


def may_edit_traits(user: Any) -> bool:
    unit = getattr(user, "unit", None)
    return can(user, Perm.CONFIG_MANAGE) and unit is not None and unit.level == Level.DISTRICT


# ---------------------------------------------------------------- reads


def profile_of(unit: OrgUnit) -> CommunityProfile | None:
    """The unit's profile with its characteristics, or None before the first edit."""
    return CommunityProfile.objects.filter(unit=unit).prefetch_related("traits").first()


def profiles_for(unit: OrgUnit) -> list[CommunityProfile]:
    """The profiles a needs survey of `unit` sits beside: the community's own,
    or those of a station's communities (one query each for rows and traits)."""
    qs = CommunityProfile.objects.select_related("unit").prefetch_related("traits").order_by("unit__path")
    if unit.level == Level.COMMUNITY:
        return list(qs.filter(unit=unit))
    if unit.level == Level.STATION:
        return list(qs.filter(unit__parent=unit))
    return []


def populations(unit_ids: Iterable[int]) -> dict[int, int]:
    """{unit id: population} for the units whose population is known."""
    rows = CommunityProfile.objects.filter(unit_id__in=list(unit_ids), population__gt=0)
    return {unit_id: population for unit_id, population in rows.values_list("unit_id", "population") if population}


def per_thousand(count: int, population: int | None) -> Decimal | None:
    """How many per 1,000 inhabitants, to one decimal; None (shown blank) when
    the population is unknown: never zero or infinity."""
    if not population:
        return None
    return (Decimal(count) * 1000 / Decimal(population)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def traits_offered(profile: CommunityProfile | None) -> QuerySet[CommunityTrait]:
    """The characteristics a profile may pick: those in use, and retired ones it still carries."""
    from django.db.models import Q

    kept = Q(pk__in=profile.traits.values("pk")) if profile is not None and profile.pk else Q(pk__in=[])
    return CommunityTrait.objects.filter(Q(retired=False) | kept)


# ---------------------------------------------------------------- services


def _check_figures(fields: dict[str, Any]) -> None:
    year = fields.get("figures_year")
    population, households = fields.get("population"), fields.get("households")
    errors: dict[str, str] = {}
    if year is not None and not 1949 <= year <= timezone.localdate().year:
        errors["figures_year"] = _("The year of the figures must lie between 1949 and this year.")
    if population is not None and households is not None and households > population:
        errors["households"] = _("A community cannot have more households than inhabitants.")
    if (population is not None or households is not None) and year is None:
        errors["figures_year"] = _("Give the year the population and households are from.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def profile_update(
    *, actor: User | None, unit: OrgUnit, traits: Iterable[CommunityTrait] = (), **fields: Any
) -> CommunityProfile:
    """Create or change a community's profile (one audit event with the changes)."""
    if actor is not None:
        require_unit_in_scope(actor, unit)
        if not may_edit_profile(actor, unit):
            raise PermissionDenied
    if unit.level != Level.COMMUNITY:
        raise ValidationError(_("Only a community has a profile."))
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"unknown profile fields: {sorted(unknown)}")
    profile = CommunityProfile.objects.select_for_update().filter(unit=unit).first()
    created = profile is None
    if profile is None:
        profile = CommunityProfile(unit=unit)
    before = {} if created else {**snapshot(profile, PROFILE_FIELDS), "traits": _trait_names(profile.traits.all())}
    merged = {f: fields.get(f, getattr(profile, f)) for f in PROFILE_FIELDS}
    _check_figures(merged)
    chosen = list(traits)
    offered = set(traits_offered(None if created else profile).values_list("pk", flat=True))
    if any(t.pk not in offered for t in chosen):
        raise ValidationError({"traits": _("A retired characteristic cannot be added to a profile.")})
    for key, value in merged.items():
        setattr(profile, key, value)
    profile.full_clean(exclude=["unit"])
    profile.save()
    profile.traits.set(chosen)
    after = {**snapshot(profile, PROFILE_FIELDS), "traits": _trait_names(chosen)}
    audit_record(actor=actor, action=Action.PROFILE_UPDATE, target=profile, unit=unit, changes=diff(before, after))
    return profile


def _trait_names(traits: Iterable[CommunityTrait]) -> str:
    return "、".join(sorted(t.name for t in traits))
