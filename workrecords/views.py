"""Thin views for work records. The simple record kinds share one list,
create and detail view, configured by KINDS; each still has its own form and
service function."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.access import Perm, can, get_in_scope_or_404, requires
from core.forms import form_page
from core.lists import list_page
from core.roles import Level
from orgs.profiles import profiles_for
from orgs.selectors import units_visible
from workrecords import forms as f
from workrecords import lists, services
from workrecords.lists import value_of
from workrecords.models import (
    JointMeeting,
    NeedsSurvey,
    ReportingEntry,
    SatisfactionSurvey,
    SelfEvaluation,
    Supervision,
    SurveyKind,
    TeamMeeting,
    Venue,
    WeeklySummary,
)
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


@dataclass(frozen=True)
class Kind:
    slug: str
    kwarg: str
    model: type[Model]
    form: type[Any]
    create: Callable[..., Any]
    title: str | Promise
    new_label: str | Promise
    columns: tuple[tuple[str | Promise, str], ...]
    fields: tuple[tuple[str | Promise, str], ...]


KINDS: dict[str, Kind] = {
    k.slug: k
    for k in (
        Kind(
            "meetings",
            "meeting_id",
            TeamMeeting,
            f.MeetingForm,
            services.meeting_create,
            gettext_lazy("Weekly team meetings"),
            gettext_lazy("New meeting"),
            ((gettext_lazy("Attendees"), "attendees"),),
            (
                (gettext_lazy("Attendees"), "attendees"),
                (gettext_lazy("Minutes"), "minutes"),
                (gettext_lazy("Decisions"), "decisions"),
            ),
        ),
        Kind(
            "summaries",
            "summary_id",
            WeeklySummary,
            f.SummaryForm,
            services.summary_create,
            gettext_lazy("Weekly summaries"),
            gettext_lazy("New weekly summary"),
            ((gettext_lazy("This week's work"), "summary"),),
            ((gettext_lazy("This week's work"), "summary"), (gettext_lazy("Next week's plan"), "next_week_plan")),
        ),
        Kind(
            "supervisions",
            "supervision_id",
            Supervision,
            f.SupervisionForm,
            services.supervision_create,
            gettext_lazy("Supervision"),
            gettext_lazy("New supervision record"),
            ((gettext_lazy("Supervisor"), "supervisor"), (gettext_lazy("Topics"), "topics")),
            (
                (gettext_lazy("Supervisor"), "supervisor"),
                (gettext_lazy("Topics"), "topics"),
                (gettext_lazy("Follow-ups"), "follow_ups"),
            ),
        ),
        Kind(
            "reporting",
            "entry_id",
            ReportingEntry,
            f.ReportingForm,
            services.reporting_create,
            gettext_lazy("Five-level reporting log"),
            gettext_lazy("New log entry"),
            (
                (gettext_lazy("Kind"), "get_kind_display"),
                (gettext_lazy("Subject"), "subject"),
                (gettext_lazy("Adopted"), "adopted_label"),
            ),
            (
                (gettext_lazy("Kind"), "get_kind_display"),
                (gettext_lazy("Subject"), "subject"),
                (gettext_lazy("Notes"), "notes"),
                (gettext_lazy("Adopted"), "adopted_label"),
            ),
        ),
        Kind(
            "joint-meetings",
            "joint_id",
            JointMeeting,
            f.JointMeetingForm,
            services.joint_meeting_create,
            gettext_lazy("Joint meetings"),
            gettext_lazy("New joint meeting"),
            ((gettext_lazy("Topics"), "topics"),),
            (
                (gettext_lazy("Participants"), "participants"),
                (gettext_lazy("Topics"), "topics"),
                (gettext_lazy("Resolutions"), "resolutions"),
            ),
        ),
        Kind(
            "surveys",
            "survey_id",
            NeedsSurvey,
            f.SurveyForm,
            services.survey_create,
            gettext_lazy("Needs surveys"),
            gettext_lazy("New needs survey"),
            (
                (gettext_lazy("Kind"), "get_kind_display"),
                (gettext_lazy("Title"), "title"),
                (gettext_lazy("Participants"), "participants"),
            ),
            (
                (gettext_lazy("Kind"), "get_kind_display"),
                (gettext_lazy("Title"), "title"),
                (gettext_lazy("Participants"), "participants"),
                (gettext_lazy("Notes / findings"), "notes"),
            ),
        ),
        Kind(
            "satisfaction",
            "satisfaction_id",
            SatisfactionSurvey,
            f.SatisfactionForm,
            services.satisfaction_create,
            gettext_lazy("Satisfaction surveys"),
            gettext_lazy("New satisfaction response"),
            (
                (gettext_lazy("After"), "get_subject_type_display"),
                (gettext_lazy("Subject"), "subject"),
                (gettext_lazy("Score"), "score"),
            ),
            (
                (gettext_lazy("After"), "get_subject_type_display"),
                (gettext_lazy("Subject"), "subject"),
                (gettext_lazy("Score"), "score"),
                (gettext_lazy("Comment"), "comment"),
            ),
        ),
        Kind(
            "venues",
            "venue_id",
            Venue,
            f.VenueForm,
            services.venue_create,
            gettext_lazy("Venues"),
            gettext_lazy("New venue"),
            ((gettext_lazy("Name"), "name"), (gettext_lazy("Address"), "address")),
            (
                (gettext_lazy("Name"), "name"),
                (gettext_lazy("Address"), "address"),
                (gettext_lazy("Capacity"), "capacity"),
                (gettext_lazy("Latitude"), "latitude"),
                (gettext_lazy("Longitude"), "longitude"),
            ),
        ),
    )
}


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


def _detail(request: HttpRequest, kind: Kind, pk: int) -> HttpResponse:
    obj = get_in_scope_or_404(records_visible(request.user, kind.model), request.user, pk=pk)
    ctx: dict[str, Any] = {
        "title": str(obj),
        "obj": obj,
        "kind": kind,
        "facts": [(label, value_of(obj, a)) for label, a in kind.fields],
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


def _make(kind: Kind) -> tuple[Callable[..., HttpResponse], Callable[..., HttpResponse], Callable[..., HttpResponse]]:
    @requires(Perm.VIEW)
    def list_view(request: HttpRequest) -> HttpResponse:
        return _list(request, kind)

    @requires(Perm.RECORD_EDIT)
    def create_view(request: HttpRequest) -> HttpResponse:
        return _create(request, kind)

    @requires(Perm.VIEW)
    def detail_view(request: HttpRequest, **kwargs: int) -> HttpResponse:
        return _detail(request, kind, kwargs[kind.kwarg])

    return list_view, create_view, detail_view


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
