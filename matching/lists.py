"""The matching lists (needs, resources, micro-wishes, runs, tasks and a run's
proposals), declared for the list toolkit (docs/lists.md)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any, cast

import django_filters
from django import forms
from django.db.models import Case, OuterRef, Prefetch, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from audit.actions import Action
from core import bulk
from core.access import Perm
from core.identity import mask_phone, normalise_text
from core.lists import Column, Export, ExportColumn, ListFilterSet, ListSpec, OrgUnitFilter, edit_column, pk_link
from core.models import ServiceDomain
from core.widgets import DateInput
from matching import selectors, services
from matching.forms import NeedTypeForm
from matching.models import NeedStatus, NeedType, OfferKind, ProposalStatus, RunStatus, TaskStatus, WishStatus
from matching.needtypes import active_types, need_type_match
from people.selectors import search_by_resident

# ---------------------------------------------------------------- needs


def _with_type_name(qs: QuerySet) -> QuerySet:
    # The catalogue's name in the same query (a need keeps its code when a type is retired).
    return qs.annotate(type_name=Subquery(NeedType.objects.filter(code=OuterRef("need_type")).values("name")[:1]))


def _needs(user: Any) -> QuerySet:
    return _with_type_name(selectors.needs_visible(user))


def _active_types(_request: Any) -> QuerySet:
    return NeedType.objects.filter(active=True).order_by("name")


class NeedFilter(ListFilterSet):
    status = django_filters.ChoiceFilter(choices=NeedStatus.choices, label=_("Status"), empty_label=_("Any status"))
    domain = django_filters.ModelChoiceFilter(
        field_name="domain",
        label=_("Domain"),
        queryset=ServiceDomain.objects.filter(active=True),
        empty_label=_("Any domain"),
    )
    need_type = django_filters.ModelChoiceFilter(
        label=_("Category"), queryset=_active_types, empty_label=_("Any category"), method="of_type"
    )
    unit = OrgUnitFilter()

    def of_type(self, qs: QuerySet, _name: str, value: NeedType) -> QuerySet:
        return qs.filter(need_type=value.code)


def _search_needs(qs: QuerySet, text: str) -> QuerySet:
    text = normalise_text(text)
    return search_by_resident(qs, text, also=Q(description__icontains=text) | Q(need_type__icontains=text))


def _window(n: Any) -> str:
    if not (n.window_start or n.window_end):
        return ""
    start = n.window_start.strftime("%m-%d") if n.window_start else ""
    end = n.window_end.strftime("%m-%d") if n.window_end else ""
    return f"{start}–{end}"


def _type_name(n: Any) -> str:
    return n.type_name or n.need_type


def _page_needs(qs: QuerySet) -> QuerySet:
    # What the columns read: the description and the domain stay unloaded.
    return (
        qs.select_related(None)
        .select_related("person__grade", "unit")
        .only(
            "need_type",
            "quantity",
            "window_start",
            "window_end",
            "source",
            "status",
            "created_at",
            "person__name",
            "person__grade__card",
            "unit__name",
        )
    )


NEEDS = ListSpec(
    key="matching.needs",
    queryset=_needs,
    columns=[
        Column(
            "person",
            _("Resident"),
            value="person.name",
            sort=("person__name",),
            link=pk_link("matching:need_detail"),
        ),
        Column("unit", _("Community"), value="unit.name", sort=("unit__path",)),
        Column("type", _("Category"), value=_type_name, sort=("type_name", "need_type")),
        Column("card", _("Card"), template="matching/_card_cell.html", sort=("person__grade__card_rank",)),
        Column("quantity", _("Quantity"), sort=("quantity",), css="num"),
        Column("window", _("Window"), value=_window, sort=("window_start",), css="nowrap"),
        Column("source", _("Source"), value="get_source_display", sort=("source",)),
        Column("status", _("Status"), value="get_status_display", sort=("status",)),
        Column("created", _("Recorded"), value=lambda n: n.created_at.date(), sort=("created_at",)),
    ],
    default_sort="-created",
    filterset=NeedFilter,
    page_rows=_page_needs,
    search=_search_needs,
    search_placeholder=_("Name or description"),
    export=Export(
        columns=[
            ExportColumn("居民", "person.name"),
            ExportColumn("联系电话", "person.phone", mask=mask_phone),
            ExportColumn("社区", "unit.name"),
            ExportColumn("服务领域", "domain.name"),
            ExportColumn("需求类别", _type_name),
            ExportColumn("分级", "person.grade.get_card_display"),
            ExportColumn("数量", "quantity"),
            ExportColumn("开始日期", "window_start"),
            ExportColumn("截止日期", "window_end"),
            ExportColumn("来源", "get_source_display"),
            ExportColumn("状态", "get_status_display"),
            ExportColumn("说明", "description"),
            ExportColumn("登记时间", lambda n: n.created_at.date()),
        ],
        filename="needs.xlsx",
        sheet="需求",
        action=Action.NEED_EXPORT,
        action_unmasked=Action.NEED_EXPORT_UNMASKED,
    ),
    selectable=True,
    empty=_("No need matches."),
)

# ---------------------------------------------------------------- resources


class OfferFilter(ListFilterSet):
    kind = django_filters.ChoiceFilter(choices=OfferKind.choices, label=_("Kind"), empty_label=_("Any kind"))
    need_types = django_filters.ModelChoiceFilter(
        label=_("Category"), queryset=_active_types, empty_label=_("Any category")
    )
    is_active = django_filters.BooleanFilter(
        label=_("Active"),
        widget=django_filters.widgets.BooleanWidget(),
    )
    unit = OrgUnitFilter()


def _search_offers(qs: QuerySet, text: str) -> QuerySet:
    text = normalise_text(text)
    return qs.filter(
        Q(name__icontains=text)
        | Q(place__icontains=text)
        | Q(volunteer__name__icontains=text)
        | Q(enterprise__name__icontains=text)
        | Q(organisation__name__icontains=text)
    )


def _available(o: Any) -> str:
    if not (o.available_from or o.available_until):
        return ""
    return f"{o.available_from or ''} – {o.available_until or ''}"


def _categories(o: Any) -> str:
    return "、".join(t.name for t in o.need_types.all())


def _page_offers(qs: QuerySet) -> QuerySet:
    # What the columns read: each provider's name, the rest of its file unloaded.
    return (
        qs.only(
            "name",
            "is_active",
            "place",
            "kind",
            "capacity",
            "available_from",
            "available_until",
            "unit__name",
            "volunteer__name",
            "enterprise__name",
            "organisation__name",
        )
        .prefetch_related(None)
        .prefetch_related(Prefetch("need_types", queryset=NeedType.objects.only("name")))
    )


OFFERS = ListSpec(
    key="matching.offers",
    queryset=selectors.offers_visible,
    columns=[
        Column("name", _("What is offered"), template="matching/_offer_name_cell.html", sort=("name",)),
        Column("unit", _("Unit"), value="unit.name", sort=("unit__path",)),
        Column("kind", _("Kind"), value="get_kind_display", sort=("kind",)),
        Column("provider", _("Provider"), value="provider"),
        Column("types", _("Categories"), value=_categories),
        Column("capacity", _("Capacity / stock"), sort=("capacity",), css="num"),
        Column("available", _("Available"), value=_available, sort=("available_from",)),
        edit_column("matching:offer_edit", Perm.RECORD_EDIT),
    ],
    default_sort="name",
    filterset=OfferFilter,
    page_rows=_page_offers,
    search=_search_offers,
    search_placeholder=_("What is offered, place or provider"),
    export=Export(
        columns=[
            ExportColumn("资源", "name"),
            ExportColumn("类型", "get_kind_display"),
            ExportColumn("单位", "unit.name"),
            ExportColumn("提供方", "provider"),
            ExportColumn("服务类别", "need_types"),
            ExportColumn("容量/库存", "capacity"),
            ExportColumn("开始日期", "available_from"),
            ExportColumn("截止日期", "available_until"),
            ExportColumn("服务地点", "place"),
            ExportColumn("在用", lambda o: "是" if o.is_active else "否"),
        ],
        filename="resources.xlsx",
        sheet="资源",
        action=Action.OFFER_EXPORT,
    ),
    selectable=True,
    empty=_("No resource matches."),
)

# ---------------------------------------------------------------- micro-wishes


class WishFilter(ListFilterSet):
    status = django_filters.ChoiceFilter(choices=WishStatus.choices, label=_("Status"), empty_label=_("Any status"))
    unit = OrgUnitFilter()


def _search_wishes(qs: QuerySet, text: str) -> QuerySet:
    return search_by_resident(qs, text, also=Q(title__icontains=normalise_text(text)))


def _page_wishes(qs: QuerySet) -> QuerySet:
    # What the columns read: the claimant's name, not the need and the files behind it.
    return (
        qs.select_related(None)
        .select_related("person", "unit", "claimant_enterprise", "claimant_volunteer")
        .only(
            "title",
            "value",
            "deadline",
            "status",
            "claimant_name",
            "person__name",
            "unit__name",
            "claimant_enterprise__name",
            "claimant_volunteer__name",
        )
    )


WISHES = ListSpec(
    key="matching.wishes",
    queryset=selectors.wishes_visible,
    columns=[
        Column(
            "title",
            _("The wish"),
            sort=("title",),
            link=pk_link("matching:wish_detail"),
        ),
        Column("person", _("Recipient"), value="person.name", sort=("person__name",)),
        Column("unit", _("Community"), value="unit.name", sort=("unit__path",)),
        Column("value", _("Value (RMB)"), sort=("value",), css="num"),
        Column("deadline", _("Deadline"), sort=("deadline",)),
        Column("claimant", _("Claimed by"), value="claimant"),
        Column("status", _("Status"), value="get_status_display", sort=("status",)),
    ],
    default_sort="deadline",
    filterset=WishFilter,
    page_rows=_page_wishes,
    search=_search_wishes,
    search_placeholder=_("The wish or the recipient's name"),
    export=Export(
        columns=[
            ExportColumn("心愿", "title"),
            ExportColumn("受助人", "person.name"),
            ExportColumn("联系电话", "person.phone", mask=mask_phone),
            ExportColumn("社区", "unit.name"),
            ExportColumn("价值（元）", "value"),
            ExportColumn("截止日期", "deadline"),
            ExportColumn("发布日期", "published_on"),
            ExportColumn("认领方", "claimant"),
            ExportColumn("认领日期", "claimed_on"),
            ExportColumn("实现日期", "fulfilled_on"),
            ExportColumn("状态", "get_status_display"),
        ],
        filename="wishes.xlsx",
        sheet="微心愿",
        action=Action.WISH_EXPORT,
        action_unmasked=Action.WISH_EXPORT_UNMASKED,
    ),
    selectable=True,
    empty=_("No micro-wish matches."),
)

# ---------------------------------------------------------------- needs to classify


def _review_rows(needs: list[Any]) -> None:
    # the rule once per distinct text on the page, not once per need
    types = active_types()
    found = {text: need_type_match(text, types) for text in {n.need_type for n in needs}}
    choices = list(NeedTypeForm().fields["need_type"].widget.choices)  # the catalogue read once for the page
    for need in needs:
        need.match = found[need.need_type]
        need.form = NeedTypeForm(initial={"need_type": need.match.need_type}, auto_id=f"id_%s_{need.pk}")
        cast(forms.ChoiceField, need.form.fields["need_type"]).choices = choices
        # old visits wrote the first line again at the top of the description
        lines = need.description.strip().splitlines()
        need.rest = "\n".join(lines[1:] if lines and lines[0].strip() == need.need_type else lines)


def _untyped(user: Any) -> QuerySet:
    # ungraded residents after every card, on any database
    return selectors.needs_untyped(user).annotate(card_order=Coalesce("person__grade__card_rank", Value(99)))


class ReviewFilter(ListFilterSet):
    unit = OrgUnitFilter()


def _search_review(qs: QuerySet, text: str) -> QuerySet:
    text = normalise_text(text)
    return search_by_resident(qs, text, also=Q(need_type__icontains=text) | Q(description__icontains=text))


NEEDS_TO_CLASSIFY = ListSpec(
    key="matching.review",
    queryset=_untyped,
    columns=[
        Column(
            "person", _("Resident"), template="matching/_review_person_cell.html", sort=("card_order", "created_at")
        ),
        Column("unit", _("Community"), value="unit.name", sort=("unit__path",)),
        Column("text", _("Written as"), template="matching/_review_text_cell.html", sort=("need_type",)),
        Column("hint", _("Suggestion"), template="matching/_review_hint_cell.html"),
        Column("set", _("Kind of help"), template="matching/_review_set_cell.html"),
        Column("created", _("Recorded"), value=lambda n: n.created_at.date(), sort=("created_at",)),
    ],
    default_sort="person",
    filterset=ReviewFilter,
    search=_search_review,
    search_placeholder=_("Name or what was written"),
    decorate=_review_rows,
    empty=_("Every open need has a kind of help from the catalogue."),
)

# ---------------------------------------------------------------- runs


class RunFilter(ListFilterSet):
    status = django_filters.ChoiceFilter(choices=RunStatus.choices, label=_("Status"), empty_label=_("Any status"))
    unit = OrgUnitFilter()


def _count(key: str) -> Callable[[Any], Any]:
    return lambda r: r.counts.get(key, "—")


RUNS = ListSpec(
    key="matching.runs",
    queryset=lambda user: selectors.runs_visible(user).defer("unmet"),  # the counts say enough
    columns=[
        Column(
            "id",
            "#",
            value=lambda r: f"#{r.pk}",
            sort=("id",),
            link=pk_link("matching:run_detail"),
        ),
        Column("unit", _("Scope"), value="unit.name", sort=("unit__path",)),
        Column("started", _("Started"), template="matching/_run_started_cell.html", sort=("started_at",)),
        Column("status", _("Status"), value="get_status_display", sort=("status",)),
        Column("needs", _("Needs"), value=_count("needs"), css="num"),
        Column("resources", _("Resources"), value=_count("resources"), css="num"),
        Column("proposals", _("Proposals"), value=_count("proposals"), css="num"),
        Column("unmet", _("Unmet"), value=_count("unmet"), css="num"),
    ],
    default_sort="-started",
    filterset=RunFilter,
    empty=_("None yet."),
)

# ---------------------------------------------------------------- service tasks


def _tasks(user: Any) -> QuerySet:
    return selectors.tasks_visible(user).annotate(
        type_name=Subquery(NeedType.objects.filter(code=OuterRef("need__need_type")).values("name")[:1])
    )


class TaskFilter(ListFilterSet):
    status = django_filters.ChoiceFilter(choices=TaskStatus.choices, label=_("Status"), empty_label=_("Any status"))
    due_from = django_filters.DateFilter(
        field_name="due_date", lookup_expr="gte", label=_("Due from"), widget=DateInput()
    )
    due_until = django_filters.DateFilter(
        field_name="due_date", lookup_expr="lte", label=_("Due until"), widget=DateInput()
    )
    unit = OrgUnitFilter()


def _search_need_or_resource(qs: QuerySet, text: str) -> QuerySet:
    return search_by_resident(qs, text, path="need__person", also=Q(resource__name__icontains=normalise_text(text)))


def _task_type(t: Any) -> str:
    return t.type_name or t.need.need_type


TASKS = ListSpec(
    key="matching.tasks",
    queryset=_tasks,
    columns=[
        Column(
            "id",
            "#",
            value=lambda t: f"#{t.pk}",
            sort=("id",),
            link=pk_link("matching:task_detail"),
        ),
        Column("person", _("Resident"), value="need.person.name", sort=("need__person__name",)),
        Column("unit", _("Community"), value="unit.name", sort=("unit__path",)),
        Column("type", _("Category"), value=_task_type, sort=("type_name",)),
        Column("resource", _("Carried out by"), value="resource.name", sort=("resource__name",)),
        Column("due", _("Due"), value="due_date", sort=("due_date",)),
        Column("status", _("Status"), value="get_status_display", sort=("status",)),
    ],
    default_sort="-id",
    filterset=TaskFilter,
    search=_search_need_or_resource,
    search_placeholder=_("Resident or resource"),
    export=Export(
        columns=[
            ExportColumn("编号", "pk"),
            ExportColumn("居民", "need.person.name"),
            ExportColumn("联系电话", "need.person.phone", mask=mask_phone),
            ExportColumn("社区", "unit.name"),
            ExportColumn("需求类别", _task_type),
            ExportColumn("执行方", "resource.name"),
            ExportColumn("截止日期", "due_date"),
            ExportColumn("状态", "get_status_display"),
            ExportColumn("完成日期", "completed_on"),
            ExportColumn("满意度", "satisfaction"),
            ExportColumn("服务时长", "hours"),
        ],
        filename="tasks.xlsx",
        sheet="服务任务",
        action=Action.TASK_EXPORT,
        action_unmasked=Action.TASK_EXPORT_UNMASKED,
    ),
    selectable=True,
    empty=_("None yet."),
)

# ---------------------------------------------------------------- a run's proposals


def _proposals(user: Any) -> QuerySet:
    return (
        selectors.proposals_visible(user)
        .select_related("task")
        .annotate(
            type_name=Subquery(NeedType.objects.filter(code=OuterRef("need__need_type")).values("name")[:1]),
            # the engine's order: red cards first, then blue, green, ungraded
            priority_rank=Case(
                When(priority="red", then=0), When(priority="blue", then=1), When(priority="green", then=2), default=3
            ),
        )
    )


def _proposal_rows(user: Any, pks: list[int]) -> list[Any]:
    """One page of proposals, in the page's order: the sort and the slice ran
    on the proposals' primary keys alone (a run's thousands of rows are not
    carried through the sort with their joins and explanations). The run's
    unmet needs are not decoded once per row."""
    found = {p.pk: p for p in _proposals(user).filter(pk__in=pks).defer("run__unmet")}
    return [found[pk] for pk in pks if pk in found]


def proposals_of(run: Any) -> ListSpec:
    """The proposals list of one run: the same spec, narrowed to the run (the
    bulk actions re-read the selected ids through it)."""
    return replace(PROPOSALS, queryset=lambda user: _proposals(user).filter(run=run))


class ProposalFilter(ListFilterSet):
    status = django_filters.ChoiceFilter(choices=ProposalStatus.choices, label=_("Status"), empty_label=_("Any status"))


PROPOSALS = ListSpec(
    key="matching.proposals",
    queryset=_proposals,
    columns=[
        Column(
            "person",
            _("Resident"),
            value="need.person.name",
            sort=("need__person__name_pinyin", "need__person__name"),
            link=lambda p: reverse("matching:need_detail", args=[p.need_id]),
        ),
        Column("type", _("Category"), value=lambda p: p.type_name or p.need.need_type, sort=("type_name",)),
        Column("resource", _("Resource"), value="resource.name", sort=("resource__name",)),
        Column("units", pgettext_lazy("proposal", "Units"), sort=("units",), css="num"),
        Column(
            "priority",
            _("Priority"),
            template="matching/_priority_cell.html",
            sort=("priority_rank", "need__window_end", "distance_m"),
        ),
        Column("distance", _("Distance (m)"), value="distance_m", sort=("distance_m",), css="num"),
        Column("why", _("Why this match?"), template="matching/_why_cell.html"),
        Column("status", _("Status"), template="matching/_proposal_status_cell.html", sort=("status",)),
    ],
    default_sort="priority",
    filterset=ProposalFilter,
    search=_search_need_or_resource,
    search_placeholder=_("Resident or resource"),
    selectable=True,
    empty=_("No proposals in this run."),
    rows=_proposal_rows,
)


class ConfirmForm(forms.Form):
    due_date = forms.DateField(label=_("Due date"), required=False, widget=DateInput)


class RejectForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, max_length=200)


def _labelled(form: forms.Form) -> forms.Form:
    for f in form.fields.values():
        f.widget.attrs.setdefault("aria-label", str(f.label))
    return form


def _confirm(*, actor: Any, records: QuerySet, data: dict[str, Any]) -> str:
    tasks = services.proposal_confirm(
        actor=actor, proposals=list(records.filter(status=ProposalStatus.PROPOSED)), due_date=data.get("due_date")
    )
    return ngettext("%(n)s task assigned.", "%(n)s tasks assigned.", len(tasks)) % {"n": len(tasks)}


def _reject(*, actor: Any, records: QuerySet, data: dict[str, Any]) -> str:
    n = services.proposal_reject(
        actor=actor, proposals=list(records.filter(status=ProposalStatus.PROPOSED)), note=data.get("note", "")
    )
    return ngettext("%(n)s proposal rejected.", "%(n)s proposals rejected.", n) % {"n": n}


bulk.register(
    PROPOSALS.key,
    bulk.BulkAction(
        key="confirm",
        label=_("Confirm selected"),
        perm=Perm.RECORD_EDIT,
        run=_confirm,
        form=lambda user, data: _labelled(ConfirmForm(data, prefix="confirm")),
    ),
)
bulk.register(
    PROPOSALS.key,
    bulk.BulkAction(
        key="reject",
        label=_("Reject selected"),
        perm=Perm.RECORD_EDIT,
        run=_reject,
        form=lambda user, data: _labelled(RejectForm(data, prefix="reject")),
    ),
)
