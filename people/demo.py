"""Demo registries shaped after the seeds: 835 people in difficulty in
household files across the communities (mostly elderly living alone or in
empty nests, disabled people, 低保 households, some children), with valid
generated resident IDs. Idempotent: people are keyed by their ID hash."""

from __future__ import annotations

import datetime as dt
from typing import Any

from core.demo import DemoContext


def _own_stream(ctx: DemoContext) -> DemoContext:
    """A private random stream, so that this seeder draws the same values
    whatever the seeders before it drew (idempotence across runs)."""
    import random

    from faker import Faker

    faker = Faker("zh_CN")
    faker.seed_instance("people-20261123")
    return DemoContext(rng=random.Random("people-20261123"), faker=faker, logins=ctx.logins, data=ctx.data)


N_PEOPLE = 835
TODAY = dt.date(2026, 11, 1)  # fixed so that two runs produce the same people
DISABILITY_KINDS = ["visual", "hearing", "speech", "physical", "intellectual", "mental", "multiple"]
PLIGHT = ["poverty", "disability", "guardianship"]


def _born(ctx: DemoContext, lo: int, hi: int) -> dt.date:
    age = ctx.rng.randint(lo, hi)
    return dt.date(TODAY.year - age, ctx.rng.randint(1, 12), ctx.rng.randint(1, 28))


def _phone(ctx: DemoContext) -> str:
    return f"1{ctx.rng.choice('3578')}{ctx.rng.randint(0, 999999999):09d}"


def _plan(ctx: DemoContext) -> list[list[dict[str, Any]]]:
    """Households, each a list of member dicts (deterministic from ctx.rng)."""
    households: list[list[dict[str, Any]]] = []
    total = 0
    while total < N_PEOPLE:
        roll = ctx.rng.random()
        members: list[dict[str, Any]] = []
        if roll < 0.32:  # elderly living alone
            cats: list[tuple[str, str, int | None]] = [("elderly_alone", "", None)]
            if ctx.rng.random() < 0.2:
                cats.append(("elderly_disabled", "", ctx.rng.randint(1, 4)))
            if ctx.rng.random() < 0.15:
                cats.append((ctx.rng.choice(["dibao", "tekun"]), "", None))
            members.append({"age": (65, 96), "cats": cats, "relation": "head"})
        elif roll < 0.55:  # empty-nest couple
            for rel in ("head", "spouse"):
                cats = [("elderly_empty_nest", "", None)]
                if ctx.rng.random() < 0.12:
                    cats.append(("elderly_dementia", "", ctx.rng.randint(1, 3)))
                members.append({"age": (62, 92), "cats": cats, "relation": rel})
        elif roll < 0.72:  # disability
            cats = [("disability", ctx.rng.choice(DISABILITY_KINDS), ctx.rng.randint(1, 4))]
            if ctx.rng.random() < 0.4:
                cats.append(("dibao", "", None))
            members.append({"age": (18, 75), "cats": cats, "relation": "head"})
        elif roll < 0.90:  # assistance
            code = ctx.rng.choice(["dibao", "dibao", "dibao_edge", "tekun", "rigid_expense", "relief_expense"])
            members.append({"age": (30, 70), "cats": [(code, "", None)], "relation": "head"})
            if ctx.rng.random() < 0.3:
                members.append({"age": (30, 70), "cats": [(code, "", None)], "relation": "spouse"})
        else:  # a child with a grandparent
            code = ctx.rng.choice(["child_plight", "child_plight", "child_left_behind", "child_unsupported", "orphan"])
            sub = ctx.rng.choice(PLIGHT) if code == "child_plight" else ""
            members.append({"age": (58, 80), "cats": [], "relation": "head"})
            members.append({"age": (3, 15), "cats": [(code, sub, None)], "relation": "grandchild"})
        households.append(members)
        total += len(members)
    return households


def seed(ctx: DemoContext) -> None:
    ctx = _own_stream(ctx)
    from core import identity
    from core.identity import pinyin_of
    from people.models import CategoryType, Guardian, Household, Person, PersonCategory
    from people.search_keys import fill_search_keys

    communities = ctx.data["communities"]
    cats = {c.code: c for c in CategoryType.objects.all()}
    plan = _plan(ctx)
    rows: list[tuple[int, dict[str, Any]]] = []  # (household index, member dict with drawn values)
    seq = 0
    used: set[str] = set()
    for h, members in enumerate(plan):
        community = communities[h % len(communities)]
        address = (
            f"{community.name.removesuffix('社区')}{ctx.rng.choice(['路', '街', '巷'])}{ctx.rng.randint(1, 200)}号"
        )
        surname = ctx.faker.last_name()
        for m in members:
            seq += 1
            sex = ctx.rng.choice("MF") if m["relation"] != "spouse" else ("F" if rows[-1][1]["sex"] == "M" else "M")
            born = _born(ctx, *m["age"])
            first = ctx.faker.first_name_female() if sex == "F" else ctx.faker.first_name_male()
            name = (surname if m["relation"] != "spouse" else ctx.faker.last_name()) + first
            number = identity.unique_resident_id(community.code[:6], born, sex, used, seq)
            rows.append(
                (
                    h,
                    {
                        **m,
                        "community": community,
                        "address": address,
                        "sex": sex,
                        "born": born,
                        "name": name,
                        "number": number,
                        "hash": identity.id_hash(number),
                        "phone": _phone(ctx),
                        "since": dt.date(TODAY.year - ctx.rng.randint(0, 8), ctx.rng.randint(1, 12), 1),
                    },
                )
            )
    existing = set(Person.objects.filter(id_hash__in=[r["hash"] for _h, r in rows]).values_list("id_hash", flat=True))
    todo = [(h, r) for h, r in rows if r["hash"] not in existing]
    if not todo:
        ctx.data["people_seeded"] = 0
        return
    # one household file per planned household that has new members
    hh_objs: dict[int, Household] = {}
    for h, r in todo:
        if h not in hh_objs:
            hh_objs[h] = Household(unit=r["community"], address=r["address"])
    Household.objects.bulk_create(hh_objs.values())
    persons = []
    for h, r in todo:
        full, initials = pinyin_of(r["name"])
        persons.append(
            Person(
                unit=r["community"],
                household=hh_objs[h],
                relation=r["relation"],
                name=r["name"],
                name_pinyin=full,
                name_initials=initials,
                sex=r["sex"],
                birth_date=r["born"],
                id_cipher=identity.encrypt(r["number"]),
                id_hash=r["hash"],
                id_tail=r["number"][-4:],
                phone=r["phone"] if r["relation"] != "grandchild" else "",
                actual_address=f"泉州市鲤城区{r['address']}",
                registered_address=f"福建省泉州市鲤城区{r['address']}",
            )
        )
    for p in persons:
        fill_search_keys(p)
    Person.objects.bulk_create(persons)
    if persons[0].pk is None:
        by_hash = dict(Person.objects.filter(id_hash__in=[p.id_hash for p in persons]).values_list("id_hash", "pk"))
        for p in persons:
            p.pk = by_hash[p.id_hash]
    held, guardians, heads = [], [], []
    for i, (p, (h, r)) in enumerate(zip(persons, todo, strict=True)):
        for code, sub, grade in r["cats"]:
            held.append(
                PersonCategory(
                    person=p,
                    category=cats[code],
                    start_date=r["since"],
                    subtype=sub,
                    grade=grade,
                    evidence="民政审批" if code in ("dibao", "tekun", "dibao_edge") else "",
                )
            )
        if r["relation"] == "head":
            hh = hh_objs[h]
            hh.head = p
            heads.append(hh)
        if r["relation"] == "grandchild":
            guardians.append(Guardian(person=p, name=persons[i - 1].name, relation="祖父母"))
    PersonCategory.objects.bulk_create(held)
    Guardian.objects.bulk_create(guardians)
    Household.objects.bulk_update(heads, ["head"])
    ctx.data["people_seeded"] = len(persons)
