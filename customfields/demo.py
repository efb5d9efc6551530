"""Demo definitions (`manage.py load_demo`): one field on residents and one on
visits, so that the forms, pages, filters and exports show them."""

from __future__ import annotations

from typing import Any

DEMO_FIELDS: list[dict[str, Any]] = [
    {
        "target": "person",
        "code": "lonely_contact",
        "label": "是否独居老人联系人已登记",
        "kind": "yesno",
        "help_text": "独居老人的紧急联系人是否已登记在册",
        "order": 10,
    },
    {
        "target": "visit",
        "code": "blood_pressure",
        "label": "血压",
        "kind": "text",
        "help_text": "例如 130/85",
        "sensitive": True,
        "order": 10,
    },
]


def seed(ctx: Any) -> None:
    from accounts.models import User
    from customfields.models import CustomField
    from customfields.services import custom_field_create

    district = ctx.data["district"]
    admin = User.objects.filter(unit=district, role="district_admin").order_by("pk").first()
    for spec in DEMO_FIELDS:
        if not CustomField.objects.filter(district=district, target=spec["target"], code=spec["code"]).exists():
            custom_field_create(actor=admin, district=district, **spec)
