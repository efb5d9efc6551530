"""What a report job's page offers at each status: the one place that reads
the status for the pages (the worker's build sets it)."""

from __future__ import annotations

from enum import StrEnum

from reports.models import JobStatus, ReportJob


class JobAction(StrEnum):
    WAIT = "wait"  # queued or running: the page polls for progress
    DOWNLOAD = "download"  # built: the file can be fetched
    RETRY = "retry"  # failed: ask again or tell the administrator


def available_actions(job: ReportJob) -> frozenset[JobAction]:
    if job.status in (JobStatus.QUEUED, JobStatus.RUNNING):
        return frozenset({JobAction.WAIT})
    if job.status == JobStatus.FAILED:
        return frozenset({JobAction.RETRY})
    return frozenset({JobAction.DOWNLOAD}) if job.downloadable else frozenset()
