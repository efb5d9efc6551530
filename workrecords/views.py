"""Thin views for work records. The simple record kinds share one list,
create, edit and detail view, configured by workrecords.kinds.KINDS; each
still has its own form and service functions."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.selectors import record_history
from core.access import Perm, can, get_in_scope_or_404, requires
from core.forms import form_page
from core.lists import list_page
from core.roles import Level
from orgs.profiles import profiles_for
from orgs.selectors import units_visible
from workrecords import corrections, lists, services
from workrecords import forms as f
from workrecords.kinds import KINDS, Kind
from workrecords.lists import value_of
from workrecords.models import NeedsSurvey, ReportingEntry, ReportingKind, SelfEvaluation, SurveyKind, WeeklySummary
from workrecords.selectors import (
    records_visible,
    satisfaction_by_unit,
    sheets,
    stations_overview,
)

if TYPE_CHECKING:
    from accounts.models import User
    from orgs.models import OrgUnit


def _own_unit(request: HttpRequest) -> OrgUnit:
    # @requires let through only a signed-in user with a unit (can() needs one)
    return cast("OrgUnit", cast("User", request.user).unit)


SPECS = {slug: lists.spec_for(kind) for slug, kind in KINDS.items()}


def _crumbs(kind: Kind, *extra: tuple[str, str]) -> list[tuple[str, str]]:
    return [(_("Work records"), reverse("workrecords:index")), (str(kind.title), ""), *extra]


@requires(Perm.VIEW)
def index(request: HttpRequest) -> HttpResponse:
    """The station's 1+1+1 overview: what is recorded this year, and the
    months without supervision."""
    today = timezone.localdate()
    start = date(today.year, 1, 1)
    stations = list(units_visible(request.user).filter(level=Level.STATION))
    own = _own_unit(request)
    if own.level != Level.DISTRICT:
        stations = [own] if own.level == Level.STATION else []
    models = {
        slug.replace("-", "_"): KINDS[slug].model
        for slug in ("meetings", "summaries", "supervisions", "reporting", "joint-meetings")
    }
    rows = stations_overview(request.user, stations, models, start, today)
    return render(
        request,
        "workrecords/index.html",
        {
            "title": _("Work records"),
            "rows": rows,
            "kinds": list(KINDS.values()),
            "year": today.year,
            "breadcrumbs": [(_("Work records"), "")],
        },
    )


def _list(request: HttpRequest, kind: Kind) -> HttpResponse:
    return list_page(
        request,
        SPECS[kind.slug],
        template="workrecords/record_list.html",
        context={
            "title": kind.title,
            "kind": kind,
            "can_edit": can(request.user, Perm.RECORD_EDIT),
            "breadcrumbs": _crumbs(kind),
        },
    )


def _create(request: HttpRequest, kind: Kind) -> HttpResponse:
    # Pages of other areas may link here with the subject filled in.
    initial = {k: v for k, v in request.GET.items() if k in kind.form.base_fields and k != "unit"}
    form = kind.form(request.POST or None, user=request.user, initial=initial)
    list_url = reverse(f"workrecords:{kind.slug}")
    return form_page(
        request,
        form=form,
        act=lambda d: kind.create(actor=request.user, **d),
        success=lambda obj: reverse(f"workrecords:{kind.slug}_detail", args=[obj.pk]),
        done_message=_("Saved."),
        title=str(kind.new_label),
        cancel_url=list_url,
        breadcrumbs=[(_("Work records"), reverse("workrecords:index")), (str(kind.title), list_url)],
    )


def _edit(request: HttpRequest, kind: Kind, pk: int) -> HttpResponse:
    record = get_in_scope_or_404(records_visible(request.user, kind.model), request.user, pk=pk)
    if not corrections.may_correct(request.user, record):
        raise PermissionDenied
    form = kind.form(request.POST or None, user=request.user, initial=kind.form.initial_from(record))
    names = corrections.FIELDS[kind.update]
    url = reverse(f"workrecords:{kind.slug}_detail", args=[record.pk])
    return form_page(
        request,
        form=form,
        edits=record,
        act=lambda d: kind.update(actor=request.user, record=record, **{k: v for k, v in d.items() if k in names}),
        success=lambda _r: url,
        done_message=_("Saved."),
        title=_("Correct: %(record)s") % {"record": record},
        cancel_url=url,
        breadcrumbs=[
            (_("Work records"), reverse("workrecords:index")),
            (str(kind.title), reverse(f"workrecords:{kind.slug}")),
            (str(record), url),
        ],
    )


def _detail(request: HttpRequest, kind: Kind, pk: int) -> HttpResponse:
    obj = get_in_scope_or_404(records_visible(request.user, kind.model), request.user, pk=pk)
    ctx: dict[str, Any] = {
        "title": str(obj),
        "obj": obj,
        "kind": kind,
        "facts": [(label, value_of(obj, a)) for label, a in kind.fields],
        "can_correct": corrections.may_correct(request.user, obj),
        "history": record_history(request.user, obj),
        "decide_adoption": isinstance(obj, ReportingEntry) and obj.kind == ReportingKind.PROPOSAL,
        "breadcrumbs": [
            (_("Work records"), reverse("workrecords:index")),
            (str(kind.title), reverse(f"workrecords:{kind.slug}")),
            (str(obj), ""),
        ],
    }
    if isinstance(obj, WeeklySummary):
        ctx["reads"] = list(obj.reads.all())
        ctx["can_mark_read"] = services.may_mark_read(request.user, obj) and not any(
            r.reader_id == request.user.pk for r in ctx["reads"]
        )
    if isinstance(obj, NeedsSurvey):  # the surveyed communities' profiles beside the results
        ctx["profiles"] = profiles_for(obj.unit)
    if isinstance(obj, NeedsSurvey) and obj.kind == SurveyKind.QUESTIONNAIRE:
        ctx["responses"] = [list(zip(obj.questions, r.answers, strict=False)) for r in obj.responses.all()]
        ctx["response_rows"] = list(obj.responses.all())
        ctx["can_answer"] = can(request.user, Perm.RECORD_EDIT)
    return render(request, "workrecords/record_detail.html", ctx)


_View = Callable[..., HttpResponse]


def _make(kind: Kind) -> tuple[_View, _View, _View, _View]:
    @requires(Perm.VIEW)
    def list_view(request: HttpRequest) -> HttpResponse:
        return _list(request, kind)

    @requires(Perm.RECORD_EDIT)
    def create_view(request: HttpRequest) -> HttpResponse:
        return _create(request, kind)

    @requires(Perm.VIEW)
    def detail_view(request: HttpRequest, **kwargs: int) -> HttpResponse:
        return _detail(request, kind, kwargs[kind.kwarg])

    @requires(Perm.RECORD_EDIT)
    def edit_view(request: HttpRequest, **kwargs: int) -> HttpResponse:
        return _edit(request, kind, kwargs[kind.kwarg])

    return list_view, create_view, detail_view, edit_view


VIEWS = {slug: _make(kind) for slug, kind in KINDS.items()}


@requires(Perm.VIEW)
def summary_read(request: HttpRequest, summary_id: int) -> HttpResponse:
    summary = get_in_scope_or_404(records_visible(request.user, WeeklySummary), request.user, pk=summary_id)
    if request.method != "POST":
        return redirect("workrecords:summaries_detail", summary.pk)
    try:
        services.summary_mark_read(actor=request.user, summary=summary)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Marked as read."))
    return redirect("workrecords:summaries_detail", summary.pk)


@requires(Perm.RECORD_EDIT)
def reporting_adopted(request: HttpRequest, entry_id: int) -> HttpResponse:
    """A proposal's outcome, decided after the entry was made (the detail page's buttons)."""
    entry = get_in_scope_or_404(records_visible(request.user, ReportingEntry), request.user, pk=entry_id)
    url = reverse("workrecords:reporting_detail", args=[entry.pk])
    if request.method != "POST":
        return redirect(url)
    adopted = {"yes": True, "no": False}.get(request.POST.get("adopted", ""))
    try:
        corrections.reporting_set_adopted(actor=request.user, entry=entry, adopted=adopted)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Saved."))
    return redirect(url)


@requires(Perm.RECORD_EDIT)
def survey_answer(request: HttpRequest, survey_id: int) -> HttpResponse:
    survey = get_in_scope_or_404(records_visible(request.user, NeedsSurvey), request.user, pk=survey_id)
    form = f.AnswerForm(request.POST or None, questions=survey.questions)
    url = reverse("workrecords:surveys_detail", args=[survey.pk])
    return form_page(
        request,
        form=form,
        act=lambda d: services.survey_answer(
            actor=request.user, survey=survey, answers=form.answers(), respondent=d["respondent"]
        ),
        success=lambda _r: url,
        done_message=_("Answers saved."),
        title=_("Answers to %(title)s") % {"title": survey.title},
        cancel_url=url,
        breadcrumbs=[(_("Needs surveys"), reverse("workrecords:surveys")), (survey.title, url)],
    )


@requires(Perm.VIEW)
def satisfaction_summary(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        year = today.year
    quarter = request.GET.get("quarter", "")
    if quarter in {"1", "2", "3", "4"}:
        q = int(quarter)
        start = date(year, 3 * q - 2, 1)
        end = date(year + 1, 1, 1) if q == 4 else date(year, 3 * q + 1, 1)
        end = date.fromordinal(end.toordinal() - 1)
    else:
        start, end = date(year, 1, 1), date(year, 12, 31)
    user = request.user
    own = _own_unit(request)
    level = Level.STATION if own.level == Level.DISTRICT else Level.COMMUNITY
    units = list(units_visible(user).filter(level=level)) or [own]
    return render(
        request,
        "workrecords/satisfaction_summary.html",
        {
            "title": _("Satisfaction by unit"),
            "rows": satisfaction_by_unit(user, start, end, units),
            "start": start,
            "end": end,
            "year": year,
            "quarter": quarter,
            "breadcrumbs": [
                (_("Work records"), reverse("workrecords:index")),
                (_("Satisfaction surveys"), reverse("workrecords:satisfaction")),
                (_("By unit"), ""),
            ],
        },
    )


@requires(Perm.VIEW)
def selfeval_list(request: HttpRequest) -> HttpResponse:
    return list_page(
        request,
        lists.SELF_EVALUATIONS,
        template="workrecords/selfeval_list.html",
        context={
            "title": _("Self-evaluations"),
            "sheets": sheets(),
            "can_edit": can(request.user, Perm.RECORD_EDIT),
            "can_configure": can(request.user, Perm.CONFIG_MANAGE),
            "breadcrumbs": [(_("Work records"), reverse("workrecords:index")), (_("Self-evaluations"), "")],
        },
    )


@requires(Perm.RECORD_EDIT)
def selfeval_create(request: HttpRequest) -> HttpResponse:
    sheet = sheets().first()
    if sheet is None:
        messages.error(request, _("No scoring sheet is configured."))
        return redirect("workrecords:selfeval_list")
    form = f.SelfEvaluationForm(request.POST or None, user=request.user, sheet=sheet)
    list_url = reverse("workrecords:selfeval_list")
    return form_page(
        request,
        form=form,
        act=lambda d: services.selfeval_create(
            actor=request.user, unit=d["unit"], date=d["date"], sheet=sheet, period=d["period"], scores=form.scores()
        ),
        success=lambda evaluation: reverse("workrecords:selfeval_detail", args=[evaluation.pk]),
        done_message=_("Saved."),
        title=_("New self-evaluation: %(sheet)s") % {"sheet": sheet.name},
        cancel_url=list_url,
        breadcrumbs=[(_("Self-evaluations"), list_url)],
    )


@requires(Perm.VIEW)
def selfeval_detail(request: HttpRequest, evaluation_id: int) -> HttpResponse:
    evaluation = get_in_scope_or_404(records_visible(request.user, SelfEvaluation), request.user, pk=evaluation_id)
    modules: dict[str, dict[str, Any]] = {}
    for s in evaluation.scores.all():
        m = modules.setdefault(s.item.module, {"module": s.item.module, "points": 0, "max": 0, "scores": []})
        m["points"] += s.points
        m["max"] += s.item.max_points
        m["scores"].append(s)
    return render(
        request,
        "workrecords/selfeval_detail.html",
        {
            "title": str(evaluation),
            "evaluation": evaluation,
            "modules": list(modules.values()),
            "max_total": sum(m["max"] for m in modules.values()),
            "can_link": can(request.user, Perm.RECORD_EDIT),
            "breadcrumbs": [(_("Self-evaluations"), reverse("workrecords:selfeval_list")), (str(evaluation), "")],
        },
    )


@requires(Perm.CONFIG_MANAGE)
def sheet_edit(request: HttpRequest) -> HttpResponse:
    sheet = sheets().first()
    if sheet is None:
        raise Http404
    lines = "\n".join(f"{i.module} | {i.name} | {i.max_points}" for i in sheet.items.all())
    form = f.SheetForm(request.POST or None, initial={"name": sheet.name, "items": lines})
    total = sum(i.max_points for i in sheet.items.all())
    list_url = reverse("workrecords:selfeval_list")
    return form_page(
        request,
        form=form,
        edits=sheet,
        act=lambda d: services.sheet_update(actor=request.user, sheet=sheet, **d),
        success=lambda _r: list_url,
        done_message=_("Scoring sheet saved."),
        title=_("Scoring sheet"),
        cancel_url=list_url,
        breadcrumbs=[(_("Self-evaluations"), list_url)],
        intro=_(
            "Now %(total)s points. Evaluations already made keep the sheet they were scored on; "
            "editing a sheet in use makes a new default sheet."
        )
        % {"total": total},
    )
