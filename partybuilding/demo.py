"""Demo Party-building: a Party organisation for the district, each station
and the first station's communities (the Xihu Road shape); co-building
agreements of the first station (a bank, and a hospital, as the Xihu Road
seed's 东笙巷 has the provincial hospital beside it) and of the second (a
bank), with
delivered, pending and one overdue commitment (so the station lead's to-do
shows it); every sixth volunteer flagged a Party member and
every fourth activity Party-led. Dates are relative to the day it runs;
no random draws, so the other seeders' streams stay as they were."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.utils import timezone

if TYPE_CHECKING:
    from core.demo import DemoContext


def _org(unit: Any, name: str, kind: str, members: int) -> Any:
    from partybuilding.models import PartyOrganisation
    from partybuilding.services import party_org_create

    found = PartyOrganisation.objects.filter(unit=unit, name=name).first()
    return found or party_org_create(actor=None, unit=unit, name=name, kind=kind, members=members)


def _agreement(unit: Any, org: Any, partner: str, kind: str, signed: dt.date, commitments: list[tuple]) -> None:
    from partybuilding.models import Agreement
    from partybuilding.services import agreement_create, commitment_create, commitment_deliver

    if Agreement.objects.filter(unit=unit, partner=partner).exists():
        return
    agreement = agreement_create(
        actor=None,
        unit=unit,
        organisation=org,
        partner=partner,
        partner_kind=kind,
        signed_on=signed,
        starts_on=signed,
        ends_on=signed.replace(year=signed.year + 2),
    )
    for content, due, delivered, evidence in commitments:
        c = commitment_create(actor=None, agreement=agreement, content=content, due_on=due)
        if delivered is not None:
            commitment_deliver(actor=None, commitment=c, delivered_on=delivered, evidence=evidence)


def seed(ctx: DemoContext) -> None:
    from casework.models import Activity
    from orgs.models import OrgUnit
    from volunteers.models import Volunteer

    today = timezone.localdate()
    signed = today.replace(month=1, day=1) - dt.timedelta(days=120)
    district, stations = ctx.data["district"], ctx.data["stations"]
    _org(district, "鲤城区社会工作行业党委", "committee", 86)
    station_orgs = [_org(s, f"{s.name}党支部", "branch", 5 + i % 4) for i, s in enumerate(stations)]
    first = stations[0]
    _agreement(
        first,
        station_orgs[0],
        "中国工商银行泉州鲤城支行",
        "bank",
        signed,
        [
            (
                "金融知识进社区讲座 4 场",
                today - dt.timedelta(days=60),
                today - dt.timedelta(days=62),
                "讲座 4 场，签到表 4 份，照片 12 张",
            ),
            ("防范电信诈骗宣传进老年人家庭", today - dt.timedelta(days=10), None, ""),
            ("重阳节慰问独居老人物资", today + dt.timedelta(days=45), None, ""),
        ],
    )
    for community in OrgUnit.objects.filter(parent=first).order_by("path"):
        _org(community, f"{community.name}党委", "committee", 11)
    _agreement(
        first,
        station_orgs[0],
        "泉州市第一医院",
        "hospital",
        signed,
        [
            ("高龄老人义诊", today - dt.timedelta(days=90), today - dt.timedelta(days=88), "义诊 1 次，服务 63 人次"),
            (
                "家庭医生签约宣传",
                today - dt.timedelta(days=30),
                today - dt.timedelta(days=29),
                "宣传 2 场，签约咨询 40 人",
            ),
            ("慢病健康讲座", today + dt.timedelta(days=30), None, ""),
        ],
    )
    _agreement(
        stations[1],
        station_orgs[1],
        "泉州银行海滨支行",
        "bank",
        signed,
        [
            (
                "微心愿认领 20 个",
                today - dt.timedelta(days=20),
                today - dt.timedelta(days=21),
                "认领并送达 20 个微心愿，回执 20 份",
            )
        ],
    )
    # Party-member volunteers and Party-led activities of the demo district.
    volunteers = list(Volunteer.objects.order_by("pk").values_list("pk", flat=True))
    Volunteer.objects.filter(pk__in=volunteers[::6]).update(is_party_member=True)
    activities = list(Activity.objects.order_by("pk").values_list("pk", flat=True))
    Activity.objects.filter(pk__in=activities[::4]).update(party_led=True)
