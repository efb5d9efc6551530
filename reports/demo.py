"""A narrative for the first station's current quarter, so its report reads
like the seed."""

from __future__ import annotations

import datetime as dt

from core.demo import DemoContext


def seed(ctx: DemoContext) -> None:
    from reports.models import ReportNarrative

    station = ctx.data["stations"][0]
    for kind, start in (("quarter", dt.date(2026, 10, 1)), ("year", dt.date(2026, 1, 1))):
        ReportNarrative.objects.get_or_create(
            unit=station,
            period_kind=kind,
            period_start=start,
            defaults={
                "highlights": "以“五社联动”为抓手，深化困难群众“一分三卡”分级探访；培育社区社会组织，"
                "链接爱心企业资源，开展重阳敬老、助餐等系列活动。",
                "problems": "部分社区志愿者队伍年龄偏大；独居老人夜间应急响应仍需加强。",
                "next_steps": "完善红卡对象24小时响应机制；推进公益集市与微心愿项目；做好年度评估准备。",
            },
        )
