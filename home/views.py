from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from accounts.selectors import staff_visible
from core.access import Perm, can
from core.home_cache import home_body_key
from core.registry import menu
from home.counters import home_counts
from home.inbox import inbox
from orgs.selectors import units_with_counts

if TYPE_CHECKING:
    from accounts.models import User


def _first_page(user: Any) -> str:
    """The first menu page the user may open; 403 when there is none."""
    for section in menu():
        for item in section.items:
            if can(user, item.perm):
                return reverse(item.url_name)
    raise PermissionDenied


def home(request: HttpRequest) -> HttpResponse:
    """What the user must do now (the to-do inbox), where they sit, the units
    below, the unit's staff and every area's figures. The rendered body is reused like the figures (core.home_cache):
    for LINLI_HOME_COUNTERS_SECONDS, dropped on the user's own changes.
    The administrators of 三员分立 see no records: their home is their first page."""
    if not can(request.user, Perm.VIEW):
        return redirect(_first_page(request.user))
    user = cast("User", request.user)  # can() let only a signed-in user through
    seconds = settings.HOME_COUNTERS_SECONDS
    key = home_body_key(user.pk, get_language())
    body = cache.get(key) if seconds else None
    context: dict[str, Any] = {"title": _("Home")}
    if body is None:
        unit = user.unit
        assert unit is not None  # can() admits only users placed in a unit
        context.update(
            unit=unit,
            ancestors=unit.ancestors(),
            children=units_with_counts(user).filter(parent=unit),
            staff=staff_visible(user).filter(unit=unit).order_by("role", "username"),
            counts=home_counts(user),
            todo=inbox(user),
        )
        body = render_to_string("home/_home_body.html", context, request=request)
        if seconds:
            cache.set(key, body, seconds)
    return render(request, "home/home.html", {**context, "body": body})
