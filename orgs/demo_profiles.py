"""Demo community profiles: the Xihu Road seed's street (西湖路街道, one
station serving seven communities) placed in the demo district as a station
of its own, with the seven communities, their characteristics as the seed
describes them, and figures that add up to the street's published totals
(13,224 households, 46,522 people, about 3.2 km²).

The seed publishes only the street's totals: the split between the seven
communities below is illustrative, and each profile's notes say so. The
station has no staff and no residents of its own; the demo's accounts keep
their scopes (lead01 and cw0101 see none of it, the district sees it all)."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from core.roles import Level

if TYPE_CHECKING:
    from core.demo import DemoContext

STATION = ("西湖路街道社工站", "350502009000", "西湖路街道南明堂社区居委会（与街道综合文化站合并建站）")
YEAR = 2024
# name, population, households, area km², characteristics (codes of orgs/migrations/0003)
COMMUNITIES = [
    ("南明堂社区", 7412, 2106, "0.52", ["red-culture", "old-town", "elderly-alone"]),
    ("观风台社区", 5238, 1497, "0.38", ["demolition", "old-town"]),
    ("西湖路社区", 6905, 1962, "0.47", ["party-members", "very-old"]),
    ("梭石巷社区", 6317, 1795, "0.41", ["dibao", "old-town", "elderly-alone"]),
    ("官井路社区", 6584, 1873, "0.44", ["dibao", "old-town"]),
    ("盛世花城社区", 8126, 2310, "0.55", ["new-complex"]),
    ("东笙巷社区", 5940, 1681, "0.43", ["near-hospital", "very-old"]),
]
NOTE = (
    "街道合计 13224 户 46522 人、面积约 3.2 平方公里（西湖路街道社工站材料）；"
    "各社区人口、户数为按合计分配的示例数，实际以社区统计为准。"
)


def seed(ctx: DemoContext) -> None:
    from faker import Faker

    from orgs.models import CommunityProfile, CommunityTrait, OrgUnit
    from orgs.profiles import profile_update
    from orgs.services import orgunit_create

    district = ctx.data["district"]
    name, code, address = STATION
    station = OrgUnit.objects.filter(code=code).first() or orgunit_create(
        actor=None, level=Level.STATION, parent=district, name=name, code=code, address=address
    )
    # A generator of its own, so the other seeders' random streams stay as they were.
    fake = Faker("zh_CN")
    fake.seed_instance(20210601)
    traits = {t.code: t for t in CommunityTrait.objects.all()}
    for index, (cname, population, households, area, codes) in enumerate(COMMUNITIES, start=1):
        community = OrgUnit.objects.filter(code=f"{code[:9]}{index:03d}").first() or orgunit_create(
            actor=None,
            level=Level.COMMUNITY,
            parent=station,
            name=cname,
            code=f"{code[:9]}{index:03d}",
            address=f"贵阳市南明区西湖路街道{cname}居委会",
        )
        secretary, phone = fake.name(), fake.phone_number()
        if CommunityProfile.objects.filter(unit=community).exists():
            continue
        profile_update(
            actor=None,
            unit=community,
            figures_year=YEAR,
            population=population,
            households=households,
            area_km2=Decimal(area),
            traits=[traits[c] for c in codes if c in traits],
            secretary=secretary,
            secretary_phone=phone,
            notes=NOTE,
        )
    ctx.data["xihu_road"] = station
