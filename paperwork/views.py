"""Thin views: find the record in the user's scope, let the service print it."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from core.access import Perm, get_in_scope_or_404, requires
from core.forms import apply_errors
from core.pdf import pdf_response
from paperwork import conf, selectors, services
from paperwork.catalogue import CASE_FORMS, FORMS
from paperwork.forms import BatchForm


def _crumbs(*extra: tuple[str, str]) -> list[tuple[str, str]]:
    return [(_("Print forms"), reverse("paperwork:batch")), *extra]


@requires(Perm.VIEW)
def household_pdf(request: HttpRequest, household_id: int) -> HttpResponse:
    hh = get_in_scope_or_404(selectors.households(request.user), request.user, pk=household_id)
    return pdf_response(services.household_file_print(actor=request.user, household=hh), f"household-{hh.pk}.pdf")


def _case(request: HttpRequest, case_id: int) -> Any:
    return get_in_scope_or_404(selectors.cases(request.user), request.user, pk=case_id)


@requires(Perm.VIEW)
def case_forms(request: HttpRequest, case_id: int) -> HttpResponse:
    """The case's forms to choose from."""
    case = _case(request, case_id)
    title = _("Print the forms of case %(number)s") % {"number": case.number}
    forms = [(FORMS[s], reverse(f"paperwork:case_{s}", args=[case.pk])) for s in CASE_FORMS]
    return render(
        request,
        "paperwork/choose.html",
        {
            "title": title,
            "forms": forms,
            "all_url": reverse("paperwork:case_all", args=[case.pk]),
            "back": reverse("casework:case_detail", args=[case.pk]),
            "breadcrumbs": _crumbs((case.number, reverse("casework:case_detail", args=[case.pk])), (title, "")),
        },
    )


@requires(Perm.VIEW)
def case_pdf(request: HttpRequest, case_id: int, form: str) -> HttpResponse:
    case = _case(request, case_id)
    return pdf_response(
        services.case_form_print(actor=request.user, case=case, form=form), f"case-{case.pk}-{form}.pdf"
    )


def _activity(request: HttpRequest, activity_id: int) -> Any:
    return get_in_scope_or_404(selectors.activities(request.user), request.user, pk=activity_id)


@requires(Perm.VIEW)
def activity_forms(request: HttpRequest, activity_id: int) -> HttpResponse:
    activity = _activity(request, activity_id)
    title = _("Print the sign-in sheet of %(title)s") % {"title": activity.title}
    forms = [
        (
            _("Empty sign-in sheet, to fill in by hand at the activity"),
            reverse("paperwork:signin_blank", args=[activity.pk]),
        ),
        (_("Sign-in sheet with the sign-ups and who attended"), reverse("paperwork:signin", args=[activity.pk])),
    ]
    return render(
        request,
        "paperwork/choose.html",
        {
            "title": title,
            "forms": forms,
            "back": reverse("casework:activity_detail", args=[activity.pk]),
            "breadcrumbs": _crumbs(
                (activity.title, reverse("casework:activity_detail", args=[activity.pk])), (title, "")
            ),
        },
    )


@requires(Perm.VIEW)
def signin_pdf(request: HttpRequest, activity_id: int, blank: bool) -> HttpResponse:
    activity = _activity(request, activity_id)
    body = services.signin_sheet_print(actor=request.user, activity=activity, blank=blank)
    return pdf_response(body, f"signin-{activity.pk}{'-blank' if blank else ''}.pdf")


@requires(Perm.VIEW)
def joint_pdf(request: HttpRequest, joint_id: int) -> HttpResponse:
    meeting = get_in_scope_or_404(selectors.joint_meetings(request.user), request.user, pk=joint_id)
    return pdf_response(services.joint_minutes_print(actor=request.user, meeting=meeting), f"joint-{meeting.pk}.pdf")


@requires(Perm.VIEW)
def supervision_pdf(request: HttpRequest, supervision_id: int) -> HttpResponse:
    record = get_in_scope_or_404(selectors.supervisions(request.user), request.user, pk=supervision_id)
    body = services.supervision_record_print(actor=request.user, supervision=record)
    return pdf_response(body, f"supervision-{record.pk}.pdf")


@requires(Perm.VIEW)
def batch(request: HttpRequest) -> HttpResponse:
    """Choose a form, a unit and a month; the answer is one PDF, or the parts
    to print it in when it holds more than one part's worth (services.part_size)."""
    user = request.user
    bound = "kind" in request.GET
    form = BatchForm(request.GET if bound else None, units=selectors.print_units(user))
    parts: list[tuple[int, str]] = []
    total = size = 0
    if bound and form.is_valid():
        d = form.cleaned_data
        total = services.batch_size(actor=user, kind=d["kind"], unit=d["unit"], month=d["month"])
        size = services.part_size(d["kind"])
        if total > size and not d["part"]:
            query = {"kind": d["kind"], "unit": d["unit"].pk, "month": f"{d['month']:%Y-%m}"}
            parts = [(n, urlencode({**query, "part": n})) for n in range(1, -(-total // size) + 1)]
        else:
            try:
                done, body = services.batch_print(
                    actor=user, kind=d["kind"], unit=d["unit"], month=d["month"], part=d["part"] or 1
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                return pdf_response(body, f"forms-{d['kind']}-{d['unit'].code}-{d['month']:%Y-%m}-{done.part}.pdf")
    title = _("Print forms")
    return render(
        request,
        "paperwork/batch.html",
        {
            "title": title,
            "form": form,
            "parts": parts,
            "total": total,
            "batch_max": size if parts else conf.BATCH_MAX,
            "breadcrumbs": [(title, "")],
        },
    )
