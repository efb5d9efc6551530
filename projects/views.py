"""Service project pages: the list, a project's page with its figures,
budget and spending, the forms, the receipt and the reports."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from core import uploads
from core.access import Perm, can, get_in_scope_or_404, requires, scope
from core.forms import form_page
from core.lists import list_page
from core.roles import Level
from orgs.selectors import units_visible
from partners.selectors import enterprises_visible, organisations_visible
from partybuilding.models import Agreement
from projects import figures, lists, report, services
from projects.forms import BudgetAmountForm, BudgetLineForm, DecisionForm, ExpenditureForm, ProjectForm
from projects.linked import linked_records
from projects.models import ExpenditureStatus, Project
from projects.selectors import budget_lines_of, expenditures_visible, projects_visible

if TYPE_CHECKING:
    from accounts.models import User


def _crumbs(project: Project | None = None) -> list[tuple[str, str]]:
    crumbs = [(_("Service projects"), reverse("projects:project_list"))]
    if project is not None:
        crumbs.append((project.name, reverse("projects:project_detail", args=[project.pk])))
    return crumbs


def _project(request: HttpRequest, project_id: int) -> Project:
    return get_in_scope_or_404(projects_visible(request.user), request.user, pk=project_id)


@requires(Perm.VIEW)
def project_list(request: HttpRequest) -> HttpResponse:
    return list_page(
        request,
        lists.PROJECTS,
        template="projects/project_list.html",
        context={
            "title": _("Service projects"),
            "can_edit": can(request.user, Perm.RECORD_EDIT),
            "breadcrumbs": [(_("Service projects"), "")],
        },
    )


def _project_form(request: HttpRequest, user: User, initial: dict[str, Any], editing: bool = False) -> ProjectForm:
    return ProjectForm(
        request.POST or None,
        initial=initial,
        units=units_visible(user).filter(level__in=[Level.DISTRICT, Level.STATION]).order_by("path"),
        enterprises=enterprises_visible(user).filter(is_active=True).order_by("name"),
        organisations=organisations_visible(user).order_by("name"),
        agreements=scope(Agreement.objects.all(), user).order_by("partner"),
        editing=editing,
    )


@requires(Perm.RECORD_EDIT)
def project_create(request: HttpRequest) -> HttpResponse:
    user = cast("User", request.user)  # @requires let only a signed-in user through
    unit = user.unit.station if user.unit is not None else None
    form = _project_form(request, user, {"unit": unit.pk if unit else None})
    return form_page(
        request,
        form=form,
        act=lambda d: services.project_create(actor=user, **d),
        success=lambda p: reverse("projects:project_detail", args=[p.pk]),
        done_message=_("Project saved. Now add its budget lines."),
        title=_("New service project"),
        cancel_url=reverse("projects:project_list"),
        breadcrumbs=_crumbs(),
    )


@requires(Perm.RECORD_EDIT)
def project_edit(request: HttpRequest, project_id: int) -> HttpResponse:
    user = cast("User", request.user)
    project = _project(request, project_id)
    initial: dict[str, Any] = {f: getattr(project, f) for f in services.FIELDS_EDITABLE}
    initial["partner_enterprises"] = list(project.partner_enterprises.values_list("pk", flat=True))
    initial["partner_organisations"] = list(project.partner_organisations.values_list("pk", flat=True))
    initial["partner_agreements"] = list(project.partner_agreements.values_list("pk", flat=True))
    url = reverse("projects:project_detail", args=[project.pk])
    return form_page(
        request,
        form=_project_form(request, user, initial, editing=True),
        act=lambda d: services.project_update(actor=user, project=project, **d),
        success=lambda p: url,
        done_message=_("Project saved."),
        title=_("Edit %(name)s") % {"name": project.name},
        cancel_url=url,
        breadcrumbs=_crumbs(project),
        edits=project,
    )


@requires(Perm.VIEW)
def project_detail(request: HttpRequest, project_id: int) -> HttpResponse:
    project = _project(request, project_id)
    start, end = figures.period_of(project)
    figs = figures.figures(project, start, end)
    money = figures.money(project)
    expenditures = list(expenditures_visible(request.user).filter(project=project).select_related("recorded_by"))
    return render(
        request,
        "projects/project_detail.html",
        {
            "title": project.name,
            "project": project,
            "figures": figs,
            "targets": report.target_rows(project, figs),
            "money": money,
            "trend": report.chart_spec(figures.trend(project, start, end)),
            "linked": linked_records(request.user, project),
            "expenditures": expenditures,
            "pending": [e for e in expenditures if e.status == ExpenditureStatus.PENDING],
            "can_edit": can(request.user, Perm.RECORD_EDIT),
            "can_approve": can(request.user, Perm.SPENDING_APPROVE),
            "breadcrumbs": [*_crumbs(), (project.name, "")],
        },
    )


@requires(Perm.RECORD_EDIT)
def budget_line_add(request: HttpRequest, project_id: int) -> HttpResponse:
    project = _project(request, project_id)
    url = reverse("projects:project_detail", args=[project.pk])
    return form_page(
        request,
        form=BudgetLineForm(request.POST or None),
        act=lambda d: services.budget_line_add(actor=request.user, project=project, **d),
        success=lambda _line: url + "#budget",
        done_message=_("Budget line added."),
        title=_("New budget line"),
        cancel_url=url,
        breadcrumbs=_crumbs(project),
    )


@requires(Perm.RECORD_EDIT)
def budget_line_edit(request: HttpRequest, project_id: int, line_id: int) -> HttpResponse:
    project = _project(request, project_id)
    line = get_in_scope_or_404(budget_lines_of(project), request.user, "project__unit", pk=line_id)
    url = reverse("projects:project_detail", args=[project.pk])
    return form_page(
        request,
        form=BudgetAmountForm(request.POST or None, initial={"amount": line.amount, "note": line.note}),
        act=lambda d: services.budget_line_update(actor=request.user, line=line, **d),
        success=lambda _line: url + "#budget",
        done_message=_("Budget line saved."),
        title=_("Budget line %(name)s") % {"name": line.name},
        cancel_url=url,
        breadcrumbs=_crumbs(project),
        edits=line,
    )


@requires(Perm.RECORD_EDIT)
def expenditure_add(request: HttpRequest, project_id: int) -> HttpResponse:
    project = _project(request, project_id)
    url = reverse("projects:project_detail", args=[project.pk])
    form = ExpenditureForm(request.POST or None, request.FILES or None, lines=budget_lines_of(project))
    return form_page(
        request,
        form=form,
        act=lambda d: services.expenditure_record(actor=request.user, project=project, **d),
        success=lambda _e: url + "#spending",
        done_message=_("Expenditure recorded; it waits for the station lead's approval."),
        title=_("Record an expenditure"),
        intro=_("Each expenditure is charged to one budget line and needs its receipt."),
        cancel_url=url,
        breadcrumbs=_crumbs(project),
    )


@requires(Perm.SPENDING_APPROVE)
def expenditure_decide(request: HttpRequest, expenditure_id: int) -> HttpResponse:
    expenditure = get_in_scope_or_404(
        expenditures_visible(request.user), request.user, "project__unit", pk=expenditure_id
    )
    url = reverse("projects:project_detail", args=[expenditure.project_id])
    return form_page(
        request,
        form=DecisionForm(request.POST or None),
        act=lambda d: services.expenditure_decide(actor=request.user, expenditure=expenditure, **d),
        success=lambda _e: url + "#spending",
        done_message=lambda e: (
            _("Expenditure approved.") if e.status == ExpenditureStatus.APPROVED else _("Expenditure refused.")
        ),
        title=_("Approve an expenditure"),
        intro=_("%(line)s · %(date)s · ¥%(amount)s to %(payee)s for %(purpose)s")
        % {
            "line": expenditure.line.name,
            "date": expenditure.spent_on,
            "amount": expenditure.amount,
            "payee": expenditure.payee,
            "purpose": expenditure.purpose,
        },
        cancel_url=url,
        breadcrumbs=_crumbs(expenditure.project),
    )


@requires(Perm.VIEW)
def receipt_view(request: HttpRequest, expenditure_id: int) -> FileResponse:
    expenditure = get_in_scope_or_404(
        expenditures_visible(request.user).exclude(receipt=""), request.user, "project__unit", pk=expenditure_id
    )
    return uploads.serve(
        expenditure.receipt.open("rb"), expenditure.receipt_type, filename=expenditure.receipt_name, keep=3600
    )


@requires(Perm.VIEW)
def project_report(request: HttpRequest, project_id: int, fmt: str) -> HttpResponse:
    project = _project(request, project_id)
    if fmt not in report.FORMATS:
        raise Http404
    body = report.project_report(actor=request.user, project=project, fmt=fmt)
    response = HttpResponse(body, content_type=report.FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="project-{project.pk}.{fmt}"'
    return response
