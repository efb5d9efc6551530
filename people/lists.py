"""The residents' registry and the household files, declared for the list
toolkit (docs/lists.md), and the residents list's bulk "tag" action."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from audit.actions import Action
from core import bulk, identity
from core.access import Perm
from core.lists import Column, Export, ExportColumn, ListFilterSet, ListSpec, OrgUnitFilter, pk_link, value_of
from customfields.filters import CustomFieldFilters, export_columns
from people import hub, rules, selectors, services
from people.models import Person, PersonCategory, PersonStatus

# ---------------------------------------------------------------- residents


def _ignore(qs: QuerySet, _name: str, _value: Any) -> QuerySet:
    return qs  # applied together in PersonFilter.qs through selectors.filter_persons


class PersonFilter(CustomFieldFilters, ListFilterSet):
    custom_target = "person"  # the district's custom fields filter too
    unit = OrgUnitFilter(label=_("Community"), empty_label=_("all communities"))
    card = django_filters.ChoiceFilter(
        label=_("Card"), choices=hub.card_choices, empty_label=_("all cards"), method=_ignore
    )
    category = django_filters.ModelChoiceFilter(
        label=_("Category"),
        queryset=lambda request: selectors.categories_active(custom=False),
        empty_label=_("all categories"),
        method=_ignore,
    )
    tag = django_filters.ModelChoiceFilter(
        label=_("Tag"),
        queryset=lambda request: selectors.categories_active(custom=True),
        empty_label=_("all tags"),
        method=_ignore,
    )
    age_band = django_filters.ChoiceFilter(
        label=_("Age"), choices=[(k, k) for k in rules.AGE_BANDS], empty_label=_("any age"), method=_ignore
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[(s.value, s.label) for s in PersonStatus if s not in (PersonStatus.ACTIVE, PersonStatus.MERGED)],
        empty_label=_("served now"),
        method=_ignore,
    )

    @property
    def qs(self) -> QuerySet:
        # Residents who left care are off the list unless a status asks for
        # them, also when nothing is filtered (an unbound filter set).
        qs = super().qs
        data = self.form.cleaned_data if self.is_bound else {}
        return selectors.filter_persons(
            qs,
            category=data.get("category"),
            tag=data.get("tag"),
            age_band=data.get("age_band") or "",
            card=data.get("card") or "",
            status=data.get("status") or "",
        )


def _persons(user: Any) -> QuerySet:
    return (
        selectors.persons_visible(user)
        .select_related("grade")
        .prefetch_related(Prefetch("categories", queryset=PersonCategory.objects.select_related("category")))
    )


def _page_persons(qs: QuerySet) -> QuerySet:
    # What the columns read: the household and the rest of the file stay unloaded.
    categories = PersonCategory.objects.select_related("category").only(
        "person_id", "start_date", "end_date", "category__name"
    )
    return (
        qs.select_related(None)
        .select_related("unit", "grade")
        .only("name", "sex", "birth_date", "is_active", "status", "id_cipher", "phone", "unit__name", "grade__card")
        .prefetch_related(None)
        .prefetch_related(Prefetch("categories", queryset=categories))
    )


def _categories_now(p: Any) -> str:
    today = timezone.localdate()
    return "、".join(c.category.name for c in p.categories.all() if c.active_on(today))


def _age(p: Any) -> str:
    age = p.age_on(timezone.localdate())
    if age >= rules.VERY_OLD_AGE:
        return format_html('{} <span class="badge blue">{}</span>', age, _("80+"))
    return str(age)


def _card(p: Any) -> str:
    """The card badge, or "not graded", and the status of one who left care:
    drawn in Python (a template per row costs more than the rest of the row)."""
    parts = []
    grade = getattr(p, "grade", None)  # a reverse one-to-one: absent until graded
    if grade:
        parts.append(
            format_html(
                '<span data-testid="card-cell" class="badge {}">{}</span>',
                grade.card,
                value_of(grade, "get_card_display"),
            )
        )
    elif p.is_active:
        parts.append(format_html('<span data-testid="card-cell" class="muted">{}</span>', _("not graded")))
    if not p.is_active:
        parts.append(format_html(' <span class="badge">{}</span>', value_of(p, "get_status_display")))
    return mark_safe("".join(parts))  # each part through format_html


def _full_id(p: Any) -> str:
    return identity.decrypt(p.id_cipher) if p.id_cipher else ""


PERSONS = ListSpec(
    key="people.persons",
    queryset=_persons,
    columns=[
        Column(
            "name",
            pgettext_lazy("person", "Name"),
            sort=("name_pinyin", "name"),
            link=pk_link("people:person_detail"),
        ),
        Column("sex", _("Sex"), value="get_sex_display", sort=("sex",)),
        Column("age", _("Age"), value=_age, sort=("-birth_date",)),
        Column("card", _("Card"), value=_card, sort=("grade__card",)),
        Column("unit", _("Community"), value="unit.name", sort=("unit__path",)),
        Column("resident_id", _("Resident ID"), value=identity.masked_id_of, css="mono"),
        Column("phone", _("Phone")),
        Column("categories", _("Categories"), value=_categories_now),
    ],
    default_sort="name",
    filterset=PersonFilter,
    page_rows=_page_persons,
    search=selectors.search_persons,
    search_placeholder=_("Name, pinyin, initials (zs), phone or ID tail"),
    export=Export(
        columns=[
            ExportColumn("姓名", "name"),
            ExportColumn("性别", "get_sex_display"),
            ExportColumn("出生日期", "birth_date"),
            ExportColumn("年龄", lambda p: p.age_on(timezone.localdate())),
            ExportColumn("社区", "unit.name"),
            ExportColumn("身份证号", _full_id, mask=identity.mask_id),
            ExportColumn("联系电话", "phone", mask=identity.mask_phone),
            ExportColumn("实际居住地址", "actual_address", mask=identity.mask_address),
            ExportColumn("户", lambda p: p.household.address if p.household else "", mask=identity.mask_address),
            ExportColumn("当前类别", _categories_now),
        ],
        filename="residents.xlsx",
        sheet="服务对象",
        action=Action.PERSON_EXPORT,
        action_unmasked=Action.PERSON_EXPORT_UNMASKED,
        more=export_columns("person"),
    ),
    selectable=True,
    empty=_("No resident matches."),
)


class TagForm(forms.Form):
    # The field copies its queryset per form, so each form reads the tags afresh.
    tag = forms.ModelChoiceField(
        label=_("Tag"),
        queryset=selectors.categories_active(custom=True).order_by("order", "name"),
        empty_label=_("choose a tag"),
        widget=forms.Select(attrs={"aria-label": _("Tag")}),
    )


def _tag_form(user: Any, data: Any) -> forms.Form:
    return TagForm(data, prefix="tag")


def _tag(*, actor: Any, records: QuerySet, data: dict[str, Any]) -> str:
    tag = data["tag"]
    n = services.persons_tag(actor=actor, persons=records, tag=tag)
    return ngettext("Tag %(tag)s applied to %(n)s resident.", "Tag %(tag)s applied to %(n)s residents.", n) % {
        "tag": tag.name,
        "n": n,
    }


bulk.register(
    PERSONS.key,
    bulk.BulkAction(key="tag", label=_("Apply tag"), perm=Perm.RECORD_EDIT, run=_tag, form=_tag_form),
)


# ---------------------------------------------------------------- households


class HouseholdFilter(ListFilterSet):
    unit = OrgUnitFilter(label=_("Community"), empty_label=_("all communities"))


def _households(user: Any) -> QuerySet:
    return selectors.households_visible(user).annotate(n_members=Count("members"))


def _search_households(qs: QuerySet, text: str) -> QuerySet:
    """By address, or by any member as the residents list finds them."""
    text = identity.normalise_text(text)
    if not text:
        return qs
    members = selectors.search_persons(Person.objects.all(), text).order_by().values("household_id")
    return qs.filter(Q(address__contains=text) | Q(pk__in=members))


def _page_households(qs: QuerySet) -> QuerySet:
    return qs.only("address", "unit__name", "head__name")


HOUSEHOLDS = ListSpec(
    key="people.households",
    queryset=_households,
    columns=[
        Column(
            "address",
            _("Address"),
            sort=("address",),
            link=pk_link("people:household_detail"),
        ),
        Column("unit", _("Community"), value="unit.name", sort=("unit__path", "address")),
        Column("head", _("Head of household"), value="head.name"),
        Column("n_members", _("Members"), sort=("n_members",), css="num"),
    ],
    default_sort="unit",
    filterset=HouseholdFilter,
    page_rows=_page_households,
    search=_search_households,
    search_placeholder=_("Address or a member's name"),
    export=Export(
        columns=[
            ExportColumn("地址", "address", mask=identity.mask_address),
            ExportColumn("社区", "unit.name"),
            ExportColumn("户主", lambda h: h.head.name if h.head else ""),
            ExportColumn("人数", "n_members"),
        ],
        filename="households.xlsx",
        sheet="家庭档案",
        action=Action.HOUSEHOLD_EXPORT,
        action_unmasked=Action.HOUSEHOLD_EXPORT_UNMASKED,
    ),
    selectable=True,
    empty=_("No household file yet."),
)
