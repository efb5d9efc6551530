"""The reports lists (report jobs and narratives) for the list toolkit
(docs/lists.md). Reports hold figures, not people: neither list exports (the
report itself is the file a station takes away)."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.access import Perm
from core.identity import normalise_text
from core.lists import Column, ListFilterSet, ListSpec, OrgUnitFilter, pk_link
from reports.builder import period_label
from reports.models import JobStatus, PeriodKind, ReportFormat, ReportJob, ReportNarrative
from reports.selectors import jobs_visible, narratives_visible


def _period(row: ReportJob | ReportNarrative) -> str:
    return f"{row.get_period_kind_display()} · {period_label(row.period_kind, row.period_start)}"


class JobFilter(ListFilterSet):
    period_kind = django_filters.ChoiceFilter(
        choices=PeriodKind.choices, label=_("Report"), empty_label=_("all periods")
    )
    fmt = django_filters.ChoiceFilter(choices=ReportFormat.choices, label=_("Format"), empty_label=_("all formats"))
    status = django_filters.ChoiceFilter(choices=JobStatus.choices, label=_("Status"), empty_label=_("any status"))
    unit = OrgUnitFilter()


def _search_units(qs: QuerySet, text: str) -> QuerySet:
    text = normalise_text(text)
    return qs.filter(Q(unit__name__contains=text) | Q(unit__code__startswith=text))


JOBS = ListSpec(
    key="reports.jobs",
    queryset=jobs_visible,
    columns=[
        Column(
            "unit",
            _("Unit"),
            value="unit.name",
            sort=("unit__path",),
            link=pk_link("reports:job_detail"),
        ),
        Column("period", _("Period"), value=_period, sort=("period_start", "period_kind")),
        Column("fmt", _("Format"), value="get_fmt_display", sort=("fmt",)),
        Column("status", _("Status"), value="get_status_display", sort=("status",)),
        Column("requested_by", _("Requested by"), value="requested_by"),
        Column("created_at", _("Requested"), value=lambda j: f"{j.created_at:%Y-%m-%d %H:%M}", sort=("created_at",)),
    ],
    default_sort="-created_at",
    filterset=JobFilter,
    search=_search_units,
    search_placeholder=_("Unit name or code"),
    empty=_("None yet."),
)


class NarrativeFilter(ListFilterSet):
    period_kind = django_filters.ChoiceFilter(
        choices=PeriodKind.choices, label=_("Report"), empty_label=_("all periods")
    )
    unit = OrgUnitFilter()


def _narrative_url(n: ReportNarrative) -> str:
    return reverse("reports:narrative_edit", args=[n.unit_id]) + f"?kind={n.period_kind}&date={n.period_start:%Y-%m-%d}"


def _search_narratives(qs: QuerySet, text: str) -> QuerySet:
    text = normalise_text(text)
    return qs.filter(
        Q(unit__name__contains=text)
        | Q(highlights__contains=text)
        | Q(problems__contains=text)
        | Q(next_steps__contains=text)
    )


def _excerpt(n: ReportNarrative) -> str:
    return n.highlights if len(n.highlights) <= 60 else n.highlights[:59] + "…"


NARRATIVES = ListSpec(
    key="reports.narratives",
    queryset=narratives_visible,
    columns=[
        Column("unit", _("Unit"), value="unit.name", sort=("unit__path",)),
        Column("period", _("Period"), value=_period, sort=("period_start", "period_kind")),
        Column("highlights", _("Highlights"), value=_excerpt),
        Column("edit", "", value=lambda n: _("Edit"), link=_narrative_url, perm=Perm.RECORD_EDIT),
    ],
    default_sort="-period",
    filterset=NarrativeFilter,
    search=_search_narratives,
    search_placeholder=_("Unit or text of the narrative"),
    empty=_("None yet."),
)
