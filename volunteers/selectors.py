"""Scoped reads of volunteers and teams."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from core.access import scope
from core.models import ServiceDomain
from volunteers.models import Skill, Volunteer, VolunteerTeam

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
SLOTS = ("am", "pm", "eve")


def volunteers_visible(user: Any) -> QuerySet[Volunteer]:
    return scope(Volunteer.objects.all(), user).select_related("unit")


def teams_visible(user: Any) -> QuerySet[VolunteerTeam]:
    return scope(VolunteerTeam.objects.all(), user).select_related("unit", "leader")


def teams_with_counts(user: Any) -> QuerySet[VolunteerTeam]:
    """The teams in scope, each with its number of members as `n`."""
    return teams_visible(user).annotate(n=Count("members"))


def volunteer_with_id(number: str, *, exclude_pk: int | None = None) -> Volunteer | None:
    """The volunteer registered with this resident ID (any station), if any."""
    from core.identity import id_hash

    same = Volunteer.objects.filter(id_hash=id_hash(number)).select_related("unit")
    if exclude_pk is not None:
        same = same.exclude(pk=exclude_pk)
    return same.first()


def skills() -> QuerySet[Skill]:
    return Skill.objects.select_related("domain").order_by("code")


def skills_offered(volunteer: Volunteer | None = None) -> QuerySet[Skill]:
    """The skills a form offers: those in use, and retired ones the volunteer still holds."""
    held = Q(pk__in=volunteer.skills.values("pk")) if volunteer is not None else Q(pk__in=[])
    return skills().filter(Q(active=True) | held)


def domains_offered(volunteer: Volunteer | None = None) -> QuerySet[ServiceDomain]:
    """The service domains a form offers: those in use, and retired ones the volunteer still holds."""
    held = Q(pk__in=volunteer.domains.values("pk")) if volunteer is not None else Q(pk__in=[])
    return ServiceDomain.objects.filter(Q(active=True) | held)


def filter_volunteers(
    qs: QuerySet[Volunteer],
    *,
    q: str = "",
    skill: Any = None,
    domain: Any = None,
    team: Any = None,
    day: str = "",
    active_only: bool = True,
) -> QuerySet[Volunteer]:
    from core.identity import normalise_code, normalise_text

    if active_only:
        qs = qs.filter(is_active=True)
    if skill:
        qs = qs.filter(skills=skill)
    if domain:
        qs = qs.filter(domains=domain)
    if team:
        qs = qs.filter(teams=team)
    if day in DAYS:
        qs = qs.filter(availability__has_key=day)
    text = normalise_text(q)
    if text:
        code = normalise_code(q)
        if code.isdigit():
            qs = qs.filter(Q(phone__endswith=code) | Q(id_tail__endswith=code))
        elif code.isascii() and code.isalpha():
            low = code.lower()
            qs = qs.filter(Q(name_initials__startswith=low) | Q(name_pinyin__startswith=low))
        else:
            qs = qs.filter(Q(name__contains=text) | Q(skills_note__contains=text))
    return qs.distinct()


def skills_by_codes(codes: list[str]) -> list[Skill]:
    """Skill rows for API codes; an unknown code is a field error."""
    found = list(Skill.objects.filter(code__in=codes))
    if len(found) != len(set(codes)):
        raise ValidationError({"skills": _("Unknown skill code.")})
    return found


def domains_by_codes(codes: list[str], field: str = "domains") -> list[ServiceDomain]:
    """Active service domains for API codes; an unknown code is an error on `field`."""
    found = list(ServiceDomain.objects.filter(code__in=codes, active=True))
    if len(found) != len(set(codes)):
        raise ValidationError({field: _("Unknown service domain code.")})
    return found
