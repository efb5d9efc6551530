"""Case pages: list, open, detail with moves, and the sub-forms."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from casework import forms, lists, selectors, services
from casework.access import can_read_confidential, can_work_on
from casework.models import Case, Stage
from casework.reminders import is_overdue
from casework.workflow import MOVES, available_moves
from core import uploads
from core.access import Perm, can, get_in_scope_or_404, requires
from core.forms import form_page
from core.lists import list_page
from customfields.forms import add_custom_fields
from people.selectors import persons_visible


def _list_crumb() -> tuple[str, str]:
    return (_("Cases"), reverse("casework:case_list"))


def _crumbs(case: Case) -> list[tuple[str, str]]:
    return [_list_crumb(), (case.number, reverse("casework:case_detail", args=[case.pk]))]


def _case(request: HttpRequest, case_id: int) -> Case:
    return get_in_scope_or_404(selectors.cases_visible(request.user), request.user, pk=case_id)


@requires(Perm.VIEW)
def case_list(request: HttpRequest) -> HttpResponse:
    return list_page(
        request,
        lists.CASES,
        template="casework/case_list.html",
        context={
            "title": _("Cases"),
            "can_edit": can(request.user, Perm.RECORD_EDIT),
            "breadcrumbs": [(_("Cases"), "")],
        },
    )


@requires(Perm.RECORD_EDIT)
def case_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    initial: dict[str, Any] = {"opened_on": timezone.localdate(), "worker": user.pk}
    if request.GET.get("person", "").isdigit():
        initial["person"] = int(request.GET["person"])
    form = forms.CaseForm(
        request.POST or None,
        initial=initial,
        persons=persons_visible(user).filter(is_active=True),
        staff=selectors.workers_for(user),
        supervisors=selectors.approvers_for(user),
    )
    # The district's custom fields on cases (checked on the resident's unit when saved).
    add_custom_fields(form, target="case", unit=getattr(user, "unit", None))
    return form_page(
        request,
        form=form,
        act=lambda d: services.case_create(actor=user, **d),
        success=lambda case: reverse("casework:case_detail", args=[case.pk]),
        done_message=_("The case was opened."),
        title=_("Open a case"),
        cancel_url=reverse("casework:case_list"),
        breadcrumbs=[_list_crumb()],
        intro=_("Intake (接案): the case starts at intake; a case number is given on saving."),
    )


@requires(Perm.VIEW)
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    user = request.user
    case = get_in_scope_or_404(selectors.case_detail_qs(user), user, pk=case_id)
    confidential = can_read_confidential(user, case)
    may_work = can_work_on(user, case)
    moves = []
    for name in available_moves(case.stage, case.pending):
        move = MOVES[name]
        if not can(user, move.perm):
            continue
        if move.is_decision and user.pk == case.worker_id:
            continue
        if not move.is_decision and not may_work:
            continue
        moves.append(
            {"name": name, "label": move.label, "needs_comment": move.needs_comment, "decision": move.is_decision}
        )
    stages = [(value, label, value == case.stage) for value, label in Stage.choices]
    extra = {"open": _("Case opened"), "transfer": _("Transferred"), "plan_amend": _("Plan amended")}
    history = [
        (t, MOVES[t.action].label if t.action in MOVES else extra.get(t.action, t.action))
        for t in case.transitions.all()
    ]
    return render(
        request,
        "casework/case_detail.html",
        {
            "title": case.number,
            "case": case,
            "stages": stages,
            "moves": moves,
            "history": history,
            "confidential": confidential,
            "notes": selectors.case_notes(case) if confidential else [],
            "attachments": selectors.case_attachments(case) if confidential else [],
            "may_work": may_work,
            "may_transfer": can(user, Perm.RECORD_EDIT)
            and (user.pk == case.worker_id or can(user, Perm.CASE_SUPERVISE))
            and case.is_open,
            "in_intervention": case.stage == Stage.INTERVENTION,
            "judging_goals": may_work and case.stage in (Stage.INTERVENTION, Stage.EVALUATION),
            "overdue_referrals": {r.pk for r in case.referrals.all() if case.is_open and is_overdue(r, timezone.now())},
            "breadcrumbs": [_list_crumb(), (case.number, "")],
        },
    )


@require_POST
@requires(Perm.VIEW)
def case_move(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _case(request, case_id)
    form = forms.MoveForm(request.POST)
    if form.is_valid():
        try:
            services.case_move(
                actor=request.user, case=case, action=form.cleaned_data["action"], comment=form.cleaned_data["comment"]
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Done: %(move)s.") % {"move": MOVES[form.cleaned_data["action"]].label})
    return redirect("casework:case_detail", case_id=case.pk)


def _sub(
    request: HttpRequest, case: Case, form: Any, act: Any, title: str, done: str, edits: Any = None
) -> HttpResponse:
    url = reverse("casework:case_detail", args=[case.pk])
    return form_page(
        request,
        form=form,
        edits=edits,
        act=act,
        success=lambda _r: url,
        done_message=done,
        title=title,
        cancel_url=url,
        breadcrumbs=_crumbs(case),
    )


@requires(Perm.RECORD_EDIT)
def goal_add(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _case(request, case_id)
    form = forms.GoalForm(request.POST or None)
    return _sub(
        request,
        case,
        form,
        lambda d: services.case_goal_add(actor=request.user, case=case, **d),
        _("Add a goal"),
        _("Goal added."),
    )


@require_POST
@requires(Perm.RECORD_EDIT)
def goal_assess(request: HttpRequest, goal_id: int) -> HttpResponse:
    goal = get_in_scope_or_404(selectors.goals_visible(request.user), request.user, field="case__unit", pk=goal_id)
    value = {"yes": True, "no": False}.get(request.POST.get("achieved", ""))
    try:
        services.case_goal_assess(actor=request.user, goal=goal, achieved=value)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect("casework:case_detail", case_id=goal.case_id)


@requires(Perm.RECORD_EDIT)
def service_plan(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _case(request, case_id)
    form = forms.PlannedServiceForm(request.POST or None)
    return _sub(
        request,
        case,
        form,
        lambda d: services.case_service_plan(actor=request.user, case=case, **d),
        _("Plan a service"),
        _("Planned service added."),
    )


@requires(Perm.RECORD_EDIT)
def service_deliver(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _case(request, case_id)
    form = forms.DeliveredServiceForm(request.POST or None, case=case, initial={"date": timezone.localdate()})
    return _sub(
        request,
        case,
        form,
        lambda d: services.case_service_deliver(actor=request.user, case=case, **d),
        _("Log an intervention"),
        _("Intervention logged."),
    )


@requires(Perm.RECORD_EDIT)
def note_add(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _case(request, case_id)
    if not can_work_on(request.user, case):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied
    form = forms.NoteForm(request.POST or None, initial={"date": timezone.localdate()})
    return _sub(
        request,
        case,
        form,
        lambda d: services.case_note_add(actor=request.user, case=case, **d),
        _("Add a confidential case note"),
        _("Note saved."),
    )


@requires(Perm.RECORD_EDIT)
def attachment_add(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _case(request, case_id)
    if not can_work_on(request.user, case):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied
    form = forms.AttachmentForm(request.POST or None, request.FILES or None)
    return _sub(
        request,
        case,
        form,
        lambda d: services.case_attachment_add(
            actor=request.user, case=case, upload=d["file"], description=d["description"]
        ),
        _("Attach a file"),
        _("File attached."),
    )


@requires(Perm.VIEW)
def attachment_download(request: HttpRequest, attachment_id: int) -> FileResponse:
    attachment = get_in_scope_or_404(
        selectors.attachments_visible(request.user), request.user, field="case__unit", pk=attachment_id
    )
    handle = services.case_attachment_open(actor=request.user, attachment=attachment)
    return uploads.serve(handle, attachment.content_type, filename=attachment.original_name, as_attachment=True)


@requires(Perm.RECORD_EDIT)
def case_transfer(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _case(request, case_id)
    form = forms.TransferForm(
        request.POST or None, staff=selectors.workers_for(request.user).exclude(pk=case.worker_id)
    )
    return _sub(
        request,
        case,
        form,
        lambda d: services.case_transfer(actor=request.user, case=case, **d),
        _("Transfer the case"),
        _("The case was transferred."),
    )


@requires(Perm.RECORD_EDIT)
def referral_edit(request: HttpRequest, referral_id: int) -> HttpResponse:
    referral = get_in_scope_or_404(selectors.referrals_visible(request.user), request.user, pk=referral_id)
    form = forms.ReferralUpdateForm(
        request.POST or None, initial={"status": referral.status, "outcome": referral.outcome}
    )
    return _sub(
        request,
        referral.case,
        form,
        lambda d: services.referral_update(actor=request.user, referral=referral, **d),
        _("Referral outcome"),
        _("Changes saved."),
        edits=referral,
    )
