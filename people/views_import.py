"""Excel import: template → upload → the worker checks every row once (the
page shows its progress) → the uploader reviews the problems and skipped
rows and confirms → the worker saves the good rows in one transaction."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import excel, imports
from core.access import Perm, get_in_scope_or_404, require, requires
from core.forms import form_page, with_tokens
from core.jobs import worker_missing
from core.models import ImportJob, ImportStatus
from core.uploads import SPREADSHEET, CheckedFileField

if TYPE_CHECKING:
    from accounts.models import User


class UploadForm(forms.Form):
    file = CheckedFileField(kind=SPREADSHEET, label=gettext_lazy("Excel file (.xlsx)"))


_NAMESPACE = {"people": ("people", "people:person_list"), "volunteers": ("volunteers", "volunteers:volunteer_list")}


def _back_url(reg: excel.Registry) -> str:
    return reverse(_NAMESPACE[reg.key][1])


def _urls(reg: excel.Registry) -> dict[str, str]:
    ns = _NAMESPACE[reg.key][0]
    return {
        "template_url": reverse(f"{ns}:import_template"),
    }


@requires(Perm.RECORD_EDIT)
def import_template(request: HttpRequest, registry: str) -> HttpResponse:
    reg = excel.registry(registry)
    require(request.user, reg.perm)
    return excel.template_response(reg)


@requires(Perm.RECORD_EDIT)
def import_upload(request: HttpRequest, registry: str) -> HttpResponse:
    """Store an upload and queue its check; the job's page follows it."""
    reg = excel.registry(registry)
    require(request.user, reg.perm)
    user = cast("User", request.user)  # @requires let only a signed-in user through
    title = _("Import: %(name)s") % {"name": reg.title}
    return form_page(
        request,
        form=UploadForm(request.POST or None, request.FILES or None),
        act=lambda d: imports.import_start(actor=user, reg=reg, upload=d["file"]),
        success=lambda job: _job_url(reg, job),
        done_message="",
        title=title,
        cancel_url=_back_url(reg),
        breadcrumbs=[(reg.title, _back_url(reg))],
        template="people/import.html",
        extra=lambda: {"reg": reg, **_urls(reg)},
    )


class ConfirmForm(forms.Form):
    """Nothing to fill in: the button that saves the checked rows (with its one-time token)."""


@requires(Perm.RECORD_EDIT)
def import_job(request: HttpRequest, registry: str, import_id: int) -> HttpResponse:
    """An import's check and save: progress while the worker runs (polled),
    the check's counts, problems and skipped rows, the confirmation."""
    reg = excel.registry(registry)
    require(request.user, reg.perm)
    user = cast("User", request.user)
    job = get_in_scope_or_404(imports.jobs_of(user), user, pk=import_id)
    if job.registry != reg.key:  # another registry's import: its own page
        return redirect(_job_url(excel.registry(job.registry), job))
    context = _job_context(reg, job)
    if request.method == "GET" and getattr(request, "htmx", False):
        # the check may have ended: the fragment then offers the confirmation, with its one-time token
        return render(request, "people/_import_status.html", {**context, "form": with_tokens(ConfirmForm())})
    return form_page(
        request,
        form=ConfirmForm(request.POST if request.method == "POST" else None),  # the form has no fields to send
        act=lambda _d: imports.import_confirm(actor=user, job=job),
        success=lambda _j: request.path,
        done_message=_("Confirmed: the rows are being saved. This page shows when they are."),
        title=_("Import: %(name)s") % {"name": job.filename},
        cancel_url=_back_url(reg),
        breadcrumbs=[(reg.title, _back_url(reg)), (_("Import"), reverse(f"{_NAMESPACE[reg.key][0]}:import_upload"))],
        template="people/import_job.html",
        extra=lambda: context,
    )


def _job_url(reg: excel.Registry, job: ImportJob) -> str:
    return reverse(f"{_NAMESPACE[reg.key][0]}:import_job", args=[job.pk])


def _job_context(reg: excel.Registry, job: ImportJob) -> dict[str, Any]:
    saving = job.status == ImportStatus.SAVING
    done = imports.saved_so_far(job) if saving else job.done
    of = job.good if saving else job.total
    return {
        "reg": reg,
        "job": job,
        "job_url": _job_url(reg, job),
        "polling": job.status in imports.POLLING,
        "done": done,
        "of": of,
        "percent": min(100, done * 100 // of) if of else 0,
        "errors": job.errors,
        "more_errors": max(0, job.error_count - len(job.errors)),
        "duplicates": job.duplicates,
        "more_duplicates": max(0, job.duplicate_count - len(job.duplicates)),
        "worker_missing": worker_missing(queued=job.status == ImportStatus.QUEUED, since=job.created_at),
        "back_url": _back_url(reg),
        "upload_url": reverse(f"{_NAMESPACE[reg.key][0]}:import_upload"),
        **_urls(reg),
    }
