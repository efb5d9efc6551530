"""入户探访记录表: one visit, or a community's visits of a month (a page
each), as stations keep them on paper for inspection. Made like the other
printed forms (volunteering/certificate.py, reports/builder.py): a template
rendered in Chinese and written by weasyprint with Noto Sans CJK SC. The
person's data is masked as the paper form holds it; photos are printed small
and the signature as drawn. Files are read through the storage API and
embedded, so the PDF needs nothing from disk or the network."""

from __future__ import annotations

import base64
import datetime as dt
import io
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from customfields.display import printed_custom

THUMB_EDGE = 480  # pixels of a printed photo's longer side (about 4 cm at 300 dpi)


def _data_uri(field: Any, *, thumb: bool) -> str:
    """A stored image as a data: URI (a photo shrunk for print first)."""
    if not field:
        return ""
    try:
        with field.storage.open(field.name, "rb") as f:
            raw = f.read()
    except OSError:
        return ""  # a file lost from the storage: the record prints without it
    if not thumb:
        return "data:image/png;base64," + base64.b64encode(raw).decode()
    from PIL import Image

    with Image.open(io.BytesIO(raw)) as image:
        small = image.convert("RGB")
        small.thumbnail((THUMB_EDGE, THUMB_EDGE))
        out = io.BytesIO()
        small.save(out, "JPEG", quality=80)
    return "data:image/jpeg;base64," + base64.b64encode(out.getvalue()).decode()


def _person_rows(visit: Any) -> dict[str, Any]:
    from core.identity import mask_address, mask_id, mask_phone

    p = visit.person
    categories = [c.category.name for c in p.categories.all() if c.active_on(visit.visited_on)]
    address = p.actual_address or (p.household.address if p.household_id else "")
    grade = getattr(p, "grade", None)
    return {
        "name": p.name,
        "sex": p.get_sex_display(),
        "age": p.age_on(visit.visited_on),
        "id": mask_id(tail=p.id_tail) if p.id_tail else "—",
        "phone": mask_phone(p.phone) or "—",
        "address": mask_address(address) or "—",
        "categories": "、".join(categories) or "—",
        "card": grade.get_card_display() if grade is not None else "",
    }


def _page(visit: Any) -> dict[str, Any]:
    community = visit.unit
    station = community.parent if community.parent_id else community
    return {
        "v": visit,
        "station": station,
        "community": community,
        "person": _person_rows(visit),
        "companions": "、".join(c.name for c in visit.companions.all()) or "—",
        "photos": [uri for uri in (_data_uri(ph.file, thumb=True) for ph in visit.photos.all()) if uri],
        "signature": _data_uri(visit.signature, thumb=False),
        "custom": printed_custom(visit, "visit"),  # the district's custom fields, sensitive ones masked
    }


def visits_html(visits: Sequence[Any], *, title: str) -> str:
    with translation.override("zh-hans"):
        return render_to_string(
            "grading/visit_record_print.html",
            {"pages": [_page(v) for v in visits], "title": title, "printed_at": timezone.localtime()},
        )


def visits_pdf(visits: Sequence[Any], *, title: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=visits_html(visits, title=title), base_url=str(settings.BASE_DIR)).write_pdf()


def month_title(community: Any, month: dt.date) -> str:
    return f"{community.name} {month:%Y}年{month.month}月 入户探访记录"
