"""Pages: micro-wishes (staff list, publish, claim, fulfil, photo, statistics) and the public page."""

from __future__ import annotations

import mimetypes
from collections.abc import Callable
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import uploads
from core.access import Perm, can, get_in_scope_or_404, requires
from core.forms import form_page
from core.lists import list_page
from matching import lists, services
from matching.forms import (
    StatsForm,
    WishClaimForm,
    WishForm,
    WishFulfilForm,
)
from matching.models import Wish
from matching.selectors import (
    public_wish_row,
    wish_stats,
    wishes_public,
    wishes_visible,
)
from partners.selectors import enterprises_visible
from people.selectors import persons_visible
from projects.selectors import projects_linkable
from volunteers.selectors import volunteers_visible

if TYPE_CHECKING:
    from accounts.models import User

# ---------------------------------------------------------------- wishes


@requires(Perm.VIEW)
def wish_list(request: HttpRequest) -> HttpResponse:
    return list_page(
        request,
        lists.WISHES,
        template="matching/wish_list.html",
        context={
            "title": _("Micro-wishes"),
            "can_edit": can(request.user, Perm.RECORD_EDIT),
            "breadcrumbs": [(_("Micro-wishes"), "")],
        },
    )


def _crumbs() -> list[tuple[str, str]]:
    return [(_("Micro-wishes"), reverse("matching:wish_list"))]


@requires(Perm.RECORD_EDIT)
def wish_create(request: HttpRequest) -> HttpResponse:
    user = cast("User", request.user)
    form = WishForm(
        request.POST or None,
        persons=persons_visible(user).filter(is_active=True),
        projects=projects_linkable(user),
        initial={"deadline": timezone.localdate() + timedelta(days=30)},
    )

    def act(d: dict[str, Any]) -> Wish:
        return services.wish_publish(
            actor=user,
            person=d["person"],
            title=d["title"],
            value=d["value"],
            deadline=d["deadline"],
            need_type=d["need_type"],
            description=d["description"],
            project=d.get("project"),
        )

    return form_page(
        request,
        form=form,
        act=act,
        success=lambda wish: reverse("matching:wish_detail", args=[wish.pk]),
        done_message=_("The wish was published."),
        title=_("Publish a micro-wish"),
        intro=_("The public page shows only the wish, its value, the masked name (e.g. 张*) and the community."),
        cancel_url=reverse("matching:wish_list"),
        breadcrumbs=_crumbs(),
    )


def _claim_form(request: HttpRequest, data: Any = None) -> WishClaimForm:
    return WishClaimForm(
        data,
        enterprises=enterprises_visible(request.user),
        volunteers=volunteers_visible(request.user).filter(is_active=True),
        initial={"claimed_on": timezone.localdate()},
    )


@requires(Perm.VIEW)
def wish_detail(request: HttpRequest, wish_id: int) -> HttpResponse:
    user = cast("User", request.user)
    wish = get_in_scope_or_404(wishes_visible(user), user, pk=wish_id)
    fulfil = WishFulfilForm(initial={"fulfilled_on": timezone.localdate()})
    return render(request, "matching/wish_detail.html", _wish_context(request, wish, _claim_form(request), fulfil))


def _wish_context(request: HttpRequest, wish: Wish, claim: WishClaimForm, fulfil: WishFulfilForm) -> dict[str, Any]:
    return {
        "title": wish.title,
        "wish": wish,
        "claim_form": claim,
        "fulfil_form": fulfil,
        "can_edit": can(request.user, Perm.RECORD_EDIT),
        "breadcrumbs": [*_crumbs(), (wish.title, "")],
    }


def _wish_form_page(
    request: HttpRequest, wish: Wish, *, form: forms.Form, act: Callable[[dict[str, Any]], Any], done: str
) -> HttpResponse:
    """A claim or a fulfilment posted from the wish's page: refused input
    shows that page again, with the form that was sent."""
    claim = form if isinstance(form, WishClaimForm) else _claim_form(request)
    fulfil = form if isinstance(form, WishFulfilForm) else WishFulfilForm()
    url = reverse("matching:wish_detail", args=[wish.pk])
    return form_page(
        request,
        form=form,
        act=act,
        success=lambda _wish: url,
        done_message=done,
        title=wish.title,
        cancel_url=url,
        breadcrumbs=_crumbs(),
        template="matching/wish_detail.html",
        extra=lambda: _wish_context(request, wish, claim, fulfil),
    )


@require_POST
@requires(Perm.RECORD_EDIT)
def wish_claim(request: HttpRequest, wish_id: int) -> HttpResponse:
    user = cast("User", request.user)
    wish = get_in_scope_or_404(wishes_visible(user), user, pk=wish_id)
    return _wish_form_page(
        request,
        wish,
        form=_claim_form(request, request.POST),
        act=lambda d: services.wish_claim(
            actor=user, wish=wish, enterprise=d["enterprise"], volunteer=d["volunteer"], claimed_on=d["claimed_on"]
        ),
        done=_("The claim was recorded."),
    )


@require_POST
@requires(Perm.RECORD_EDIT)
def wish_fulfil(request: HttpRequest, wish_id: int) -> HttpResponse:
    user = cast("User", request.user)
    wish = get_in_scope_or_404(wishes_visible(user), user, pk=wish_id)
    return _wish_form_page(
        request,
        wish,
        form=WishFulfilForm(request.POST, request.FILES),
        act=lambda d: services.wish_fulfil(actor=user, wish=wish, photo=d["photo"], fulfilled_on=d["fulfilled_on"]),
        done=_("The fulfilment was recorded."),
    )


@requires(Perm.VIEW)
def wish_photo(request: HttpRequest, wish_id: int) -> FileResponse:
    wish = get_in_scope_or_404(wishes_visible(request.user), request.user, pk=wish_id)
    if not wish.photo:
        raise Http404
    content_type = mimetypes.guess_type(wish.photo.name or "")[0] or "application/octet-stream"
    return uploads.serve(wish.photo.open("rb"), content_type)


@requires(Perm.VIEW)
def wish_stats_view(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    form = StatsForm(request.GET or None)
    start, end = date(today.year, 1, 1), today
    if form.is_valid():
        start = form.cleaned_data.get("start") or start
        end = form.cleaned_data.get("end") or end
    if end < start:
        form.add_error("end", _("The period ends before it starts."))
        rows: list[dict[str, Any]] = []
    else:
        rows = wish_stats(request.user, start=start, end=end)
    totals = {
        k: sum(r[k] for r in rows)
        for k in ("published", "claimed", "fulfilled", "published_value", "claimed_value", "fulfilled_value")
    }
    return render(
        request,
        "matching/wish_stats.html",
        {
            "title": _("Micro-wish statistics"),
            "form": form,
            "rows": rows,
            "totals": totals,
            "start": start,
            "end": end,
            "breadcrumbs": [(_("Micro-wishes"), reverse("matching:wish_list")), (_("Statistics"), "")],
        },
    )


def public_wishes(request: HttpRequest) -> HttpResponse:
    """No login: open wishes with the wish, value, deadline, masked name and community only."""
    wishes = [public_wish_row(w) for w in wishes_public()[:200]]
    return render(
        request,
        "matching/public_wishes.html",
        {"title": _("Micro-wishes waiting for you"), "wishes": wishes},
    )
