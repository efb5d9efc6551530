"""The volunteer and team lists, declared for the list toolkit (docs/lists.md)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from audit.actions import Action
from core import identity
from core.access import Perm
from core.lists import Column, Export, ExportColumn, ListFilterSet, ListSpec, OrgUnitFilter, edit_column, pk_link
from core.models import ServiceDomain
from volunteers import selectors
from volunteers.forms import DAY_LABELS, SLOT_LABELS
from volunteers.models import Skill, VolunteerTeam


def availability_text(av: dict[str, list[str]]) -> str:
    return "、".join(f"{DAY_LABELS[d]}{'/'.join(str(SLOT_LABELS[s]) for s in slots)}" for d, slots in av.items())


def _teams(request: Any) -> QuerySet:
    return selectors.teams_visible(getattr(request, "user", None))


class VolunteerFilter(ListFilterSet):
    unit = OrgUnitFilter(label=_("Area of residence"))
    skill = django_filters.ModelChoiceFilter(
        field_name="skills", label=_("Skill"), queryset=selectors.skills(), empty_label=_("all skills")
    )
    domain = django_filters.ModelChoiceFilter(
        field_name="domains",
        label=_("Service category"),
        queryset=ServiceDomain.objects.filter(active=True),
        empty_label=_("all service categories"),
    )
    day = django_filters.ChoiceFilter(
        label=_("Free on"), choices=list(DAY_LABELS.items()), empty_label=_("any day"), method="free_on"
    )
    team = django_filters.ModelChoiceFilter(
        field_name="teams", label=_("Team"), queryset=_teams, empty_label=_("all teams")
    )
    party = django_filters.ChoiceFilter(
        choices=[("1", _("Party members"))],
        label=_("Party member"),
        empty_label=_("members or not"),
        method="party_members",
    )

    def party_members(self, qs: QuerySet, _name: str, _value: str) -> QuerySet:
        return qs.filter(is_party_member=True)

    def free_on(self, qs: QuerySet, _name: str, day: str) -> QuerySet:
        return qs.filter(availability__has_key=day)


def _search(qs: QuerySet, text: str) -> QuerySet:
    # Name, pinyin, initials, phone or ID tail, or skill: the registry's one search.
    return selectors.filter_volunteers(qs, q=text, active_only=False)


def _active_volunteers(user: Any) -> QuerySet:
    return selectors.volunteers_visible(user).filter(is_active=True).prefetch_related("skills", "teams", "domains")


def _full_id(v: Any) -> str:
    return identity.decrypt(v.id_cipher) if v.id_cipher else ""


def _page_volunteers(qs: QuerySet) -> QuerySet:
    # What the columns read: the ID, address and service domains stay unloaded.
    return (
        qs.only("name", "phone", "skills_note", "availability", "unit__name")
        .prefetch_related(None)
        .prefetch_related(
            Prefetch("skills", queryset=Skill.objects.only("name")),
            Prefetch("teams", queryset=VolunteerTeam.objects.only("name")),
        )
    )


VOLUNTEERS = ListSpec(
    key="volunteers.volunteers",
    queryset=_active_volunteers,
    columns=[
        Column(
            "name",
            pgettext_lazy("person", "Name"),
            sort=("name_pinyin", "name"),
            link=pk_link("volunteers:volunteer_detail"),
        ),
        Column("unit", _("Area of residence"), value="unit.name", sort=("unit__path",)),
        Column("phone", _("Phone")),
        Column("skills", _("Skills"), template="volunteers/_skills_cell.html"),
        Column("availability", _("Weekly availability"), value=lambda v: availability_text(v.availability)),
        Column("teams", _("Teams"), value=lambda v: "、".join(t.name for t in v.teams.all())),
    ],
    default_sort="name",
    filterset=VolunteerFilter,
    page_rows=_page_volunteers,
    search=_search,
    search_placeholder=_("Name, pinyin, initials, phone or skill"),
    export=Export(
        columns=[
            ExportColumn("姓名", "name"),
            ExportColumn("性别", "get_sex_display"),
            ExportColumn("出生日期", "birth_date"),
            ExportColumn("身份证号", _full_id, mask=identity.mask_id),
            ExportColumn("居住区域", "unit.name"),
            ExportColumn("联系电话", "phone", mask=identity.mask_phone),
            ExportColumn("住址", "address", mask=identity.mask_address),
            ExportColumn("技能", "skills"),
            ExportColumn("其他技能", "skills_note"),
            ExportColumn("服务类别", "domains"),
            ExportColumn("服务队", "teams"),
            ExportColumn("每周可服务时间", lambda v: availability_text(v.availability)),
            ExportColumn("同意日期", "consent_at"),
        ],
        filename="volunteers.xlsx",
        sheet="志愿者",
        action=Action.VOLUNTEER_EXPORT,
        action_unmasked=Action.VOLUNTEER_EXPORT_UNMASKED,
    ),
    selectable=True,
    empty=_("No volunteer matches."),
)


class TeamFilter(ListFilterSet):
    unit = OrgUnitFilter()


def _search_teams(qs: QuerySet, text: str) -> QuerySet:
    return qs.filter(name__contains=identity.normalise_text(text))


TEAMS = ListSpec(
    key="volunteers.teams",
    queryset=selectors.teams_with_counts,
    columns=[
        # A team's name opens the volunteer list filtered to its members.
        Column("name", _("Name"), sort=("name",), link=lambda t: f"{reverse('volunteers:volunteer_list')}?team={t.pk}"),
        Column("unit", _("Unit"), value="unit.name", sort=("unit__path",)),
        Column("leader", _("Leading social worker"), value=lambda t: str(t.leader) if t.leader else "—"),
        Column("n", _("Members"), sort=("n",), css="num"),
        edit_column("volunteers:team_edit", Perm.RECORD_EDIT),
    ],
    default_sort="name",
    filterset=TeamFilter,
    search=_search_teams,
    search_placeholder=_("Team name"),
    empty=_("None yet."),
)
