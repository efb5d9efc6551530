"""Pages: needs, resources, matching runs and their proposals."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from core.access import Perm, can, get_in_scope_or_404, requires, unit_subtree
from core.forms import form_page, with_tokens
from core.jobs import worker_missing
from core.lists import list_page
from matching import lists, services
from matching.forms import NeedCloseForm, NeedForm, OfferForm, RunForm
from matching.models import Need, NeedStatus, NeedType, OfferKind, ResourceOffer, RunStatus
from matching.selectors import need_type_names, needs_untyped, needs_visible, offers_visible, runs_visible
from matching.unmet import unmet_of
from partners.selectors import enterprises_visible, organisations_visible
from people.selectors import persons_visible
from volunteers.selectors import volunteers_visible

if TYPE_CHECKING:
    from accounts.models import User


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
    user = cast("User", request.user)
    persons = persons_visible(user).filter(is_active=True)
    initial: dict[str, Any] = {"quantity": 1}
    if request.GET.get("person", "").isdigit():
        initial["person"] = persons.filter(pk=int(request.GET["person"])).first()

    def act(d: dict[str, Any]) -> Need:
        return services.need_create(
            actor=user,
            person=d["person"],
            domain=d["need_type"].domain,
            need_type=d["need_type"].code,
            description=d["description"],
            quantity=d["quantity"],
            window_start=d["window_start"],
            window_end=d["window_end"],
        )

    return form_page(
        request,
        form=NeedForm(request.POST or None, persons=persons, initial=initial),
        act=act,
        success=lambda need: reverse("matching:need_detail", args=[need.pk]),
        done_message=_("The need was recorded."),
        title=_("New need"),
        cancel_url=reverse("matching:need_list"),
        breadcrumbs=_crumbs(),
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
    user = cast("User", request.user)
    need = get_in_scope_or_404(needs_visible(user), user, pk=need_id)
    initial = {
        "need_type": NeedType.objects.filter(code=need.need_type).first(),
        "description": need.description,
        "quantity": need.quantity,
        "window_start": need.window_start,
        "window_end": need.window_end,
    }

    def act(d: dict[str, Any]) -> Need:
        return services.need_update(
            actor=user,
            need=need,
            domain=d["need_type"].domain,
            need_type=d["need_type"].code,
            description=d["description"],
            quantity=d["quantity"],
            window_start=d["window_start"],
            window_end=d["window_end"],
        )

    url = reverse("matching:need_detail", args=[need.pk])
    return form_page(
        request,
        form=NeedForm(request.POST or None, initial=initial, persons=None, editing=True),
        act=act,
        success=lambda _need: url,
        done_message=_("Changes saved."),
        title=_("Edit need of %(name)s") % {"name": need.person.name},
        cancel_url=url,
        breadcrumbs=_crumbs((str(need.pk), url)),
        edits=need,
    )


@requires(Perm.RECORD_EDIT)
def need_close(request: HttpRequest, need_id: int) -> HttpResponse:
    user = cast("User", request.user)
    need = get_in_scope_or_404(needs_visible(user), user, pk=need_id)
    url = reverse("matching:need_detail", args=[need.pk])
    return form_page(
        request,
        form=NeedCloseForm(request.POST or None),
        act=lambda d: services.need_close(actor=user, need=need, note=d["note"]),
        success=lambda _need: url,
        done_message="",
        title=_("Close the need unmet"),
        cancel_url=url,
        breadcrumbs=_crumbs((str(need.pk), url)),
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


def _offer_crumbs() -> list[tuple[str, str]]:
    return [(_("Resources"), reverse("matching:offer_list"))]


@requires(Perm.RECORD_EDIT)
def offer_create(request: HttpRequest) -> HttpResponse:
    user = cast("User", request.user)

    def act(data: dict[str, Any]) -> ResourceOffer:
        d = dict(data)
        types = list(d.pop("need_types"))
        unit = d.pop("unit")
        if d.get("capacity") is None and d["kind"] != OfferKind.VOLUNTEER:
            d["capacity"] = 1
        if d.get("capacity") is None:
            d.pop("capacity")
        return services.offer_create(actor=user, unit=unit, need_types=types, **d)

    return form_page(
        request,
        form=_offer_form(request),
        act=act,
        success=lambda _offer: reverse("matching:offer_list"),
        done_message=_("The resource was recorded."),
        title=_("New resource"),
        cancel_url=reverse("matching:offer_list"),
        breadcrumbs=_offer_crumbs(),
    )


@requires(Perm.RECORD_EDIT)
def offer_edit(request: HttpRequest, resource_id: int) -> HttpResponse:
    user = cast("User", request.user)
    offer = get_in_scope_or_404(offers_visible(user), user, pk=resource_id)
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

    def act(data: dict[str, Any]) -> ResourceOffer:
        d = dict(data)
        types = list(d.pop("need_types"))
        d.pop("unit")
        if d.get("capacity") is None:
            d["capacity"] = offer.capacity
        return services.offer_update(actor=user, offer=offer, need_types=types, **d)

    return form_page(
        request,
        form=_offer_form(request, initial=initial),
        act=act,
        success=lambda _offer: reverse("matching:offer_list"),
        done_message=_("Changes saved."),
        title=_("Edit resource"),
        cancel_url=reverse("matching:offer_list"),
        breadcrumbs=_offer_crumbs(),
        edits=offer,
    )


# ---------------------------------------------------------------- runs


def _run_form(request: HttpRequest) -> RunForm:
    user = cast("User", request.user)
    units = unit_subtree(user).exclude(level="community").order_by("path")
    # its own ids: the list's filter beside it has a unit select too
    return RunForm(request.POST or None, units=units, initial={"unit": user.unit}, auto_id="run_%s")


@requires(Perm.VIEW)
def run_list(request: HttpRequest) -> HttpResponse:
    """The runs (a list), with the form that starts one (it posts to run_new)."""
    can_edit = can(request.user, Perm.RECORD_EDIT)
    return list_page(
        request,
        lists.RUNS,
        template="matching/run_list.html",
        context={
            "title": _("Matching runs"),
            "form": with_tokens(_run_form(request)) if can_edit else None,
            "can_edit": can_edit,
            "breadcrumbs": [(_("Matching runs"), "")],
        },
    )


@requires(Perm.RECORD_EDIT)
def run_new(request: HttpRequest) -> HttpResponse:
    user = cast("User", request.user)
    return form_page(
        request,
        form=_run_form(request),
        act=lambda d: services.match_run_start(actor=user, unit=d["unit"], max_distance_m=d.get("max_distance_m")),
        success=lambda run: reverse("matching:run_detail", args=[run.pk]),
        done_message="",
        title=_("Run matching"),
        intro=_(
            "The engine proposes volunteers and goods for the open needs in the chosen unit: red cards first, "
            "then earlier deadlines, then the nearest. Nothing is assigned until you confirm."
        ),
        submit_label=_("Run matching"),
        cancel_url=reverse("matching:run_list"),
        breadcrumbs=[(_("Matching runs"), reverse("matching:run_list"))],
    )


@requires(Perm.VIEW)
def run_detail(request: HttpRequest, run_id: int) -> HttpResponse:
    """A run's figures, its proposals (a list: filter, sort, page, confirm or
    reject the selected) and the needs it left unmet."""
    # Its unmet needs (thousands in a large run) load with their own list.
    run = get_in_scope_or_404(runs_visible(request.user).defer("unmet"), request.user, pk=run_id)
    finished = run.status in (RunStatus.DONE, RunStatus.FAILED)
    return list_page(
        request,
        lists.proposals_of(run),
        template="matching/run_detail.html",
        context={
            "run": run,
            "finished": finished,
            "can_edit": can(request.user, Perm.RECORD_EDIT),
            "worker_missing": worker_missing(queued=run.status == RunStatus.QUEUED, since=run.started_at),
            "title": _("Matching run %(id)s") % {"id": run.pk},
            "breadcrumbs": [(_("Matching runs"), reverse("matching:run_list")), (f"#{run.pk}", "")],
        },
    )


@requires(Perm.VIEW)
def run_unmet(request: HttpRequest, run_id: int) -> HttpResponse:
    """The needs a run left unmet and why: a list of its own, which the run's
    page also loads in place (its results only)."""
    run = get_in_scope_or_404(runs_visible(request.user), request.user, pk=run_id)
    title = _("Needs left unmet")
    return list_page(
        request,
        unmet_of(run),
        template="matching/run_unmet.html",
        context={
            "run": run,
            "title": title,
            "breadcrumbs": [
                (_("Matching runs"), reverse("matching:run_list")),
                (f"#{run.pk}", reverse("matching:run_detail", args=[run.pk])),
                (title, ""),
            ],
        },
    )


@requires(Perm.VIEW)
def run_progress(request: HttpRequest, run_id: int) -> HttpResponse:
    run = get_in_scope_or_404(runs_visible(request.user).defer("unmet"), request.user, pk=run_id)
    missing = worker_missing(queued=run.status == RunStatus.QUEUED, since=run.started_at)
    response = render(request, "matching/_run_progress.html", {"run": run, "worker_missing": missing})
    if run.status in (RunStatus.DONE, RunStatus.FAILED):
        response["HX-Refresh"] = "true"
    return response
