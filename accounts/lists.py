"""The staff accounts list, declared for the list toolkit (docs/lists.md),
with the bulk unlock of accounts locked after failed logins."""

from __future__ import annotations

from typing import Any

import django_filters
from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from accounts import selectors, services
from audit.actions import Action
from core import bulk, identity
from core.access import Perm
from core.lists import Column, Export, ExportColumn, ListFilterSet, ListSpec, OrgUnitFilter, pk_link
from core.roles import Role


class StaffFilter(ListFilterSet):
    role = django_filters.ChoiceFilter(label=_("Role"), choices=Role.choices, empty_label=_("all roles"))
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[("active", _("Active")), ("inactive", _("Inactive"))],
        empty_label=_("all statuses"),
        method="by_status",
    )
    unit = OrgUnitFilter()

    def by_status(self, qs: QuerySet, _name: str, value: str) -> QuerySet:
        return qs.filter(is_active=value == "active")


def _staff(user: Any) -> QuerySet:
    from axes.models import AccessAttempt

    locked = AccessAttempt.objects.filter(
        username=OuterRef("username"), failures_since_start__gte=settings.LOGIN_FAILURE_LIMIT
    )
    return selectors.staff_manageable(user).annotate(is_locked=Exists(locked))


def _search(qs: QuerySet, text: str) -> QuerySet:
    from django.db.models import Q

    text = identity.normalise_text(text)
    return qs.filter(
        Q(username__icontains=text)
        | Q(first_name__contains=text)
        | Q(last_name__contains=text)
        | Q(phone__endswith=text)
    )


STAFF = ListSpec(
    key="accounts.staff",
    queryset=_staff,
    columns=[
        Column(
            "name",
            pgettext_lazy("person", "Name"),
            value=str,
            sort=("last_name", "first_name", "username"),
            link=pk_link("accounts:staff_edit"),
        ),
        Column("username", _("Username"), sort=("username",)),
        Column("role", _("Role"), value="get_role_display", sort=("role",)),
        Column("unit", _("Unit"), value="unit.name", sort=("unit__path", "username")),
        Column("status", _("Status"), template="accounts/_status_cell.html"),
    ],
    default_sort="unit",
    filterset=StaffFilter,
    search=_search,
    search_placeholder=_("Name, username or phone tail"),
    export=Export(
        columns=[
            ExportColumn("姓名", str),
            ExportColumn("用户名", "username"),
            ExportColumn("角色", "get_role_display"),
            ExportColumn("所属单位", "unit.name"),
            ExportColumn("联系电话", "phone", mask=identity.mask_phone),
            ExportColumn("在用", lambda s: "是" if s.is_active else "否"),
            ExportColumn("已锁定", lambda s: "是" if s.is_locked else "否"),
            ExportColumn("最近登录", lambda s: f"{s.last_login:%Y-%m-%d %H:%M}" if s.last_login else ""),
        ],
        filename="staff.xlsx",
        sheet="工作人员",
        action=Action.STAFF_EXPORT,
        action_unmasked=Action.STAFF_EXPORT_UNMASKED,
    ),
    selectable=True,
    empty=_("None yet."),
)


@transaction.atomic
def _unlock(*, actor: Any, records: QuerySet, data: dict[str, Any]) -> str:
    locked = [s for s in records if s.is_locked]
    for staff in locked:
        services.staff_unlock(actor=actor, staff=staff)
    return ngettext("%(n)s account unlocked.", "%(n)s accounts unlocked.", len(locked)) % {"n": len(locked)}


bulk.register(STAFF.key, bulk.BulkAction(key="unlock", label=_("Unlock"), perm=Perm.SECURITY_MANAGE, run=_unlock))
