"""Pages of 五社联动 casework: the case conference, the plan's agreement,
referring to a partner and issuing its answer link, and recording a
referral received from a partner."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from casework import conf, selectors, services
from casework import forms_together as forms
from casework.access import can_work_on
from casework.referral_link import link_path
from casework.services.together import Decision
from casework.views.cases import _case, _crumbs, _sub
from core.access import Perm, get_in_scope_or_404, requires
from core.forms import form_page
from people.selectors import persons_visible
from volunteers.selectors import volunteers_visible


def _team_case(request: HttpRequest, case_id: int) -> Any:
    case = _case(request, case_id)
    if not can_work_on(request.user, case):
        raise PermissionDenied
    return case


def _family(user: Any, case: Any) -> Any:
    person = case.person
    if person.household_id is None:
        return persons_visible(user).none()
    return persons_visible(user).filter(household_id=person.household_id).exclude(pk=person.pk)


@requires(Perm.RECORD_EDIT)
def conference_create(request: HttpRequest, case_id: int) -> HttpResponse:
    user = request.user
    case = _team_case(request, case_id)
    organisations, enterprises = selectors.partner_choices(user)
    organisations, enterprises = organisations.filter(is_active=True), enterprises.filter(is_active=True)
    staff = selectors.staff_for(case)
    form = forms.ConferenceForm(
        request.POST or None,
        initial={"date": timezone.localdate(), "staff": [user.pk]},
        staff=staff,
        organisations=organisations,
        enterprises=enterprises,
        family=_family(user, case),
    )
    parties = forms.party_options(staff, organisations, enterprises, volunteers_visible(user).filter(is_active=True))
    formset = forms.DecisionFormSet(request.POST or None, prefix="decision", form_kwargs={"parties": parties})

    def act(d: dict[str, Any]) -> Any:
        decisions = [Decision(**row) for row in formset.cleaned_data if row]
        return services.conference_create(actor=user, case=case, decisions=decisions, **d)

    url = reverse("casework:case_detail", args=[case.pk])
    return form_page(
        request,
        form=form,
        formset=formset,
        act=act,
        success=lambda _c: url,
        done_message=lambda c: (
            _("Case conference recorded; %(n)s decisions added to the plan.")
            % {"n": sum(1 for row in formset.cleaned_data if row)}
        ),
        title=_("Record a case conference (个案研讨)"),
        cancel_url=url,
        breadcrumbs=_crumbs(case),
        intro=_(
            "Who took part, what was discussed, and the decisions: each goal or planned service is added to "
            "the case plan when you save, with who carries it out and by when."
        ),
        template="casework/conference_form.html",
    )


@requires(Perm.RECORD_EDIT)
def plan_agree(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _team_case(request, case_id)
    form = forms.PlanAgreementForm(
        request.POST or None,
        initial={"agreed_by": case.plan_agreed_by, "agreed_on": case.plan_agreed_on or timezone.localdate()},
    )
    return _sub(
        request,
        case,
        form,
        lambda d: services.case_plan_agree(actor=request.user, case=case, **d),
        _("Who agreed to the plan (共商帮扶方案)"),
        _("Changes saved."),
        edits=case,
    )


@requires(Perm.RECORD_EDIT)
def referral_create(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _case(request, case_id)
    organisations, enterprises = selectors.partner_choices(request.user)
    form = forms.ReferralForm(
        request.POST or None,
        initial={"referred_on": timezone.localdate()},
        organisations=organisations.filter(is_active=True),
        enterprises=enterprises.filter(is_active=True),
    )
    return _sub(
        request,
        case,
        form,
        lambda d: services.referral_create(actor=request.user, case=case, **d),
        _("Refer to another organisation (转介)"),
        _("Referral recorded."),
    )


@requires(Perm.RECORD_EDIT)
def referral_link(request: HttpRequest, referral_id: int) -> HttpResponse:
    """Issue the partner's answer link; the page after it shows the link once."""
    referral = get_in_scope_or_404(selectors.referrals_visible(request.user), request.user, pk=referral_id)
    case = referral.case
    if not can_work_on(request.user, case):
        raise PermissionDenied
    url = reverse("casework:case_detail", args=[case.pk])

    def shown(token: str) -> HttpResponse:
        return render(
            request,
            "casework/referral_link.html",
            {
                "title": _("Answer link for %(partner)s") % {"partner": referral.organisation},
                "referral": referral,
                "link": request.build_absolute_uri(link_path(token)),
                "case_url": url,
                "breadcrumbs": [*_crumbs(case), (_("Answer link"), "")],
            },
        )

    return form_page(
        request,
        form=forms.LinkIssueForm(request.POST or None),
        act=lambda _d: services.referral_link_issue(actor=request.user, referral=referral),
        success=lambda _t: url,
        respond=shown,
        done_message="",
        title=_("Issue an answer link to %(partner)s") % {"partner": referral.organisation},
        cancel_url=url,
        breadcrumbs=_crumbs(case),
        intro=_(
            "The partner answers through this link without an account: accept, decline with a reason, or say "
            "what was done. It shows them the resident's masked name, the reason and what is asked — never an "
            "ID number. It works once, for %(days)s days; a new link replaces this one."
        )
        % {"days": conf.referral_link_days()},
        submit_label=_("Issue the link"),
    )


@requires(Perm.RECORD_EDIT)
def inbound_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    organisations, enterprises = selectors.partner_choices(user)
    initial: dict[str, Any] = {"received_on": timezone.localdate(), "opens": "case", "worker": user.pk}
    if request.GET.get("person", "").isdigit():
        initial["person"] = int(request.GET["person"])
    form = forms.InboundForm(
        request.POST or None,
        initial=initial,
        organisations=organisations.filter(is_active=True),
        enterprises=enterprises.filter(is_active=True),
        persons=persons_visible(user).filter(is_active=True),
        staff=selectors.workers_for(user),
    )

    def opened(inbound: Any) -> str:
        if inbound.case_id:
            return reverse("casework:case_detail", args=[inbound.case_id])
        return reverse("matching:need_detail", args=[inbound.need_id])

    return form_page(
        request,
        form=form,
        act=lambda d: services.inbound_referral_record(actor=user, **d),
        success=opened,
        done_message=_("Referral recorded."),
        title=_("Record a referral received from a partner"),
        cancel_url=reverse("casework:case_list"),
        breadcrumbs=[(_("Cases"), reverse("casework:case_list"))],
        intro=_("Who referred, about whom and what is asked: it opens a case (intake) or a need for matching."),
    )
