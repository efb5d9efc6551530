"""A pending item's progress in plain words, for the resident's tracking page."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from matching.models import NeedStatus
from portal.models import Feedback, HelpRequest, IntakeStatus

DONE, NOW, LATER, STOPPED = "done", "now", "later", "stopped"


@dataclass(frozen=True)
class Step:
    label: str | Promise
    state: str  # done, now, later or stopped
    note: str = ""


def help_steps(row: HelpRequest) -> list[Step]:
    """Received → accepted (or declined, with the reason) → being matched →
    done; once accepted, the Need's own status moves it on."""
    steps = [Step(_("Received by the station"), DONE)]
    if row.status == IntakeStatus.DECLINED:
        return [*steps, Step(_("Not taken on by the station"), STOPPED, row.decline_reason)]
    if row.status != IntakeStatus.ACCEPTED or row.need is None:
        return [
            *steps,
            Step(_("Accepted by the station"), NOW),
            Step(_("Being matched with help"), LATER),
            Step(_("Done"), LATER),
        ]
    status = row.need.status
    steps.append(Step(_("Accepted by the station"), DONE))
    if status in (NeedStatus.OPEN, NeedStatus.PROPOSED):
        return [*steps, Step(_("Being matched with help"), NOW), Step(_("Done"), LATER)]
    if status in (NeedStatus.MATCHED, NeedStatus.IN_SERVICE):
        return [*steps, Step(_("Help arranged and on its way"), DONE), Step(_("Done"), NOW)]
    if status == NeedStatus.DONE:
        return [*steps, Step(_("Help arranged and on its way"), DONE), Step(_("Done"), DONE)]
    return [*steps, Step(_("Closed without help being found"), STOPPED)]


def feedback_steps(row: Feedback) -> list[Step]:
    steps = [Step(_("Received by the station"), DONE)]
    if row.status == IntakeStatus.CLOSED:
        return [*steps, Step(_("Replied and closed"), DONE, row.reply)]
    return [*steps, Step(_("Replied and closed"), NOW)]


def is_finished(steps: list[Step]) -> bool:
    return steps[-1].state in (DONE, STOPPED)
