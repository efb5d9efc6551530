"""Demo partners: 58 caring enterprises with offers, 16 community
organisations with 429 members of whom 77 are Party members (the Xihu Road
seed's figures, spread over the stations), and a charitable resources ledger
worth about ¥155,000.
Idempotent: enterprises and organisations are keyed by name; the ledger is
written once (its dates follow the day of the first load)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from core.demo import DemoContext


def _own_stream(ctx: DemoContext) -> DemoContext:
    """A private random stream, so that this seeder draws the same values
    whatever the seeders before it drew (idempotence across runs)."""
    import random

    from faker import Faker

    faker = Faker("zh_CN")
    faker.seed_instance("partners-20261123")
    return DemoContext(rng=random.Random("partners-20261123"), faker=faker, logins=ctx.logins, data=ctx.data)


N_ENTERPRISES = 58
# (what the organisation is, its domain); each is placed in a community,
# two per station, and named after it (e.g. 西湖社区银龄互助会)
ORGS = [
    ("银龄互助会", "elderly"),
    ("邻里守望队", "governance"),
    ("四点半课堂", "children"),
    ("巧手编织社", "governance"),
    ("助老送餐队", "elderly"),
    ("调解工作室", "governance"),
    ("亲子阅读会", "children"),
    ("文艺队", "governance"),
    ("健康互助小组", "elderly"),
    ("环保志愿队", "governance"),
    ("困难帮扶会", "assistance"),
    ("南音社", "governance"),
    ("助残互助会", "assistance"),
    ("家风传承会", "governance"),
    ("老年大学分校", "elderly"),
    ("乡贤议事会", "governance"),
]
MEMBERS, PARTY = 429, 77
LEDGER_IN = Decimal("155000")
OFFERS = [
    ("goods", "米面油", "袋"),
    ("goods", "助老用品", "件"),
    ("goods", "学习用品", "套"),
    ("services", "义务理发", "次"),
    ("services", "健康体检", "人次"),
    ("services", "家电维修", "次"),
    ("money", "慰问金", ""),
    ("money", "助学金", ""),
]
TRADES = ["超市", "药房", "理发店", "餐饮", "物业", "家电", "食品", "茶业", "纺织", "鞋业"]


def _credit_code(ctx: DemoContext) -> str:
    from core.identity import credit_check_char

    chars = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    body = "91350502" + "".join(ctx.rng.choice(chars) for _ in range(9))
    return body + credit_check_char(body)


def _split(ctx: DemoContext, total: int, parts: int, low: int) -> list[int]:
    """`parts` integers ≥ low that sum to `total`."""
    cuts = sorted(ctx.rng.sample(range(1, total - parts * low), parts - 1))
    sizes = [b - a for a, b in zip([0, *cuts], [*cuts, total - parts * low], strict=True)]
    return [s + low for s in sizes]


def seed(ctx: DemoContext) -> None:
    ctx = _own_stream(ctx)
    from core.models import ServiceDomain
    from partners.models import CommunityOrganisation, Enterprise, EnterpriseOffer, ResourceEntry

    stations, communities = ctx.data["stations"], ctx.data["communities"]
    have = set(Enterprise.objects.values_list("name", flat=True))
    new_ents, offers = [], []
    # (name, station, credit code, [(offer, value, quantity)], contact, phone)
    plans: list[tuple[str, Any, str, list[tuple[tuple[str, str, str], Decimal, int]], str, str]] = []
    for n in range(N_ENTERPRISES):
        station = stations[n % len(stations)]
        name = f"泉州市{ctx.faker.last_name()}{ctx.faker.first_name()[:1]}{ctx.rng.choice(TRADES)}有限公司"
        name = f"{name[:-4]}{n + 1:02d}有限公司" if name in [p[0] for p in plans] else name
        code = _credit_code(ctx)
        picks = ctx.rng.sample(OFFERS, ctx.rng.randint(1, 3))
        vals = [Decimal(ctx.rng.randint(5, 60) * 100) for _ in picks]
        qtys = [ctx.rng.randint(5, 50) for _ in picks]
        contact = ctx.faker.name()
        phone = f"0595-2{ctx.rng.randint(0, 9999999):07d}"
        plans.append((name, station, code, list(zip(picks, vals, qtys, strict=True)), contact, phone))
    for name, station, code, items, contact, phone in plans:
        if name in have:
            continue
        e = Enterprise(
            unit=station,
            name=name,
            credit_code=code,
            contact_person=contact,
            phone=phone,
            address=f"泉州市鲤城区{station.name.removesuffix('街道社工站')}街道",
        )
        new_ents.append((e, items))
    Enterprise.objects.bulk_create([e for e, _i in new_ents])
    for e, items in new_ents:
        if e.pk is None:
            e.pk = Enterprise.objects.get(name=e.name).pk
        for (kind, category, unit), value, qty in items:
            offers.append(
                EnterpriseOffer(
                    enterprise=e,
                    kind=kind,
                    category=category,
                    quantity=1 if kind == "money" else qty,
                    quantity_unit=unit,
                    value=value,
                )
            )
    EnterpriseOffer.objects.bulk_create(offers)

    domains = {d.code: d for d in ServiceDomain.objects.all()}
    members = _split(ctx, MEMBERS, len(ORGS), 12)
    party = _split(ctx, PARTY, len(ORGS), 2)
    rooms = {s.pk: [c for c in communities if c.parent_id == s.pk] or communities for s in stations}
    have_orgs = set(CommunityOrganisation.objects.values_list("name", flat=True))
    stages = ["incubating", "growing", "mature", "planning"]
    filings = ["filed", "filed", "registered", "none"]
    new_orgs = []
    for i, (what, domain) in enumerate(ORGS):
        leader = ctx.faker.name()
        stage, filing = stages[i % 4], filings[i % 4]
        founded = dt.date(2019 + i % 6, 1 + i % 12, 1)
        station = stations[i % len(stations)]
        unit = rooms[station.pk][(i // len(stations)) % len(rooms[station.pk])]
        name = f"{unit.name}{what}"
        if name in have_orgs:
            continue
        new_orgs.append(
            CommunityOrganisation(
                unit=unit,
                name=name,
                domain=domains.get(domain),
                leader=leader,
                members=members[i],
                party_members=min(party[i], members[i]),
                stage=stage,
                filing=filing,
                founded_on=founded,
            )
        )
    CommunityOrganisation.objects.bulk_create(new_orgs)

    if ResourceEntry.objects.filter(unit__in=stations).exists():
        return  # the ledger's dates follow the day of the first load
    enterprises = list(Enterprise.objects.filter(name__in=[p[0] for p in plans]).order_by("name"))
    entries = []
    # twelve gifts per station over the past 22 months, about one every eight weeks
    last = timezone.localdate() - dt.timedelta(days=5)
    n_in, span = 96, 660
    amounts = [Decimal(a) for a in _split(ctx, int(LEDGER_IN), n_in, 500)]
    for i, amount in enumerate(amounts):
        station = stations[i % len(stations)]
        ent = enterprises[i % len(enterprises)] if enterprises and i % 3 else None
        date = last - dt.timedelta(days=span) + dt.timedelta(days=i * span // n_in + ctx.rng.randint(0, 6))
        kind = "money" if i % 2 else "in_kind"
        purpose = ctx.rng.choice(["重阳敬老慰问", "困境儿童助学", "春节困难户慰问", "社区微基金", "助残帮扶"])
        entries.append(
            ResourceEntry(
                unit=station,
                direction="in",
                kind=kind,
                date=date,
                donor=ent.name if ent else ctx.faker.name(),
                enterprise=ent,
                purpose=purpose,
                description="" if kind == "money" else "米面油、助老用品",
                value=amount,
            )
        )
        out_value = (amount * Decimal(ctx.rng.randint(50, 95)) / 100).quantize(Decimal("1"))
        entries.append(
            ResourceEntry(
                unit=station,
                direction="out",
                kind=kind,
                date=min(date + dt.timedelta(days=ctx.rng.randint(3, 40)), last),
                recipient=f"{ctx.rng.randint(5, 40)}户困难家庭",
                purpose=purpose,
                value=out_value,
            )
        )
    ResourceEntry.objects.bulk_create(entries)
