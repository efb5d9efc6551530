"""Importing the members of the community organisations from a roster
(社团成员名册): one row per member, naming its organisation. Checked by the
rules the member form uses (partners/incubation.py), saved in one
transaction; each organisation's member and Party-member figures follow."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.actions import Action
from audit.services import audit_record
from core import identity
from core.access import Perm, require, scope
from core.excel import Checked, Column, Registry, RowError
from core.ledger import NAME, PHONE
from partners.incubation import check_member, recount
from partners.models import CommunityOrganisation, OrganisationMember

_YES = {"是", "党员", "中共党员", "y", "yes", "1", "√", "预备党员"}
_NO = {"", "否", "群众", "n", "no", "0", "团员", "非党员"}


class MemberRegistry(Registry):
    key = "organisation_members"
    title = "社团成员名册"
    perm = Perm.RECORD_EDIT
    namespace = "partners"
    url_prefix = "member_"
    list_url = "partners:organisation_list"
    columns = (
        Column(
            "所属组织",
            "organisation",
            True,
            "社区社会组织名称，须已登记且在您的管辖范围内",
            synonyms=("组织名称", "社团", "社团名称", "所属社团"),
        ),
        Column("姓名", "name", True, synonyms=NAME),
        Column("联系电话", "phone", synonyms=PHONE),
        Column("职务", "role", False, "如：队长、副队长、成员", synonyms=("担任职务", "角色")),
        Column("是否党员", "party", False, "是或否", synonyms=("政治面貌", "党员")),
        Column("加入日期", "joined_on", False, synonyms=("入会日期", "加入时间")),
    )

    def check(self, actor: Any, rows: Iterator[tuple[int, dict[str, Any]]]) -> Checked:
        require(actor, self.perm)
        orgs: dict[str, list[CommunityOrganisation]] = {}
        for o in scope(CommunityOrganisation.objects.filter(is_active=True), actor):
            orgs.setdefault(o.name, []).append(o)
        on_file = set(
            OrganisationMember.objects.filter(
                organisation__in=[o for group in orgs.values() for o in group]
            ).values_list("organisation_id", "name", "phone")
        )
        out = Checked()
        seen: dict[tuple[int, str, str], int] = {}
        for n, raw in rows:
            out.total += 1
            errs: list[RowError] = []
            org_name = identity.normalise_text(raw.get("organisation"))
            found = orgs.get(org_name, [])
            if len(found) != 1:
                message = (
                    _("Unknown organisation “%(name)s” (or not in your area).")
                    if not found
                    else _("Several organisations are called “%(name)s”: rename one first.")
                )
                errs.append(RowError(n, "所属组织", message % {"name": org_name}))
            party_text = identity.normalise_text(raw.get("party")).lower()
            if party_text not in _YES | _NO:
                errs.append(RowError(n, "是否党员", _("Write 是 or 否.")))
            joined = None
            if raw.get("joined_on") not in (None, ""):
                try:
                    joined = identity.parse_date(raw["joined_on"])
                except ValidationError as exc:
                    errs.append(RowError(n, "加入日期", exc.messages[0]))
            name, phone = "", ""
            try:
                name, phone = check_member(raw.get("name") or "", identity.normalise_code(raw.get("phone")), joined)
            except ValidationError as exc:
                column = {"name": "姓名", "joined_on": "加入日期"}
                for field, messages in getattr(exc, "message_dict", {"phone": exc.messages}).items():
                    errs.append(RowError(n, column.get(field, "联系电话"), messages[0]))
            if errs:
                out.errors.extend(errs)
                continue
            org = found[0]
            key = (org.pk, name, phone)
            if key in on_file:
                out.duplicates.append(
                    RowError(n, "姓名", _("Already on the roster: %(name)s: skipped.") % {"name": name})
                )
                continue
            if key in seen:
                out.duplicates.append(
                    RowError(n, "姓名", _("Same member as row %(row)s: skipped.") % {"row": seen[key]})
                )
                continue
            seen[key] = n
            out.rows.append(
                {
                    "organisation": org.pk,
                    "name": name,
                    "phone": phone,
                    "role": identity.normalise_text(raw.get("role"))[:30],
                    "is_party_member": party_text in _YES,
                    "joined_on": joined.isoformat() if joined else None,
                }
            )
        out.errors.sort(key=lambda e: e.row)
        return out

    def save(self, actor: Any, rows: list[Any], progress: Callable[[int], None]) -> tuple[int, int]:
        require(actor, self.perm)
        with transaction.atomic():
            allowed = {
                o.pk: o
                for o in scope(CommunityOrganisation.objects.filter(pk__in={d["organisation"] for d in rows}), actor)
            }
            if len(allowed) != len({d["organisation"] for d in rows}):
                raise ValidationError(_("Your area changed since the check. Upload the file again."))
            taken = set(
                OrganisationMember.objects.filter(organisation__in=list(allowed.values())).values_list(
                    "organisation_id", "name", "phone"
                )
            )
            kept = [d for d in rows if (d["organisation"], d["name"], d["phone"]) not in taken]
            today = timezone.localdate()
            OrganisationMember.objects.bulk_create(
                [
                    OrganisationMember(
                        organisation_id=d["organisation"],
                        name=d["name"],
                        phone=d["phone"],
                        role=d["role"],
                        is_party_member=d["is_party_member"],
                        joined_on=min(dt.date.fromisoformat(d["joined_on"]), today) if d["joined_on"] else None,
                    )
                    for d in kept
                ],
                batch_size=2000,
            )
            by_org: dict[int, int] = {}
            for d in kept:
                by_org[d["organisation"]] = by_org.get(d["organisation"], 0) + 1
            for pk, count in by_org.items():
                recount(allowed[pk])
                audit_record(
                    actor=actor,
                    action=Action.ORGANISATION_MEMBER_IMPORT,
                    target=allowed[pk],
                    changes={"rows": count},
                )
            progress(len(kept))
        return len(kept), len(rows) - len(kept)
