"""Importing residents from a roster (花名册)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.actions import Action
from audit.services import audit_record
from core import identity
from core.access import Perm, require, unit_in_scope
from core.excel import Checked, Column, Registry, RowError, identity_cells
from core.identity import pinyin_of
from people import followup
from people.models import CategoryType, Person, PersonCategory
from people.selectors import communities_in_scope

_BATCH = 2000


class PeopleRegistry(Registry):
    key = "people"
    title = "服务对象花名册"
    perm = Perm.RECORD_EDIT
    columns = (
        Column("姓名", "name", True),
        Column("身份证号", "resident_id", False, "18位；15位旧号自动升级；出生日期和性别从中取得"),
        Column("性别", "sex", False, "男/女；有身份证号时可不填"),
        Column("出生日期", "birth_date", False, "有身份证号时可不填"),
        Column("社区", "community", True, "社区名称或12位区划代码，须在您的管辖范围内"),
        Column("联系电话", "phone", False, "手机11位或座机如0595-22345678"),
        Column("第二电话", "phone2"),
        Column("户籍地址", "registered_address"),
        Column("实际居住地址", "actual_address"),
        Column("类别", "categories", False, "多个用顿号或逗号分隔，如：低保、独居老人"),
        Column("类别起始日期", "category_start", False, "不填则为导入当天"),
        Column("备注", "notes"),
    )

    def check(self, actor: Any, rows: Iterator[tuple[int, dict[str, Any]]]) -> Checked:
        require(actor, self.perm)
        today = timezone.localdate()
        communities: dict[str, Any] = {}
        for u in communities_in_scope(actor):
            communities[u.name] = u
            communities[u.code] = u
        categories: dict[str, CategoryType] = {}
        for c in CategoryType.objects.filter(active=True):
            categories[c.name] = c
            categories[c.code] = c
        out = Checked()
        seen: dict[str, int] = {}
        pending: list[tuple[int, dict[str, Any]]] = []

        for n, raw in rows:
            out.total += 1
            errs: list[RowError] = []

            def err(col: str, msg: str, n: int = n, errs: list[RowError] = errs) -> None:
                errs.append(RowError(n, col, msg))

            name = identity.normalise_name(raw.get("name"))
            if not name:
                err("姓名", _("The name is missing."))
            parsed, birth, sex, found = identity_cells(self, n, raw, today)
            errs.extend(found)
            if parsed:
                if parsed.number in seen:
                    err("身份证号", _("Duplicate in this file: same ID as row %(row)s.") % {"row": seen[parsed.number]})
                else:
                    seen[parsed.number] = n
            community_key = identity.normalise_text(raw.get("community"))
            unit = communities.get(community_key)
            if unit is None:
                err(
                    "社区",
                    _("Unknown community “%(name)s” (or not in your area).") % {"name": community_key}
                    if community_key
                    else _("The community is missing."),
                )
            phones = {}
            for key, header in (("phone", "联系电话"), ("phone2", "第二电话")):
                try:
                    phones[key] = identity.validate_phone(raw.get(key))
                except ValidationError as exc:
                    err(header, exc.messages[0])
            cats = []
            cat_text = identity.normalise_text(raw.get("categories"))
            if cat_text:
                for token in filter(None, (t.strip() for t in _split(cat_text))):
                    cat = categories.get(token)
                    if cat is None:
                        err("类别", _("Unknown category “%(name)s”.") % {"name": token})
                    else:
                        cats.append(cat)
            start = today
            if raw.get("category_start") not in (None, ""):
                try:
                    start = identity.parse_date(raw["category_start"])
                except ValidationError as exc:
                    err("类别起始日期", exc.messages[0])
                else:
                    if start > today:
                        err("类别起始日期", _("The date is in the future."))
            if errs:
                out.errors.extend(errs)
                continue
            pending.append(
                (
                    n,
                    {
                        "name": name,
                        "number": parsed.number if parsed else "",
                        "sex": sex,
                        "birth_date": birth,
                        "unit": unit,
                        **phones,
                        "registered_address": identity.normalise_text(raw.get("registered_address")),
                        "actual_address": identity.normalise_text(raw.get("actual_address")),
                        "notes": identity.normalise_text(raw.get("notes")),
                        "categories": cats,
                        "category_start": start,
                    },
                )
            )
        self._check_db_duplicates(actor, pending, out)
        return out

    def _check_db_duplicates(self, actor: Any, pending: list[tuple[int, dict[str, Any]]], out: Checked) -> None:
        for i in range(0, len(pending), _BATCH):
            batch = pending[i : i + _BATCH]
            hashes = {identity.id_hash(d["number"]): (n, d) for n, d in batch if d["number"]}
            existing = {p.id_hash: p for p in Person.objects.filter(id_hash__in=list(hashes)).select_related("unit")}
            for h, (n, d) in hashes.items():
                d["id_hash"] = h
                p = existing.get(h)
                if p is not None:
                    msg = (
                        _("Already on file: %(name)s, %(unit)s (file no. %(pk)s).")
                        % {"name": p.name, "unit": p.unit.name, "pk": p.pk}
                        if unit_in_scope(actor, p.unit)
                        else _("Already on file in another station.")
                    )
                    out.errors.append(RowError(n, "身份证号", msg))
                    d["bad"] = True
            out.rows.extend(d for _n, d in batch if not d.get("bad"))
        out.errors.sort(key=lambda e: e.row)

    @transaction.atomic
    def save(self, actor: Any, checked: Checked) -> int:
        """Insert every checked row in one transaction. Rows with an ID go in
        through a plain executemany (Django's per-value preparation dominates
        bulk_create at 100,000 rows) and get their keys back by ID hash;
        rows without an ID go through bulk_create, which returns keys."""
        require(actor, self.perm)
        rows = checked.rows
        with_id = [d for d in rows if d["number"]]
        without_id = [d for d in rows if not d["number"]]
        held: list[tuple[int, int, dt.date]] = []
        created: list[int] = []
        for i in range(0, len(with_id), _BATCH):
            batch = with_id[i : i + _BATCH]
            _insert_persons(batch, actor.pk)
            keys = dict(Person.objects.filter(id_hash__in=[d["id_hash"] for d in batch]).values_list("id_hash", "pk"))
            held += [(keys[d["id_hash"]], c.pk, d["category_start"]) for d in batch for c in d["categories"]]
            created += [keys[d["id_hash"]] for d in batch]
        for i in range(0, len(without_id), _BATCH):
            batch = without_id[i : i + _BATCH]
            persons = [Person(**_person_values(d, actor.pk)) for d in batch]
            Person.objects.bulk_create(persons)
            held += [
                (p.pk, c.pk, d["category_start"]) for p, d in zip(persons, batch, strict=True) for c in d["categories"]
            ]
            created += [p.pk for p in persons]
        for i in range(0, len(held), _BATCH * 2):
            _insert_categories(held[i : i + _BATCH * 2])
        audit_record(actor=actor, action=Action.PERSON_IMPORT, unit=actor.unit, changes={"rows": len(rows)})
        # graded in bulk, in this transaction: the imported residents are on the follow-up lists at once
        followup.enrol(actor=actor, persons=created, why=_("Imported from a roster"))
        return len(rows)


def _person_values(d: dict[str, Any], created_by_id: int) -> dict[str, Any]:
    full, initials = pinyin_of(d["name"])
    values = {
        "unit_id": d["unit"].pk,
        "created_by_id": created_by_id,
        "name": d["name"],
        "name_pinyin": full,
        "name_initials": initials,
        "sex": d["sex"],
        "birth_date": d["birth_date"],
        "phone": d["phone"],
        "phone2": d["phone2"],
        "registered_address": d["registered_address"],
        "actual_address": d["actual_address"],
        "notes": d["notes"],
    }
    if d["number"]:
        values.update(
            id_cipher=identity.encrypt(d["number"]),
            id_hash=d.get("id_hash") or identity.id_hash(d["number"]),
            id_tail=d["number"][-4:],
        )
    return values


def _column(field: Any) -> str:
    """The column of a concrete field (the stubs allow None, for the others)."""
    return cast(str, field.column)


def _insert_persons(batch: list[dict[str, Any]], created_by_id: int) -> None:
    from django.db import connection
    from django.db.models import DateField, DateTimeField
    from django.utils import timezone

    ops = connection.ops
    fields = [f for f in Person._meta.concrete_fields if not f.primary_key]
    now = ops.adapt_datetimefield_value(timezone.now())
    defaults = {}
    for f in fields:
        if isinstance(f, DateTimeField) and (f.auto_now or f.auto_now_add):
            defaults[f.attname] = now
        else:
            defaults[f.attname] = f.get_default()
    dates = {f.attname for f in fields if isinstance(f, DateField) and not isinstance(f, DateTimeField)}
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        ops.quote_name(Person._meta.db_table),
        ", ".join(ops.quote_name(_column(f)) for f in fields),
        ", ".join(["%s"] * len(fields)),
    )
    params = []
    for d in batch:
        values = _person_values(d, created_by_id)
        row = []
        for f in fields:
            v = values.get(f.attname, defaults[f.attname])
            row.append(ops.adapt_datefield_value(v) if f.attname in dates else v)
        params.append(row)
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def _insert_categories(rows: list[tuple[int, int, dt.date]]) -> None:
    from django.db import connection

    ops = connection.ops
    table = PersonCategory._meta
    cols = ["person_id", "category_id", "start_date", "subtype", "evidence"]
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        ops.quote_name(table.db_table),
        ", ".join(ops.quote_name(_column(table.get_field(c.removesuffix("_id")))) for c in cols),
        ", ".join(["%s"] * len(cols)),
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, [(p, c, ops.adapt_datefield_value(start), "", "") for p, c, start in rows])


def _split(text: str) -> list[str]:
    import re

    return re.split(r"[、,，;；/]", text)
