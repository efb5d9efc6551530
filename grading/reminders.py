"""The grading area's reminder rules (registered in grading/contrib.py),
run by the scheduler (`manage.py send_reminders`):

- a follow-up falls due (the card's interval of the district's follow-up
  policy: red ≤ 7 days, …): its responsible worker, once per due date;
- overdue past the policy's `escalate_lead_days` (3): the station's leads;
  past `escalate_district_days` (7): the district's administrators and
  supervisors; each once per follow-up and due date;
- a major event: the responsible worker once; still without a visit when
  its window (24 h) has passed: the station's leads.

Each rule is a few queries however many records (notify_each)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils import timezone

from notifications.api import Event, Notice, mask_name, notify_each
from notifications.recipients import overseers


def _policies() -> tuple[dict[str, Any], Any]:
    """Each district's follow-up policy by the district's path, and the default."""
    from grading.models import FollowUpPolicy

    rows = list(FollowUpPolicy.objects.select_related("district"))
    default = next((p for p in rows if p.district_id is None), None) or FollowUpPolicy()
    return {p.district.path: p for p in rows if p.district is not None}, default


def followups_due(*, now: dt.datetime) -> int:
    from grading.models import PersonGrade

    today = timezone.localdate(now)
    by_district, default = _policies()
    staff = overseers()
    soonest = min([default.escalate_lead_days, *(p.escalate_lead_days for p in by_district.values())])
    rows = (
        PersonGrade.objects.filter(next_due__lte=today, person__is_active=True)
        .select_related("person", "unit__parent")
        .only("id", "next_due", "card", "responsible_id", "person__name", "unit__path", "unit__level", "unit__parent")
    )
    due: list[Notice] = []
    to_leads: list[Notice] = []
    to_district: list[Notice] = []
    for g in rows.iterator(chunk_size=2000):
        subject = f"{mask_name(g.person.name)} {g.get_card_display()}"
        link = reverse("grading:person", args=[g.person_id])
        assert g.next_due is not None  # filtered on it
        period = g.next_due.isoformat()
        if g.responsible_id is not None:
            due.append(Notice(g.responsible_id, g.person, subject, link, g.unit, period))
        late = (today - g.next_due).days
        if late < soonest:
            continue
        district_path = g.unit.path.split("/", 1)[0] + "/"
        policy = by_district.get(district_path, default)
        if late >= policy.escalate_lead_days:
            to_leads += [
                Notice(uid, g.person, subject, link, g.unit, f"lead:{period}")
                for uid in staff.of_station(g.unit.station.pk)
            ]
        if late >= policy.escalate_district_days:
            to_district += [
                Notice(uid, g.person, subject, link, g.unit, f"district:{period}")
                for uid in staff.of_district(district_path)
            ]
    return (
        notify_each(event=Event.FOLLOWUP_DUE, notices=due, now=now)
        + notify_each(event=Event.FOLLOWUP_ESCALATED, notices=to_leads, now=now)
        + notify_each(event=Event.FOLLOWUP_ESCALATED, notices=to_district, now=now)
    )


def major_events(*, now: dt.datetime) -> int:
    """Open major events of the last week: the responsible worker once (the
    recording service already told them; events the grading itself raises, a
    new red card, are told here), the station's leads once the window has
    passed without a visit."""
    from grading.models import MajorEvent

    staff = overseers()
    rows = (
        MajorEvent.objects.filter(resolved_by__isnull=True, due_at__gte=now - dt.timedelta(days=7))
        .select_related("person__grade", "unit__parent")
        .only(
            "id", "due_at", "person__name", "person__grade__responsible_id", "unit__path", "unit__level", "unit__parent"
        )
    )
    worker: list[Notice] = []
    late: list[Notice] = []
    for e in rows:
        subject = mask_name(e.person.name)
        link = reverse("grading:person", args=[e.person_id])
        grade = getattr(e.person, "grade", None)
        if grade is not None and grade.responsible_id is not None:
            worker.append(Notice(grade.responsible_id, e, subject, link, e.unit))
        if e.due_at <= now:
            late += [Notice(uid, e, subject, link, e.unit, "late") for uid in staff.of_station(e.unit.station.pk)]
    return notify_each(event=Event.MAJOR_EVENT, notices=worker, now=now) + notify_each(
        event=Event.FOLLOWUP_ESCALATED, notices=late, now=now
    )
