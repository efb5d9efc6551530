"""The grading area's to-do items (registered in grading/contrib.py): my
overdue and due-this-week follow-ups (red first), what has been escalated
to a station lead or the district by the follow-up policy, and the open
windows after a major event."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.access import Perm, can
from core.roles import Role
from core.todo import TodoContext, TodoEntry, merge, overview, share_by_unit
from notifications.api import mask_name


def _policies(readers: list[Any]) -> dict[int, Any]:
    """Each reader's follow-up policy, one query per district (not per reader)."""
    from grading.selectors_config import policy_for

    by_district: dict[str, Any] = {}
    out = {}
    for r in readers:
        key = r.unit.path.split("/", 1)[0]
        if key not in by_district:
            by_district[key] = policy_for(r.unit)
        out[r.pk] = by_district[key]
    return out


def escalation_days(reader: Any, policy: Any) -> int | None:
    """After how many overdue days a follow-up reaches this reader as an
    escalation: the station lead's delay, the district's; None for workers."""
    if overview(reader):
        return int(policy.escalate_district_days)
    if reader.role in (Role.STATION_LEAD, Role.SUPERVISOR):
        return int(policy.escalate_lead_days)
    return None


def followups(readers: list[Any], ctx: TodoContext) -> dict[int, list[TodoEntry]]:
    from grading.models import Card, PersonGrade

    readers = [r for r in readers if can(r, Perm.RECORD_EDIT) and r.unit is not None]
    if not readers:
        return {}
    today = ctx.today
    week_end = today + dt.timedelta(days=6 - today.weekday())
    rows = (
        PersonGrade.objects.filter(next_due__lte=week_end, person__is_active=True)
        .values_list("responsible_id", "unit_id", "card", "next_due")
        .annotate(n=Count("id"))
        .order_by()
    )
    own: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    overdue_by_unit: list[tuple[int, dt.date, int]] = []
    unassigned: list[tuple[int, str, int]] = []
    for responsible_id, unit_id, card, due, n in rows:
        if due < today:
            overdue_by_unit.append((unit_id, due, n))
        bucket = "week" if due >= today else ("red" if card == Card.RED else "late")
        if responsible_id is None:
            unassigned.append((unit_id, bucket, n))
        else:
            own[responsible_id][bucket] += n
    # A worker's own list ("mine") also holds the unassigned recipients in
    # their scope (grading.selectors.followups), so the inbox counts them too.
    for r in readers:
        if r.role == Role.STATION_LEAD or overview(r):
            continue
        for unit_id, bucket, n in unassigned:
            if ctx.sees(r, unit_id):
                own[r.pk][bucket] += n
    url = reverse("grading:followups")
    labels = {
        "red": _("My overdue red-card visits"),
        "late": _("My overdue visits"),
        "week": _("My visits due this week"),
    }
    mine: dict[int, list[TodoEntry]] = {}
    for r in readers:
        if overview(r) or r.pk not in own:
            continue  # the district sees its subtree, not its own visits
        mine[r.pk] = [TodoEntry(own[r.pk][b], url, labels[b], "", b != "week") for b in labels if own[r.pk][b]]
    policies = _policies(readers)
    escalated: list[dict[int, list[TodoEntry]]] = []
    for r in readers:
        days = escalation_days(r, policies[r.pk])
        if days is None:
            continue
        cut = today - dt.timedelta(days=days)
        counts: dict[int, int] = defaultdict(int)
        for unit_id, due, n in overdue_by_unit:
            if due <= cut:
                counts[unit_id] += n
        label = _("Overdue follow-ups escalated to me (%(days)s days and more)") % {"days": days}
        escalated.append(
            share_by_unit([r], ctx, counts, f"{url}?show=overdue", label=label, urgent=True, unit_param="unit")
        )
    return merge(mine, *escalated)


def major_events(readers: list[Any], ctx: TodoContext) -> dict[int, list[TodoEntry]]:
    """Open windows after a major event: each of mine by its masked name and
    due time; leads and the district see how many per station."""
    from grading.models import MajorEvent

    readers = [r for r in readers if can(r, Perm.RECORD_EDIT) and r.unit is not None]
    if not readers:
        return {}
    rows = list(
        MajorEvent.objects.filter(resolved_by__isnull=True, due_at__gte=ctx.now - dt.timedelta(days=7)).values_list(
            "person_id", "person__name", "person__grade__responsible_id", "unit_id", "due_at"
        )
    )
    if not rows:
        return {}
    counts: dict[int, int] = defaultdict(int)
    for _p, _name, _resp, unit_id, _due in rows:
        counts[unit_id] += 1
    watchers = [r for r in readers if overview(r) or r.role in (Role.STATION_LEAD, Role.SUPERVISOR)]
    out = share_by_unit(
        watchers, ctx, counts, reverse("grading:followups"), label=_("Major events awaiting a visit"), urgent=True
    )
    ids = {r.pk for r in readers} - {w.pk for w in watchers}
    for person_id, name, responsible_id, _unit_id, due_at in rows:
        if responsible_id in ids:
            out.setdefault(responsible_id, []).append(
                TodoEntry(
                    1,
                    reverse("grading:person", args=[person_id]),
                    _("Visit %(name)s after a major event by %(due)s")
                    % {"name": mask_name(name), "due": timezone.localtime(due_at).strftime("%m-%d %H:%M")},
                    "",
                    True,
                )
            )
    return out
