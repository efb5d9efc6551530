"""The volunteering lists, declared for the list toolkit (docs/lists.md): the
hours board (volunteers by cumulative hours, with star levels) and one
volunteer's service records."""

from __future__ import annotations

import dataclasses
from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from audit.actions import Action
from core.identity import normalise_text
from core.lists import Column, Export, ExportColumn, ListFilterSet, ListSpec, OrgUnitFilter, pk_link
from core.widgets import DateInput
from volunteering import selectors


def stars_html(stars: int) -> str:
    off = format_html_join("", '<span class="off">{}</span>', (("★",) for _ in range(5 - stars)))
    return format_html('<span class="stars" aria-label="{}★">{}{}</span>', stars, "★" * stars, off)


class BoardFilter(ListFilterSet):
    unit = OrgUnitFilter()


def _search_volunteers(qs: QuerySet, text: str) -> QuerySet:
    text = normalise_text(text)
    return qs.filter(Q(name__contains=text) | Q(name_pinyin__icontains=text) | Q(name_initials__icontains=text))


BOARD = ListSpec(
    key="volunteering.board",
    queryset=selectors.volunteers_with_hours,
    columns=[
        Column(
            "name",
            _("Volunteer"),
            sort=("name_pinyin", "name"),
            link=pk_link("volunteering:records"),
        ),
        Column("unit", _("unit"), value="unit.name", sort=("unit__path",)),
        Column("n_records", _("Records"), sort=("n_records",), css="num"),
        Column("total_hours", _("Hours"), value=lambda v: f"{v.total_hours:.1f}", sort=("total_hours",), css="num"),
        Column("stars", _("Stars"), value=lambda v: stars_html(selectors.star_level(v.total_hours))),
    ],
    default_sort="-total_hours",
    filterset=BoardFilter,
    search=_search_volunteers,
    search_placeholder=_("Name, pinyin or initials"),
    export=Export(
        columns=[
            ExportColumn("姓名", "name"),
            ExportColumn("居住区域", "unit.name"),
            ExportColumn("服务记录数", "n_records"),
            ExportColumn("累计服务时长（小时）", "total_hours"),
            ExportColumn("星级", lambda v: selectors.star_level(v.total_hours)),
        ],
        filename="volunteer-hours.xlsx",
        sheet="志愿服务时长",
        action=Action.VOLUNTEER_HOURS_EXPORT,
    ),
    selectable=True,
    empty=_("No volunteer matches."),
)


class RecordFilter(ListFilterSet):
    start = django_filters.DateFilter(field_name="date", lookup_expr="gte", label=_("From"), widget=DateInput())
    end = django_filters.DateFilter(field_name="date", lookup_expr="lte", label=_("To"), widget=DateInput())


def _search_records(qs: QuerySet, text: str) -> QuerySet:
    text = normalise_text(text)
    return qs.filter(Q(activity_name__contains=text) | Q(place__contains=text) | Q(organiser__contains=text))


RECORDS = ListSpec(
    key="volunteering.records",
    queryset=selectors.service_records_visible,
    columns=[
        Column("date", _("date"), template="volunteering/_record_date_cell.html", sort=("date",)),
        Column("activity_name", _("activity"), template="volunteering/_record_activity_cell.html"),
        Column("place", _("place")),
        Column("hours", _("hours served"), sort=("hours",), css="num"),
        Column("organiser", _("organiser")),
        Column("person_in_charge", _("person in charge")),
    ],
    default_sort="-date",
    filterset=RecordFilter,
    search=_search_records,
    search_placeholder=_("Activity, place or organiser"),
    export=Export(
        columns=[
            ExportColumn("志愿者", "volunteer.name"),
            ExportColumn("日期", "date"),
            ExportColumn("活动", "activity_name"),
            ExportColumn("地点", "place"),
            ExportColumn("服务内容", "content"),
            ExportColumn("服务时长（小时）", "hours"),
            ExportColumn("组织方", "organiser"),
            ExportColumn("负责人", "person_in_charge"),
            ExportColumn("补录", lambda r: "是" if r.late else ""),
        ],
        filename="service-records.xlsx",
        sheet="志愿服务记录",
        action=Action.VOLUNTEER_HOURS_EXPORT,
    ),
    selectable=True,
)


def records_of(volunteer: Any) -> ListSpec:
    """The service-record list of one volunteer, who the caller found in the
    user's scope: all their records, wherever they served (as the page always
    showed them)."""
    return dataclasses.replace(RECORDS, queryset=lambda _user: selectors.records_of(volunteer))
