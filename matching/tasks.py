"""Background matching runs (huey)."""

from __future__ import annotations

from huey.contrib.djhuey import db_task


@db_task()
def run_match(run_id: int) -> None:
    from matching.services import match_run_execute

    match_run_execute(run_id)
