"""Demo: a handful of cases in every stage, a group per station, about a
hundred community activities over the past eleven months with attendance, and
volunteer service records, training, awards and certificates.

Idempotent: each part is skipped when its rows already exist. Cases go
through the services (so numbers, stage history and approvals are real);
the bulk of activities and service records is bulk-inserted to stay fast."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from django.utils import timezone

from core.access import within
from core.demo import DemoContext

PROBLEMS = [
    ("elderly", "独居高龄老人情绪低落，社交减少"),
    ("elderly", "失能老人照护压力大，家属求助"),
    ("children", "留守儿童学业困难，亲子沟通少"),
    ("assistance", "低保家庭突发重病，支出型困难"),
    ("children", "困境儿童监护缺失，需要链接资源"),
    ("assistance", "残疾人就业意愿强，缺乏技能"),
]
ACTIVITIES = [
    ("elderly", "长者生日会", "社区老年活动中心"),
    ("elderly", "健康义诊", "社区卫生服务站"),
    ("elderly", "智能手机课堂", "社区党群服务中心"),
    ("children", "四点半课堂", "社区四点半学校"),
    ("children", "亲子阅读会", "社区图书室"),
    ("assistance", "政策宣讲会", "社区会议室"),
    ("governance", "邻里议事会", "社区议事厅"),
    ("governance", "垃圾分类宣传", "小区广场"),
    ("elderly", "防诈骗讲座", "社区会议室"),
    ("children", "暑期安全教育", "社区活动室"),
]
# When activities start (local time) and how long they may run: a morning
# (09:00–11:30), an afternoon (14:30–17:00) or, less often, an evening
# (19:00–20:30) session.
SLOTS = [
    (dt.time(9, 0), [60, 90, 120, 150]),
    (dt.time(9, 30), [60, 90, 120]),
    (dt.time(14, 30), [60, 90, 120, 150]),
    (dt.time(15, 0), [60, 90, 120]),
    (dt.time(9, 0), [90, 120]),
    (dt.time(14, 30), [90, 120]),
    (dt.time(19, 0), [60, 90]),
]
SERVICES = ["电话关怀", "上门探视", "陪同就医", "链接助餐资源", "心理疏导", "协助申请临时救助"]
SESSIONS = ["相识破冰", "分享回忆", "情绪管理", "健康知识", "互助计划", "回顾与告别"]


def seed(ctx: DemoContext) -> None:
    district = ctx.data.get("district")
    if district is None:
        return
    rng = random.Random("casework-20261123")
    stations = ctx.data["stations"]
    _cases(rng, stations)
    _together(stations[0])
    _groups(rng, stations)
    _activities(rng, stations)
    _volunteer_extras(rng, stations)


def _staff(station: Any) -> tuple[Any, Any, Any]:
    from accounts.models import User

    workers = list(User.objects.filter(unit=station, role="social_worker", is_active=True).order_by("username"))
    lead = User.objects.filter(unit=station, role="station_lead", is_active=True).first()
    return (workers[0] if workers else None), (workers[1] if len(workers) > 1 else None), lead


def _persons(station: Any, n: int) -> list[Any]:
    from people.models import Person

    return list(Person.objects.filter(within(station), is_active=True).order_by("pk")[:n])


def _cases(rng: random.Random, stations: list[Any]) -> None:
    from casework import services
    from casework.models import Case
    from core.models import ServiceDomain

    if Case.objects.filter(within(stations[0])).exists():
        return
    today = timezone.localdate()
    domains = {d.code: d for d in ServiceDomain.objects.all()}
    # stage reached per case: 0 intake … 5 closed (and one awaiting plan approval)
    plan = ["intake", "assessment", "plan_pending", "intervention", "evaluation", "closed"]
    for index, station in enumerate(stations):
        worker, colleague, lead = _staff(station)
        persons = _persons(station, 12)
        if worker is None or lead is None or len(persons) < len(plan):
            continue
        for n, target in enumerate(plan if index == 0 else plan[index % 2 :: 2]):
            code, problem = PROBLEMS[(n + index) % len(PROBLEMS)]
            opened = today - dt.timedelta(days=rng.randint(20, 320))
            case = services.case_create(
                actor=worker,
                person=persons[n],
                domain=domains[code],
                title=problem,
                intake_summary="居民本人来站求助，经初步了解符合接案条件。",
                opened_on=opened,
                supervisor=lead,
            )
            if colleague is not None and n % 2:
                case.co_workers.add(colleague)
            if target == "intake":
                continue
            case = services.case_move(actor=worker, case=case, action="assess")
            if target == "assessment":
                services.case_note_add(
                    actor=worker, case=case, text="预估：家庭支持系统薄弱，需进一步了解。", date=opened
                )
                continue
            case = services.case_move(actor=worker, case=case, action="draft_plan")
            services.case_goal_add(actor=worker, case=case, text="三个月内建立稳定的社会支持网络")
            services.case_goal_add(actor=worker, case=case, text="改善情绪状态，量表得分提升")
            first = services.case_service_plan(
                actor=worker, case=case, description=SERVICES[n % 6], frequency="每周一次"
            )
            services.case_service_plan(actor=worker, case=case, description=SERVICES[(n + 2) % 6], frequency="每月一次")
            case = services.case_move(actor=worker, case=case, action="submit_plan")
            if target == "plan_pending":
                continue
            case = services.case_move(actor=lead, case=case, action="approve_plan", comment="计划可行，同意实施。")
            day = opened + dt.timedelta(days=7)
            while day < today - dt.timedelta(days=3):
                services.case_service_deliver(
                    actor=worker, case=case, date=day, description=SERVICES[rng.randrange(6)], minutes=60, planned=first
                )
                day += dt.timedelta(days=rng.randint(7, 14))
            services.case_note_add(actor=worker, case=case, text="案主情绪较前好转，愿意参加社区活动。")
            if target == "intervention":
                continue
            case = services.case_move(actor=worker, case=case, action="evaluate")
            if target == "evaluation":
                continue
            case = services.case_move(
                actor=worker, case=case, action="request_closure", comment="目标基本达成，案主同意结案。"
            )
            case = services.case_move(
                actor=lead, case=case, action="approve_closure", comment="同意结案，三个月后回访。"
            )


def _together(station: Any) -> None:
    """五社联动 on one case in intervention: a conference with a partner
    organisation whose decisions joined the plan, who agreed to it, and a
    referral to a caring enterprise that answered through its link."""
    from casework import services
    from casework.models import Case, CaseConference, Stage
    from casework.services.together import Decision
    from partners.models import CommunityOrganisation, Enterprise

    case = Case.objects.filter(within(station), stage=Stage.INTERVENTION).order_by("pk").first()
    org = CommunityOrganisation.objects.filter(within(station), is_active=True).order_by("pk").first()
    enterprise = Enterprise.objects.filter(within(station), is_active=True).order_by("pk").first()
    if case is None or org is None or enterprise is None or CaseConference.objects.filter(case=case).exists():
        return
    worker, day = case.worker, timezone.localdate() - dt.timedelta(days=5)
    services.conference_create(
        actor=worker,
        case=case,
        date=day,
        discussion="与社区社会组织、案主共同研讨：案主独居，白天无人照看，希望多参加邻里活动。",
        staff=[worker],
        organisations=[org],
        resident_attended=True,
        decisions=[
            Decision("goal", "每周参加一次邻里互助活动", party=f"org:{org.pk}", due_on=day + dt.timedelta(days=60)),
            Decision("service", "家属每天晚上电话问候", party="family", family_name="女儿", frequency="每天"),
        ],
    )
    services.case_plan_agree(actor=worker, case=case, agreed_by=f"案主本人、女儿、{org.name}", agreed_on=day)
    referral = services.referral_create(
        actor=worker,
        case=case,
        partner=enterprise,
        reason="案主行动不便，需要上门助餐。",
        asked="请评估能否每周提供五次上门送餐。",
        referred_on=day,
        consent_on=day,
        consent_method="written",
    )
    token = services.referral_link_issue(actor=worker, referral=referral)
    services.referral_answer(token=token, answer="accept", answered_by="企业联络人", feedback="下周一起每周送餐五次。")


def _groups(rng: random.Random, stations: list[Any]) -> None:
    from casework.models import Group, GroupAttendance, GroupMember, GroupSession
    from core.models import ServiceDomain

    if Group.objects.filter(within(stations[0])).exists():
        return
    today = timezone.localdate()
    elderly = ServiceDomain.objects.get(code="elderly")
    children = ServiceDomain.objects.get(code="children")
    for index, station in enumerate(stations):
        worker, _colleague, _lead = _staff(station)
        everyone = _persons(station, 40)
        persons = everyone[20:28] if len(everyone) >= 28 else everyone[-8:]
        if worker is None or len(persons) < 4:
            continue
        start = today - dt.timedelta(days=rng.randint(50, 90))
        group = Group.objects.create(
            unit=station,
            name="长者互助支持小组" if index % 2 == 0 else "亲子沟通成长小组",
            domain=elderly if index % 2 == 0 else children,
            goals="增进成员互助，减轻孤独感；每节有分享与练习。",
            worker=worker,
            planned_sessions=6,
            start_on=start,
            scale_name="UCLA孤独感量表" if index % 2 == 0 else "亲子沟通量表",
            higher_is_better=index % 2 == 1,
            status="done",
        )
        members = GroupMember.objects.bulk_create(
            [
                GroupMember(
                    group=group,
                    person=p,
                    joined_on=start,
                    pre_score=Decimal(rng.randint(40, 60)),
                    post_score=Decimal(rng.randint(30, 55)) if index % 2 == 0 else Decimal(rng.randint(50, 70)),
                )
                for p in persons
            ]
        )
        attendance = []
        for number, topic in enumerate(SESSIONS, start=1):
            session = GroupSession.objects.create(
                group=group, number=number, date=start + dt.timedelta(days=7 * (number - 1)), topic=topic
            )
            attendance += [GroupAttendance(session=session, member=m) for m in members if rng.random() < 0.85]
        GroupAttendance.objects.bulk_create(attendance)


def _activities(rng: random.Random, stations: list[Any]) -> None:
    from casework.models import Activity, ActivitySignup
    from core.models import ServiceDomain
    from volunteering.models import ServiceRecord
    from volunteers.models import Volunteer

    if Activity.objects.filter(within(stations[0])).exists():
        return
    domains = {d.code: d for d in ServiceDomain.objects.all()}
    now, today, tz = timezone.now(), timezone.localdate(), timezone.get_current_timezone()
    per_station = max(1, 100 // max(1, len(stations)))
    for station in stations:
        worker, _colleague, _lead = _staff(station)
        if worker is None:
            continue
        residents = _persons(station, 200)
        volunteers = list(Volunteer.objects.filter(within(station), is_active=True)[:30])
        planned = []
        for i in range(per_station):
            code, title, venue = ACTIVITIES[rng.randrange(len(ACTIVITIES))]
            days_ago = rng.randint(-20, 330)
            at, lengths = SLOTS[rng.randrange(len(SLOTS))]
            start = dt.datetime.combine(today - dt.timedelta(days=days_ago), at, tzinfo=tz)
            status = "planned" if start > now else ("cancelled" if rng.random() < 0.04 else "done")
            planned.append(
                Activity(
                    unit=station,
                    title=title,
                    domain=domains[code],
                    venue=venue,
                    starts_at=start,
                    ends_at=start + dt.timedelta(minutes=rng.choice(lengths)),
                    organiser=station.name,
                    person_in_charge=worker,
                    plan="活动流程：签到、主题环节、互动分享、满意度回访。",
                    resources="场地由社区提供；物资由爱心企业捐赠。" if i % 3 == 0 else "",
                    status=status,
                    head_count=rng.randint(8, 45) if status == "done" else 0,
                    summary="活动顺利开展，居民参与积极，反馈良好。" if status == "done" else "",
                    created_by=worker,
                )
            )
        activities = Activity.objects.bulk_create(planned)
        signups, records = [], []
        for activity in activities:
            if activity.status == "cancelled":
                continue
            done = activity.status == "done"
            for person in rng.sample(residents, min(len(residents), rng.randint(2, 8))):
                signups.append(ActivitySignup(activity=activity, person=person, attended=done and rng.random() < 0.9))
            for volunteer in rng.sample(volunteers, min(len(volunteers), rng.randint(1, 4))):
                record = None
                if done:
                    hours = Decimal((activity.ends_at - activity.starts_at).total_seconds() / 3600).quantize(
                        Decimal("0.1")
                    )
                    record = ServiceRecord(
                        volunteer=volunteer,
                        unit=volunteer.unit,
                        activity_name=activity.title,
                        date=timezone.localtime(activity.starts_at).date(),
                        place=activity.venue,
                        content=activity.summary,
                        hours=hours,
                        organiser=activity.organiser,
                        person_in_charge=str(worker),
                        source_type="casework.activity",
                        source_id=str(activity.pk),
                        recorded_by=worker,
                    )
                    records.append(record)
                signups.append(
                    ActivitySignup(activity=activity, volunteer=volunteer, attended=done, service_record=record)
                )
        ServiceRecord.objects.bulk_create(records)
        ActivitySignup.objects.bulk_create(signups)


def _volunteer_extras(rng: random.Random, stations: list[Any]) -> None:
    """Long-serving volunteers (so star levels show), training, awards, certificates."""
    from volunteering.models import Award, Certificate, Evaluation, ServiceRecord, Training
    from volunteers.models import Volunteer

    if Training.objects.filter(within(stations[0])).exists():
        return
    today = timezone.localdate()
    history, trainings, awards, evaluations = [], [], [], []
    for station in stations:
        volunteers = list(Volunteer.objects.filter(within(station), is_active=True)[:12])
        for rank, volunteer in enumerate(volunteers):
            # a few veterans with years of service: 0 to 5 stars across the station
            total = [1600, 1050, 640, 320, 120][rank] if rank < 5 else rng.randint(5, 60)
            days = max(1, int(total // 8))
            # spread evenly over the past 13 months, so every month has its share
            step = Decimal(400) / days
            for d in range(days):
                history.append(
                    ServiceRecord(
                        volunteer=volunteer,
                        unit=volunteer.unit,
                        activity_name="社区日常志愿服务",
                        date=today - dt.timedelta(days=3 + int(d * step)),
                        place=station.name,
                        hours=Decimal(8),
                        organiser=station.name,
                    )
                )
            trainings.append(
                Training(
                    volunteer=volunteer,
                    unit=volunteer.unit,
                    name="志愿服务通识培训",
                    content="志愿精神、服务礼仪、安全须知",
                    hours=Decimal(3),
                    organiser="区志愿服务联合会",
                    date=today - dt.timedelta(days=rng.randint(30, 300)),
                )
            )
            evaluations.append(
                Evaluation(
                    volunteer=volunteer,
                    unit=volunteer.unit,
                    rating=rng.choice(["excellent", "good", "good", "fair"]),
                    date=today - dt.timedelta(days=rng.randint(1, 60)),
                )
            )
            if rank < 2:
                awards.append(
                    Award(
                        volunteer=volunteer,
                        unit=volunteer.unit,
                        name="优秀志愿者",
                        date=today - dt.timedelta(days=rng.randint(30, 200)),
                        issuer="鲤城区民政局",
                    )
                )
    ServiceRecord.objects.bulk_create(history)
    Training.objects.bulk_create(trainings)
    Award.objects.bulk_create(awards)
    Evaluation.objects.bulk_create(evaluations)
    veteran = Volunteer.objects.filter(within(stations[0]), is_active=True).first()
    if veteran is not None and not Certificate.objects.filter(volunteer=veteran).exists():
        from django.db.models import Count, Sum

        totals = ServiceRecord.objects.filter(volunteer=veteran).aggregate(hours=Sum("hours"), n=Count("pk"))
        station = stations[0]
        Certificate.objects.create(
            volunteer=veteran,
            unit=veteran.unit,
            number=f"ZYFW{today.year}{station.code[6:9]}00001",
            issued_on=today,
            issuing_unit=station.name,
            hours=totals["hours"] or 0,
            records=totals["n"] or 0,
            content="社区日常志愿服务、长者生日会、健康义诊",
        )
