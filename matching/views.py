"""Pages: needs, resources, matching runs and their proposals."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.access import Perm, can, get_in_scope_or_404, requires, unit_subtree
from core.forms import apply_errors
from core.jobs import worker_missing
from core.lists import list_page
from matching import lists, services
from matching.forms import (
    DecideForm,
    NeedCloseForm,
    NeedForm,
    OfferForm,
    RunForm,
)
from matching.models import NeedStatus, NeedType, OfferKind, Proposal, ProposalStatus, RunStatus
from matching.selectors import (
    need_type_names,
    needs_untyped,
    needs_visible,
    offers_visible,
    proposals_visible,
    runs_visible,
)
from partners.selectors import enterprises_visible, organisations_visible
from people.selectors import persons_visible
from volunteers.selectors import volunteers_visible


def _reason_label(code: str) -> str:
    labels = {
        "no_compatible_resource": _("No resource in scope offers this category"),
        "outside_time_window": _("Resources of this category are not available in the need's time window"),
        "no_resource_nearby": _("No compatible resource within the distance limit"),
        "capacity_used": _("Compatible resources nearby, but their capacity went to more urgent or nearer needs"),
    }
    return labels.get(code, code)


def _priority_label(p: str) -> str:
    return Proposal(priority=p).priority_label


def _crumbs(*items: tuple[str, str]) -> list[tuple[str, str]]:
    return [(_("Needs and resources"), reverse("matching:need_list")), *items]


# ---------------------------------------------------------------- needs


@requires(Perm.VIEW)
def need_list(request: HttpRequest) -> HttpResponse:
    can_edit = can(request.user, Perm.RECORD_EDIT)
    return list_page(
        request,
        lists.NEEDS,
        template="matching/need_list.html",
        context={
            "title": _("Needs"),
            "can_edit": can_edit,
            "untyped": needs_untyped(request.user).count() if can_edit else 0,
            "breadcrumbs": [(_("Needs"), "")],
        },
    )


@requires(Perm.RECORD_EDIT)
def need_create(request: HttpRequest) -> HttpResponse:
    persons = persons_visible(request.user).filter(is_active=True)
    initial = {"quantity": 1}
    if request.GET.get("person", "").isdigit():
        initial["person"] = persons.filter(pk=int(request.GET["person"])).first()
    form = NeedForm(request.POST or None, persons=persons, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            need = services.need_create(
                actor=request.user,
                person=d["person"],
                domain=d["need_type"].domain,
                need_type=d["need_type"].code,
                description=d["description"],
                quantity=d["quantity"],
                window_start=d["window_start"],
                window_end=d["window_end"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The need was recorded."))
            return redirect("matching:need_detail", need_id=need.pk)
    title = _("New need")
    return render(
        request,
        "core/form.html",
        {
            "title": title,
            "form": form,
            "cancel_url": reverse("matching:need_list"),
            "breadcrumbs": _crumbs((title, "")),
        },
    )


@requires(Perm.VIEW)
def need_detail(request: HttpRequest, need_id: int) -> HttpResponse:
    need = get_in_scope_or_404(needs_visible(request.user), request.user, pk=need_id)
    return render(
        request,
        "matching/need_detail.html",
        {
            "title": _("Need: %(type)s") % {"type": need_type_names().get(need.need_type, need.need_type)},
            "need": need,
            "type_name": need_type_names().get(need.need_type, need.need_type),
            "untyped": need.status == NeedStatus.OPEN
            and not NeedType.objects.filter(code=need.need_type, active=True).exists(),
            "history": need.history.select_related("by"),
            "proposals": need.proposals.select_related("resource", "run"),
            "tasks": need.tasks.select_related("resource"),
            "can_edit": can(request.user, Perm.RECORD_EDIT) and need.status in (NeedStatus.OPEN, NeedStatus.PROPOSED),
            "breadcrumbs": _crumbs((str(need.pk), "")),
        },
    )


@requires(Perm.RECORD_EDIT)
def need_edit(request: HttpRequest, need_id: int) -> HttpResponse:
    need = get_in_scope_or_404(needs_visible(request.user), request.user, pk=need_id)
    from matching.models import NeedType

    initial = {
        "need_type": NeedType.objects.filter(code=need.need_type).first(),
        "description": need.description,
        "quantity": need.quantity,
        "window_start": need.window_start,
        "window_end": need.window_end,
    }
    form = NeedForm(request.POST or None, initial=initial, persons=None, editing=True)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.need_update(
                actor=request.user,
                need=need,
                domain=d["need_type"].domain,
                need_type=d["need_type"].code,
                description=d["description"],
                quantity=d["quantity"],
                window_start=d["window_start"],
                window_end=d["window_end"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("matching:need_detail", need_id=need.pk)
    title = _("Edit need of %(name)s") % {"name": need.person.name}
    url = reverse("matching:need_detail", args=[need.pk])
    return render(
        request,
        "core/form.html",
        {"title": title, "form": form, "cancel_url": url, "breadcrumbs": _crumbs((str(need.pk), url), (title, ""))},
    )


@requires(Perm.RECORD_EDIT)
def need_close(request: HttpRequest, need_id: int) -> HttpResponse:
    need = get_in_scope_or_404(needs_visible(request.user), request.user, pk=need_id)
    form = NeedCloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.need_close(actor=request.user, need=need, note=form.cleaned_data["note"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return redirect("matching:need_detail", need_id=need.pk)
    title = _("Close the need unmet")
    url = reverse("matching:need_detail", args=[need.pk])
    return render(
        request,
        "core/form.html",
        {"title": title, "form": form, "cancel_url": url, "breadcrumbs": _crumbs((str(need.pk), url), (title, ""))},
    )


# ---------------------------------------------------------------- offers


@requires(Perm.VIEW)
def offer_list(request: HttpRequest) -> HttpResponse:
    return list_page(
        request,
        lists.OFFERS,
        template="matching/offer_list.html",
        context={
            "title": _("Resources"),
            "can_edit": can(request.user, Perm.RECORD_EDIT),
            "breadcrumbs": [(_("Resources"), "")],
        },
    )


def _offer_form(request: HttpRequest, **kw: Any) -> OfferForm:
    user = request.user
    return OfferForm(
        request.POST or None,
        units=unit_subtree(user).order_by("path"),
        volunteers=volunteers_visible(user).filter(is_active=True),
        enterprises=enterprises_visible(user),
        organisations=organisations_visible(user),
        **kw,
    )


@requires(Perm.RECORD_EDIT)
def offer_create(request: HttpRequest) -> HttpResponse:
    form = _offer_form(request)
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        types = list(d.pop("need_types"))
        unit = d.pop("unit")
        if d.get("capacity") is None and d["kind"] != OfferKind.VOLUNTEER:
            d["capacity"] = 1
        if d.get("capacity") is None:
            d.pop("capacity")
        try:
            services.offer_create(actor=request.user, unit=unit, need_types=types, **d)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The resource was recorded."))
            return redirect("matching:offer_list")
    title = _("New resource")
    return render(
        request,
        "core/form.html",
        {
            "title": title,
            "form": form,
            "cancel_url": reverse("matching:offer_list"),
            "breadcrumbs": [(_("Resources"), reverse("matching:offer_list")), (title, "")],
        },
    )


@requires(Perm.RECORD_EDIT)
def offer_edit(request: HttpRequest, resource_id: int) -> HttpResponse:
    offer = get_in_scope_or_404(offers_visible(request.user), request.user, pk=resource_id)
    fields = ("kind", "name", "unit", "volunteer", "enterprise", "organisation", "capacity")
    initial = {f: getattr(offer, f) for f in fields}
    initial.update(
        {
            "need_types": list(offer.need_types.all()),
            "available_from": offer.available_from,
            "available_until": offer.available_until,
            "place": offer.place,
            "latitude": offer.latitude,
            "longitude": offer.longitude,
            "is_active": offer.is_active,
        }
    )
    form = _offer_form(request, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        types = list(d.pop("need_types"))
        d.pop("unit")
        if d.get("capacity") is None:
            d["capacity"] = offer.capacity
        try:
            services.offer_update(actor=request.user, offer=offer, need_types=types, **d)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("matching:offer_list")
    title = _("Edit resource")
    return render(
        request,
        "core/form.html",
        {
            "title": title,
            "form": form,
            "cancel_url": reverse("matching:offer_list"),
            "breadcrumbs": [(_("Resources"), reverse("matching:offer_list")), (title, "")],
        },
    )


# ---------------------------------------------------------------- runs


@requires(Perm.VIEW)
def run_list(request: HttpRequest) -> HttpResponse:
    units = unit_subtree(request.user).exclude(level="community").order_by("path")
    form = RunForm(request.POST or None, units=units, initial={"unit": request.user.unit})
    if request.method == "POST":
        if not can(request.user, Perm.RECORD_EDIT):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        if form.is_valid():
            try:
                run = services.match_run_start(
                    actor=request.user,
                    unit=form.cleaned_data["unit"],
                    max_distance_m=form.cleaned_data.get("max_distance_m"),
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                return redirect("matching:run_detail", run_id=run.pk)
    page = Paginator(runs_visible(request.user), 20).get_page(request.GET.get("page"))
    return render(
        request,
        "matching/run_list.html",
        {
            "title": _("Matching runs"),
            "form": form,
            "page": page,
            "can_edit": can(request.user, Perm.RECORD_EDIT),
            "breadcrumbs": [(_("Matching runs"), "")],
        },
    )


def _unmet(request: HttpRequest, run: Any) -> list[dict[str, Any]]:
    types = need_type_names()
    needs = {n.pk: n for n in needs_visible(request.user).filter(pk__in=[int(k) for k in run.unmet])}
    active = set(NeedType.objects.filter(active=True).values_list("code", flat=True))
    return [
        {
            "need": needs[int(k)],
            # a need typed in free text is not missing resources: it is missing its type
            "untyped": needs[int(k)].need_type not in active,
            "reason": _reason_label(v["reason"]),
            "missing": v["missing"],
            "priority": _priority_label(v["priority"]),
            "type_name": types.get(needs[int(k)].need_type, needs[int(k)].need_type),
        }
        for k, v in sorted(run.unmet.items(), key=lambda kv: int(kv[0]))
        if int(k) in needs
    ]


@requires(Perm.VIEW)
def run_detail(request: HttpRequest, run_id: int) -> HttpResponse:
    """A run's figures, its proposals (a list: filter, sort, page, confirm or
    reject the selected) and the needs it left unmet."""
    run = get_in_scope_or_404(runs_visible(request.user), request.user, pk=run_id)
    finished = run.status in (RunStatus.DONE, RunStatus.FAILED)
    return list_page(
        request,
        lists.proposals_of(run),
        template="matching/run_detail.html",
        context={
            "run": run,
            "finished": finished,
            "unmet": _unmet(request, run) if finished else [],
            "can_edit": can(request.user, Perm.RECORD_EDIT),
            "worker_missing": worker_missing(queued=run.status == RunStatus.QUEUED, since=run.started_at),
            "title": _("Matching run %(id)s") % {"id": run.pk},
            "breadcrumbs": [(_("Matching runs"), reverse("matching:run_list")), (f"#{run.pk}", "")],
        },
    )


@requires(Perm.VIEW)
def run_progress(request: HttpRequest, run_id: int) -> HttpResponse:
    run = get_in_scope_or_404(runs_visible(request.user), request.user, pk=run_id)
    missing = worker_missing(queued=run.status == RunStatus.QUEUED, since=run.started_at)
    response = render(request, "matching/_run_progress.html", {"run": run, "worker_missing": missing})
    if run.status in (RunStatus.DONE, RunStatus.FAILED):
        response["HX-Refresh"] = "true"
    return response


@require_POST
@requires(Perm.RECORD_EDIT)
def run_decide(request: HttpRequest, run_id: int) -> HttpResponse:
    run = get_in_scope_or_404(runs_visible(request.user), request.user, pk=run_id)
    qs = proposals_visible(request.user).filter(run=run, status=ProposalStatus.PROPOSED)
    form = DecideForm(request.POST, proposals=qs)
    action = request.POST.get("action", "")
    if form.is_valid() and action in ("confirm", "reject"):
        chosen = list(form.cleaned_data["proposals"])
        try:
            if action == "confirm":
                tasks = services.proposal_confirm(
                    actor=request.user, proposals=chosen, due_date=form.cleaned_data.get("due_date")
                )
                messages.success(request, _("%(n)s task(s) assigned.") % {"n": len(tasks)})
            else:
                n = services.proposal_reject(actor=request.user, proposals=chosen, note=form.cleaned_data["note"])
                messages.success(request, _("%(n)s proposal(s) rejected.") % {"n": n})
        except ValidationError as exc:
            for m in exc.messages:
                messages.error(request, m)
    else:
        messages.error(request, _("Choose at least one proposal that is still awaiting a decision."))
    return redirect("matching:run_detail", run_id=run.pk)
