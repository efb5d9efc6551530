"""Background matching runs (huey)."""

from __future__ import annotations

from huey.contrib.djhuey import db_task

from matching.runs import match_run_execute


@db_task()
def run_match(run_id: int) -> None:
    match_run_execute(run_id)
