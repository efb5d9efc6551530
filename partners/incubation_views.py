"""An organisation's incubation page: its stage history, the support and
assessments logged, its members and its weekly slot in a station room."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core import excel
from core.access import Perm, can, get_in_scope_or_404, requires
from core.forms import form_page, with_tokens
from core.identity import mask_phone
from partners import incubation, selectors
from partners.incubation_forms import IncubationEntryForm, MemberForm, RemoveForm, StageForm
from partners.models import CommunityOrganisation, OrganisationMember
from venues.selectors import organisation_seasons


def _organisation(request: HttpRequest, organisation_id: int) -> CommunityOrganisation:
    return get_in_scope_or_404(selectors.organisations_visible(request.user), request.user, pk=organisation_id)


def _crumbs(o: CommunityOrganisation | None = None) -> list[tuple[str, str]]:
    crumbs = [(_("Community organisations"), reverse("partners:organisation_list"))]
    if o is not None:
        crumbs.append((o.name, reverse("partners:organisation_detail", args=[o.pk])))
    return crumbs


@requires(Perm.VIEW)
def organisation_detail(request: HttpRequest, organisation_id: int) -> HttpResponse:
    o = _organisation(request, organisation_id)
    can_edit = can(request.user, Perm.RECORD_EDIT)
    members = [(m, mask_phone(m.phone)) for m in o.member_rows.all()]
    return render(
        request,
        "partners/organisation_detail.html",
        {
            "title": o.name,
            "o": o,
            "stages": list(o.stage_changes.select_related("recorded_by")),
            "entries": list(o.incubation.select_related("recorded_by")),
            "members": members,
            "seasons": list(organisation_seasons(request.user, o)),
            "can_edit": can_edit,
            "remove_form": with_tokens(RemoveForm()) if can_edit else None,
            "import_url": reverse(excel.registry("organisation_members").url_name("import_upload")),
            "breadcrumbs": [*_crumbs()[:1], (o.name, "")],
        },
    )


def _back(o: CommunityOrganisation) -> str:
    return reverse("partners:organisation_detail", args=[o.pk])


@requires(Perm.RECORD_EDIT)
def incubation_add(request: HttpRequest, organisation_id: int) -> HttpResponse:
    o = _organisation(request, organisation_id)
    kind = request.GET.get("kind", "")
    form = IncubationEntryForm(request.POST or None, initial={"date": timezone.localdate(), "kind": kind})
    return form_page(
        request,
        form=form,
        act=lambda d: incubation.incubation_record(actor=request.user, organisation=o, **d),
        success=lambda _e: _back(o),
        done_message=_("Recorded."),
        title=_("Record support or an assessment"),
        cancel_url=_back(o),
        breadcrumbs=_crumbs(o),
    )


@requires(Perm.RECORD_EDIT)
def stage_set(request: HttpRequest, organisation_id: int) -> HttpResponse:
    o = _organisation(request, organisation_id)
    form = StageForm(request.POST or None, initial={"date": timezone.localdate()})
    return form_page(
        request,
        form=form,
        act=lambda d: incubation.organisation_stage_set(actor=request.user, organisation=o, **d),
        success=lambda _s: _back(o),
        done_message=_("The stage was changed."),
        title=_("Change the incubation stage"),
        cancel_url=_back(o),
        breadcrumbs=_crumbs(o),
        intro=_("Now: %(stage)s") % {"stage": o.get_stage_display()},
    )


@requires(Perm.RECORD_EDIT)
def member_add(request: HttpRequest, organisation_id: int) -> HttpResponse:
    o = _organisation(request, organisation_id)
    form = MemberForm(request.POST or None)
    return form_page(
        request,
        form=form,
        act=lambda d: incubation.member_add(actor=request.user, organisation=o, **d),
        success=lambda _m: _back(o),
        done_message=_("The member was added."),
        title=_("Add a member"),
        cancel_url=_back(o),
        breadcrumbs=_crumbs(o),
    )


@requires(Perm.RECORD_EDIT)
def member_remove(request: HttpRequest, member_id: int) -> HttpResponse:
    qs: Any = OrganisationMember.objects.select_related("organisation__unit")
    member = get_in_scope_or_404(qs, request.user, "organisation__unit", pk=member_id)
    o = member.organisation
    return form_page(
        request,
        form=RemoveForm(request.POST or None),
        act=lambda d: incubation.member_remove(actor=request.user, member=member),
        success=lambda _r: _back(o),
        done_message=_("The member was removed."),
        title=_("Remove %(name)s") % {"name": member.name},
        cancel_url=_back(o),
        breadcrumbs=_crumbs(o),
        submit_label=_("Remove"),
    )
