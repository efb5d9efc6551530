"""Excel import: template → upload → preview of every bad row → commit all or nothing."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core import excel
from core.access import Perm, require, requires
from core.forms import form_page, with_tokens
from core.uploads import SPREADSHEET, CheckedFileField

if TYPE_CHECKING:
    from accounts.models import User

MAX_SHOWN = 500


class UploadForm(forms.Form):
    file = CheckedFileField(kind=SPREADSHEET, label=gettext_lazy("Excel file (.xlsx)"))


_NAMESPACE = {"people": ("people", "people:person_list"), "volunteers": ("volunteers", "volunteers:volunteer_list")}


def _back_url(reg: excel.Registry) -> str:
    return reverse(_NAMESPACE[reg.key][1])


def _urls(reg: excel.Registry) -> dict[str, str]:
    ns = _NAMESPACE[reg.key][0]
    return {
        "template_url": reverse(f"{ns}:import_template"),
        "commit_url": reverse(f"{ns}:import_commit"),
    }


@requires(Perm.RECORD_EDIT)
def import_template(request: HttpRequest, registry: str) -> HttpResponse:
    reg = excel.registry(registry)
    require(request.user, reg.perm)
    return excel.template_response(reg)


@requires(Perm.RECORD_EDIT)
def import_upload(request: HttpRequest, registry: str) -> HttpResponse:
    """Check an upload and preview it: every bad row, or the button that saves
    them all. Nothing is saved here; a good file waits under a token."""
    reg = excel.registry(registry)
    require(request.user, reg.perm)
    user = cast("User", request.user)  # @requires let only a signed-in user through
    form = UploadForm(request.POST or None, request.FILES or None)
    title = _("Import: %(name)s") % {"name": reg.title}

    def page() -> dict[str, Any]:
        return {"reg": reg, "breadcrumbs": [(reg.title, _back_url(reg)), (_("Import"), "")], **_urls(reg)}

    def check(data: dict[str, Any]) -> tuple[excel.Checked, str, str]:
        upload = data["file"]
        token = excel.keep_upload(user, reg.key, upload)
        name = excel.pending_name(user, reg.key, token)
        try:
            checked = reg.check(user, excel.read_pending(reg, name))
        except ValidationError as exc:
            excel.drop_pending(name)
            raise ValidationError({"file": exc.messages}) from None
        if checked.errors:  # nothing to commit: the file is fixed and uploaded again
            excel.drop_pending(name)
            token = ""
        elif not checked.rows:
            excel.drop_pending(name)
            raise ValidationError({"file": _("The file has no data rows.")})
        return checked, token, upload.name

    def preview(result: tuple[excel.Checked, str, str]) -> HttpResponse:
        checked, token, filename = result
        return render(
            request,
            "people/import.html",
            {
                "title": title,
                "form": with_tokens(UploadForm()),  # a fixed file is uploaded again: a new one-time token
                **page(),
                "checked": checked,
                "errors": checked.errors[:MAX_SHOWN],
                "more": max(0, len(checked.errors) - MAX_SHOWN),
                "bad_rows": len({e.row for e in checked.errors}),
                "token": token,
                "filename": filename,
            },
        )

    return form_page(
        request,
        form=form,
        act=check,
        respond=preview,
        success=lambda _r: request.path,  # not reached: the preview answers every check
        done_message="",
        title=title,
        cancel_url=_back_url(reg),
        breadcrumbs=[],
        template="people/import.html",
        extra=page,
    )


@require_POST
@requires(Perm.RECORD_EDIT)
def import_commit(request: HttpRequest, registry: str) -> HttpResponse:
    reg = excel.registry(registry)
    require(request.user, reg.perm)
    name = excel.pending_name(request.user, reg.key, request.POST.get("token", ""))
    try:
        checked = reg.check(request.user, excel.read_pending(reg, name))
        if checked.errors:
            raise ValidationError(_("The data changed since the preview; upload the file again."))
        made = reg.save(request.user, checked)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(f"{_NAMESPACE[reg.key][0]}:import_upload")
    except IntegrityError:  # someone saved the same ID between our check and our insert
        messages.error(request, _("The data changed since the preview; upload the file again."))
        return redirect(f"{_NAMESPACE[reg.key][0]}:import_upload")
    finally:
        excel.drop_pending(name)
    messages.success(request, _("%(n)s rows imported.") % {"n": made})
    return redirect(_back_url(reg))
