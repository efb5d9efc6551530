"""Scoped reads for casework, groups and activities, and the counting rules
for person-times (服务人次) and persons served (服务人数): docs/counting.md."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.apps import apps
from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from casework.models import (
    Activity,
    ActivitySignup,
    ActivityStatus,
    Case,
    CaseAttachment,
    CaseNote,
    DeliveredService,
    Group,
    GroupAttendance,
    GroupMember,
    GroupSession,
    Referral,
)
from core.access import at_or_above, scope, under, unit_subtree, within
from orgs.models import OrgUnit


def cases_visible(user: Any) -> QuerySet[Case]:
    return scope(Case.objects.all(), user).select_related("person", "domain", "worker", "supervisor", "unit")


_RESPONSIBLE = ("responsible_user", "responsible_organisation", "responsible_enterprise", "responsible_volunteer")


def case_detail_qs(user: Any) -> QuerySet[Case]:
    from casework.models import CaseConference, CaseGoal, InboundReferral, PlannedService

    return cases_visible(user).prefetch_related(
        Prefetch("goals", queryset=CaseGoal.objects.select_related(*_RESPONSIBLE, "conference")),
        Prefetch("planned_services", queryset=PlannedService.objects.select_related(*_RESPONSIBLE, "conference")),
        "co_workers",
        Prefetch("delivered_services", queryset=DeliveredService.objects.select_related("worker", "planned")),
        Prefetch("referrals", queryset=Referral.objects.select_related("made_by")),
        Prefetch(
            "conferences",
            queryset=CaseConference.objects.prefetch_related("staff", "organisations", "enterprises", "family_members"),
        ),
        Prefetch(
            "inbound_referrals",
            queryset=InboundReferral.objects.select_related("from_organisation", "from_enterprise"),
        ),
        "transitions__actor",
    )


def goals_visible(user: Any) -> QuerySet[Any]:
    from casework.models import CaseGoal

    return scope(CaseGoal.objects.select_related("case", "case__unit"), user, field="case__unit")


def case_notes(case: Case) -> QuerySet[CaseNote]:
    """Callers check casework.access.can_read_confidential first."""
    return case.notes.select_related("author")


def case_attachments(case: Case) -> QuerySet[CaseAttachment]:
    return case.attachments.select_related("uploaded_by")


def attachments_visible(user: Any) -> QuerySet[CaseAttachment]:
    return scope(CaseAttachment.objects.select_related("case", "case__unit"), user, field="case__unit")


def referrals_visible(user: Any) -> QuerySet[Referral]:
    return scope(Referral.objects.select_related("case", "case__person"), user)


def groups_visible(user: Any) -> QuerySet[Group]:
    return scope(Group.objects.all(), user).select_related("domain", "worker", "unit")


def group_detail_qs(user: Any) -> QuerySet[Group]:
    return groups_visible(user).prefetch_related(
        Prefetch("members", queryset=GroupMember.objects.select_related("person")),
        Prefetch("sessions", queryset=GroupSession.objects.annotate(n_present=Count("attendance")).order_by("number")),
    )


def sessions_visible(user: Any) -> QuerySet[GroupSession]:
    return scope(GroupSession.objects.select_related("group"), user, field="group__unit")


def activities_visible(user: Any) -> QuerySet[Activity]:
    return scope(Activity.objects.all(), user).select_related("domain", "unit", "person_in_charge")


def activity_detail_qs(user: Any) -> QuerySet[Activity]:
    return (
        activities_visible(user)
        .select_related("room__venue", "project")
        .prefetch_related(
            "partner_organisations",
            "partner_enterprises",
            "photos",
            Prefetch(
                "signups",
                queryset=ActivitySignup.objects.select_related("person", "volunteer", "service_record"),
            ),
        )
    )


def photos_visible(user: Any) -> QuerySet[Any]:
    from casework.models import ActivityPhoto

    return scope(ActivityPhoto.objects.select_related("activity"), user, field="activity__unit")


# ---------------------------------------------------------------- counting


def _units(user: Any, unit: OrgUnit | None) -> QuerySet[OrgUnit]:
    subtree = unit_subtree(user)
    return subtree if unit is None else under(subtree, unit, field="")


def _bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    lo = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    hi = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    return lo, hi


def _optional_model(app: str, name: str) -> Any:
    try:
        return apps.get_model(app, name)
    except LookupError:
        return None


def service_contact_sources(user: Any, start: dt.date, end: dt.date, unit: OrgUnit | None) -> dict[str, Any]:
    """The records that count as a service contact (docs/counting.md), in the
    user's scope: {kind: queryset or None when that area is not installed}."""
    return service_contacts_in(_units(user, unit), start, end)


def service_contacts_in(units: QuerySet[OrgUnit], start: dt.date, end: dt.date) -> dict[str, Any]:
    """The same records filed at `units`. Trusted: the caller has checked the
    user may see them (contracts counts its actuals from this definition)."""
    ids = units.values("id")
    lo, hi = _bounds(start, end)
    held = Activity.objects.filter(unit__in=ids, status=ActivityStatus.DONE, starts_at__gte=lo, starts_at__lt=hi)
    out = {
        "activity_named": ActivitySignup.objects.filter(activity__in=held, attended=True, person__isnull=False),
        "activity_heads": held,
        "group": GroupAttendance.objects.filter(
            session__group__unit__in=ids, session__date__gte=start, session__date__lte=end
        ),
        "case": DeliveredService.objects.filter(case__unit__in=ids, date__gte=start, date__lte=end),
        "visit": None,
        "task": None,
    }
    visit = _optional_model("grading", "Visit")
    if visit is not None:
        out["visit"] = visit.objects.filter(unit__in=ids, visited_on__gte=start, visited_on__lte=end)
    task = _optional_model("matching", "ServiceTask")
    if task is not None:
        out["task"] = task.objects.filter(unit__in=ids, status="done", completed_on__gte=start, completed_on__lte=end)
    return out


def person_times_breakdown(user: Any, start: dt.date, end: dt.date, unit: OrgUnit | None = None) -> dict[str, int]:
    """服务人次 per method, in the user's scope (optionally one unit's subtree)."""
    src = service_contact_sources(user, start, end, unit)
    heads = src["activity_heads"].aggregate(n=Sum("head_count"))["n"] or 0
    return {
        "activities": src["activity_named"].count() + heads,
        "groups": src["group"].count(),
        "cases": src["case"].count(),
        "visits": src["visit"].count() if src["visit"] is not None else 0,
        "tasks": src["task"].count() if src["task"] is not None else 0,
    }


def person_times(user: Any, start: dt.date, end: dt.date, unit: OrgUnit | None = None) -> int:
    """服务人次: every service contact counts once (docs/counting.md)."""
    return sum(person_times_breakdown(user, start, end, unit).values())


def persons_served(user: Any, start: dt.date, end: dt.date, unit: OrgUnit | None = None) -> int:
    """服务人数: distinct named residents served at least once in the period.
    Unnamed head counts cannot be de-duplicated and are not included."""
    src = service_contact_sources(user, start, end, unit)
    ids: set[int] = set(src["activity_named"].values_list("person_id", flat=True))
    ids.update(src["group"].values_list("member__person_id", flat=True))
    ids.update(src["case"].values_list("case__person_id", flat=True))
    if src["visit"] is not None:
        ids.update(src["visit"].values_list("person_id", flat=True))
    if src["task"] is not None:
        ids.update(src["task"].values_list("need__person_id", flat=True))
    return len(ids)


def activity_counts(activity: Activity) -> dict[str, int]:
    """Figures for one activity: named residents, volunteers, head count."""
    agg = activity.signups.aggregate(
        residents=Count("pk", filter=Q(attended=True, person__isnull=False)),
        volunteers=Count("pk", filter=Q(attended=True, volunteer__isnull=False)),
        signed_up=Count("pk"),
    )
    agg["person_times"] = agg["residents"] + activity.head_count
    return agg


# ---------------------------------------------------------------- staff pickers


def _roles_with(perm: Any) -> list[str]:
    from core.access import PERMISSIONS

    return [role for role, perms in PERMISSIONS.items() if perm in perms]


def workers_for(user: Any) -> QuerySet[Any]:
    """Active staff in scope who may record services (case workers, group workers)."""
    from accounts.selectors import staff_visible
    from core.access import Perm

    return staff_visible(user).filter(role__in=_roles_with(Perm.RECORD_EDIT)).order_by("unit__path", "username")


def staff_for(case: Case) -> QuerySet[Any]:
    """Staff and community workers who may take part in a case's conference or
    carry out part of its plan: active accounts whose unit covers the case's."""
    from accounts.models import User

    return (
        User.objects.filter(at_or_above(case.unit), is_active=True)
        .select_related("unit")
        .order_by("unit__path", "username")
    )


def approvers_for(user: Any) -> QuerySet[Any]:
    """Supervising staff for the user's cases: in scope or at a unit above."""
    from accounts.models import User
    from core.access import Perm

    if not getattr(user, "is_authenticated", False) or user.unit_id is None:
        return User.objects.none()
    return (
        User.objects.filter(is_active=True, role__in=_roles_with(Perm.APPROVE))
        .filter(within(user.unit) | at_or_above(user.unit))
        .select_related("unit")
        .order_by("unit__path", "username")
    )


def partner_choices(user: Any) -> tuple[QuerySet[Any], QuerySet[Any]]:
    """Organisations and enterprises an activity of the user may name: those
    registered in scope or at a unit above (e.g. district-wide enterprises)."""
    from partners.models import CommunityOrganisation, Enterprise

    if not getattr(user, "is_authenticated", False) or user.unit_id is None:
        return CommunityOrganisation.objects.none(), Enterprise.objects.none()
    where = within(user.unit) | at_or_above(user.unit)
    return (
        CommunityOrganisation.objects.filter(where, is_active=True).order_by("name"),
        Enterprise.objects.filter(where, is_active=True).order_by("name"),
    )


def room_choices(user: Any, keep: int | None = None) -> QuerySet[Any]:
    """Rooms an activity of the user may book: the rooms in use of the venues
    in scope, and the room the activity already has (`keep`: a community
    worker editing an activity booked in the station's room keeps it)."""
    from venues.models import Room
    from venues.selectors import rooms_bookable

    rooms = rooms_bookable(user)
    if keep is not None:
        rooms = Room.objects.filter(Q(pk__in=rooms.values("pk")) | Q(pk=keep)).select_related("venue__unit")
    return rooms.order_by("venue__name", "name")
