"""Importing the partner ledgers stations keep: caring enterprises, community
social organisations and the charitable-resources ledger (core/excel.py,
core/imports.py). Each row is checked by the rules the forms use
(partners/services.py) and saved through the same services, all in one
transaction, each with its audit event, plus one event for the import."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.actions import Action
from audit.services import audit_record
from core import identity
from core.access import Perm, require, unit_subtree
from core.excel import Checked, Column, Registry, RowError
from core.ledger import PHONE
from core.models import ServiceDomain
from orgs.models import OrgUnit
from partners import services
from partners.models import CommunityOrganisation, Direction, Enterprise, Filing, ResourceEntry, ResourceKind, Stage

UNIT = ("所属社区", "社区", "所在社区", "所属单位", "所属区域", "社区名称")


class _PartnerRegistry(Registry):
    """One partner ledger: `fields(raw, units, err)` turns a row into the
    service's keyword arguments (JSON values), `duplicate(fields, seen)`
    says why a row is on file or repeated (or ""), `create` saves one."""

    perm = Perm.RECORD_EDIT
    namespace = "partners"
    model: Any = None
    action: str = ""

    def check(self, actor: Any, rows: Iterator[tuple[int, dict[str, Any]]]) -> Checked:
        require(actor, self.perm)
        units: dict[str, OrgUnit] = {}
        for u in unit_subtree(actor):
            units[u.name] = u
            units[u.code] = u
        header = {c.key: c.header for c in self.columns}
        out = Checked()
        seen: dict[Any, int] = {}
        for n, raw in rows:
            out.total += 1
            errs: list[RowError] = []

            def err(key: str, msg: str, n: int = n, errs: list[RowError] = errs) -> None:
                errs.append(RowError(n, header.get(key, key), msg))

            unit: OrgUnit | None = actor.unit
            unit_name = identity.normalise_text(raw.get("unit"))
            if unit_name:
                unit = units.get(unit_name)
                if unit is None:
                    err("unit", _("Unknown community “%(name)s” (or not in your area).") % {"name": unit_name})
            fields = self.fields(actor, raw, err)
            if not errs and unit is not None:
                for key, messages in self.validate(actor, unit, fields).items():
                    err(key if key in header else next(iter(header)), messages[0])
            if errs:
                out.errors.extend(sorted(errs, key=lambda e: list(header.values()).index(e.column)))
                continue
            assert unit is not None
            why = self.duplicate(unit, fields, seen, n)
            if why:
                out.duplicates.append(RowError(n, header[self.columns[0].key], why))
                continue
            out.rows.append({"n": n, "unit": unit.pk, **fields})
        return out

    def save(self, actor: Any, rows: list[Any], progress: Callable[[int], None]) -> tuple[int, int]:
        require(actor, self.perm)
        units = {u.pk: u for u in unit_subtree(actor)}
        if any(d["unit"] not in units for d in rows):
            raise ValidationError(
                _("Your area changed since the check: some communities are no longer in it. Upload the file again.")
            )
        saved = skipped = 0
        with transaction.atomic():
            seen: dict[Any, int] = {}
            for d in rows:
                fields = {k: v for k, v in d.items() if k not in ("n", "unit")}
                unit = units[d["unit"]]
                if self.duplicate(unit, fields, seen, d["n"]):
                    skipped += 1  # saved by someone else since the check
                    continue
                self.create(actor, unit, self.typed(fields))
                saved += 1
                progress(saved)
            audit_record(actor=actor, action=self.action, unit=actor.unit, changes={"rows": saved, "skipped": skipped})
        return saved, skipped

    # ------------------------------------------------------------ per ledger

    def fields(self, actor: Any, raw: dict[str, Any], err: Callable[[str, str], None]) -> dict[str, Any]:
        raise NotImplementedError

    def typed(self, fields: dict[str, Any]) -> dict[str, Any]:
        """The checked JSON values as the service takes them."""
        return fields

    def validate(self, actor: Any, unit: OrgUnit, fields: dict[str, Any]) -> dict[str, list[str]]:
        raise NotImplementedError

    def duplicate(self, unit: OrgUnit, fields: dict[str, Any], seen: dict[Any, int], n: int) -> str:
        raise NotImplementedError

    def create(self, actor: Any, unit: OrgUnit, fields: dict[str, Any]) -> Any:
        raise NotImplementedError


def _errors(exc: ValidationError) -> dict[str, list[str]]:
    return exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}


def _repeat(seen: dict[Any, int], key: Any, n: int) -> str:
    if key in seen and seen[key] != n:
        return _("Same as row %(row)s: skipped.") % {"row": seen[key]}
    seen[key] = n
    return ""


def _text(raw: dict[str, Any], key: str) -> str:
    return identity.normalise_text(raw.get(key))


def _number(raw: dict[str, Any], key: str, err: Callable[[str, str], None], whole: bool = False) -> Any:
    value = raw.get(key)
    if value in (None, ""):
        return None
    text = identity.normalise_code(value).replace(",", "").removesuffix("元").removesuffix("人")
    try:
        number = Decimal(text)
    except InvalidOperation:
        err(key, _("“%(value)s” is not a number.") % {"value": value})
        return None
    if number < 0:
        err(key, _("The number cannot be negative."))
        return None
    if whole:
        if number != number.to_integral_value():
            err(key, _("Write a whole number."))
            return None
        return int(number)
    return str(number.quantize(Decimal("0.01")))


def _date(raw: dict[str, Any], key: str, err: Callable[[str, str], None]) -> str | None:
    if raw.get(key) in (None, ""):
        return None
    try:
        return identity.parse_date(raw[key]).isoformat()
    except ValidationError as exc:
        err(key, exc.messages[0])
        return None


def _choice(raw: dict[str, Any], key: str, words: Mapping[str, str], err: Callable[[str, str], None]) -> str:
    text = _text(raw, key)
    if not text:
        return ""
    for word, value in words.items():
        if word in text:
            return value
    err(key, _("Write one of: %(words)s.") % {"words": "、".join(words)})
    return ""


class EnterpriseRegistry(_PartnerRegistry):
    key = "enterprises"
    title = "爱心企业台账"
    url_prefix = "enterprise_"
    list_url = "partners:enterprise_list"
    action = Action.ENTERPRISE_IMPORT
    columns = (
        Column("企业名称", "name", True, synonyms=("名称", "企业", "爱心企业", "单位名称", "企业(单位)名称")),
        Column(
            "统一社会信用代码",
            "credit_code",
            False,
            "18位",
            synonyms=("信用代码", "社会信用代码", "统一代码", "统一社会信用代码(18位)"),
        ),
        Column("联系人", "contact_person", synonyms=("负责人", "联系人姓名")),
        Column("联系电话", "phone", synonyms=PHONE),
        Column("地址", "address", synonyms=("企业地址", "经营地址", "注册地址", "详细地址", "办公地址")),
        Column("所属社区", "unit", False, "社区或站点名称，不填则为您所在的站点", synonyms=UNIT[1:]),
    )

    def fields(self, actor: Any, raw: dict[str, Any], err: Callable[[str, str], None]) -> dict[str, Any]:
        name = _text(raw, "name")
        if not name:
            err("name", _("The name of the enterprise or organisation is missing."))
        return {
            "name": name,
            "credit_code": identity.normalise_code(raw.get("credit_code")),
            "contact_person": _text(raw, "contact_person"),
            "phone": identity.normalise_code(raw.get("phone")),
            "address": _text(raw, "address"),
        }

    def validate(self, actor: Any, unit: OrgUnit, fields: dict[str, Any]) -> dict[str, list[str]]:
        e = Enterprise(unit=unit)
        try:
            services._apply(actor, e, services.ENTERPRISE_FIELDS, fields)
            if e.credit_code:
                e.credit_code = identity.validate_credit_code(e.credit_code)
            services._full_clean(e)
        except ValidationError as exc:
            return {("credit_code" if k == "__all__" else k): v for k, v in _errors(exc).items()}
        fields.update(credit_code=e.credit_code, phone=e.phone)
        return {}

    def duplicate(self, unit: OrgUnit, fields: dict[str, Any], seen: dict[Any, int], n: int) -> str:
        code = fields["credit_code"]
        on_file = (
            Enterprise.objects.filter(credit_code=code).first()
            if code
            else Enterprise.objects.filter(unit=unit, name=fields["name"]).first()
        )
        if on_file is not None:
            return _("Already on file: %(name)s: skipped.") % {"name": on_file.name}
        return _repeat(seen, code or (unit.pk, fields["name"]), n)

    def create(self, actor: Any, unit: OrgUnit, fields: dict[str, Any]) -> Any:
        return services.enterprise_create(actor=actor, unit=unit, **fields)


_STAGES = {"筹备": Stage.PLANNING, "孵化": Stage.INCUBATING, "成长": Stage.GROWING, "成熟": Stage.MATURE}
_FILINGS = {"未": Filing.NONE, "备案": Filing.FILED, "登记": Filing.REGISTERED, "注册": Filing.REGISTERED}


class OrganisationRegistry(_PartnerRegistry):
    key = "organisations"
    title = "社区社会组织台账"
    url_prefix = "organisation_"
    list_url = "partners:organisation_list"
    action = Action.ORGANISATION_IMPORT
    columns = (
        Column("组织名称", "name", True, synonyms=("名称", "社会组织名称", "社区社会组织名称", "组织")),
        Column("所属社区", "unit", False, "社区或站点名称，不填则为您所在的站点", synonyms=UNIT[1:]),
        Column("服务领域", "domain", False, "如：养老、儿童", synonyms=("服务类别", "领域", "服务类型", "类别")),
        Column("负责人", "leader", synonyms=("联系人", "负责人姓名", "法定代表人")),
        Column("联系电话", "phone", synonyms=PHONE),
        Column("成员人数", "members", False, kind="number", synonyms=("成员数", "人数", "会员人数", "成员")),
        Column("党员人数", "party_members", False, kind="number", synonyms=("其中党员", "党员数", "党员")),
        Column("发展阶段", "stage", False, "筹备、孵化、成长或成熟", synonyms=("阶段", "孵化阶段")),
        Column("备案情况", "filing", False, "未备案、备案或登记", synonyms=("备案", "备案/登记", "登记情况")),
        Column("成立日期", "founded_on", False, synonyms=("成立时间",)),
        Column("简介", "description", synonyms=("服务内容", "主要活动", "组织简介", "备注")),
    )

    def fields(self, actor: Any, raw: dict[str, Any], err: Callable[[str, str], None]) -> dict[str, Any]:
        name = _text(raw, "name")
        if not name:
            err("name", _("The name of the enterprise or organisation is missing."))
        domain = None
        domain_name = _text(raw, "domain")
        if domain_name:
            found = ServiceDomain.objects.filter(active=True, name=domain_name).first()
            if found is None:
                err("domain", _("Unknown service category “%(name)s”.") % {"name": domain_name})
            else:
                domain = found.pk
        fields = {
            "name": name,
            "domain": domain,
            "leader": _text(raw, "leader"),
            "phone": identity.normalise_code(raw.get("phone")),
            "members": _number(raw, "members", err, whole=True) or 0,
            "party_members": _number(raw, "party_members", err, whole=True) or 0,
            "founded_on": _date(raw, "founded_on", err),
            "description": _text(raw, "description"),
        }
        stage = _choice(raw, "stage", _STAGES, err)
        filing = _choice(raw, "filing", _FILINGS, err)
        return fields | ({"stage": stage} if stage else {}) | ({"filing": filing} if filing else {})

    def typed(self, fields: dict[str, Any]) -> dict[str, Any]:
        founded = fields.get("founded_on")
        return {
            **fields,
            "domain": ServiceDomain.objects.get(pk=fields["domain"]) if fields.get("domain") else None,
            "founded_on": dt.date.fromisoformat(founded) if founded else None,
        }

    def validate(self, actor: Any, unit: OrgUnit, fields: dict[str, Any]) -> dict[str, list[str]]:
        o = CommunityOrganisation(unit=unit)
        try:
            services._apply(actor, o, services.ORG_FIELDS, self.typed(fields))
            services._check_org(o)
            services._full_clean(o)
        except ValidationError as exc:
            return _errors(exc)
        fields["phone"] = o.phone
        return {}

    def duplicate(self, unit: OrgUnit, fields: dict[str, Any], seen: dict[Any, int], n: int) -> str:
        if CommunityOrganisation.objects.filter(unit=unit, name=fields["name"]).exists():
            return _("Already on file: %(name)s: skipped.") % {"name": fields["name"]}
        return _repeat(seen, (unit.pk, fields["name"]), n)

    def create(self, actor: Any, unit: OrgUnit, fields: dict[str, Any]) -> Any:
        return services.organisation_create(actor=actor, unit=unit, **fields)


_DIRECTIONS = {"收": Direction.IN, "入": Direction.IN, "接收": Direction.IN, "支": Direction.OUT, "出": Direction.OUT}
_DIRECTIONS |= {"发放": Direction.OUT}
_KINDS = {"资金": ResourceKind.MONEY, "现金": ResourceKind.MONEY, "款": ResourceKind.MONEY}
_KINDS |= {"物资": ResourceKind.IN_KIND, "实物": ResourceKind.IN_KIND, "物": ResourceKind.IN_KIND}


class ResourceRegistry(_PartnerRegistry):
    key = "resources"
    title = "公益慈善资源台账"
    url_prefix = "entry_"
    list_url = "partners:ledger"
    action = Action.RESOURCE_ENTRY_IMPORT
    columns = (
        Column("日期", "date", True, synonyms=("捐赠日期", "发放日期", "时间", "接收日期", "登记日期")),
        Column("收支", "direction", True, "收入或支出", synonyms=("收/支", "收入/支出", "收支类型", "方向")),
        Column("形式", "kind", True, "资金或物资", synonyms=("资源类型", "捐赠形式", "资源形式", "类型")),
        Column("捐赠方", "donor", False, "收入时必填", synonyms=("捐赠单位", "捐赠人", "来源", "捐赠单位(个人)")),
        Column("受赠方", "recipient", False, "支出时必填", synonyms=("受助对象", "接收方", "受益人", "发放对象")),
        Column("用途", "purpose", True, synonyms=("用途说明", "事由", "项目", "使用方向")),
        Column("物品", "description", synonyms=("物资名称", "物品名称", "明细", "内容", "物资明细")),
        Column("价值(元)", "value", True, kind="number", synonyms=("金额", "金额(元)", "价值", "折合金额", "折价(元)")),
        Column("所属社区", "unit", False, "社区或站点名称，不填则为您所在的站点", synonyms=UNIT[1:]),
    )

    def fields(self, actor: Any, raw: dict[str, Any], err: Callable[[str, str], None]) -> dict[str, Any]:
        date = _date(raw, "date", err)
        if raw.get("date") in (None, ""):
            err("date", _("A date is required."))
        direction = _choice(raw, "direction", _DIRECTIONS, err)
        kind = _choice(raw, "kind", _KINDS, err)
        for key, value in (("direction", direction), ("kind", kind)):
            if not value and not raw.get(key):
                err(key, _("This column must be filled in."))
        purpose = _text(raw, "purpose")
        if not purpose:
            err("purpose", _("This column must be filled in."))
        value = _number(raw, "value", err)
        if value is None and raw.get("value") in (None, ""):
            err("value", _("This column must be filled in."))
        return {
            "date": date,
            "direction": direction,
            "kind": kind,
            "donor": _text(raw, "donor"),
            "recipient": _text(raw, "recipient"),
            "purpose": purpose,
            "description": _text(raw, "description"),
            "value": value,
        }

    def typed(self, fields: dict[str, Any]) -> dict[str, Any]:
        return {**fields, "date": dt.date.fromisoformat(fields["date"]), "value": Decimal(fields["value"])}

    def validate(self, actor: Any, unit: OrgUnit, fields: dict[str, Any]) -> dict[str, list[str]]:
        e = ResourceEntry(unit=unit, recorded_by=actor)
        try:
            services._apply(actor, e, services.ENTRY_FIELDS, self.typed(fields))
            services._check_entry(actor, e)
            services._full_clean(e)
        except ValidationError as exc:
            return _errors(exc)
        return {}

    def duplicate(self, unit: OrgUnit, fields: dict[str, Any], seen: dict[Any, int], n: int) -> str:
        typed = self.typed(fields)
        same = {k: typed[k] for k in ("date", "direction", "kind", "donor", "recipient", "purpose", "value")}
        if ResourceEntry.objects.filter(unit=unit, **same).exists():
            return _("Already in the ledger: skipped.")
        return _repeat(seen, (unit.pk, *(str(v) for v in same.values())), n)

    def create(self, actor: Any, unit: OrgUnit, fields: dict[str, Any]) -> Any:
        return services.entry_create(actor=actor, unit=unit, **fields)
