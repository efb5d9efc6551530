"""Demo incubation: for the first station's organisations, a stage history,
support and assessments logged, and a member roster whose counts are the
organisation's figures. Idempotent: an organisation with a log is left alone."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from core.demo import DemoContext

ROLES = ["队长", "副队长", "联络员"]
STEPS = [("planning", "incubating", 300), ("incubating", "growing", 120)]
LOG = [
    ("training", 280, "社团骨干培训：活动策划与安全", None, None),
    ("mentoring", 210, "社工一对一陪伴：制定章程", None, None),
    ("venue", 200, "文化站排练室每周免费使用", None, None),
    ("funding", 150, "微创投项目启动资金", Decimal("3000"), None),
    ("assessment", 100, "孵化中期评估：组织架构、活动频次、成员满意度", None, 78),
]


def seed(ctx: DemoContext) -> None:
    from django.utils import timezone

    from partners.models import CommunityOrganisation, IncubationEntry, OrganisationMember, StageChange

    station = ctx.data["stations"][0]
    today = timezone.localdate()
    orgs = CommunityOrganisation.objects.filter(unit__in=station.subtree()).order_by("name")
    for o in orgs:
        if IncubationEntry.objects.filter(organisation=o).exists():
            continue
        for before, after, days in STEPS:
            StageChange.objects.create(
                organisation=o, from_stage=before, to_stage=after, date=today - dt.timedelta(days=days)
            )
        o.stage = "growing"
        IncubationEntry.objects.bulk_create(
            IncubationEntry(organisation=o, kind=k, date=today - dt.timedelta(days=d), notes=t, amount=a, score=s)
            for k, d, t, a, s in LOG
        )
        size = max(o.members, 8)
        party = min(o.party_members, size)
        members = []
        for i in range(size):
            members.append(
                OrganisationMember(
                    organisation=o,
                    name=ctx.faker.name(),
                    phone=f"13{ctx.rng.randint(0, 999999999):09d}",
                    role=ROLES[i] if i < len(ROLES) else "",
                    is_party_member=i < party,
                    joined_on=today - dt.timedelta(days=ctx.rng.randint(30, 700)),
                )
            )
        OrganisationMember.objects.bulk_create(members, ignore_conflicts=True)
        o.members = OrganisationMember.objects.filter(organisation=o).count()
        o.party_members = OrganisationMember.objects.filter(organisation=o, is_party_member=True).count()
        o.save(update_fields=["stage", "members", "party_members"])
