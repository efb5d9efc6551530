from __future__ import annotations

import datetime as dt
import mimetypes
from typing import TYPE_CHECKING, Any, cast

from django.core.cache import cache
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from contracts.progress import period_for
from core import uploads
from core.access import Perm, can, get_in_scope_or_404, requires
from core.forms import form_page
from core.jobs import worker_missing
from core.lists import list_page
from core.roles import Level
from orgs.selectors import units_visible
from partybuilding.figures import party_figures
from reports import lists, services
from reports.builder import period_label
from reports.dashboards import community_people, dashboard
from reports.dashcache import body_key, cache_seconds
from reports.forms import NarrativeForm, ReportForm
from reports.models import JobStatus, PeriodKind
from reports.selectors import jobs_visible, narratives_visible
from reports.workflow import JobAction, available_actions

if TYPE_CHECKING:
    from accounts.models import User
    from orgs.models import OrgUnit


def _year(request: HttpRequest) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


def _missing_supervision(user: User, unit: OrgUnit, year: int) -> list[dt.date]:
    """1+1+1: the station page warns of months without a supervision."""
    from workrecords.selectors import months_without_supervision

    if unit.level != Level.STATION:
        return []
    today = timezone.localdate()
    if year > today.year:
        return []
    end = today if year == today.year else dt.date(year, 12, 31)
    return months_without_supervision(user, unit, dt.date(year, 1, 1), end)


@requires(Perm.VIEW)
def dashboard_home(request: HttpRequest) -> HttpResponse:
    user = cast("User", request.user)  # @requires let only a signed-in user through
    return dashboard_unit(request, cast(int, user.unit_id))


@requires(Perm.VIEW)
def dashboard_unit(request: HttpRequest, unit_id: int) -> HttpResponse:
    """A unit's dashboard; its body is reused while the data it was counted
    from is unchanged (reports.dashcache)."""
    user = cast("User", request.user)  # @requires let only a signed-in user through
    unit = get_in_scope_or_404(units_visible(user), user, "id", pk=unit_id)
    year = _year(request)
    seconds = cache_seconds()
    key = body_key(user, unit.pk, year, get_language()) if seconds else ""
    page = cache.get(key) if key else None
    if page is None:
        page = _dashboard_body(request, user, unit, year)
        if key:
            cache.set(key, page, seconds)
    return render(
        request,
        "reports/dashboard.html",
        {
            "title": _("Dashboard: %(unit)s") % {"unit": unit.name},
            "unit": unit,
            "year": year,
            "body": page["body"],
            "breadcrumbs": page["breadcrumbs"],
        },
    )


def _dashboard_body(request: HttpRequest, user: User, unit: OrgUnit, year: int) -> dict[str, Any]:
    data = dashboard(user, unit, year)
    crumbs = [(_("Dashboard"), reverse("reports:dashboard"))]
    visible = {u.pk for u in units_visible(user)}
    for ancestor in unit.ancestors():
        if ancestor.pk in visible:
            crumbs.append((ancestor.name, reverse("reports:dashboard_unit", args=[ancestor.pk])))
    body = render_to_string(
        "reports/_dashboard_body.html",
        {
            "year": year,
            "data": data,
            "rows": data["table"].as_rows(),
            "headers": data["table"].headers,
            "totals": data["table"].total_values,
            "people": community_people(user, unit) if unit.level == Level.COMMUNITY else None,
            "missing_supervision": _missing_supervision(user, unit, year),
            "party": party_figures(unit, data["start"], data["end"], children=data["table"].units),
            "drill": unit.level != Level.COMMUNITY,
        },
        request=request,
    )
    return {"body": body, "breadcrumbs": [*crumbs, (unit.name, "")]}


@requires(Perm.VIEW)
def report_index(request: HttpRequest) -> HttpResponse:
    user = cast("User", request.user)  # @requires let only a signed-in user through
    form = ReportForm(request.POST or None, units=units_visible(user), initial={"unit": user.unit_id})
    return form_page(
        request,
        form=form,
        act=lambda d: services.report_request(actor=user, **d),
        success=lambda job: reverse("reports:job_detail", args=[job.pk]),
        done_message="",  # the job page shows the progress
        title=_("Reports"),
        cancel_url="",
        breadcrumbs=[],
        template="reports/report_index.html",
        extra=lambda: {
            "jobs": jobs_visible(user)[:20],
            "narratives": narratives_visible(user).order_by("-period_start")[:20],
            "can_write": can(user, Perm.RECORD_EDIT),
            # a station or the district writes its own narrative; a community room has none
            "writes_narrative": can(user, Perm.RECORD_EDIT)
            and user.unit is not None
            and user.unit.level != Level.COMMUNITY,
        },
    )


def _list_crumbs(title: str) -> list[tuple[str, str]]:
    return [(_("Reports"), reverse("reports:report_index")), (title, "")]


@requires(Perm.VIEW)
def job_list(request: HttpRequest) -> HttpResponse:
    title = _("All reports")
    return list_page(
        request,
        lists.JOBS,
        template="reports/job_list.html",
        context={"title": title, "breadcrumbs": _list_crumbs(title)},
    )


@requires(Perm.VIEW)
def narrative_list(request: HttpRequest) -> HttpResponse:
    title = _("Narratives")
    return list_page(
        request,
        lists.NARRATIVES,
        template="reports/narrative_list.html",
        context={"title": title, "breadcrumbs": _list_crumbs(title)},
    )


@requires(Perm.VIEW)
def job_detail(request: HttpRequest, job_id: int) -> HttpResponse:
    job = get_in_scope_or_404(jobs_visible(request.user), request.user, pk=job_id)
    actions = available_actions(job)
    template = "reports/_job_status.html" if getattr(request, "htmx", False) else "reports/job_detail.html"
    return render(
        request,
        template,
        {
            "title": str(job),
            "job": job,
            "label": period_label(job.period_kind, job.period_start),
            "actions": actions,
            "polling": JobAction.WAIT in actions,
            "worker_missing": worker_missing(queued=job.status == JobStatus.QUEUED, since=job.created_at),
            "breadcrumbs": [(_("Reports"), reverse("reports:report_index")), (str(job), "")],
        },
    )


@requires(Perm.VIEW)
def job_download(request: HttpRequest, job_id: int) -> FileResponse:
    job = get_in_scope_or_404(jobs_visible(request.user), request.user, pk=job_id)
    kind = mimetypes.guess_type(job.filename)[0] or "application/octet-stream"
    return uploads.serve(
        services.report_download(actor=request.user, job=job), kind, filename=job.filename, as_attachment=True
    )


@requires(Perm.RECORD_EDIT)
def narrative_edit(request: HttpRequest, station_id: int) -> HttpResponse:
    user = cast("User", request.user)  # @requires let only a signed-in user through
    unit = get_in_scope_or_404(units_visible(request.user), request.user, "id", pk=station_id)
    kind = request.GET.get("kind", PeriodKind.QUARTER)
    if kind not in PeriodKind.values:
        kind = PeriodKind.QUARTER
    try:
        day = dt.date.fromisoformat(request.GET.get("date", ""))
    except ValueError:
        day = timezone.localdate()
    period = period_for(kind, day)
    existing = narratives_visible(request.user).filter(unit=unit, period_kind=kind, period_start=period.start).first()
    initial = (
        {"highlights": existing.highlights, "problems": existing.problems, "next_steps": existing.next_steps}
        if existing
        else {}
    )
    title = _("Narrative of %(unit)s for %(period)s") % {"unit": unit.name, "period": period_label(kind, period.start)}
    return form_page(
        request,
        form=NarrativeForm(request.POST or None, initial=initial),
        act=lambda d: services.narrative_save(actor=user, unit=unit, period_kind=kind, day=day, **d),
        success=lambda _n: reverse("reports:report_index"),
        done_message=_("Narrative saved; it appears in the report."),
        title=title,
        intro=_("These sections appear in the monthly, quarterly or annual report as written."),
        cancel_url=reverse("reports:report_index"),
        breadcrumbs=[(_("Reports"), reverse("reports:report_index"))],
        edits=f"reports.narrative:{unit.pk}:{kind}:{period.start.isoformat()}",
    )
