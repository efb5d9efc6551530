"""Demo data for needs and resources: open needs for demo residents, offers
from demo volunteers and enterprises, and micro-wishes in each state.
Idempotent: looks rows up by natural key and creates only what is missing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from core.access import under, within
from matching.models import (
    Need,
    NeedSource,
    NeedStatus,
    NeedStatusChange,
    NeedType,
    OfferKind,
    ResourceOffer,
    Wish,
    WishStatus,
)

SERVICE_TYPES = ["escort", "housekeeping", "meals", "companionship", "tutoring", "repairs", "haircut"]
GOODS_TYPES = ["goods-food", "goods-appliance", "goods-study"]
WISHES = [
    ("一台电风扇", "goods-appliance", Decimal("180"), WishStatus.PUBLISHED),
    ("一个新书包", "goods-study", Decimal("120"), WishStatus.CLAIMED),
    ("一床冬被", "goods-food", Decimal("200"), WishStatus.FULFILLED),
]
# 1×1 transparent PNG as the demo proof photo
_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082"
)


def seed(ctx: Any) -> None:
    from partners.models import Enterprise
    from people.models import Person
    from volunteers.models import Volunteer

    types = {t.code: t for t in NeedType.objects.select_related("domain")}
    today = timezone.localdate()
    for station in ctx.data["stations"]:
        persons = list(Person.objects.filter(unit__parent=station, is_active=True).order_by("id")[:16])
        for i, person in enumerate(persons[:12]):
            code = (SERVICE_TYPES + GOODS_TYPES)[i % 10]
            marker = f"演示需求{i + 1}"
            if Need.objects.filter(person=person, description__startswith=marker).exists():
                continue
            start = today + dt.timedelta(days=ctx.rng.randint(0, 5))
            need = Need.objects.create(
                unit=person.unit,
                person=person,
                domain=types[code].domain,
                need_type=code,
                description=f"{marker}：{types[code].name}",
                quantity=ctx.rng.randint(1, 3) if code.startswith("goods") else 1,
                window_start=start,
                window_end=start + dt.timedelta(days=ctx.rng.randint(7, 30)),
                source=NeedSource.REQUEST,
            )
            NeedStatusChange.objects.create(need=need, to_status=NeedStatus.OPEN)
        for vol in Volunteer.objects.filter(within(station), is_active=True).prefetch_related("skills")[:20]:
            if ResourceOffer.objects.filter(volunteer=vol).exists():
                continue
            codes = [s.code for s in vol.skills.all() if s.code in types]
            if not codes:
                codes = [SERVICE_TYPES[vol.pk % len(SERVICE_TYPES)]]
            offer = ResourceOffer.objects.create(
                unit=vol.unit,
                kind=OfferKind.VOLUNTEER,
                name=f"{vol.name}的志愿时间",
                volunteer=vol,
                capacity=vol.max_tasks_per_week,
                latitude=vol.latitude,
                longitude=vol.longitude,
            )
            offer.need_types.set([types[c] for c in codes])
        for j, ent in enumerate(under(Enterprise.objects.all(), station).order_by("id")[:4]):
            if ResourceOffer.objects.filter(enterprise=ent).exists():
                continue
            code = GOODS_TYPES[j % len(GOODS_TYPES)]
            offer = ResourceOffer.objects.create(
                unit=ent.unit,
                kind=OfferKind.GOODS,
                name=f"{ent.name}·{types[code].name}",
                enterprise=ent,
                capacity=ctx.rng.randint(5, 20),
                place=ent.address,
                latitude=ent.latitude,
                longitude=ent.longitude,
            )
            offer.need_types.set([types[code]])
        giver = under(Enterprise.objects.all(), station).order_by("id").first()
        for k, (title, code, value, status) in enumerate(WISHES):
            if len(persons) <= 12 + k:
                break
            person = persons[12 + k]
            if Wish.objects.filter(person=person, title=title).exists():
                continue
            deadline = today + dt.timedelta(days=20 + k)
            need = Need.objects.create(
                unit=person.unit,
                person=person,
                domain=types[code].domain,
                need_type=code,
                description=title,
                window_start=today - dt.timedelta(days=10),
                window_end=deadline,
                source=NeedSource.WISH,
                status={
                    WishStatus.PUBLISHED: NeedStatus.OPEN,
                    WishStatus.CLAIMED: NeedStatus.MATCHED,
                    WishStatus.FULFILLED: NeedStatus.DONE,
                }[status],
            )
            NeedStatusChange.objects.create(need=need, to_status=need.status)
            wish = Wish(
                unit=person.unit,
                person=person,
                need=need,
                title=title,
                value=value,
                deadline=deadline,
                status=status,
                published_on=today - dt.timedelta(days=10),
            )
            if status != WishStatus.PUBLISHED and giver is not None:
                wish.claimant_enterprise = giver
                wish.claimed_on = today - dt.timedelta(days=5)
            elif status != WishStatus.PUBLISHED:
                wish.status = WishStatus.PUBLISHED
            if wish.status == WishStatus.FULFILLED:
                wish.fulfilled_on = today - dt.timedelta(days=1)
                wish.photo.save(f"demo-{person.pk}.png", ContentFile(_PNG), save=False)
            wish.save()
