"""A few portal items so the staff's queue shows something: two residents of
the first station, a help request and a complaint waiting, and the stations'
phone numbers the portal shows. Idempotent: keyed by phone and tracking number."""

from __future__ import annotations

from django.utils import timezone

from core.demo import DemoContext

RESIDENTS = [("13900001001", "陈秀英"), ("13900001002", "林建国")]


def seed(ctx: DemoContext) -> None:
    from core.roles import Level
    from matching.models import NeedType
    from orgs.models import OrgUnit
    from portal.models import Feedback, HelpRequest, PortalAccount

    for i, station in enumerate(OrgUnit.objects.filter(level=Level.STATION, phone="").order_by("path")):
        station.phone = f"0595-2233{1000 + i:04d}"
        station.save(update_fields=["phone"])
    community = OrgUnit.objects.filter(level=Level.COMMUNITY).order_by("path").first()
    need_type = NeedType.objects.filter(active=True).order_by("order").first()
    if community is None or need_type is None:
        return
    accounts = []
    for phone, name in RESIDENTS:
        account, _created = PortalAccount.objects.get_or_create(
            phone=phone,
            defaults={
                "name": name,
                "community": community,
                "station": community.station,
                "privacy_accepted_at": timezone.now(),
            },
        )
        accounts.append(account)
    year = timezone.localdate().year
    HelpRequest.objects.get_or_create(
        tracking=f"QZ-{year}-900001",
        defaults={
            "account": accounts[0],
            "unit": community,
            "need_type": need_type,
            "description": "下周二上午去医院复查，家里没人陪同",
            "person_name": accounts[0].name,
            "birth_year": 1946,
            "contact_phone": accounts[0].phone,
        },
    )
    Feedback.objects.get_or_create(
        tracking=f"TS-{year}-900002",
        defaults={
            "account": accounts[1],
            "unit": community,
            "kind": "complaint",
            "about": "长者食堂助餐",
            "text": "上周送餐晚了一个多小时，饭菜都凉了。",
        },
    )
