"""Demo work records for 2026: weekly meetings and summaries, monthly
supervision (one station skips a month, so its warning shows), five-level
reporting, a joint meeting a quarter, satisfaction responses and venues."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import models

from core.demo import DemoContext

TOPICS = [
    "困难群众探访情况",
    "重阳节活动筹备",
    "个案督导：独居老人",
    "志愿者队伍建设",
    "社区需求调研反馈",
    "一分三卡复核",
]
SUBJECTS = [
    "参加街道民生工作例会",
    "向分管领导汇报季度工作",
    "走访社区了解需求",
    "与社区协商敬老活动",
    "建议增设长者助餐点",
]


def _mondays(start: dt.date, end: dt.date) -> list[dt.date]:
    day = start + dt.timedelta(days=(7 - start.weekday()) % 7)
    out = []
    while day <= end:
        out.append(day)
        day += dt.timedelta(days=7)
    return out


def seed(ctx: DemoContext) -> None:
    from workrecords import models as m

    stations: list[Any] = ctx.data["stations"]
    communities: list[Any] = ctx.data["communities"]
    today = dt.date(2026, 11, 23)
    rows: dict[type[models.Model], list[Any]] = {k: [] for k in (m.TeamMeeting, m.WeeklySummary, m.Supervision)}
    rows.update({m.ReportingEntry: [], m.JointMeeting: [], m.SatisfactionSurvey: []})
    have = {
        model: set(model.objects.filter(unit__in=stations).values_list("unit_id", "date"))
        for model in (m.TeamMeeting, m.WeeklySummary, m.Supervision, m.ReportingEntry, m.JointMeeting)
    }
    for index, station in enumerate(stations):
        for monday in _mondays(dt.date(2026, 9, 1), today):
            if (station.pk, monday) not in have[m.TeamMeeting]:
                rows[m.TeamMeeting].append(
                    m.TeamMeeting(
                        unit=station,
                        date=monday,
                        attendees="站长、社工甲、社工乙",
                        minutes=f"本周重点：{TOPICS[(monday.toordinal() + index) % len(TOPICS)]}。",
                        decisions="按计划推进探访与活动。",
                    )
                )
            if (station.pk, monday) not in have[m.WeeklySummary]:
                rows[m.WeeklySummary].append(
                    m.WeeklySummary(
                        unit=station,
                        date=monday,
                        summary=f"走访困难群众{8 + (monday.day + index) % 9}户，开展活动{1 + monday.day % 3}场。",
                        next_week_plan="继续重点对象探访，筹备社区活动。",
                    )
                )
        for month in range(1, 12):
            if index == 1 and month == 10:
                continue  # this station missed October's supervision: the warning shows
            day = dt.date(2026, month, 10 + index)
            if (station.pk, day) not in have[m.Supervision]:
                rows[m.Supervision].append(
                    m.Supervision(
                        unit=station, date=day, supervisor="林督导", topics=TOPICS[(month + index) % len(TOPICS)]
                    )
                )
            if (station.pk, day) not in have[m.ReportingEntry]:
                kind = ["street_meeting", "leader_report", "community_visit", "activity_consultation", "proposal"][
                    month % 5
                ]
                rows[m.ReportingEntry].append(
                    m.ReportingEntry(
                        unit=station,
                        date=day,
                        kind=kind,
                        subject=SUBJECTS[month % 5],
                        adopted=(month % 2 == 0) if kind == "proposal" else None,
                    )
                )
        for q_month in (3, 6, 9):
            day = dt.date(2026, q_month, 25)
            if (station.pk, day) not in have[m.JointMeeting]:
                rows[m.JointMeeting].append(
                    m.JointMeeting(
                        unit=station,
                        date=day,
                        participants="街道、社区、社工站、社会组织代表",
                        topics="季度联动工作",
                        resolutions="明确下季度重点",
                    )
                )
    if not m.SatisfactionSurvey.objects.filter(unit__in=communities).exists():
        for community in communities:
            for i in range(6):
                rows[m.SatisfactionSurvey].append(
                    m.SatisfactionSurvey(
                        unit=community,
                        date=dt.date(2026, 1 + ctx.rng.randint(0, 10), 1 + ctx.rng.randint(0, 27)),
                        subject_type=["service", "activity", "case"][i % 3],
                        subject=["助餐服务", "重阳节活动", "个案服务"][i % 3],
                        score=ctx.rng.choice([3, 4, 4, 5, 5, 5]),
                    )
                )
    for model, objs in rows.items():
        model._default_manager.bulk_create(objs)
    for community in communities[:10]:
        m.Venue.objects.get_or_create(
            unit=community,
            name=f"{community.name.removesuffix('社区')}长者活动室",
            defaults={
                "address": community.address,
                "capacity": 40,
                "latitude": community.latitude + Decimal("0.0008") if community.latitude else None,
                "longitude": community.longitude + Decimal("0.0008") if community.longitude else None,
            },
        )
