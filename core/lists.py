"""The one list toolkit: every list page declares a `ListSpec` and calls
`list_page()`. See docs/lists.md.

A spec names the area's selector (already scoped), the columns, the sort
keys, a django-filter FilterSet for the filter form, the free-text search,
the export columns with their masking, and whether rows can be selected for
bulk actions (`core.bulk`). The toolkit gives search and filters with a
reset, whitelisted sorting with a stable tie-break on the primary key, page
sizes from settings, jump to page, the count, masked and audited xlsx export
of exactly what is filtered, cards on a phone and htmx swaps that keep the
address bar in sync, all without JavaScript too.

A search term is never written back into the page (the search box is filled
from the address bar by core/js/lists.js): links and hidden fields carry the
validated filters, sort and size only.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import partialmethod
from typing import Any
from urllib.parse import urlencode

import django_filters
from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template import Context
from django.template.loader import get_template
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.functional import cached_property
from django.utils.hashable import make_hashable
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.access import Perm, can, scope_under, unit_subtree
from core.widget_render import FAST_RENDERER, text_html

ValueFn = Callable[[Any], Any]


# ---------------------------------------------------------------- declarations


@dataclass(frozen=True)
class Column:
    """One column of the table (and one line of a phone card).

    `value` is a dotted attribute path (default: `key`; a method such as
    `get_kind_display` is called) or a function of the row. `template`
    renders the cell from a template with `row` in its context instead.
    `sort` lists the ORM fields to order by; a column without it is not
    sortable, and only these keys are accepted from the address bar. A
    template column gets `row` and `user`."""

    key: str
    label: Any
    value: str | ValueFn = ""
    sort: tuple[str, ...] = ()
    link: ValueFn | None = None
    template: str = ""
    css: str = ""
    perm: Any = None  # a core.access.Perm: the column shows only to users who have it


# A pk no real row has, reversed once in place of every row's.
_PK_MARK = 987654321987
_PK_LINKS: dict[tuple[str, str, Any], tuple[str, str]] = {}


def pk_link(url_name: str) -> ValueFn:
    """A row's link to `url_name` (which takes the row's pk), as reverse()
    gives it: the address is reversed once and the pk put in its place
    (reverse() per row costs more than the rest of the cell)."""

    def link(row: Any) -> str:
        key = (url_name, get_script_prefix(), get_urlconf())
        parts = _PK_LINKS.get(key)
        if parts is None:
            head, _mark, tail = reverse(url_name, args=[_PK_MARK]).partition(str(_PK_MARK))
            parts = _PK_LINKS.setdefault(key, (head, tail))
        return f"{parts[0]}{row.pk}{parts[1]}"

    return link


def edit_column(url_name: str, perm: Any, label: Any = "") -> Column:
    """The row's "Edit" link to `url_name` (which takes the row's pk), shown
    only to users who have `perm`."""
    return Column(
        "edit",
        label,
        value=lambda row: _("Edit"),
        link=pk_link(url_name),
        perm=perm,
    )


@dataclass(frozen=True)
class ExportColumn:
    """One column of the xlsx file. `header` is fixed Chinese (a file format,
    the same in every UI language). A sensitive column names its masking
    helper (core.identity.mask_id / mask_phone / mask_address): the value is
    masked unless the export is unmasked, which needs Perm.EXPORT_UNMASKED."""

    header: str
    value: str | ValueFn
    mask: Callable[[Any], str] | None = None


@dataclass(frozen=True)
class Export:
    columns: Sequence[ExportColumn]
    filename: str  # e.g. "volunteers.xlsx"
    sheet: str  # e.g. "志愿者"
    action: str  # audit.actions.Action for a masked export
    action_unmasked: str = ""  # and for an unmasked one: required when a column is masked
    # Columns the user's district configures (its custom fields), after the fixed ones.
    more: Callable[[Any], Sequence[ExportColumn]] | None = None

    def columns_for(self, user: Any) -> list[ExportColumn]:
        return [*self.columns, *(self.more(user) if self.more is not None else ())]

    def __post_init__(self) -> None:
        if self.sensitive and not self.action_unmasked:
            raise ValueError(f"Export {self.filename} masks columns: name its action_unmasked")

    @property
    def sensitive(self) -> bool:
        """Whether anything is masked, i.e. whether an unmasked export differs."""
        return any(c.mask is not None for c in self.columns)


@dataclass(frozen=True)
class ListSpec:
    """Everything a list page declares. `key` names the list in the bulk
    registry and prefixes its element ids."""

    key: str
    queryset: Callable[[Any], QuerySet]  # the area's scoped selector, given the user
    columns: Sequence[Column]
    default_sort: str  # a column key, "-key" for descending
    filterset: type[django_filters.FilterSet] | None = None
    search: Callable[[QuerySet, str], QuerySet] | None = None
    search_placeholder: Any = ""  # e.g. what the search looks in
    export: Export | None = None
    selectable: bool = False  # checkboxes and the bulk action bar
    empty: Any = ""  # the empty table's line; a general one by default
    # Adds what Python works out for a page's rows at once (one rule per
    # distinct text, say) before the cells are drawn; given the page's objects.
    decorate: Callable[[list[Any]], None] | None = None
    # Narrow paging for a long list over a wide join: order and slice the
    # primary keys only, then fetch the page's rows, in that order, with
    # `rows(user, pks)`.
    rows: Callable[[Any, list[int]], list[Any]] | None = None
    # The page's query narrowed to what its rows read: `.only()` the columns,
    # their templates and `decorate` use, and only the prefetches they show
    # (a wide row costs more to load than to draw). Export and bulk actions
    # still get whole rows. Given the filtered, ordered queryset.
    page_rows: Callable[[QuerySet], QuerySet] | None = None
    # Rows that are not table rows (cards with inline forms) draw their own
    # results: a template keeping core/_list_results.html's outer div and pages.
    results_template: str = "core/_list_results.html"

    @property
    def dom_id(self) -> str:
        return self.key.replace(".", "-").replace("_", "-")


class OrgUnitFilter(django_filters.ModelChoiceFilter):
    """The org-tree filter (district → station → community): offers the units
    of the user's subtree only and keeps the records under the chosen one
    (core.access.scope_under). `field_name` is the records' unit FK path."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Unit"))
        kwargs.setdefault("empty_label", _("all units"))
        kwargs.setdefault("field_name", "unit")
        super().__init__(*args, queryset=_units_of_request, **kwargs)
        self.field_class = UnitChoiceField

    def filter(self, qs: QuerySet, value: Any) -> QuerySet:
        if not value:
            return qs
        return scope_under(qs, self.parent.request.user, value, self.field_name)


class UnitChoiceField(django_filters.fields.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        # Indent by depth so the select reads as the tree it is.
        return "\u3000" * (obj.path.count("/") - 1) + obj.name


def _units_of_request(request: HttpRequest | None) -> QuerySet:
    # What the select shows and scope_under reads: the name and the path.
    return unit_subtree(getattr(request, "user", None)).only("pk", "name", "path").order_by("path")


class ListFilterSet(django_filters.FilterSet):
    """Base of every list's FilterSet: each field's widget is labelled for
    screen readers (the filter bar shows no visible labels)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.form.renderer = FAST_RENDERER  # selects drawn in Python, as their templates would
        for f in self.form.fields.values():
            f.widget.attrs.setdefault("aria-label", str(f.label))


# ---------------------------------------------------------------- parsing


def page_size(raw: str | None) -> int:
    """The requested page size if it is one of the choices, else the default."""
    try:
        size = int(raw or "")
    except ValueError:
        return settings.LIST_PAGE_SIZE
    return size if size in settings.LIST_PAGE_SIZES else settings.LIST_PAGE_SIZE


def sort_key(spec: ListSpec, raw: str | None) -> str:
    """The requested sort if its column is sortable, else the default."""
    raw = raw or ""
    sortable = {c.key for c in spec.columns if c.sort}
    return raw if raw.lstrip("-") in sortable and raw.count("-") <= 1 else spec.default_sort


def order(qs: QuerySet, spec: ListSpec, key: str) -> QuerySet:
    descending = key.startswith("-")
    column = next(c for c in spec.columns if c.key == key.lstrip("-"))
    flip = (lambda f: f[1:] if f.startswith("-") else f"-{f}") if descending else (lambda f: f)
    # pk last: rows with equal keys keep one order across pages.
    return qs.order_by(*(flip(f) for f in column.sort), "-pk" if descending else "pk")


_PATHS: dict[str, tuple[str, ...]] = {}
_DISPLAYS: dict[tuple[type, str], Any] = {}


def value_of(row: Any, value: str | ValueFn, key: str = "") -> Any:
    if callable(value):
        return value(row)
    path = value or key
    parts = _PATHS.get(path)
    if parts is None:
        parts = _PATHS.setdefault(path, tuple(path.split(".")))
    obj = row
    for part in parts:
        if obj is None:
            return None
        display = _display_of(obj, part) if part.endswith("_display") else None
        if display is not None:
            obj = display(obj)
            continue
        obj = getattr(obj, part, None)
        if callable(obj) and not hasattr(obj, "all"):
            obj = obj()
    return obj


def _display_of(obj: Any, part: str) -> Callable[[Any], str] | None:
    """A model's own `get_<field>_display` as a look-up in the field's choices
    made once (Django's rebuilds the choices dict, translating every label,
    on each call); None for any other method."""
    cls = type(obj)
    found = _DISPLAYS.get((cls, part), False)
    if found is False:
        found = None
        method = inspect.getattr_static(cls, part, None) if isinstance(obj, Model) else None
        generated = isinstance(method, partialmethod) and method.func is getattr(Model, "_get_FIELD_display", None)
        field = method.keywords.get("field") if generated else None  # type: ignore[union-attr]
        if field is not None:
            choices = dict(make_hashable(field.flatchoices))  # labels stay lazy: translated when shown
            attname = field.attname

            def found(o: Any) -> str:
                v = getattr(o, attname)
                return force_str(choices.get(make_hashable(v), v), strings_only=True)

        _DISPLAYS[(cls, part)] = found
    return found


# ---------------------------------------------------------------- the filtered list


@dataclass
class ListResult:
    """What the list templates render; also what export and bulk act on."""

    spec: ListSpec
    path: str
    qs: QuerySet  # filtered, searched and ordered, all pages
    filterset: django_filters.FilterSet | None
    sort: str
    size: int
    state: list[tuple[str, str]] = field(default_factory=list)  # validated params, never the search
    page: Page | None = None
    rows: list[dict[str, Any]] = field(default_factory=list)
    columns: list[Column] = field(default_factory=list)  # those this user may see
    bulk_actions: list[Any] = field(default_factory=list)
    can_unmask: bool = False

    @property
    def dom_id(self) -> str:
        return self.spec.dom_id

    @property
    def has_search(self) -> bool:  # templates would call spec.search
        return self.spec.search is not None

    @property
    def form(self) -> Any:
        return self.filterset.form if self.filterset is not None else ()

    @property
    def sizes(self) -> list[int]:
        return settings.LIST_PAGE_SIZES

    def link(self, **changes: Any) -> str:
        """This list's address with the current state, `changes` applied."""
        params = [(k, v) for k, v in self.state if k not in changes]  # a filter may repeat its key
        params += [(k, str(v)) for k, v in changes.items() if v not in (None, "")]
        return f"{self.path}?{urlencode(params)}" if params else self.path

    @property
    def body(self) -> SafeString:
        return _body(self)

    @cached_property
    def headers(self) -> list[dict[str, Any]]:
        current = self.sort.lstrip("-")
        out = []
        for c in self.columns:
            h: dict[str, Any] = {"label": c.label, "key": c.key, "css": c.css}
            if c.sort:
                ascending_now = c.key == current and not self.sort.startswith("-")
                h["href"] = self.link(sort=f"-{c.key}" if ascending_now else c.key)
                if c.key == current:
                    h["aria"] = "ascending" if ascending_now else "descending"
            out.append(h)
        return out

    @property
    def prev_href(self) -> str:
        return self.link(page=self.page.previous_page_number()) if self.page and self.page.has_previous() else ""

    @property
    def next_href(self) -> str:
        return self.link(page=self.page.next_page_number()) if self.page and self.page.has_next() else ""

    @property
    def page_links(self) -> list[dict[str, Any]]:
        if self.page is None:
            return []
        links: list[dict[str, Any]] = []
        for n in self.page.paginator.get_elided_page_range(self.page.number, on_each_side=2, on_ends=1):
            if n == Paginator.ELLIPSIS:
                links.append({"ellipsis": True})
            else:
                links.append({"number": n, "href": self.link(page=n), "current": n == self.page.number})
        return links


def filtered(request: HttpRequest, spec: ListSpec, data: Any = None) -> ListResult:
    """The spec's selector, filtered, searched and ordered by the request's
    (validated) parameters. Bad values fall back to the defaults."""
    data = request.GET if data is None else data
    user = request.user
    qs = spec.queryset(user)
    state: list[tuple[str, str]] = []
    filterset = None
    if spec.filterset is not None:
        filterset = spec.filterset(data or None, queryset=qs, request=request)
        qs = filterset.qs  # invalid fields are left out of cleaned_data, so ignored
        if filterset.is_bound:
            state += _valid_params(filterset, data)
    text = (data.get("q") or "").strip()
    if spec.search is not None and text:
        qs = spec.search(qs, text)
    sort = sort_key(spec, data.get("sort"))
    qs = order(qs, spec, sort)
    size = page_size(data.get("size"))
    if sort != spec.default_sort:
        state.append(("sort", sort))
    if size != settings.LIST_PAGE_SIZE:
        state.append(("size", str(size)))
    columns = [c for c in spec.columns if c.perm is None or can(user, c.perm)]
    return ListResult(
        spec=spec, path=request.path, qs=qs, filterset=filterset, sort=sort, size=size, state=state, columns=columns
    )


def _valid_params(filterset: django_filters.FilterSet, data: Any) -> list[tuple[str, str]]:
    form = filterset.form
    form.is_valid()
    names = [n for n in form.fields if n not in form.errors]
    return [(k, v) for k in data if any(k == n or k.startswith(f"{n}_") for n in names) for v in data.getlist(k) if v]


def paginate(result: ListResult, raw_page: str | None, user: Any) -> None:
    # get_page: a bad number gives the first page, one past the end the last.
    if result.spec.rows is not None:
        result.page = Paginator(result.qs.values_list("pk", flat=True), result.size).get_page(raw_page)
        objects = result.spec.rows(user, list(result.page.object_list))
        result.page.object_list = objects
    else:
        qs = result.qs if result.spec.page_rows is None else result.spec.page_rows(result.qs)
        result.page = Paginator(qs, result.size).get_page(raw_page)
        objects = list(result.page.object_list)
    if result.spec.decorate is not None:
        result.spec.decorate(objects)
    # Cell templates: fetched once, and drawn in one context with the row pushed on it.
    templates = {c.template: get_template(c.template).template for c in result.columns if c.template}  # type: ignore[attr-defined]
    context = Context({"user": user})
    result.rows = [_row(result.columns, obj, context, templates) for obj in objects]


def _row(columns: list[Column], obj: Any, context: Context, templates: dict[str, Any]) -> dict[str, Any]:
    cells = []
    for c in columns:
        if c.template:
            with context.push(row=obj):
                html = templates[c.template].render(context)
        else:
            value = value_of(obj, c.value, c.key)
            if isinstance(value, datetime):  # local time, as the lists write times everywhere
                value = timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
            text = conditional_escape("—" if value in (None, "") else value)
            href = c.link(obj) if c.link else ""
            html = SafeString(f'<a href="{conditional_escape(href)}">{text}</a>' if href else text)
        cells.append({"label": c.label, "html": html, "css": c.css})
    return {"pk": obj.pk, "cells": cells}


def _body(result: ListResult) -> SafeString:
    """The table's rows, as core/_list_results.html drew them cell by cell:
    written here once per page (a template loop per cell costs more than the
    rest of the list)."""
    heads = [
        f'<td data-label="{text_html(c.label)}"' + (f' class="{text_html(c.css)}">' if c.css else ">")
        for c in result.columns
    ]
    select = f'" aria-label="{text_html(gettext("Select"))}"></td>' if result.bulk_actions else ""
    out = []
    for row in result.rows:
        check = f'<td class="list-check"><input type="checkbox" name="ids" value="{text_html(row["pk"])}{select}'
        tds = "".join(f"{head}{cell['html']}</td>" for head, cell in zip(heads, row["cells"], strict=True))
        out.append(f"<tr>{check if select else ''}\n{tds}</tr>\n")
    return SafeString("".join(out))


# ---------------------------------------------------------------- the page

# The filter form is posted (core/js/lists.js sends it as a GET unless the
# term is private); SEARCH_POSTED tells it from a bulk action's post.
SEARCH_POSTED = "search"
_NOT_STATE = {SEARCH_POSTED, "csrfmiddlewaretoken"}


def private_search(text: str) -> bool:
    """More than four digits: an ID number or a whole phone number, or the
    start of one. Such a term travels in a request body only, never in an
    address, so that no access log, history or Referer holds it."""
    return sum(c.isdigit() for c in text) > 4


def list_page(
    request: HttpRequest,
    spec: ListSpec,
    *,
    template: str = "core/list_page.html",
    context: dict[str, Any] | None = None,
    prepare: Callable[[ListResult], dict[str, Any]] | None = None,
) -> HttpResponse:
    """The whole list view: GET renders (the results only for htmx), GET with
    `export=` sends the xlsx, POST runs a bulk action (core.bulk).

    `prepare(result)` may add context computed from the filtered queryset
    (totals over all pages, say); `context` adds fixed context (title,
    breadcrumbs, buttons)."""
    from core import bulk
    from core.list_export import export_response

    data = request.GET
    if request.method == "POST" and SEARCH_POSTED in request.POST:
        data = request.POST
        if not private_search(data.get("q", "")):  # an address to bookmark, as a GET search gives
            params = [(k, v) for k in data if k not in _NOT_STATE for v in data.getlist(k) if v]
            return redirect(f"{request.path}?{urlencode(params)}" if params else request.path)
    elif request.method == "POST":
        return bulk.run(request, spec)
    result = filtered(request, spec, data)
    if spec.export is not None and data.get("export") in ("masked", "unmasked"):
        return export_response(request, spec, result.qs, unmasked=data["export"] == "unmasked")
    paginate(result, data.get("page"), request.user)
    result.bulk_actions = bulk.available(request, spec)
    result.can_unmask = spec.export is not None and spec.export.sensitive and can(request.user, Perm.EXPORT_UNMASKED)
    ctx = {**(context or {}), "lst": result}
    if prepare is not None:
        ctx.update(prepare(result))
    htmx = getattr(request, "htmx", None)
    if htmx and htmx.target == f"{spec.dom_id}-results":
        response = render(request, spec.results_template, {**ctx, "oob": True})
    else:
        response = render(request, template, ctx)
    if data is request.POST:
        response.headers["HX-Push-Url"] = request.path  # never the term
    # The same address answers a whole page or its results: keep caches apart.
    response.headers["Vary"] = ", ".join(filter(None, [response.headers.get("Vary"), "HX-Request"]))
    return response
