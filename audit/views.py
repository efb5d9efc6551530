from __future__ import annotations

from typing import TYPE_CHECKING, cast

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit import lists
from audit.actions import Action
from audit.archive import archive_lines, archive_name
from audit.services import audit_record
from core.access import Perm, can, requires
from core.lists import list_page
from core.widgets import DateInput

if TYPE_CHECKING:
    from accounts.models import User


class ArchiveForm(forms.Form):
    before = forms.DateField(label=gettext_lazy("Events before"), widget=DateInput())


@requires(Perm.AUDIT_VIEW)
def event_list(request: HttpRequest) -> HttpResponse:
    archive_form = None
    if can(request.user, Perm.AUDIT_ARCHIVE):
        archive_form = ArchiveForm(initial={"before": timezone.localdate()})
    return list_page(
        request,
        lists.EVENTS,
        template="audit/event_list.html",
        context={"title": _("Audit log"), "breadcrumbs": [(_("Audit log"), "")], "archive_form": archive_form},
    )


@requires(Perm.AUDIT_ARCHIVE)
def archive_download(request: HttpRequest) -> HttpResponseBase:
    """The whole chain before a date as a signed archive (audit/archive.py):
    for the district's root only, as the chain spans every unit."""
    user = cast("User", request.user)  # @requires let only a signed-in user through
    if user.unit is None or user.unit.parent_id is not None:
        raise PermissionDenied
    form = ArchiveForm(request.GET)
    if not form.is_valid():
        messages.error(request, _("Choose the day before which the events are archived."))
        return redirect("audit:event_list")
    before = form.cleaned_data["before"]
    with transaction.atomic():
        audit_record(actor=user, action=Action.AUDIT_ARCHIVE, note=archive_name(before))
    response = StreamingHttpResponse(archive_lines(before), content_type="application/x-ndjson; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{archive_name(before)}"'
    return response
