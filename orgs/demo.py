"""Demo organisation: 鲤城区 guidance centre, 8 street stations (the Licheng
seed), the first with 7 community rooms (the Xihu Road shape), the others
with 3–6; two social workers per station."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from core.demo import DEMO_PASSWORD, DemoContext
from core.roles import Level, Role

if TYPE_CHECKING:
    from orgs.models import OperatingAgency, OrgUnit

DISTRICT = ("鲤城区社会工作指导中心", "350502000000", "泉州市鲤城区庄府巷18号")
STREETS = [
    ("开元街道社工站", "001"),
    ("海滨街道社工站", "002"),
    ("临江街道社工站", "003"),
    ("鲤中街道社工站", "004"),
    ("浮桥街道社工站", "005"),
    ("江南街道社工站", "006"),
    ("金龙街道社工站", "007"),
    ("常泰街道社工站", "008"),
]
COMMUNITY_NAMES = [
    "西湖",
    "北门",
    "新华",
    "东街",
    "百源",
    "象峰",
    "模范巷",
    "会通",
    "中山",
    "平水庙",
    "胜利",
    "聚宝",
    "五堡",
    "城南",
    "幸福",
    "树兜",
    "浦西",
    "甘棠",
    "仕公岭",
    "新门",
    "笋江",
    "高山",
    "常兴",
    "泰山",
    "金山",
    "南岸",
    "延陵",
    "华洲",
    "溪滨",
    "锦绣",
    "泉秀",
    "刺桐",
    "古榕",
    "后坂",
    "霞洲",
    "江滨",
    "清源",
    "紫云",
    "温陵",
    "洛阳",
    "桂坛",
    "龙头",
    "凤池",
    "双阳",
    "玉霞",
    "梅峰",
    "通政",
    "花巷",
    "文胜",
    "铁炉",
    "打锡",
    "状元",
    "青龙",
    "承天",
    "庄府",
    "旧馆",
]
AGENCIES = ["泉州市鲤城区阳光社会工作服务中心", "泉州市同心社会工作服务社", "福建省启明社会工作发展中心"]
# Centre of Licheng district; communities scatter around it.
_LAT, _LON = Decimal("24.9087"), Decimal("118.5868")


def _password_hash(ctx: DemoContext) -> str:
    # One slow hash for all demo accounts keeps load_demo at a few seconds.
    from django.contrib.auth.hashers import make_password

    if "password_hash" not in ctx.data:
        ctx.data["password_hash"] = make_password(DEMO_PASSWORD)
    return ctx.data["password_hash"]


def _user(ctx: DemoContext, username: str, role: str, unit: OrgUnit, label: str | None = None) -> None:
    from accounts.models import User

    user = User.objects.filter(username=username).first()
    if user is None:
        # An address at a reserved example domain: the demo's messages go to the console or a local SMTP server.
        user = User(
            username=username, role=role, unit=unit, full_name=ctx.faker.name(), email=f"{username}@linli.example"
        )
        user.password = _password_hash(ctx)
        user.save()
    else:
        ctx.faker.name()  # keep the random stream aligned across runs
        if not user.email:
            User.objects.filter(pk=user.pk).update(email=f"{username}@linli.example")
    if label:
        ctx.logins.append((label, username, str(unit)))


def seed(ctx: DemoContext) -> None:
    from orgs.models import OperatingAgency, OrgUnit
    from orgs.services import agency_create, orgunit_create

    def unit(
        level: str,
        parent: OrgUnit | None,
        name: str,
        code: str,
        *,
        address: str,
        latitude: Decimal,
        longitude: Decimal,
        agency: OperatingAgency | None = None,
    ) -> OrgUnit:
        existing = OrgUnit.objects.filter(code=code).first()
        if existing:
            return existing
        return orgunit_create(
            actor=None,
            level=level,
            parent=parent,
            name=name,
            code=code,
            address=address,
            latitude=latitude,
            longitude=longitude,
            agency=agency,
        )

    name, code, address = DISTRICT
    district = unit(Level.DISTRICT, None, name, code, address=address, latitude=_LAT, longitude=_LON)
    agencies = [
        OperatingAgency.objects.filter(unit=district, name=n).first()
        or agency_create(
            actor=None, unit=district, name=n, contact_person=ctx.faker.name(), phone=ctx.faker.phone_number()
        )
        for n in AGENCIES
    ]
    _user(ctx, "admin", Role.DISTRICT_ADMIN, district, str(Role.DISTRICT_ADMIN.label))
    _user(ctx, "supervisor", Role.SUPERVISOR, district, str(Role.SUPERVISOR.label))
    _user(ctx, "viewer", Role.VIEWER, district, str(Role.VIEWER.label))

    names = iter(COMMUNITY_NAMES)
    stations, communities = [], []
    for index, (street_name, township) in enumerate(STREETS):
        station_lat = _LAT + Decimal(ctx.rng.randint(-300, 300)) / 10000
        station_lon = _LON + Decimal(ctx.rng.randint(-300, 300)) / 10000
        station = unit(
            Level.STATION,
            district,
            street_name,
            f"350502{township}000",
            address=f"泉州市鲤城区{street_name.removesuffix('社工站')}办事处",
            latitude=station_lat,
            longitude=station_lon,
            agency=agencies[index % len(agencies)],
        )
        # A station kept from an earlier run keeps its own position.
        station_lat, station_lon = station.latitude or station_lat, station.longitude or station_lon
        stations.append(station)
        n = 7 if index == 0 else 3 + ctx.rng.randint(0, 3)
        first = index == 0
        _user(ctx, f"lead{index + 1:02d}", Role.STATION_LEAD, station, str(Role.STATION_LEAD.label) if first else None)
        _user(ctx, f"sw{index + 1:02d}a", Role.SOCIAL_WORKER, station, str(Role.SOCIAL_WORKER.label) if first else None)
        _user(ctx, f"sw{index + 1:02d}b", Role.SOCIAL_WORKER, station)
        for c in range(1, n + 1):
            cname = next(names)
            community = unit(
                Level.COMMUNITY,
                station,
                f"{cname}社区",
                f"350502{township}{c:03d}",
                address=f"泉州市鲤城区{cname}社区居委会",
                latitude=station_lat + Decimal(ctx.rng.randint(-60, 60)) / 10000,
                longitude=station_lon + Decimal(ctx.rng.randint(-60, 60)) / 10000,
            )
            communities.append(community)
            _user(
                ctx,
                f"cw{index + 1:02d}{c:02d}",
                Role.COMMUNITY_WORKER,
                community,
                str(Role.COMMUNITY_WORKER.label) if first and c == 1 else None,
            )
    ctx.data.update(district=district, stations=stations, communities=communities)
