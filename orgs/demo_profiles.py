"""Demo community profiles: the Xihu Road seed's seven communities (西湖路街道,
one station serving seven communities) on the demo's first station, which the
demo builds in the Xihu Road shape (开元街道社工站, seven community rooms).

The demo's communities keep their names (the demo accounts and the tests
know them: cw0101 sits in 西湖社区); each profile takes the figures and the
characteristics of one seed community, in the seed's order, and its notes
say which. The seed publishes only the street's totals (13,224 households,
46,522 people, about 3.2 km²): the seven profiles add up to exactly those
totals, but their split between the communities is illustrative, and the
notes say that too."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from core.demo import DemoContext

YEAR = 2024
# seed community, population, households, area km², characteristics (codes of orgs/migrations/0003)
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
    "示例概况：采用西湖路街道{name}的特点。街道合计 13224 户 46522 人、面积约 3.2 平方公里"
    "（西湖路街道社工站材料）；各社区人口、户数为按合计分配的示例数，实际以社区统计为准。"
)


def seed(ctx: DemoContext) -> None:
    from faker import Faker

    from orgs.models import CommunityProfile, CommunityTrait
    from orgs.profiles import profile_update

    station = ctx.data["stations"][0]
    communities = [c for c in ctx.data["communities"] if c.parent_id == station.pk][: len(COMMUNITIES)]
    # A generator of its own, so the other seeders' random streams stay as they were.
    fake = Faker("zh_CN")
    fake.seed_instance(20210601)
    traits = {t.code: t for t in CommunityTrait.objects.all()}
    for community, (name, population, households, area, codes) in zip(communities, COMMUNITIES, strict=False):
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
            notes=NOTE.format(name=name),
        )
