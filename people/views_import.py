"""Excel import, for every registry (core/excel.py; each routes these views
in its own namespace, `Registry.namespace`): template → upload → the
worker finds the ledger's headers and checks every row once (the page shows
its progress; headers nobody knows wait for the uploader's mapping) → the
uploader reviews the problems and skipped rows and confirms, all or only
the valid rows → the worker saves them in one transaction; the refused rows
can be downloaded to fix and import again."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import excel, imports, ledger
from core.access import Perm, get_in_scope_or_404, require, requires
from core.forms import form_page, with_tokens
from core.jobs import worker_missing
from core.models import ImportJob, ImportStatus
from core.uploads import SPREADSHEET, CheckedFileField

if TYPE_CHECKING:
    from accounts.models import User


class UploadForm(forms.Form):
    file = CheckedFileField(kind=SPREADSHEET, label=gettext_lazy("Excel file (.xlsx)"))


def _back_url(reg: excel.Registry) -> str:
    return reverse(reg.list_url)


def _urls(reg: excel.Registry) -> dict[str, str]:
    return {
        "template_url": reverse(reg.url_name("import_template")),
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
    """The button that saves the checked rows (with its one-time token); with
    refused rows, the choice to import the valid ones only."""

    valid_only = forms.BooleanField(required=False, label=gettext_lazy("Import only the valid rows"))

    def __init__(self, *args: Any, job: ImportJob, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not job.bad_rows:
            del self.fields["valid_only"]


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
        return render(request, "people/_import_status.html", {**context, "form": with_tokens(ConfirmForm(job=job))})
    return form_page(
        request,
        form=ConfirmForm(request.POST if request.method == "POST" else None, job=job),
        act=lambda d: imports.import_confirm(actor=user, job=job, valid_only=bool(d.get("valid_only"))),
        success=lambda _j: request.path,
        done_message=_("Confirmed: the rows are being saved. This page shows when they are."),
        title=_("Import: %(name)s") % {"name": job.filename},
        cancel_url=_back_url(reg),
        breadcrumbs=[(reg.title, _back_url(reg)), (_("Import"), reverse(reg.url_name("import_upload")))],
        template="people/import_job.html",
        extra=lambda: context,
    )


class MappingForm(forms.Form):
    """One choice per header of the file: the column it holds, or left out."""

    def __init__(self, *args: Any, reg: excel.Registry, job: ImportJob, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", _("— leave out —")), *((c.key, c.header) for c in reg.columns)]
        read = {str(i): k for i, k in job.positions.items()}
        known = ledger.known_headers(reg) | {
            ledger.clean_header(h): k for h, k in imports.remembered(job.unit_id, reg.key).items()
        }
        unknown = {
            str(i)
            for i, h in job.headers
            if str(i) not in read and str(i) not in job.mapping and ledger.match_header(known, h) is None
        }
        for i, header in job.headers:
            field = forms.ChoiceField(choices=choices, required=False, label=ledger.column_name(int(i), header))
            field.initial = read.get(str(i), "")
            if str(i) in unknown:
                field.help_text = _("Not a column this import knows: say what it holds.")
            self.fields[f"col_{i}"] = field

    def mapping(self) -> dict[str, str]:
        return {name.removeprefix("col_"): value or "" for name, value in self.cleaned_data.items()}


@requires(Perm.RECORD_EDIT)
def import_mapping(request: HttpRequest, registry: str, import_id: int) -> HttpResponse:
    """Say what each column of the file holds; the station's next import remembers it."""
    reg = excel.registry(registry)
    require(request.user, reg.perm)
    user = cast("User", request.user)
    job = get_in_scope_or_404(imports.jobs_of(user), user, pk=import_id)
    if job.registry != reg.key or job.status not in imports.REMAPPABLE or not job.upload:
        return redirect(_job_url(excel.registry(job.registry), job))
    form = MappingForm(request.POST or None, reg=reg, job=job)
    return form_page(
        request,
        form=form,
        act=lambda _d: imports.import_remap(actor=user, job=job, mapping=form.mapping()),
        success=lambda j: _job_url(reg, j),
        done_message=_("The file is being read again with these columns."),
        title=_("What the columns of %(name)s hold") % {"name": job.filename},
        intro=" ".join(
            filter(
                None,
                (
                    job.message if job.status == ImportStatus.MAPPING else "",
                    _(
                        "Row %(row)s of the sheet holds the headers. Say for each column what it holds, or leave it "
                        "out; your station's next import of this kind remembers your choices."
                    )
                    % {"row": job.header_row},
                ),
            )
        ),
        submit_label=_("Read the file with these columns"),
        cancel_url=_job_url(reg, job),
        breadcrumbs=[(reg.title, _back_url(reg)), (job.filename, _job_url(reg, job))],
    )


@requires(Perm.RECORD_EDIT)
def import_refused(request: HttpRequest, registry: str, import_id: int) -> HttpResponse:
    """The refused rows as a workbook, under the file's headers, with a reason column."""
    reg = excel.registry(registry)
    require(request.user, reg.perm)
    user = cast("User", request.user)
    job = get_in_scope_or_404(imports.jobs_of(user), user, pk=import_id)
    if job.registry != reg.key:  # another registry's import: its own page
        return redirect(reverse(excel.registry(job.registry).url_name("import_refused"), args=[job.pk]))
    if not job.refused:
        raise Http404
    data = imports.refused_workbook(actor=user, job=job)
    response = HttpResponse(data, content_type=excel.XLSX)
    stem = (job.filename.rsplit(".", 1)[0] or reg.key)[:80]
    response["Content-Disposition"] = _attachment(f"{stem}-refused.xlsx")
    return response


def _attachment(name: str) -> str:
    from urllib.parse import quote

    return f"attachment; filename=\"refused.xlsx\"; filename*=UTF-8''{quote(name)}"


def _job_url(reg: excel.Registry, job: ImportJob) -> str:
    return reverse(reg.url_name("import_job"), args=[job.pk])


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
        "upload_url": reverse(reg.url_name("import_upload")),
        "mapping_url": reverse(reg.url_name("import_mapping"), args=[job.pk])
        if job.status in imports.REMAPPABLE and job.upload
        else "",
        "refused_url": reverse(reg.url_name("import_refused"), args=[job.pk]) if job.refused else "",
        **_urls(reg),
    }
