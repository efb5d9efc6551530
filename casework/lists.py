"""The casework lists (cases, groups, activities), declared for the list
toolkit (docs/lists.md), and the case list's bulk "reassign"."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from audit.actions import Action
from casework import selectors, services
from casework.forms import TransferForm
from casework.models import ActivityStatus, GroupStatus, Pending, Stage
from core import bulk
from core.access import Perm
from core.identity import mask_phone, normalise_text
from core.lists import Column, Export, ExportColumn, ListFilterSet, ListSpec, OrgUnitFilter, pk_link
from core.models import ServiceDomain
from core.widgets import DateInput
from customfields.filters import CustomFieldFilters, export_columns
from people.selectors import search_by_resident


def _domains(_request: Any) -> QuerySet:
    return ServiceDomain.objects.filter(active=True)


def _workers(request: Any) -> QuerySet:
    # The filter shows each worker's name and filters by the id.
    return (
        selectors.workers_for(getattr(request, "user", None)).select_related(None).only("pk", "username", "full_name")
    )


def _date(value: Any) -> str:
    return value.strftime("%Y-%m-%d") if value else ""


# ---------------------------------------------------------------- cases


class CaseFilter(CustomFieldFilters, ListFilterSet):
    custom_target = "case"  # the district's custom fields filter too
    stage = django_filters.ChoiceFilter(choices=Stage.choices, label=_("stage"), empty_label=_("All stages"))
    pending = django_filters.ChoiceFilter(
        choices=[
            ("1", _("Awaiting approval")),
            (Pending.PLAN, Pending.PLAN.label),
            (Pending.CLOSURE, Pending.CLOSURE.label),
        ],
        label=_("awaiting"),
        empty_label=_("approved or not"),
        method="awaiting",
    )
    open = django_filters.ChoiceFilter(
        choices=[("1", _("Open cases"))],
        label=_("open or closed"),
        empty_label=_("open and closed"),
        method="still_open",
    )
    mine = django_filters.ChoiceFilter(
        choices=[("1", _("My cases"))], label=_("case worker"), empty_label=_("everyone's cases"), method="my_cases"
    )
    worker = django_filters.ModelChoiceFilter(queryset=_workers, label=_("case worker"), empty_label=_("any worker"))
    domain = django_filters.ModelChoiceFilter(
        queryset=_domains, label=_("service domain"), empty_label=_("all service domains")
    )
    unit = OrgUnitFilter()
    opened_from = django_filters.DateFilter(
        field_name="opened_on", lookup_expr="gte", label=_("opened from"), widget=DateInput()
    )
    opened_to = django_filters.DateFilter(
        field_name="opened_on", lookup_expr="lte", label=_("opened until"), widget=DateInput()
    )

    def awaiting(self, qs: QuerySet, _name: str, value: str) -> QuerySet:
        return qs.filter(pending=value) if value in (Pending.PLAN, Pending.CLOSURE) else qs.exclude(pending="")

    def still_open(self, qs: QuerySet, _name: str, _value: str) -> QuerySet:
        return qs.exclude(stage=Stage.CLOSED)

    def my_cases(self, qs: QuerySet, _name: str, _value: str) -> QuerySet:
        return qs.filter(worker=self.request.user)


def _search_cases(qs: QuerySet, text: str) -> QuerySet:
    return search_by_resident(qs, text, also=Q(number__icontains=normalise_text(text)))


def _page_cases(qs: QuerySet) -> QuerySet:
    # What the columns read: a case's summary, domain and supervisor stay unloaded.
    return (
        qs.select_related(None)
        .select_related("person", "worker", "unit")
        .only(
            "number",
            "title",
            "stage",
            "pending",
            "opened_on",
            "person__name",
            "worker__username",
            "worker__full_name",
            "unit__name",
        )
    )


CASES = ListSpec(
    key="casework.cases",
    queryset=selectors.cases_visible,
    columns=[
        Column(
            "number",
            _("case number"),
            sort=("number",),
            link=pk_link("casework:case_detail"),
            css="case-no",
        ),
        Column("person", _("resident"), value="person.name", sort=("person__name_pinyin", "person__name")),
        Column("title", _("presenting problem")),
        Column("stage", _("stage"), template="casework/_case_stage_cell.html", sort=("stage",)),
        Column("worker", _("case worker"), sort=("worker__username",)),
        Column("unit", _("community"), value="unit.name", sort=("unit__path",)),
        Column("opened_on", _("opened on"), value=lambda c: _date(c.opened_on), sort=("opened_on",)),
    ],
    default_sort="-opened_on",
    filterset=CaseFilter,
    page_rows=_page_cases,
    search=_search_cases,
    search_placeholder=_("Case number or name"),
    export=Export(
        columns=[
            ExportColumn("个案编号", "number"),
            ExportColumn("服务对象", "person.name"),
            ExportColumn("联系电话", "person.phone", mask=mask_phone),
            ExportColumn("服务领域", "domain.name"),
            ExportColumn("主要问题", "title"),
            ExportColumn("阶段", "get_stage_display"),
            ExportColumn("待审批", "get_pending_display"),
            ExportColumn("社工", lambda c: str(c.worker)),
            ExportColumn("督导", lambda c: str(c.supervisor) if c.supervisor_id else ""),
            ExportColumn("社区", "unit.name"),
            ExportColumn("开案日期", "opened_on"),
            ExportColumn("结案日期", "closed_on"),
        ],
        filename="cases.xlsx",
        sheet="个案",
        action=Action.CASE_EXPORT,
        action_unmasked=Action.CASE_EXPORT_UNMASKED,
        more=export_columns("case"),
    ),
    selectable=True,
    empty=_("No case matches."),
)


def _reassign_form(user: Any, data: Any) -> forms.Form:
    staff = selectors.workers_for(user)
    if data is None:  # the action bar's empty form shows each worker's name and role only
        staff = staff.select_related(None).only("username", "full_name", "role")
    form = TransferForm(data, prefix="reassign", staff=staff)
    worker_field = form.fields["to_worker"]
    assert isinstance(worker_field, forms.ModelChoiceField)
    worker_field.empty_label = _("new case worker")
    form.fields["reason"].widget = forms.TextInput(attrs={"placeholder": _("reason for the transfer")})
    return form


def _reassign(*, actor: Any, records: QuerySet, data: dict[str, Any]) -> str:
    n = services.cases_reassign(actor=actor, cases=records, to_worker=data["to_worker"], reason=data["reason"])
    return ngettext("%(n)s case reassigned.", "%(n)s cases reassigned.", n) % {"n": n}


bulk.register(
    CASES.key,
    bulk.BulkAction(
        key="reassign",
        label=_("Reassign to"),
        perm=Perm.RECORD_EDIT,
        run=_reassign,
        form=_reassign_form,
        confirm=_("Hand the selected cases to this worker?"),
    ),
)


# ---------------------------------------------------------------- groups


class GroupFilter(ListFilterSet):
    status = django_filters.ChoiceFilter(choices=GroupStatus.choices, label=_("status"), empty_label=_("any status"))
    domain = django_filters.ModelChoiceFilter(
        queryset=_domains, label=_("service domain"), empty_label=_("all service domains")
    )
    unit = OrgUnitFilter()


def _groups(user: Any) -> QuerySet:
    return selectors.groups_visible(user).annotate(
        n_members=Count("members", distinct=True), n_sessions=Count("sessions", distinct=True)
    )


def _search_groups(qs: QuerySet, text: str) -> QuerySet:
    return qs.filter(name__contains=normalise_text(text))


def _page_groups(qs: QuerySet) -> QuerySet:
    return qs.only(
        "name",
        "planned_sessions",
        "start_on",
        "status",
        "domain__name",
        "unit__name",
        "worker__username",
        "worker__full_name",
    )


GROUPS = ListSpec(
    key="casework.groups",
    queryset=_groups,
    columns=[
        Column("name", _("name"), sort=("name",), link=pk_link("casework:group_detail")),
        Column("domain", _("service domain"), value="domain.name", sort=("domain__name",)),
        Column("unit", _("unit"), value="unit.name", sort=("unit__path",)),
        Column("worker", _("group worker"), sort=("worker__username",)),
        Column("n_members", _("Members"), sort=("n_members",), css="num"),
        Column(
            "n_sessions",
            pgettext_lazy("group work", "Sessions"),
            value=lambda g: f"{g.n_sessions} / {g.planned_sessions}",
            css="num",
        ),
        Column("start_on", _("starts on"), value=lambda g: _date(g.start_on), sort=("start_on",)),
        Column("status", _("status"), template="casework/_status_cell.html", sort=("status",)),
    ],
    default_sort="-start_on",
    filterset=GroupFilter,
    page_rows=_page_groups,
    search=_search_groups,
    search_placeholder=_("Group name"),
    export=Export(
        columns=[
            ExportColumn("小组名称", "name"),
            ExportColumn("服务领域", "domain.name"),
            ExportColumn("单位", "unit.name"),
            ExportColumn("社工", lambda g: str(g.worker)),
            ExportColumn("成员数", "n_members"),
            ExportColumn("已开展节数", "n_sessions"),
            ExportColumn("计划节数", "planned_sessions"),
            ExportColumn("开始日期", "start_on"),
            ExportColumn("状态", "get_status_display"),
        ],
        filename="groups.xlsx",
        sheet="小组",
        action=Action.GROUP_EXPORT,
    ),
    selectable=True,
    empty=_("No group matches."),
)


# ---------------------------------------------------------------- activities


class ActivityFilter(ListFilterSet):
    status = django_filters.ChoiceFilter(choices=ActivityStatus.choices, label=_("status"), empty_label=_("any status"))
    domain = django_filters.ModelChoiceFilter(
        queryset=_domains, label=_("service domain"), empty_label=_("all service domains")
    )
    unit = OrgUnitFilter()
    start = django_filters.DateFilter(
        field_name="starts_at__date", lookup_expr="gte", label=_("From"), widget=DateInput()
    )
    end = django_filters.DateFilter(field_name="starts_at__date", lookup_expr="lte", label=_("To"), widget=DateInput())


def _activities(user: Any) -> QuerySet:
    return selectors.activities_visible(user).annotate(n_signups=Count("signups"))


def _search_activities(qs: QuerySet, text: str) -> QuerySet:
    text = normalise_text(text)
    return qs.filter(Q(title__contains=text) | Q(venue__contains=text))


def _local(value: Any) -> str:
    from django.utils import timezone

    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _page_activities(qs: QuerySet) -> QuerySet:
    return (
        qs.select_related(None)
        .select_related("domain", "unit")
        .only("title", "starts_at", "venue", "status", "domain__name", "unit__name")
    )


ACTIVITIES = ListSpec(
    key="casework.activities",
    queryset=_activities,
    columns=[
        Column("title", _("title"), sort=("title",), link=pk_link("casework:activity_detail")),
        Column("starts_at", _("starts at"), value=lambda a: _local(a.starts_at), sort=("starts_at",)),
        Column("venue", _("venue")),
        Column("domain", _("service domain"), value="domain.name", sort=("domain__name",)),
        Column("unit", _("unit"), value="unit.name", sort=("unit__path",)),
        Column("n_signups", _("Signed up"), sort=("n_signups",), css="num"),
        Column("status", _("status"), template="casework/_status_cell.html", sort=("status",)),
    ],
    default_sort="-starts_at",
    filterset=ActivityFilter,
    page_rows=_page_activities,
    search=_search_activities,
    search_placeholder=_("Title or venue"),
    export=Export(
        columns=[
            ExportColumn("活动名称", "title"),
            ExportColumn("开始时间", lambda a: _local(a.starts_at)),
            ExportColumn("结束时间", lambda a: _local(a.ends_at)),
            ExportColumn("地点", "venue"),
            ExportColumn("服务领域", "domain.name"),
            ExportColumn("单位", "unit.name"),
            ExportColumn("主办方", "organiser"),
            ExportColumn("负责人", lambda a: str(a.person_in_charge)),
            ExportColumn("报名人数", "n_signups"),
            ExportColumn("未登记人数", "head_count"),
            ExportColumn("状态", "get_status_display"),
        ],
        filename="activities.xlsx",
        sheet="活动",
        action=Action.ACTIVITY_EXPORT,
    ),
    selectable=True,
    empty=_("No activity matches."),
)
