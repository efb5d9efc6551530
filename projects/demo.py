"""Demo: the seeds' service projects at the first stations (乐童公社 the first
station's brand project, 公益集市, 微心愿, 新春楹联, 适老化家电 the second's
brand, 公益联盟), each with budget lines and expenditures with receipts
(most approved by the station lead, one waiting), and a few of the station's
activities, micro-wishes and ledger entries linked to them.

Idempotent: skipped when the first station already has a project. Projects,
lines and expenditures go through the services; existing records are linked
by a plain update (they are the other areas' demo rows)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from core.access import within
from core.demo import DemoContext

# (name, domain code, brand, goals, targets (person-times, activities, households, raised),
#  budget lines [(name, amount)], expenditures [(line, amount, payee, purpose, approved)],
#  activity title words to link)
PROJECTS: dict[int, list[tuple[Any, ...]]] = {
    0: [
        (
            "乐童公社",
            "children",
            True,
            "为辖区留守儿童、困境儿童提供每周固定的课后陪伴、阅读和兴趣课程，建立儿童友好社区。",
            (600, 40, 60, Decimal("8000")),
            [("场地与物料", Decimal("6000")), ("课程与讲师", Decimal("9000")), ("保险与交通", Decimal("2000"))],
            [
                ("场地与物料", Decimal("1280.50"), "文具店", "绘本与手工材料", True),
                ("课程与讲师", Decimal("3000"), "书法教师", "春季书法课讲课费", True),
                ("保险与交通", Decimal("420"), "保险公司", "儿童活动意外险", False),
            ],
            ["四点半课堂", "亲子阅读会", "暑期安全教育"],
        ),
        (
            "公益集市",
            "governance",
            False,
            "每季度一次公益集市，链接爱心企业和社区社会组织，义卖所得用于困难家庭帮扶。",
            (800, 4, 120, Decimal("20000")),
            [("摊位与布置", Decimal("3000")), ("宣传", Decimal("1000"))],
            [("摊位与布置", Decimal("1800"), "会展服务部", "帐篷与桌椅租赁", True)],
            ["邻里议事会"],
        ),
        (
            "微心愿",
            "assistance",
            False,
            "征集困难群众微心愿，发动党员、企业和志愿者认领圆梦。",
            (150, None, 100, Decimal("15000")),
            [("礼品采购", Decimal("5000"))],
            [("礼品采购", Decimal("960"), "超市", "心愿礼品代购", True)],
            [],
        ),
        (
            "新春楹联",
            "governance",
            False,
            "春节前组织书法志愿者为居民写春联、送福字，开设楹联文化课堂。",
            (300, 3, 200, None),
            [("笔墨纸张", Decimal("1500"))],
            [("笔墨纸张", Decimal("680"), "文具店", "红纸、毛笔、墨汁", True)],
            [],
        ),
    ],
    1: [
        (
            "适老化家电",
            "elderly",
            True,
            "为独居、高龄老人免费检修、改造家电，安装适老化设施。",
            (400, 12, 80, Decimal("30000")),
            [("配件与耗材", Decimal("12000")), ("上门服务", Decimal("6000"))],
            [("配件与耗材", Decimal("4200"), "家电维修部", "燃气报警器与插座", True)],
            ["长者生日会", "智能手机课堂"],
        ),
        (
            "公益联盟",
            "governance",
            False,
            "联合辖区企业、学校和社会组织成立公益联盟，定期开展联席活动。",
            (500, 6, None, Decimal("10000")),
            [("联席会议", Decimal("2000"))],
            [],
            ["防诈骗讲座"],
        ),
    ],
}

RECEIPT = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def seed(ctx: DemoContext) -> None:
    from accounts.models import User
    from casework.models import Activity
    from core.models import ServiceDomain
    from matching.models import Wish
    from partners.models import Direction, Enterprise, ResourceKind
    from partners.services import entry_create
    from projects import services
    from projects.models import Project

    stations = ctx.data.get("stations") or []
    if not stations or Project.objects.filter(unit=stations[0]).exists():
        return
    today = timezone.localdate()
    start, end = dt.date(today.year, 1, 1), dt.date(today.year, 12, 31)
    domains = {d.code: d for d in ServiceDomain.objects.all()}
    for index, rows in PROJECTS.items():
        if index >= len(stations):
            continue
        station = stations[index]
        lead = User.objects.filter(unit=station, role="station_lead", is_active=True).order_by("username").first()
        worker = User.objects.filter(unit=station, role="social_worker", is_active=True).order_by("username").first()
        if lead is None:
            continue
        for name, code, brand, goals, targets, lines, spending, titles in rows:
            project = services.project_create(
                actor=lead,
                unit=station,
                name=name,
                domain=domains.get(code),
                starts_on=start,
                ends_on=end,
                is_brand=brand,
                goals=goals,
                description=goals,
                target_person_times=targets[0],
                target_activities=targets[1],
                target_households=targets[2],
                target_raised=targets[3],
            )
            made = {
                line: services.budget_line_add(actor=lead, project=project, name=line, amount=amount)
                for line, amount in lines
            }
            for n, (line, amount, payee, purpose, approved) in enumerate(spending):
                spent_on = min(today, start + dt.timedelta(days=40 + 70 * n))
                expenditure = services.expenditure_record(
                    actor=worker or lead,
                    project=project,
                    line=made[line],
                    spent_on=spent_on,
                    amount=amount,
                    payee=payee,
                    purpose=purpose,
                    receipt=SimpleUploadedFile("发票.pdf", RECEIPT, content_type="application/pdf"),
                )
                if approved:
                    services.expenditure_decide(actor=lead, expenditure=expenditure, approve=True)
            for title in titles:
                ids = list(
                    Activity.objects.filter(
                        within(station), title=title, project__isnull=True, starts_at__year=today.year
                    )
                    .order_by("starts_at")
                    .values_list("pk", flat=True)[:4]
                )
                Activity.objects.filter(pk__in=ids).update(project=project)
            if name == "微心愿":
                ids = list(Wish.objects.filter(within(station)).order_by("pk").values_list("pk", flat=True)[:6])
                Wish.objects.filter(pk__in=ids).update(project=project)
            if targets[3]:
                enterprise = Enterprise.objects.filter(within(station), is_active=True).order_by("pk").first()
                for n, share in enumerate((Decimal("0.25"), Decimal("0.2"))):
                    entry_create(
                        actor=lead,
                        unit=station,
                        direction=Direction.IN,
                        kind=ResourceKind.MONEY if n == 0 else ResourceKind.IN_KIND,
                        date=min(today, start + dt.timedelta(days=60 + 120 * n)),
                        donor="" if enterprise else "爱心居民",
                        enterprise=enterprise,
                        purpose=f"{name}项目捐赠",
                        value=(targets[3] * share).quantize(Decimal("1")),
                        project=project,
                    )
