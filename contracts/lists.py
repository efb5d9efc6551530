"""The records behind one KPI figure, for the list toolkit (docs/lists.md).
A figure counts one kind of record (visits, service records, surveys…), so
the spec is built for the figure's queryset: its date column sorts on that
kind's own date field."""

from __future__ import annotations

from typing import Any

import django_filters
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Model, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from core.lists import Column, ListFilterSet, ListSpec
from core.widgets import DateInput

# Where each kind of record behind a figure is shown: (URL name, attribute
# holding the id). A kind without a page of its own is listed without a link.
RECORD_PAGES = {
    "casework.case": ("casework:case_detail", "pk"),
    "casework.caseconference": ("casework:case_detail", "case_id"),
    "casework.group": ("casework:group_detail", "pk"),
    "casework.activity": ("casework:activity_detail", "pk"),
    "grading.visit": ("grading:person", "person_id"),
    "volunteering.servicerecord": ("volunteers:volunteer_detail", "volunteer_id"),
    "volunteers.volunteer": ("volunteers:volunteer_detail", "pk"),
    "partners.communityorganisation": ("partners:organisation_edit", "pk"),
    "partners.resourceentry": ("partners:entry_edit", "pk"),
    "workrecords.satisfactionsurvey": ("workrecords:satisfaction_detail", "pk"),
}

# The field that dates a record, by the first one its kind has.
DATE_FIELDS = ("date", "visited_on", "opened_on", "start_on", "starts_at", "created_at")


def _date_field(model: type[Model]) -> str | None:
    for name in DATE_FIELDS:
        try:
            model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        return name
    return None


def _url(obj: Any) -> str:
    page = RECORD_PAGES.get(obj._meta.label_lower)
    if page is None:
        return ""
    try:
        return reverse(page[0], args=[getattr(obj, page[1])])
    except NoReverseMatch:
        return ""


def _label(obj: Any) -> str:
    if hasattr(obj, "visited_on"):  # visits: who, and how
        return str(obj.person.name + (f" · {obj.get_mode_display()}" if hasattr(obj, "get_mode_display") else ""))
    if getattr(obj, "volunteer", None) is not None:  # volunteer service: who, what, hours
        return f"{obj.volunteer.name} · {obj} · {obj.hours} h"
    return str(obj)


def _shapes(qs: QuerySet, _name: str, _value: Any) -> QuerySet:
    return qs  # the figure's period already chose the records (contracts.views.parse_period)


class PeriodFilter(ListFilterSet):
    """The figure's period: kept in the list's links so that paging and
    sorting stay on the period the figure was opened for."""

    period = django_filters.ChoiceFilter(
        choices=[
            ("month", _("Month")),
            ("quarter", _("Quarter")),
            ("year", _("Year")),
            ("contract", _("Whole contract")),
        ],
        label=_("Progress by"),
        empty_label=None,
        method=_shapes,
    )
    date = django_filters.DateFilter(label=_("Containing"), widget=DateInput(), method=_shapes)


def records_of(records: QuerySet) -> ListSpec:
    """The list of the records behind a figure (already narrowed to the
    station's subtree and the period by contracts.actuals)."""
    day = _date_field(records.model)
    columns = [
        Column(
            "day", _("Date"), value=lambda o: f"{getattr(o, day):%Y-%m-%d}" if day else "", sort=(day,) if day else ()
        ),
        Column("record", _("Record"), value=_label, link=_url),
    ]
    if hasattr(records.model, "unit_id"):
        columns.append(Column("unit", _("Unit"), value="unit.name", sort=("unit__path",)))
    return ListSpec(
        key="contracts.records",
        queryset=lambda user: records,
        columns=columns,
        default_sort="-day" if day else "record",
        filterset=PeriodFilter,
        empty=_("No records in this period."),
    )
