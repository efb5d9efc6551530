"""Pages: micro-wishes (staff list, publish, claim, fulfil, photo, statistics) and the public page."""

from __future__ import annotations

import mimetypes
from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.access import Perm, can, get_in_scope_or_404, requires
from core.forms import apply_errors
from core.lists import list_page
from matching import lists, services
from matching.forms import (
    StatsForm,
    WishClaimForm,
    WishForm,
    WishFulfilForm,
)
from matching.selectors import (
    wish_stats,
    wishes_public,
    wishes_visible,
)
from partners.selectors import enterprises_visible
from people.selectors import persons_visible
from volunteers.selectors import volunteers_visible

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


@requires(Perm.RECORD_EDIT)
def wish_create(request: HttpRequest) -> HttpResponse:
    form = WishForm(
        request.POST or None,
        persons=persons_visible(request.user).filter(is_active=True),
        initial={"deadline": timezone.localdate() + timedelta(days=30)},
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            wish = services.wish_publish(
                actor=request.user,
                person=d["person"],
                title=d["title"],
                value=d["value"],
                deadline=d["deadline"],
                need_type=d["need_type"],
                description=d["description"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The wish was published."))
            return redirect("matching:wish_detail", wish_id=wish.pk)
    title = _("Publish a micro-wish")
    return render(
        request,
        "core/form.html",
        {
            "title": title,
            "form": form,
            "intro": _("The public page shows only the wish, its value, the masked name (e.g. 张*) and the community."),
            "cancel_url": reverse("matching:wish_list"),
            "breadcrumbs": [(_("Micro-wishes"), reverse("matching:wish_list")), (title, "")],
        },
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
    wish = get_in_scope_or_404(wishes_visible(request.user), request.user, pk=wish_id)
    return _wish_page(
        request, wish, _claim_form(request), WishFulfilForm(initial={"fulfilled_on": timezone.localdate()})
    )


def _wish_page(request: HttpRequest, wish: Any, claim: WishClaimForm, fulfil: WishFulfilForm) -> HttpResponse:
    return render(
        request,
        "matching/wish_detail.html",
        {
            "title": wish.title,
            "wish": wish,
            "claim_form": claim,
            "fulfil_form": fulfil,
            "can_edit": can(request.user, Perm.RECORD_EDIT),
            "breadcrumbs": [(_("Micro-wishes"), reverse("matching:wish_list")), (wish.title, "")],
        },
    )


@require_POST
@requires(Perm.RECORD_EDIT)
def wish_claim(request: HttpRequest, wish_id: int) -> HttpResponse:
    wish = get_in_scope_or_404(wishes_visible(request.user), request.user, pk=wish_id)
    form = _claim_form(request, request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.wish_claim(
                actor=request.user,
                wish=wish,
                enterprise=d["enterprise"],
                volunteer=d["volunteer"],
                claimed_on=d["claimed_on"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The claim was recorded."))
            return redirect("matching:wish_detail", wish_id=wish.pk)
    return _wish_page(request, wish, form, WishFulfilForm())


@require_POST
@requires(Perm.RECORD_EDIT)
def wish_fulfil(request: HttpRequest, wish_id: int) -> HttpResponse:
    wish = get_in_scope_or_404(wishes_visible(request.user), request.user, pk=wish_id)
    form = WishFulfilForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.wish_fulfil(
                actor=request.user,
                wish=wish,
                photo=form.cleaned_data["photo"],
                fulfilled_on=form.cleaned_data["fulfilled_on"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The fulfilment was recorded."))
            return redirect("matching:wish_detail", wish_id=wish.pk)
    return _wish_page(request, wish, _claim_form(request), form)


@requires(Perm.VIEW)
def wish_photo(request: HttpRequest, wish_id: int) -> FileResponse:
    wish = get_in_scope_or_404(wishes_visible(request.user), request.user, pk=wish_id)
    if not wish.photo:
        raise Http404
    content_type = mimetypes.guess_type(wish.photo.name)[0] or "application/octet-stream"
    response = FileResponse(wish.photo.open("rb"), content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


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
    wishes = [
        {"title": w.title, "value": w.value, "deadline": w.deadline, "who": w.masked_name, "community": w.unit.name}
        for w in wishes_public()[:200]
    ]
    return render(
        request,
        "matching/public_wishes.html",
        {"title": _("Micro-wishes waiting for you"), "wishes": wishes},
    )
