"""The resource map (资源地图): organisations, enterprises, venues and
recipients of the user's area. Recipients appear only as a count per
community (at the community room's coordinates), never by name (PIPL)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from core.access import Perm, requires, scope
from core.roles import Level
from orgs.selectors import units_visible
from workrecords.selectors import venues_visible


def _point(kind: str, label: str, lat: Any, lon: Any, detail: str = "") -> dict[str, Any]:
    kind_label = {
        "enterprise": _("Enterprise"),
        "venue": _("Venue"),
        "organisation": _("Community organisation"),
        "recipients": _("Recipients"),
    }[kind]
    return {
        "kind": kind,
        "kind_label": kind_label,
        "label": label,
        "lat": float(lat),
        "lon": float(lon),
        "detail": detail,
    }


def resource_layers(user: Any) -> dict[str, Any]:
    from partners.models import CommunityOrganisation, Enterprise
    from people.models import Person

    points: list[dict[str, Any]] = []
    unplaced: list[dict[str, str]] = []
    for e in scope(Enterprise.objects.filter(is_active=True), user).select_related("unit"):
        if e.latitude is not None and e.longitude is not None:
            points.append(_point("enterprise", e.name, e.latitude, e.longitude, e.address))
        else:
            unplaced.append({"kind": _("Enterprise"), "label": e.name, "where": e.unit.name})
    for v in venues_visible(user):
        if v.latitude is not None and v.longitude is not None:
            points.append(_point("venue", v.name, v.latitude, v.longitude, v.address))
        else:
            unplaced.append({"kind": _("Venue"), "label": v.name, "where": v.unit.name})
    for o in scope(CommunityOrganisation.objects.filter(is_active=True), user).select_related("unit"):
        unit = o.unit
        if unit.latitude is not None and unit.longitude is not None:
            points.append(
                _point("organisation", o.name, unit.latitude, unit.longitude, _("%(n)s members") % {"n": o.members})
            )
        else:
            unplaced.append({"kind": _("Community organisation"), "label": o.name, "where": unit.name})
    counts = dict(
        scope(Person.objects.filter(is_active=True), user)
        .values("unit")
        .annotate(n=Count("id"))
        .values_list("unit", "n")
    )
    recipients = []
    for unit in units_visible(user).filter(level=Level.COMMUNITY):
        n = counts.get(unit.pk, 0)
        recipients.append({"unit": unit.name, "n": n})
        if n and unit.latitude is not None and unit.longitude is not None:
            points.append(
                _point(
                    "recipients",
                    unit.name,
                    unit.latitude,
                    unit.longitude,
                    _("%(n)s recipients") % {"n": n},
                )
            )
    return {"points": points, "unplaced": unplaced, "recipients": recipients}


@requires(Perm.VIEW)
def resource_map(request: HttpRequest) -> HttpResponse:
    layers = resource_layers(request.user)
    tile_url = getattr(settings, "LINLI_MAP_TILE_URL", "")
    return render(
        request,
        "workrecords/resource_map.html",
        {
            "title": _("Resource map"),
            "points": layers["points"],
            "unplaced": layers["unplaced"],
            "recipients": layers["recipients"],
            "tile_url": tile_url,
            "tile_attribution": getattr(settings, "LINLI_MAP_TILE_ATTRIBUTION", ""),
            "breadcrumbs": [(_("Work records"), reverse("workrecords:index")), (_("Resource map"), "")],
        },
    )
