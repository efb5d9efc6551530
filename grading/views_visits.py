"""The richer visit record's pages: one visit, its photos and signature,
the printed 入户探访记录表 (one visit, or a community's month), and the
district's visit settings. Files and PDFs go only to users in scope; PDFs
are audited, since they carry personal data."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from audit.actions import Action
from audit.services import audit_record
from core import uploads
from core.access import Perm, can, get_in_scope_or_404, require, requires
from core.forms import form_page
from grading import selectors_config, selectors_visits
from grading.forms_visits import VisitPrintForm, VisitSettingsForm
from grading.models import Visit
from grading.services.visit_record import visit_settings_update
from grading.visit_pdf import month_title, visits_pdf

if TYPE_CHECKING:
    from accounts.models import User


def _visit(request: HttpRequest, visit_id: int) -> Visit:
    return get_in_scope_or_404(selectors_visits.visit_record(request.user), request.user, pk=visit_id)


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@requires(Perm.VIEW)
def visit_detail(request: HttpRequest, visit_id: int) -> HttpResponse:
    visit = _visit(request, visit_id)
    person = visit.person
    crumbs = [
        (_("My follow-ups"), reverse("grading:followups")),
        (person.name, reverse("grading:person", args=[person.pk])),
    ]
    title = _("Visit on %(date)s") % {"date": visit.visited_on.isoformat()}
    return render(
        request,
        "grading/visit_detail.html",
        {
            "title": title,
            "v": visit,
            "person": person,
            "photos": list(visit.photos.all()),
            "companions": list(visit.companions.all()),
            "needs_found": list(visit.needs_found.all()),
            "can_edit": can(request.user, Perm.RECORD_EDIT),
            "breadcrumbs": [*crumbs, (title, "")],
        },
    )


def _image(field: object, content_type: str) -> FileResponse:
    return uploads.serve(field.open("rb"), content_type, keep=3600)  # type: ignore[attr-defined]


@requires(Perm.VIEW)
def visit_photo(request: HttpRequest, visit_photo_id: int) -> FileResponse:
    photo = get_in_scope_or_404(
        selectors_visits.photos_visible(request.user), request.user, field="visit__unit", pk=visit_photo_id
    )
    return _image(photo.file, photo.content_type)


@requires(Perm.VIEW)
def visit_signature(request: HttpRequest, visit_id: int) -> FileResponse:
    visit = _visit(request, visit_id)
    if not visit.signature:
        raise Http404
    return _image(visit.signature, "image/png")


@requires(Perm.VIEW)
def visit_pdf(request: HttpRequest, visit_id: int) -> HttpResponse:
    """The 入户探访记录表 of one visit."""
    visit = _visit(request, visit_id)
    content = visits_pdf([visit], title=f"{visit.person.name} {visit.visited_on:%Y-%m-%d} 入户探访记录表")
    audit_record(actor=request.user, action=Action.VISIT_PDF, target=visit, unit=visit.unit)
    return _pdf(content, f"visit-{visit.pk}.pdf")


@requires(Perm.VIEW)
def visits_print(request: HttpRequest) -> HttpResponse:
    """Choose a community and a month; the answer is its visits, a page each."""
    communities = selectors_visits.print_communities(request.user)
    form = VisitPrintForm(request.GET or None, communities=communities)
    if request.GET and form.is_valid():
        community, month = form.cleaned_data["community"], form.cleaned_data["month"]
        visits = selectors_visits.month_visits(request.user, community, month)
        content = visits_pdf(visits, title=month_title(community, month))
        audit_record(
            actor=request.user,
            action=Action.VISIT_BATCH_PDF,
            target=community,
            unit=community,
            changes={"month": [None, f"{month:%Y-%m}"], "visits": [None, len(visits)]},
        )
        return _pdf(content, f"visits-{community.code}-{month:%Y-%m}.pdf")
    title = _("Print visit records")
    return render(
        request,
        "grading/visits_print.html",
        {
            "title": title,
            "form": form,
            "breadcrumbs": [(_("My follow-ups"), reverse("grading:followups")), (title, "")],
        },
    )


@requires(Perm.CONFIG_MANAGE)
def visit_settings(request: HttpRequest) -> HttpResponse:
    """The district's choices about location on visits."""
    user = cast("User", request.user)  # @requires let only a signed-in user through
    require(user, Perm.CONFIG_MANAGE)
    district = selectors_config.district_of(user.unit)
    current = selectors_config.visit_settings_for(district)
    form = VisitSettingsForm(
        request.POST or None,
        initial={"location_checkin": current.location_checkin, "keep_photo_location": current.keep_photo_location},
    )
    return form_page(
        request,
        form=form,
        act=lambda d: visit_settings_update(actor=user, district=district, **d),
        success=lambda _s: reverse("grading:visit_settings"),
        done_message=_("Visit settings saved."),
        title=_("Visit settings: %(unit)s") % {"unit": district.name},
        intro=_("Whether visits may record where they took place, and whether photos keep their location."),
        cancel_url="",
        breadcrumbs=[],
        edits=f"grading.visit_settings:{district.pk}",
    )
