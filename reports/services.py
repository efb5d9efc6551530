from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, override
from django.utils.translation import gettext as _

from audit.actions import Action
from audit.services import audit_record, diff, snapshot
from contracts.progress import period_for
from core.access import Perm, require, require_unit_in_scope
from core.roles import Level
from notifications.api import Event, notify
from reports.models import JobStatus, PeriodKind, ReportFormat, ReportJob, ReportNarrative

_NARRATIVE = ("highlights", "problems", "next_steps")


def _period(kind: str, day: dt.date | None) -> Any:
    if kind not in PeriodKind.values:
        raise ValidationError({"period_kind": _("Choose monthly, quarterly or annual.")})
    if day is None:
        raise ValidationError({"day": _("Enter a date in the period.")})
    period = period_for(kind, day)
    if period.start > timezone.localdate():
        raise ValidationError({"day": _("This period has not started yet.")})
    return period


@transaction.atomic
def narrative_save(
    *,
    actor: Any,
    unit: Any,
    period_kind: str,
    day: dt.date,
    highlights: str = "",
    problems: str = "",
    next_steps: str = "",
) -> ReportNarrative:
    require(actor, Perm.RECORD_EDIT)
    require_unit_in_scope(actor, unit)
    if unit.level == Level.COMMUNITY:
        raise ValidationError({"unit": _("Narratives are written by a station or the district centre.")})
    period = _period(period_kind, day)
    narrative, _created = ReportNarrative.objects.select_for_update().get_or_create(
        unit=unit, period_kind=period_kind, period_start=period.start
    )
    before = snapshot(narrative, _NARRATIVE)
    narrative.highlights, narrative.problems, narrative.next_steps = highlights, problems, next_steps
    narrative.updated_by = actor
    narrative.save()
    audit_record(
        actor=actor,
        action=Action.NARRATIVE_SAVE,
        target=narrative,
        changes=diff(before, snapshot(narrative, _NARRATIVE)),
    )
    return narrative


@transaction.atomic
def report_request(*, actor: Any, unit: Any, period_kind: str, day: dt.date, fmt: str) -> ReportJob:
    """Queue a report; the huey task builds it (immediately in tests)."""
    require(actor, Perm.VIEW)
    require_unit_in_scope(actor, unit)
    if fmt not in ReportFormat.values:
        raise ValidationError({"fmt": _("Choose xlsx or PDF.")})
    period = _period(period_kind, day)
    job = ReportJob.objects.create(
        unit=unit,
        period_kind=period_kind,
        period_start=period.start,
        period_end=period.end,
        fmt=fmt,
        requested_by=actor,
    )
    audit_record(actor=actor, action=Action.REPORT_REQUEST, target=job)
    from reports.tasks import generate_report

    language = get_language()
    transaction.on_commit(lambda: generate_report(job.pk, language))
    return job


@transaction.atomic
def report_download(*, actor: Any, job: ReportJob) -> File:
    """The finished file of a job the actor may see, opened from the file
    storage (whichever host built it); the download is audited. 404 while
    it is not built (or its file is gone)."""
    require(actor, Perm.VIEW)
    require_unit_in_scope(actor, job.unit)
    if not job.downloadable or not default_storage.exists(job.file):
        raise Http404
    audit_record(actor=actor, action=Action.REPORT_DOWNLOAD, target=job)
    return default_storage.open(job.file, "rb")


REPORTS = "reports"  # their folder in the file storage


def report_build(job_id: int, language: str | None = None) -> ReportJob:
    """Build a queued job's file, recording progress as it goes."""
    from reports.builder import collect, to_pdf, to_xlsx

    job = ReportJob.objects.select_related("unit").get(pk=job_id)

    def progress(pct: int, step: str) -> None:
        ReportJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, progress=pct, step=step[:100])

    try:
        with override(language or settings.LANGUAGE_CODE):
            progress(5, _("Starting"))
            data = collect(job.unit, job.period_kind, job.period_start, progress)
            progress(70, _("Writing the file"))
            content = to_xlsx(data) if job.fmt == ReportFormat.XLSX else to_pdf(data)
        name = default_storage.save(f"{REPORTS}/{job.pk}-{job.filename}", ContentFile(content))
        ReportJob.objects.filter(pk=job.pk).update(
            status=JobStatus.DONE, progress=100, step="", file=name, finished_at=timezone.now()
        )
        link = reverse("reports:job_detail", args=[job.pk])
        notify(
            event=Event.REPORT_READY,
            recipients=[job.requested_by_id],
            obj=job,
            subject=job.filename,
            link=link,
            unit=job.unit,
        )
    except Exception as exc:  # the page shows the failure instead of spinning
        ReportJob.objects.filter(pk=job.pk).update(
            status=JobStatus.FAILED, error=str(exc)[:2000], finished_at=timezone.now()
        )
        raise
    job.refresh_from_db()
    return job
