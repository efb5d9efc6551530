"""The work-record lists, declared for the list toolkit (docs/lists.md): one
spec per simple record kind (built from the kind's columns, see views.KINDS)
and the self-evaluations."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import django_filters
from django.db import models
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from audit.actions import Action
from core.identity import normalise_text
from core.lists import Column, Export, ExportColumn, ListFilterSet, ListSpec, OrgUnitFilter, pk_link
from core.widgets import DateInput
from workrecords.models import SelfEvaluation
from workrecords.selectors import records_visible

# The file's fixed Chinese headers for the kinds' fields (a file format).
HEADERS = {
    "attendees": "参会人员",
    "minutes": "会议纪要",
    "decisions": "决定事项",
    "summary": "本周工作",
    "next_week_plan": "下周计划",
    "supervisor": "督导",
    "topics": "议题",
    "follow_ups": "跟进事项",
    "get_kind_display": "类别",
    "subject": "事项",
    "notes": "备注",
    "adopted_label": "是否采纳",
    "participants": "参与人员",
    "resolutions": "决议",
    "title": "标题",
    "get_subject_type_display": "评价对象",
    "score": "评分",
    "comment": "意见",
    "name": "名称",
    "address": "地址",
    "capacity": "容纳人数",
    "latitude": "纬度",
    "longitude": "经度",
}


SHEETS = {
    "meetings": "周例会",
    "summaries": "周总结",
    "supervisions": "督导记录",
    "reporting": "五级报送",
    "joint-meetings": "联席会议",
    "surveys": "需求调研",
    "satisfaction": "满意度调查",
    "venues": "场地",
}


def value_of(obj: Any, attr: str) -> Any:
    """A record's value for one of its kind's columns."""
    if attr == "adopted_label":
        return {True: _("adopted"), False: _("not adopted")}.get(obj.adopted, "—")
    value = getattr(obj, attr)
    return value() if callable(value) else value


def _getter(attr: str) -> Callable[[Any], Any]:
    return lambda obj: value_of(obj, attr)


def _text_fields(model: type[models.Model], attrs: list[str]) -> list[str]:
    fields = {f.name: f for f in model._meta.get_fields()}
    return [a for a in attrs if isinstance(fields.get(a), (models.CharField, models.TextField))]


def _filterset(model: type[models.Model], dated: bool) -> type[ListFilterSet]:
    attrs: dict[str, Any] = {"unit": OrgUnitFilter()}
    if dated:
        attrs["start"] = django_filters.DateFilter(
            field_name="date", lookup_expr="gte", label=gettext_lazy("From"), widget=DateInput()
        )
        attrs["end"] = django_filters.DateFilter(
            field_name="date", lookup_expr="lte", label=gettext_lazy("To"), widget=DateInput()
        )
    attrs["Meta"] = type("Meta", (), {"model": model, "fields": []})
    return type(f"{model.__name__}ListFilter", (ListFilterSet,), attrs)


def spec_for(kind: Any) -> ListSpec:
    """The list of one simple record kind: date and unit, then its columns."""
    model = kind.model
    dated = any(f.name == "date" for f in model._meta.get_fields())
    searched = _text_fields(model, [a for _label, a in kind.fields])

    def detail(o: Any) -> str:
        return reverse(f"workrecords:{kind.slug}_detail", args=[o.pk])

    def search(qs: QuerySet, text: str) -> QuerySet:
        text = normalise_text(text)
        q = Q()
        for a in searched:
            q |= Q(**{f"{a}__contains": text})
        return qs.filter(q) if searched else qs

    def column(i: int, label: Any, attr: str) -> Column:
        def cell(o: Any) -> Any:
            value = value_of(o, attr)
            text = "" if value is None else str(value)
            return text if len(text) <= 60 else f"{text[:59]}…"

        return Column(f"c{i}", label, value=cell)

    columns = [Column("date", gettext_lazy("Date"), sort=("date",), link=detail)] if dated else []
    columns.append(
        Column("unit", gettext_lazy("Unit"), value="unit.name", sort=("unit__path",), link=None if dated else detail)
    )
    columns += [column(i, label, attr) for i, (label, attr) in enumerate(kind.columns)]
    export_columns = [ExportColumn("日期", "date")] if dated else []
    export_columns.append(ExportColumn("单位", "unit.name"))
    export_columns += [ExportColumn(HEADERS[a], _getter(a)) for _label, a in kind.fields]
    return ListSpec(
        key=f"workrecords.{kind.slug}",
        queryset=lambda user: records_visible(user, model),
        columns=columns,
        default_sort="-date" if dated else "unit",
        filterset=_filterset(model, dated),
        search=search if searched else None,
        search_placeholder=format_lazy(
            "、".join("{}" for _a in searched), *(lb for lb, a in kind.fields if a in searched)
        ),
        export=Export(
            columns=export_columns,
            filename=f"{kind.slug}.xlsx",
            sheet=SHEETS[kind.slug],
            action=Action.WORK_RECORD_EXPORT,
        ),
        selectable=True,
    )


SELF_EVALUATIONS = ListSpec(
    key="workrecords.selfevaluations",
    queryset=lambda user: records_visible(user, SelfEvaluation),
    columns=[
        Column(
            "period",
            gettext_lazy("Period"),
            sort=("period",),
            link=pk_link("workrecords:selfeval_detail"),
        ),
        Column("date", gettext_lazy("Date"), sort=("date",)),
        Column("unit", gettext_lazy("Unit"), value="unit.name", sort=("unit__path",)),
        Column("sheet", gettext_lazy("Sheet"), value="sheet.name"),
        Column("total", pgettext_lazy("score", "Total"), sort=("total",), css="num"),
    ],
    default_sort="-date",
    filterset=_filterset(SelfEvaluation, True),
    export=Export(
        columns=[
            ExportColumn("期间", "period"),
            ExportColumn("日期", "date"),
            ExportColumn("单位", "unit.name"),
            ExportColumn("评分表", "sheet.name"),
            ExportColumn("总分", "total"),
        ],
        filename="self-evaluations.xlsx",
        sheet="自评",
        action=Action.WORK_RECORD_EXPORT,
    ),
    selectable=True,
)
