"""The archive's lists (docs/lists.md): the searchable index of documents and
the documents whose retention has ended."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from archive.models import Category
from archive.selectors import documents_visible, retention_due
from audit.actions import Action
from core.identity import normalise_text
from core.lists import Column, Export, ExportColumn, ListFilterSet, ListSpec, OrgUnitFilter


def _search(qs: QuerySet, text: str) -> QuerySet:
    text = normalise_text(text)
    return qs.filter(
        Q(title__icontains=text)
        | Q(description__icontains=text)
        | Q(file_name__icontains=text)
        | Q(text__icontains=text)
    )


def _state(qs: QuerySet, _name: str, value: str) -> QuerySet:
    if value == "due":
        return qs.filter(retention_ends__lt=timezone.localdate(), retired_at__isnull=True)
    if value == "retired":
        return qs.filter(retired_at__isnull=False)
    if value == "current":
        return qs.filter(retired_at__isnull=True)
    return qs


class DocumentFilter(ListFilterSet):
    category = django_filters.ModelChoiceFilter(
        label=_("Category"), empty_label=_("all categories"), queryset=lambda request: Category.objects.all()
    )
    year = django_filters.NumberFilter(label=_("Year"))
    state = django_filters.ChoiceFilter(
        label=_("State"),
        empty_label=_("all documents"),
        choices=[("current", _("in use")), ("due", _("retention ended")), ("retired", _("retired"))],
        method=_state,
    )
    unit = OrgUnitFilter()


def _detail(d: Any) -> str:
    return reverse("archive:document_detail", args=[d.pk])


def _retention(d: Any) -> str:
    return str(_("permanent")) if d.retention_years is None else str(_("%(n)s years") % {"n": d.retention_years})


COLUMNS = [
    Column("title", _("Title"), sort=("title",), link=_detail),
    Column("category", _("Category"), value="category.name", sort=("category__order",)),
    Column("year", _("Year"), sort=("year",), css="num"),
    Column("unit", _("Unit"), value="unit.name", sort=("unit__path",)),
    Column("retention", _("Retention period"), value=_retention, sort=("retention_ends",)),
    Column("state", _("State"), template="archive/_state_cell.html"),
]

EXPORT = Export(
    columns=[
        ExportColumn("题名", "title"),
        ExportColumn("类别", "category.name"),
        ExportColumn("年度", "year"),
        ExportColumn("单位", "unit.name"),
        ExportColumn("保管期限", _retention),
        ExportColumn("保管期满", "retention_ends"),
        ExportColumn("文件名", "file_name"),
        ExportColumn("说明", "description"),
    ],
    filename="archive.xlsx",
    sheet="档案目录",
    action=Action.ARCHIVE_DOCUMENT_EXPORT,
)

DOCUMENTS = ListSpec(
    key="archive.documents",
    queryset=documents_visible,
    columns=COLUMNS,
    default_sort="-year",
    filterset=DocumentFilter,
    search=_search,
    search_placeholder=_("Title, description, file name or text in the file"),
    export=EXPORT,
    selectable=True,
    empty=_("No documents filed yet."),
)

RETENTION_DUE = ListSpec(
    key="archive.retention_due",
    queryset=retention_due,
    columns=[*COLUMNS[:5], Column("ends", _("Retention ended"), value="retention_ends", sort=("retention_ends",))],
    default_sort="ends",
    filterset=DocumentFilter,
    search=_search,
    search_placeholder=_("Title, description, file name or text in the file"),
    export=EXPORT,
    selectable=True,
    empty=_("No document has reached the end of its retention period."),
)
