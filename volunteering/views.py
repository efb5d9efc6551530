"""Volunteer service records, training, awards, evaluations, star levels and
certificates (志愿服务记录与证明)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms as djforms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.access import Perm, can, get_in_scope_or_404, requires
from core.forms import form_page
from core.lists import list_page
from volunteering import conf, forms, lists, selectors, services
from volunteering.certificate import certificate_pdf
from volunteers.selectors import volunteers_visible


def _board_crumb() -> tuple[str, str]:
    return (_("Volunteer hours"), reverse("volunteering:board"))


def _volunteer(request: HttpRequest, volunteer_id: int) -> Any:
    return get_in_scope_or_404(volunteers_visible(request.user), request.user, pk=volunteer_id)


@requires(Perm.VIEW)
def board(request: HttpRequest) -> HttpResponse:
    """Volunteers in scope by cumulative hours, with star levels."""
    return list_page(
        request,
        lists.BOARD,
        template="volunteering/board.html",
        context={
            "title": _("Volunteer hours"),
            "thresholds": conf.star_thresholds(),
            "breadcrumbs": [(_("Volunteer hours"), "")],
        },
    )


@requires(Perm.VIEW)
def volunteer_records(request: HttpRequest, volunteer_id: int) -> HttpResponse:
    volunteer = _volunteer(request, volunteer_id)
    hours = selectors.volunteer_hours([volunteer.pk])[volunteer.pk]
    stars, to_next = selectors.next_star(hours)
    return list_page(
        request,
        lists.records_of(volunteer),
        template="volunteering/records.html",
        context={
            "title": _("Service records of %(name)s") % {"name": volunteer.name},
            "volunteer": volunteer,
            "hours": hours,
            "stars": stars,
            "to_next": to_next,
            "trainings": volunteer.trainings.all(),
            "awards": volunteer.awards.all(),
            "evaluations": volunteer.evaluations.select_related("evaluator"),
            "certificates": volunteer.certificates.all(),
            "can_edit": can(request.user, Perm.RECORD_EDIT),
            "breadcrumbs": [_board_crumb(), (volunteer.name, "")],
        },
    )


def _form(
    request: HttpRequest,
    volunteer: Any,
    form: djforms.Form,
    act: Callable[[dict[str, Any]], Any],
    title: str,
    done: str,
    intro: str = "",
) -> HttpResponse:
    url = reverse("volunteering:records", args=[volunteer.pk])

    def success(result: Any) -> str:
        if getattr(result, "late", False):
            messages.warning(
                request,
                _("Recorded more than %(n)s working days after the activity: flagged as a late entry.")
                % {"n": conf.late_after_working_days()},
            )
        return url

    return form_page(
        request,
        form=form,
        act=act,
        success=success,
        done_message=done,
        title=title,
        cancel_url=url,
        breadcrumbs=[_board_crumb(), (volunteer.name, url)],
        intro=intro,
    )


@requires(Perm.RECORD_EDIT)
def record_add(request: HttpRequest, volunteer_id: int) -> HttpResponse:
    volunteer = _volunteer(request, volunteer_id)
    form = forms.ServiceRecordForm(
        request.POST or None, initial={"date": timezone.localdate(), "person_in_charge": str(request.user)}
    )
    return _form(
        request,
        volunteer,
        form,
        lambda d: services.service_record_create(actor=request.user, volunteer=volunteer, **d),
        _("Record service"),
        _("Service record saved."),
        _("Record within %(n)s working days of the activity (2021 volunteer-records rules).")
        % {"n": conf.late_after_working_days()},
    )


@requires(Perm.RECORD_EDIT)
def record_confirm(request: HttpRequest, service_record_id: int) -> HttpResponse:
    """Confirm a pending record a volunteer's own sign-in proposed (the hours may be corrected)."""
    record = get_in_scope_or_404(selectors.service_records_visible(request.user), request.user, pk=service_record_id)
    url = reverse("volunteering:records", args=[record.volunteer_id])
    return form_page(
        request,
        form=forms.ConfirmRecordForm(request.POST or None, initial={"hours": record.hours}),
        act=lambda d: services.service_record_confirm(actor=request.user, record=record, hours=d["hours"]),
        success=lambda _r: url,
        done_message=_("Service record confirmed."),
        title=_("Confirm volunteer service"),
        cancel_url=url,
        breadcrumbs=[_board_crumb(), (record.volunteer.name, url)],
        intro=_("%(name)s signed in at “%(activity)s” on %(date)s. Check the hours, then confirm.")
        % {"name": record.volunteer.name, "activity": record.activity_name, "date": record.date.isoformat()},
    )


@requires(Perm.RECORD_EDIT)
def training_add(request: HttpRequest, volunteer_id: int) -> HttpResponse:
    volunteer = _volunteer(request, volunteer_id)
    form = forms.TrainingForm(request.POST or None, initial={"date": timezone.localdate()})
    return _form(
        request,
        volunteer,
        form,
        lambda d: services.training_add(actor=request.user, volunteer=volunteer, **d),
        _("Record training"),
        _("Training saved."),
    )


@requires(Perm.RECORD_EDIT)
def award_add(request: HttpRequest, volunteer_id: int) -> HttpResponse:
    volunteer = _volunteer(request, volunteer_id)
    form = forms.AwardForm(request.POST or None, initial={"date": timezone.localdate()})
    return _form(
        request,
        volunteer,
        form,
        lambda d: services.award_add(actor=request.user, volunteer=volunteer, **d),
        _("Record an award"),
        _("Award saved."),
    )


@requires(Perm.RECORD_EDIT)
def evaluation_add(request: HttpRequest, volunteer_id: int) -> HttpResponse:
    volunteer = _volunteer(request, volunteer_id)
    form = forms.EvaluationForm(request.POST or None, initial={"date": timezone.localdate()})
    return _form(
        request,
        volunteer,
        form,
        lambda d: services.evaluation_add(actor=request.user, volunteer=volunteer, **d),
        _("Record an evaluation"),
        _("Evaluation saved."),
    )


@requires(Perm.RECORD_EDIT)
def certificate_issue(request: HttpRequest, volunteer_id: int) -> HttpResponse:
    volunteer = _volunteer(request, volunteer_id)
    form = forms.CertificateForm(request.POST or None)
    return _form(
        request,
        volunteer,
        form,
        lambda d: services.certificate_issue(actor=request.user, volunteer=volunteer, **d),
        _("Issue a volunteer service certificate"),
        _("Certificate issued."),
        _("The certificate states the hours on record today and gets a unique number."),
    )


@requires(Perm.VIEW)
def certificate_download(request: HttpRequest, certificate_id: int) -> HttpResponse:
    certificate = get_in_scope_or_404(selectors.certificates_visible(request.user), request.user, pk=certificate_id)
    response = HttpResponse(certificate_pdf(certificate), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{certificate.number}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response
