"""The grading lists (the board's people and the residents not yet visited
this month), declared for the list toolkit (docs/lists.md), and the bulk
action that names another worker responsible for the selected residents."""

from __future__ import annotations

from datetime import date
from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from audit.actions import Action
from core import bulk
from core.access import Perm
from core.identity import mask_address, mask_phone
from core.lists import Column, Export, ExportColumn, ListFilterSet, ListSpec, OrgUnitFilter, pk_link
from core.models import ServiceDomain
from grading import selectors, services
from grading.models import Card
from people.selectors import search_by_resident, search_persons


def _card_label(grade: Any) -> str:
    return grade.get_card_display() if grade is not None else ""


# ---------------------------------------------------------------- my follow-ups


class FollowupFilter(ListFilterSet):
    # "mine" is the spec's own queryset: the filter only widens or narrows it.
    show = django_filters.ChoiceFilter(
        choices=[("overdue", _("All overdue")), ("all", _("Everyone in my area"))],
        label=_("Which follow-ups"),
        empty_label=_("Mine"),
        method="showing",
    )
    unit = OrgUnitFilter()  # after `show`, which starts from the selector again

    def showing(self, qs: QuerySet, _name: str, value: str) -> QuerySet:
        return selectors.followups(self.request.user, show=value)


FOLLOWUPS = ListSpec(
    key="grading.followups",
    queryset=lambda user: selectors.followups(user),
    columns=[
        # the urgency order: overdue first, red first, then the due date
        Column("due", _("Due"), value="next_due", sort=("-overdue", "card_rank", "next_due", "person_id")),
    ],
    default_sort="due",
    filterset=FollowupFilter,
    search=search_by_resident,
    search_placeholder=_("Name, pinyin, initials (zs), phone or ID tail"),
    rows=lambda user, pks: selectors.followup_rows(user, pks),
    results_template="grading/_followup_results.html",
    empty=_("Nothing to follow up: well done."),
)


# ---------------------------------------------------------------- the board's people


class BoardPeopleFilter(ListFilterSet):
    card = django_filters.ChoiceFilter(choices=Card.choices, label=_("Card"), empty_label=_("All cards"))
    domain = django_filters.ModelChoiceFilter(
        label=_("Service domain"),
        queryset=ServiceDomain.objects.filter(active=True).order_by("order", "code"),
        empty_label=_("all service domains"),
        method="holding",
    )
    unit = OrgUnitFilter(field_name="person__unit")

    def holding(self, qs: QuerySet, _name: str, domain: ServiceDomain) -> QuerySet:
        return selectors.holding_domain(qs, domain)


def _board_people(user: Any) -> QuerySet:
    return selectors.grades_current(user).select_related("person", "unit", "responsible")


BOARD_PEOPLE = ListSpec(
    key="grading.board_people",
    queryset=_board_people,
    columns=[
        Column(
            "name",
            pgettext_lazy("person", "Name"),
            value="person.name",
            sort=("person__name_pinyin", "person__name"),
            link=lambda g: reverse("grading:person", args=[g.person_id]),
        ),
        Column("card", _("Card"), template="grading/_card_cell.html", sort=("card_rank",)),
        Column("unit", _("Community"), value="unit.name", sort=("unit__path",)),
        Column("reasons", _("Why"), value=lambda g: "；".join(g.reasons)),
        Column("next_due", _("Next visit due"), sort=("next_due",)),
        Column("responsible", _("Responsible worker"), value="responsible", sort=("responsible__full_name",)),
    ],
    default_sort="card",
    filterset=BoardPeopleFilter,
    search=search_by_resident,
    search_placeholder=_("Name, pinyin, initials (zs), phone or ID tail"),
    export=Export(
        columns=[
            ExportColumn("姓名", "person.name"),
            ExportColumn("分级", "get_card_display"),
            ExportColumn("社区", "unit.name"),
            ExportColumn("联系电话", "person.phone", mask=mask_phone),
            ExportColumn("实际居住地址", "person.actual_address", mask=mask_address),
            ExportColumn("分级依据", lambda g: "；".join(g.reasons)),
            ExportColumn("上次走访", "last_visit_on"),
            ExportColumn("下次走访", "next_due"),
            ExportColumn("责任社工", "responsible"),
        ],
        filename="grading.xlsx",
        sheet="一分三卡",
        action=Action.GRADING_EXPORT,
        action_unmasked=Action.GRADING_EXPORT_UNMASKED,
    ),
    selectable=True,
    empty=_("Nobody here."),
)


# ---------------------------------------------------------------- not visited this month


def _months(_request: Any = None) -> list[tuple[str, str]]:
    # The last two years, newest first: the rate page links to any of them.
    first = timezone.localdate().replace(day=1)
    out = []
    for i in range(24):
        y, m = divmod(first.year * 12 + first.month - 1 - i, 12)
        out.append((f"{y:04d}-{m + 1:02d}", f"{y:04d}-{m + 1:02d}"))
    return out


def month_of(value: str | None) -> date:
    """The month of a validated `month` filter value, or the current month."""
    if value:
        year, month = (int(x) for x in value.split("-"))
        return date(year, month, 1)
    return timezone.localdate().replace(day=1)


class UnvisitedFilter(ListFilterSet):
    month = django_filters.ChoiceFilter(
        choices=_months, label=_("Month"), empty_label=_("this month"), method="in_month"
    )
    card = django_filters.ChoiceFilter(
        field_name="grade__card", choices=Card.choices, label=_("Card"), empty_label=_("All cards")
    )
    unit = OrgUnitFilter()

    def in_month(self, qs: QuerySet, _name: str, _value: str) -> QuerySet:
        return qs  # applied in `qs`, for the current month too

    @property
    def qs(self) -> QuerySet:
        # The month always applies (this month when none is chosen), which
        # django-filter would skip for an unbound filter.
        if not hasattr(self, "_month_qs"):
            self._month_qs = selectors.not_visited_in(
                super().qs, self.request.user, month_of(chosen(self).get("month"))
            )
        return self._month_qs


def chosen(filterset: django_filters.FilterSet | None) -> dict[str, Any]:
    """The valid filter values of a filterset (none when unbound)."""
    if filterset is None or not filterset.is_bound:
        return {}
    filterset.form.is_valid()
    return getattr(filterset.form, "cleaned_data", {})


def _grade_of(person: Any) -> Any:
    return getattr(person, "grade", None)


UNVISITED = ListSpec(
    key="grading.unvisited",
    queryset=selectors.rate_people,
    columns=[
        Column(
            "name",
            pgettext_lazy("person", "Name"),
            sort=("name_pinyin", "name"),
            link=pk_link("grading:person"),
        ),
        Column("unit", _("Community"), value="unit.name", sort=("unit__path",)),
        Column("card", _("Card"), template="grading/_person_card_cell.html", sort=("grade__card_rank",)),
        Column("last_visit", _("Last visit"), value="grade.last_visit_on", sort=("grade__last_visit_on",)),
        Column("visit", "", template="grading/_visit_link_cell.html", perm=Perm.RECORD_EDIT),
    ],
    default_sort="unit",
    filterset=UnvisitedFilter,
    search=search_persons,
    search_placeholder=_("Name, pinyin, initials (zs), phone or ID tail"),
    export=Export(
        columns=[
            ExportColumn("姓名", "name"),
            ExportColumn("社区", "unit.name"),
            ExportColumn("分级", lambda p: _card_label(_grade_of(p))),
            ExportColumn("联系电话", "phone", mask=mask_phone),
            ExportColumn("实际居住地址", "actual_address", mask=mask_address),
            ExportColumn("上次走访", "grade.last_visit_on"),
            ExportColumn("责任社工", "grade.responsible"),
        ],
        filename="not-visited.xlsx",
        sheet="本月未走访",
        action=Action.UNVISITED_EXPORT,
        action_unmasked=Action.UNVISITED_EXPORT_UNMASKED,
    ),
    selectable=True,
    empty=_("Everyone has been visited this month."),
)


# ---------------------------------------------------------------- reassigning


class ReassignForm(forms.Form):
    worker: forms.ModelChoiceField[Any] = forms.ModelChoiceField(queryset=None, label=_("Responsible worker"))  # type: ignore[arg-type]

    def __init__(self, *args: Any, workers: QuerySet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["worker"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = workers
        field.widget.attrs["aria-label"] = str(field.label)


def _reassign_form(user: Any, data: Any) -> forms.Form:
    return ReassignForm(data, prefix="reassign", workers=selectors.follow_up_staff(user))


def _message(n: int) -> str:
    return ngettext(
        "%(n)s resident now has this responsible worker.", "%(n)s residents now have this responsible worker.", n
    ) % {"n": n}


def _reassign_grades(*, actor: Any, records: QuerySet, data: dict[str, Any]) -> str:
    return _message(services.grades_reassign(actor=actor, grades=records, responsible=data["worker"]))


def _reassign_people(*, actor: Any, records: QuerySet, data: dict[str, Any]) -> str:
    grades = selectors.grades_current(actor).filter(person__in=records)
    return _message(services.grades_reassign(actor=actor, grades=grades, responsible=data["worker"]))


for _key, _run in ((BOARD_PEOPLE.key, _reassign_grades), (UNVISITED.key, _reassign_people)):
    bulk.register(
        _key,
        bulk.BulkAction(key="reassign", label=_("Reassign to"), perm=Perm.RECORD_EDIT, run=_run, form=_reassign_form),
    )
