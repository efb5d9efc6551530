"""Background work: thin huey wrappers around services."""

from __future__ import annotations

from huey.contrib.djhuey import db_task


@db_task()
def generate_report(job_id: int, language: str | None = None) -> None:
    from reports.services import report_build

    report_build(job_id, language)
