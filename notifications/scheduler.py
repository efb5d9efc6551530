"""The reminder scheduler: `manage.py send_reminders` and the periodic task
run `run_once(now=…)`. Each rule (declared by the areas through
core/registry.py `reminder_rule`) tells people through `notify`, whose
dedupe keys make a second run at the same moment tell nobody again; then
what is due leaves the system (quiet hours over)."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.module_loading import import_string

from core.registry import reminder_rules
from notifications.delivery import deliver_due

log = logging.getLogger(__name__)


@dataclass
class RunResult:
    told: dict[str, int] = field(default_factory=dict)  # rule → notifications made
    sent: int = 0  # notifications handed to the channels

    @property
    def total(self) -> int:
        return sum(self.told.values())


def run_once(*, now: dt.datetime | None = None) -> RunResult:
    now = now or timezone.now()
    result = RunResult()
    for key, path in reminder_rules():
        result.told[key] = int(import_string(path)(now=now) or 0)
    while sent := deliver_due(now=now):
        result.sent += sent
    log.info("Reminders at %s: %s, %d sent", now.isoformat(), result.told, result.sent)
    return result
