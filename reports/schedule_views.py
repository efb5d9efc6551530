"""The district's pages for scheduled reports: the schedules, one form, and
what was sent to whom and when."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.selectors import staff_visible
from core.access import Perm, get_in_scope_or_404, requires
from core.forms import form_page
from core.lists import list_page
from orgs.selectors import units_visible
from reports import schedule_lists, schedules
from reports.schedule_forms import ReportScheduleForm
from reports.schedule_models import ReportSchedule

if TYPE_CHECKING:
    from accounts.models import User


def _crumbs() -> list[tuple[str, str]]:
    return [(_("Reports"), reverse("reports:report_index")), (_("Scheduled reports"), reverse("reports:schedule_list"))]


@requires(Perm.CONFIG_MANAGE)
def schedule_list(request: HttpRequest) -> HttpResponse:
    return list_page(
        request,
        schedule_lists.SCHEDULES,
        template="reports/schedule_list.html",
        context={"title": _("Scheduled reports"), "breadcrumbs": [*_crumbs()[:1], (_("Scheduled reports"), "")]},
    )


@requires(Perm.CONFIG_MANAGE)
def send_list(request: HttpRequest) -> HttpResponse:
    return list_page(
        request,
        schedule_lists.SENDS,
        template="reports/schedule_sends.html",
        context={"title": _("Scheduled reports sent"), "breadcrumbs": [*_crumbs(), (_("What was sent"), "")]},
    )


def _form(request: HttpRequest, user: User, schedule: ReportSchedule | None) -> ReportScheduleForm:
    initial = {}
    if schedule is not None:
        recipients = list(schedule.recipients.all())
        initial = {
            "name": schedule.name,
            "unit": schedule.unit,
            "period_kind": schedule.period_kind,
            "fmt": schedule.fmt,
            "send_day": schedule.send_day,
            "active": schedule.active,
            "users": [r.user for r in recipients if r.user],
            "emails": "\n".join(f"{r.label} <{r.email}>" if r.label else r.email for r in recipients if not r.user),
        }
    return ReportScheduleForm(
        request.POST or None, initial=initial, units=units_visible(user), staff=staff_visible(user)
    )


@requires(Perm.CONFIG_MANAGE)
def schedule_create(request: HttpRequest) -> HttpResponse:
    user = cast("User", request.user)  # @requires let only a signed-in user through
    back = reverse("reports:schedule_list")
    return form_page(
        request,
        form=_form(request, user, None),
        act=lambda d: schedules.report_schedule_save(actor=user, **d),
        success=lambda _s: back,
        done_message=lambda s: _("%(name)s was scheduled.") % {"name": s.name},
        title=_("New scheduled report"),
        cancel_url=back,
        breadcrumbs=_crumbs(),
    )


@requires(Perm.CONFIG_MANAGE)
def schedule_edit(request: HttpRequest, schedule_id: int) -> HttpResponse:
    user = cast("User", request.user)
    schedule = get_in_scope_or_404(schedules.schedules_visible(user), user, pk=schedule_id)
    back = reverse("reports:schedule_list")
    return form_page(
        request,
        form=_form(request, user, schedule),
        act=lambda d: schedules.report_schedule_save(actor=user, schedule=schedule, **d),
        success=lambda _s: back,
        done_message=_("Changes saved."),
        title=_("Edit %(name)s") % {"name": schedule.name},
        cancel_url=back,
        breadcrumbs=_crumbs(),
        edits=schedule,
    )
