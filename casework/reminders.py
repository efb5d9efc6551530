"""Referrals (转介) whose receiving partner has not answered: their link was
issued `LINLI_REFERRAL_ANSWER_DAYS` (7) ago and is still unused while the
referral is still "sent". The case worker is told once per link (the
scheduler's rule, registered in casework/contrib.py) and sees them on the
to-do list until the partner answers or the worker updates the referral.
One rule (`overdue`) serves both."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db.models import Count, Min, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from casework import conf
from core.todo import TodoContext, TodoEntry
from notifications.api import Event, Notice, mask_name, notify_each


def overdue(now: dt.datetime) -> QuerySet[Any]:
    from casework.models import Referral, ReferralStatus, Stage

    since = now - dt.timedelta(days=conf.referral_answer_days())
    return Referral.objects.filter(
        status=ReferralStatus.SENT, link_issued_at__lte=since, link_used_at__isnull=True
    ).exclude(case__stage=Stage.CLOSED)


def is_overdue(referral: Any, now: dt.datetime) -> bool:
    """`overdue` for one referral at hand (the case page)."""
    if referral.status != "sent" or referral.link_issued_at is None or referral.link_used_at is not None:
        return False
    return referral.link_issued_at <= now - dt.timedelta(days=conf.referral_answer_days())


def referrals_overdue(*, now: dt.datetime) -> int:
    """Tell each case worker once per unanswered link."""
    rows = (
        overdue(now)
        .select_related("case__person", "unit")
        .only(
            "id",
            "organisation",
            "link_issued_at",
            "unit",
            "case__id",
            "case__number",
            "case__worker_id",
            "case__person__name",
        )
    )
    case_url = reverse("casework:case_detail", args=[987654321]).replace("987654321", "{}")
    notices = []
    for r in rows.iterator(chunk_size=2000):
        assert r.link_issued_at is not None  # filtered on it
        subject = f"{r.case.number} {mask_name(r.case.person.name)} → {r.organisation}"
        notices.append(
            Notice(r.case.worker_id, r, subject, case_url.format(r.case_id), r.unit, r.link_issued_at.isoformat())
        )
    return notify_each(event=Event.REFERRAL_OVERDUE, notices=notices, now=now)


LABEL = _("Referrals a partner has not answered in time")


def todo(readers: list[Any], ctx: TodoContext) -> dict[int, list[TodoEntry]]:
    """Each reader's own cases with an overdue referral: one grouped query."""
    ids = [r.pk for r in readers]
    rows = (
        overdue(ctx.now)
        .filter(case__worker_id__in=ids)
        .order_by()
        .values("case__worker_id")
        .annotate(n=Count("id"), first=Min("case_id"))
        .values_list("case__worker_id", "n", "first")
    )
    out: dict[int, list[TodoEntry]] = defaultdict(list)
    for worker_id, n, first in rows:
        url = reverse("casework:case_detail", args=[first]) if n == 1 else reverse("casework:case_list") + "?mine=1"
        out[worker_id].append(TodoEntry(n, url, urgent=True))
    return dict(out)
