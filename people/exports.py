"""The residents' spreadsheet export (masked unless the user may and asks to
see the full fields); every export is audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.http import HttpResponse

from audit.actions import Action
from audit.services import audit_record
from core import identity
from core.excel import write_sheet, xlsx_response


def export_persons(user: Any, qs: Any, *, unmasked: bool, query: str) -> HttpResponse:
    today = dt.date.today()
    qs = qs.prefetch_related("categories__category").select_related("household")
    count = 0

    def rows() -> Iterator[list[Any]]:
        nonlocal count
        for p in qs.iterator(chunk_size=2000):
            count += 1
            if unmasked:
                rid, phone = identity.decrypt(p.id_cipher), p.phone
                address, home = p.actual_address, p.household.address if p.household else ""
            else:
                rid, phone = identity.masked_id_of(p), identity.mask_phone(p.phone)
                address = identity.mask_address(p.actual_address)
                home = identity.mask_address(p.household.address) if p.household else ""
            cats = "、".join(c.category.name for c in p.categories.all() if c.active_on(today))
            yield [
                p.name,
                p.get_sex_display(),
                p.birth_date,
                p.age_on(today),
                p.unit.name,
                rid,
                phone,
                address,
                home,
                cats,
            ]

    headers = ["姓名", "性别", "出生日期", "年龄", "社区", "身份证号", "联系电话", "实际居住地址", "户", "当前类别"]
    wb = write_sheet("服务对象", headers, rows())
    response = xlsx_response(wb, f"residents-{today:%Y%m%d}.xlsx")
    audit_record(
        actor=user,
        action=Action.PERSON_EXPORT_UNMASKED if unmasked else Action.PERSON_EXPORT,
        unit=user.unit,
        changes={"rows": count, "unmasked": unmasked},
        note=query[:300],
    )
    return response
