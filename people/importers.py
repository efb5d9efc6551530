"""Importing residents from a roster (花名册)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.actions import Action
from audit.services import audit_record
from core import identity
from core.access import Perm, require, unit_in_scope
from core.excel import Checked, Column, Registry, RowError, identity_cells
from core.inserts import insert_rows, insert_rows_keyed
from core.ledger import BIRTH, NAME, PHONE, RESIDENT_ID
from core.lookups import AnyOf
from people import followup
from people.models import CategoryType, Person, PersonCategory
from people.search_keys import SEARCH_KEY_FIELDS, person_search_keys
from people.selectors import communities_in_scope

_BATCH = 2000


class PeopleRegistry(Registry):
    key = "people"
    title = "服务对象花名册"
    perm = Perm.RECORD_EDIT
    namespace = "people"
    list_url = "people:person_list"
    columns = (
        Column("姓名", "name", True, synonyms=NAME),
        Column(
            "身份证号", "resident_id", False, "18位；15位旧号自动升级；出生日期和性别从中取得", synonyms=RESIDENT_ID
        ),
        Column("性别", "sex", False, "男/女；有身份证号时可不填"),
        Column("出生日期", "birth_date", False, "有身份证号时可不填；可只写年月，如 1950.03", synonyms=BIRTH),
        Column(
            "社区",
            "community",
            True,
            "社区名称或12位区划代码，须在您的管辖范围内",
            synonyms=("所属社区", "所在社区", "社区名称", "社区(村)", "村(社区)", "社区/村", "村居", "村(居)"),
        ),
        Column("联系电话", "phone", False, "手机11位或座机如0595-22345678", synonyms=PHONE),
        Column("第二电话", "phone2", synonyms=("家属电话", "紧急联系电话", "其他电话", "备用电话", "监护人电话")),
        Column("户籍地址", "registered_address", synonyms=("户籍所在地", "户口所在地", "户籍地", "户籍住址")),
        Column(
            "实际居住地址",
            "actual_address",
            synonyms=("家庭住址", "居住地址", "现住址", "住址", "家庭地址", "现居住地址", "现居住地", "居住地"),
        ),
        Column(
            "类别",
            "categories",
            False,
            "多个用顿号或逗号分隔，如：低保、独居老人",
            synonyms=("人员类别", "对象类别", "救助类别", "困难类别", "困难类型", "类型", "人员类型"),
        ),
        Column(
            "类别起始日期", "category_start", False, "不填则为导入当天", synonyms=("纳入时间", "纳入日期", "认定日期")
        ),
        Column("备注", "notes", synonyms=("说明", "情况说明")),
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
        pending: list[tuple[int, str, list[Any], list[str]]] = []
        text = identity.normalise_text

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
            community_key = text(raw.get("community"))
            unit = communities.get(community_key)
            if unit is None:
                err(
                    "社区",
                    _("Unknown community “%(name)s” (or not in your area).") % {"name": community_key}
                    if community_key
                    else _("The community is missing."),
                )
            phones = []
            for key, header in (("phone", "联系电话"), ("phone2", "第二电话")):
                try:
                    phones.append(identity.validate_phone(raw.get(key)))
                except ValidationError as exc:
                    err(header, exc.messages[0])
            cats: list[int] = []
            cat_text = text(raw.get("categories"))
            if cat_text:
                for token in filter(None, (t.strip() for t in _split(cat_text))):
                    cat = categories.get(token)
                    if cat is None:
                        err("类别", _("Unknown category “%(name)s”.") % {"name": token})
                    elif cat.pk not in cats:
                        cats.append(cat.pk)
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
            assert unit is not None  # an unknown community is a problem above
            number = parsed.number if parsed else ""
            if number:
                if number in seen:
                    out.duplicates.append(
                        RowError(n, "身份证号", _("Same ID as row %(row)s: skipped.") % {"row": seen[number]})
                    )
                    continue
                seen[number] = n
            keys = person_search_keys(name=name, phone=phones[0], phone2=phones[1])
            pending.append(
                (
                    n,
                    number,
                    [
                        n,
                        unit.pk,
                        name,
                        sex,
                        birth.toordinal(),
                        *phones,
                        text(raw.get("registered_address")),
                        text(raw.get("actual_address")),
                        text(raw.get("notes")),
                        cats,
                        start.toordinal(),
                    ],
                    [keys[f] for f in SEARCH_KEY_FIELDS],
                )
            )
        self._check_db_duplicates(actor, pending, out)
        return out

    def _check_db_duplicates(
        self, actor: Any, pending: list[tuple[int, str, list[Any], list[str]]], out: Checked
    ) -> None:
        """Rows whose resident is on file already are skipped; every other row
        gets its ID's ciphertext, keyed hash and tail (as identity.store_id)."""
        for i in range(0, len(pending), _BATCH):
            batch = pending[i : i + _BATCH]
            hashes = {n: identity.id_hash(number) for n, number, _row, _keys in batch if number}
            existing = {
                p.id_hash: p
                for p in Person.objects.filter(AnyOf(F("id_hash"), list(hashes.values()))).select_related("unit")
            }
            for n, number, row, keys in batch:
                h = hashes.get(n)
                p = existing.get(h) if h else None
                if p is not None:
                    msg = (
                        _("Already on file: %(name)s, %(unit)s (file no. %(pk)s): skipped.")
                        % {"name": p.name, "unit": p.unit.name, "pk": p.pk}
                        if unit_in_scope(actor, p.unit)
                        else _("Already on file in another station: skipped.")
                    )
                    out.duplicates.append(RowError(n, "身份证号", msg))
                    continue
                out.rows.append([*row, identity.encrypt(number), h, number[-4:], *keys])
        out.errors.sort(key=lambda e: e.row)
        out.duplicates.sort(key=lambda e: e.row)

    def save(self, actor: Any, rows: list[Any], progress: Callable[[int], None]) -> tuple[int, int]:
        """Insert the checked rows in one transaction, in bulk (COPY on
        PostgreSQL). Rows with an ID get their keys back by ID hash, rows
        without one through bulk_create, which returns them."""
        require(actor, self.perm)
        allowed = {u.pk for u in communities_in_scope(actor)}
        if any(r[_UNIT] not in allowed for r in rows):
            raise ValidationError(
                _("Your area changed since the check: some communities are no longer in it. Upload the file again.")
            )
        with transaction.atomic():
            rows, skipped = _not_on_file(rows)
            with_id = [r for r in rows if r[_HASH]]
            without_id = [r for r in rows if not r[_HASH]]
            held: list[tuple[int, int, dt.date]] = []
            created: list[int] = []
            for i in range(0, len(with_id), _BATCH):
                batch = with_id[i : i + _BATCH]
                pks = insert_rows_keyed(
                    Person, _PERSON_COLUMNS, [_person_row(r, actor.pk) for r in batch], key="id_hash"
                )
                for pk, r in zip(pks, batch, strict=True):
                    created.append(pk)
                    held += [(pk, c, dt.date.fromordinal(r[_START])) for c in r[_CATS]]
                progress(len(created))
            for i in range(0, len(without_id), _BATCH):
                batch = without_id[i : i + _BATCH]
                persons = [Person(**dict(zip(_PERSON_COLUMNS, _person_row(r, actor.pk), strict=True))) for r in batch]
                Person.objects.bulk_create(persons)
                for p, r in zip(persons, batch, strict=True):
                    created.append(p.pk)
                    held += [(p.pk, c, dt.date.fromordinal(r[_START])) for c in r[_CATS]]
                progress(len(created))
            insert_rows(PersonCategory, ("person_id", "category_id", "start_date"), held)
            audit_record(
                actor=actor,
                action=Action.PERSON_IMPORT,
                unit=actor.unit,
                changes={"rows": len(created), "skipped": skipped},
            )
            # graded in bulk, in this transaction: the imported residents are on the follow-up lists at once
            followup.enrol(actor=actor, persons=created, why=_("Imported from a roster"))
        return len(created), skipped


# A checked row: [row number, unit id, name, sex, birth date (ordinal), phone, phone2, registered
# address, actual address, notes, category ids, category start (ordinal), ID ciphertext, ID hash,
# ID tail, *search keys (people.search_keys.SEARCH_KEY_FIELDS)].
_PERSON_COLUMNS = (
    "unit_id",
    "name",
    "sex",
    "birth_date",
    "phone",
    "phone2",
    "registered_address",
    "actual_address",
    "notes",
    "id_cipher",
    "id_hash",
    "id_tail",
    *SEARCH_KEY_FIELDS,
    "created_by_id",
)
_UNIT, _BIRTH, _CATS, _START, _HASH = 1, 4, 10, 11, 13


def _person_row(r: list[Any], created_by_id: int) -> tuple[Any, ...]:
    return (*r[1:_BIRTH], dt.date.fromordinal(r[_BIRTH]), *r[_BIRTH + 1 : _CATS], *r[_START + 1 :], created_by_id)


def _not_on_file(rows: list[Any]) -> tuple[list[Any], int]:
    """The rows whose resident nobody saved since the check, and how many others."""
    on_file: set[str] = set()
    hashes = [r[_HASH] for r in rows if r[_HASH]]
    for i in range(0, len(hashes), _BATCH):
        on_file.update(
            cast(str, h)
            for h in Person.objects.filter(AnyOf(F("id_hash"), hashes[i : i + _BATCH])).values_list(
                "id_hash", flat=True
            )
        )
    if not on_file:
        return rows, 0
    kept = [r for r in rows if r[_HASH] not in on_file]
    return kept, len(rows) - len(kept)


def _split(text: str) -> list[str]:
    return _SEPARATORS.split(text)


_SEPARATORS = re.compile(r"[、,，;；/]")
