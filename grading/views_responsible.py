"""The responsible-worker rule page: a station lead (or the district
administrator) decides who follows up the station's new residents."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from core.access import Perm, get_in_scope_or_404, requires
from core.forms import form_page
from core.roles import Level
from grading import enrolment, selectors
from grading.forms_responsible import ResponsibleRuleForm
from grading.models import ResponsibleMode

if TYPE_CHECKING:
    from accounts.models import User


def _crumbs() -> list[tuple[str, str]]:
    return [(_("Responsible workers"), reverse("grading:responsible_rules"))]


@requires(Perm.STAFF_MANAGE)
def responsible_rules(request: HttpRequest) -> HttpResponse:
    """A station lead goes straight to their station; the district sees every station's rule."""
    user = cast("User", request.user)  # @requires let only a signed-in user with a unit through
    stations = list(selectors.stations_for_rules(user))
    if user.unit is not None and user.unit.level == Level.STATION and len(stations) == 1:
        return redirect("grading:responsible_rule", station_id=stations[0].pk)
    rows = list(zip(stations, selectors.responsible_rules(stations), strict=True))
    return render(
        request,
        "grading/responsible_rules.html",
        {
            "title": _("Responsible workers"),
            "rows": rows,
            "modes": ResponsibleMode.choices,
            "breadcrumbs": [(_("Responsible workers"), "")],
        },
    )


@requires(Perm.STAFF_MANAGE)
def responsible_rule(request: HttpRequest, station_id: int) -> HttpResponse:
    user = request.user
    station = get_in_scope_or_404(selectors.stations_for_rules(user), user, field="id", pk=station_id)
    current = selectors.responsible_rule(station)
    initial = {"mode": current["mode"], "worker": current["worker"]}
    initial.update({f"community_{c.pk}": w for c, w in current["communities"]})
    form = ResponsibleRuleForm(
        request.POST or None,
        initial=initial,
        workers=selectors.assignable_workers(user, station),
        communities=[(c, selectors.assignable_workers(user, c)) for c, _w in current["communities"]],
    )
    return form_page(
        request,
        form=form,
        edits=f"grading.responsiblerule:{station.pk}",  # the station's rule, with or without rows yet
        act=lambda d: enrolment.responsible_rule_update(
            actor=user,
            station=station,
            mode=d["mode"],
            worker=d["worker"],
            community_workers=form.community_workers(),
        ),
        success=lambda rule: reverse("grading:responsible_rule", args=[station.pk]),
        done_message=_("Responsible-worker rule saved for %(unit)s.") % {"unit": station.name},
        title=_("Responsible workers: %(unit)s") % {"unit": station.name},
        cancel_url=reverse("grading:followups"),
        breadcrumbs=_crumbs(),
        intro=_(
            "Each new resident, and each resident without a worker when they are graded, is given a responsible "
            "worker by this rule. If the designated worker is missing or cannot follow the resident up, the worker "
            "who created the file is named; if that is not possible either, the resident stays unassigned and is "
            "on every worker's list. Workers already named are kept; change one from the resident's grading file."
        ),
        submit_label=_("Save"),
    )
