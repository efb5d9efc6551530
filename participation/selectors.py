"""Reads for the participation area: the staff queues (scoped through
core/access.py by the item's unit) and a portal user's own items (only ever
theirs: every read filters by their account or its volunteer)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from casework.models import Activity, ActivitySignup, ActivityStatus
from core.access import scope, under
from matching.models import NeedType, ServiceTask, TaskStatus
from participation.models import (
    Decision,
    EnterpriseClaim,
    HoursReport,
    VolunteerApplication,
    VolunteerRequest,
    WishClaim,
)
from volunteering.models import Certificate, ServiceRecord
from volunteering.selectors import counted, next_star, volunteer_hours

# ---------------------------------------------------------------- staff queues


def applications_visible(user: Any) -> QuerySet[VolunteerApplication]:
    return scope(VolunteerApplication.objects.select_related("unit", "account"), user).prefetch_related("skills")


def requests_visible(user: Any) -> QuerySet[VolunteerRequest]:
    return scope(
        VolunteerRequest.objects.select_related("unit", "volunteer", "record", "task", "task__need", "task__unit"), user
    )


def hours_visible(user: Any) -> QuerySet[HoursReport]:
    return scope(HoursReport.objects.select_related("unit", "volunteer", "record"), user)


def wish_claims_visible(user: Any) -> QuerySet[WishClaim]:
    return scope(WishClaim.objects.select_related("unit", "wish", "wish__person", "account"), user)


def enterprise_claims_visible(user: Any) -> QuerySet[EnterpriseClaim]:
    return scope(EnterpriseClaim.objects.select_related("unit", "account", "enterprise"), user)


def pending(qs: QuerySet[Any]) -> QuerySet[Any]:
    return qs.filter(status=Decision.PENDING)


# ---------------------------------------------------------------- a portal user's own


def own_application(account: Any) -> VolunteerApplication | None:
    return VolunteerApplication.objects.filter(account=account).select_related("unit").order_by("-id").first()


def own_records(account: Any) -> QuerySet[ServiceRecord]:
    if account.volunteer_id is None:
        return ServiceRecord.objects.none()
    return ServiceRecord.objects.filter(volunteer_id=account.volunteer_id).order_by("-date", "-id")


def own_requests(account: Any) -> QuerySet[VolunteerRequest]:
    return VolunteerRequest.objects.filter(account=account).select_related("record").order_by("-id")


def own_hours_reports(account: Any) -> QuerySet[HoursReport]:
    return HoursReport.objects.filter(account=account).order_by("-id")


def own_certificates(account: Any) -> QuerySet[Certificate]:
    if account.volunteer_id is None:
        return Certificate.objects.none()
    return Certificate.objects.filter(volunteer_id=account.volunteer_id).select_related("volunteer", "unit")


def own_claims(account: Any) -> QuerySet[WishClaim]:
    return WishClaim.objects.filter(account=account).select_related("wish", "wish__unit").order_by("-id")


def own_enterprise_claims(account: Any) -> QuerySet[EnterpriseClaim]:
    return EnterpriseClaim.objects.filter(account=account).order_by("-id")


def standing(account: Any) -> dict[str, Any]:
    """Hours on record (confirmed only), the star level and the way to the next."""
    if account.volunteer_id is None:
        return {"hours": Decimal(0), "stars": 0, "to_next": None, "pending": 0}
    hours = volunteer_hours([account.volunteer_id])[account.volunteer_id]
    stars, to_next = next_star(hours)
    waiting = own_records(account).count() - counted(own_records(account)).count()
    return {"hours": hours, "stars": stars, "to_next": to_next, "pending": waiting}


def open_activities(account: Any) -> QuerySet[Activity]:
    """Planned activities of the volunteer's station that have not ended,
    those of their own community first."""
    volunteer = account.volunteer
    if volunteer is None:
        return Activity.objects.none()
    return (
        under(
            Activity.objects.filter(status=ActivityStatus.PLANNED, ends_at__gte=timezone.now()), volunteer.unit.station
        )
        .select_related("unit")
        .order_by("starts_at", "id")
    )


def signed_up_ids(account: Any) -> set[int]:
    if account.volunteer_id is None:
        return set()
    return set(ActivitySignup.objects.filter(volunteer_id=account.volunteer_id).values_list("activity_id", flat=True))


def own_signups(account: Any) -> QuerySet[ActivitySignup]:
    if account.volunteer_id is None:
        return ActivitySignup.objects.none()
    return (
        ActivitySignup.objects.filter(volunteer_id=account.volunteer_id)
        .select_related("activity", "activity__unit", "service_record")
        .order_by("-activity__starts_at")
    )


def open_tasks(account: Any) -> QuerySet[ServiceTask]:
    """Service tasks of the volunteer's station still waiting for someone to
    carry them out (no volunteer, no enterprise) and not yet due."""
    volunteer = account.volunteer
    if volunteer is None:
        return ServiceTask.objects.none()
    return (
        under(
            ServiceTask.objects.filter(
                status=TaskStatus.ASSIGNED,
                volunteer__isnull=True,
                enterprise__isnull=True,
                due_date__gte=timezone.localdate(),
            ),
            volunteer.unit.station,
        )
        .select_related("unit", "need")
        .order_by("due_date", "id")
    )


def own_tasks(account: Any) -> QuerySet[ServiceTask]:
    """The service tasks the account's volunteer carries out."""
    if account.volunteer_id is None:
        return ServiceTask.objects.none()
    return (
        ServiceTask.objects.filter(volunteer_id=account.volunteer_id)
        .exclude(status=TaskStatus.CANCELLED)
        .select_related("unit", "need")
        .order_by("-due_date", "-id")
    )


def asked_task_ids(account: Any) -> set[int]:
    return set(
        VolunteerRequest.objects.filter(account=account, kind="task", status=Decision.PENDING).values_list(
            "task_id", flat=True
        )
    )


def category_names(codes: Any) -> dict[str, str]:
    return dict(NeedType.objects.filter(code__in=set(codes)).values_list("code", "name"))
