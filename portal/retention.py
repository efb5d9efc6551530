"""What the portal's privacy notice promises: closed help requests and
feedback are kept PORTAL_KEEP_MONTHS after they were closed, then removed
with their photos. Spent sign-in codes and old rate-limit counts are removed
a day after they stop mattering. The worker runs this every night
(portal/tasks.py); an accepted request's Need, the real record, stays."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from audit.actions import Action
from audit.services import audit_record
from portal.account import keep_months
from portal.models import Feedback, HelpRequest, Hit, IntakeStatus, SignInCode

DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Forgotten:
    help_requests: int
    feedback: int
    codes: int
    hits: int


def months_before(moment: dt.datetime, months: int) -> dt.datetime:
    """The same day and time `months` calendar months earlier (the month's
    last day when it is shorter)."""
    index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    following = dt.date(year + (month == 12), month % 12 + 1, 1)
    last_day = (following - dt.timedelta(days=1)).day
    return moment.replace(year=year, month=month, day=min(moment.day, last_day))


def _delete_files(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)


def portal_forget_closed(*, now: dt.datetime | None = None) -> Forgotten:
    now = now or timezone.now()
    cutoff = months_before(now, keep_months())
    with transaction.atomic():
        closed_help = HelpRequest.objects.filter(
            status__in=[IntakeStatus.ACCEPTED, IntakeStatus.DECLINED], decided_at__lt=cutoff
        )
        photos = [p for p in closed_help.values_list("photo", flat=True) if p]
        help_count = closed_help.delete()[0]
        feedback_count = Feedback.objects.filter(
            status__in=[IntakeStatus.CLOSED, IntakeStatus.DECLINED], replied_at__lt=cutoff
        ).delete()[0]
        codes = SignInCode.objects.filter(Q(expires_at__lt=now - DAY) | Q(spent_at__lt=now - DAY)).delete()[0]
        hits = Hit.objects.filter(at__lt=now - DAY).delete()[0]
        if help_count or feedback_count:
            audit_record(
                actor=None,
                actor_label="portal retention",
                action=Action.PORTAL_FORGET,
                changes={"help_requests": help_count, "feedback": feedback_count, "before": cutoff.date().isoformat()},
            )
        # Files go once the rows are surely gone.
        transaction.on_commit(lambda: _delete_files(photos))
    return Forgotten(help_requests=help_count, feedback=feedback_count, codes=codes, hits=hits)
