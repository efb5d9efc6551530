from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from accounts.selectors import staff_visible
from core.access import Perm, requires
from core.home import home_counts
from orgs.selectors import units_with_counts


@requires(Perm.VIEW)
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    unit = user.unit
    return render(
        request,
        "core/home.html",
        {
            "title": _("Home"),
            "unit": unit,
            "ancestors": unit.ancestors(),
            "children": units_with_counts(user).filter(parent=unit),
            "staff": staff_visible(user).filter(unit=unit).order_by("role", "username"),
            "counts": home_counts(user),
        },
    )


def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")
