"""Background work: thin huey wrappers around services."""

from __future__ import annotations

from huey.contrib.djhuey import db_task


@db_task()
def generate_report(job_id: int, language: str | None = None) -> None:
    from reports.services import report_build

    report_build(job_id, language)


@db_task()
def scheduled_report_send(run_id: int) -> None:
    from reports.schedules import run_build_and_send

    run_build_and_send(run_id)
