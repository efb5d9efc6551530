"""455 demo volunteers with skills, service categories, weekly availability
and consent, and one or two teams per station led by its social workers.
Idempotent: volunteers are keyed by their ID hash, teams by (unit, name)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from core.demo import DemoContext


def _own_stream(ctx: DemoContext) -> DemoContext:
    """A private random stream, so that this seeder draws the same values
    whatever the seeders before it drew (idempotence across runs)."""
    import random

    from faker import Faker

    faker = Faker("zh_CN")
    faker.seed_instance("volunteers-20261123")
    return DemoContext(rng=random.Random("volunteers-20261123"), faker=faker, logins=ctx.logins, data=ctx.data)


N_VOLUNTEERS = 455
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
TEAM_NAMES = ["邻里守望志愿服务队", "银龄互助志愿服务队"]


def seed(ctx: DemoContext) -> None:
    ctx = _own_stream(ctx)
    from accounts.models import User
    from core import identity
    from core.identity import pinyin_of
    from core.models import ServiceDomain
    from core.roles import Role
    from volunteers.models import Skill, Volunteer, VolunteerTeam

    stations, communities = ctx.data["stations"], ctx.data["communities"]
    skills = list(Skill.objects.order_by("code"))
    domains = list(ServiceDomain.objects.filter(builtin=True).order_by("order"))
    teams_by_station: dict[int, list[VolunteerTeam]] = {}
    for i, station in enumerate(stations):
        leaders = list(User.objects.filter(unit=station, role=Role.SOCIAL_WORKER).order_by("username"))
        for j, name in enumerate(TEAM_NAMES[: 1 + (i % 2)]):
            team, _created = VolunteerTeam.objects.get_or_create(
                unit=station,
                name=f"{station.name.removesuffix('社工站')}{name}",
                defaults={"leader": leaders[j % len(leaders)] if leaders else None},
            )
            teams_by_station.setdefault(station.pk, []).append(team)
    # Sign-ups happen 09:00–17:00 local, on a day of the past year.
    today = timezone.make_aware(dt.datetime.combine(timezone.localdate(), dt.time(17)))
    rows = []
    used: set[str] = set()
    for n in range(N_VOLUNTEERS):
        community = communities[ctx.rng.randrange(len(communities))]
        sex = ctx.rng.choice("MFF")
        born = dt.date(ctx.rng.randint(1955, 2006), ctx.rng.randint(1, 12), ctx.rng.randint(1, 28))
        name = ctx.faker.name_female() if sex == "F" else ctx.faker.name_male()
        number = identity.unique_resident_id(community.code[:6], born, sex, used, n)
        availability = {}
        for day in ctx.rng.sample(DAYS, ctx.rng.randint(1, 4)):
            availability[day] = sorted(
                ctx.rng.sample(["am", "pm", "eve"], ctx.rng.randint(1, 2)), key=["am", "pm", "eve"].index
            )
        rows.append(
            {
                "community": community,
                "sex": sex,
                "born": born,
                "name": name,
                "number": number,
                "hash": identity.id_hash(number),
                "phone": f"1{ctx.rng.choice('3589')}{ctx.rng.randint(0, 999999999):09d}",
                "skills": ctx.rng.sample(skills, ctx.rng.randint(1, 3)) if skills else [],
                "domains": ctx.rng.sample(domains, ctx.rng.randint(1, 2)) if domains else [],
                "availability": {d: availability[d] for d in DAYS if d in availability},
                "max": ctx.rng.randint(1, 4),
                # registered (and consenting) on the day it signs up
                "registered": today - dt.timedelta(days=ctx.rng.randint(1, 365), minutes=ctx.rng.randint(0, 480)),
                "team": ctx.rng.random() < 0.6,
            }
        )
    existing = set(Volunteer.objects.filter(id_hash__in=[r["hash"] for r in rows]).values_list("id_hash", flat=True))
    todo = [r for r in rows if r["hash"] not in existing]
    if not todo:
        return
    vols = []
    for r in todo:
        full, initials = pinyin_of(r["name"])
        vols.append(
            Volunteer(
                unit=r["community"],
                name=r["name"],
                name_pinyin=full,
                name_initials=initials,
                sex=r["sex"],
                birth_date=r["born"],
                id_cipher=identity.encrypt(r["number"]),
                id_hash=r["hash"],
                id_tail=r["number"][-4:],
                phone=r["phone"],
                availability=r["availability"],
                max_tasks_per_week=r["max"],
                consent_at=timezone.localdate(r["registered"]),
            )
        )
    Volunteer.objects.bulk_create(vols)
    if vols[0].pk is None:
        by_hash = dict(Volunteer.objects.filter(id_hash__in=[v.id_hash for v in vols]).values_list("id_hash", "pk"))
        for v in vols:
            v.pk = by_hash[v.id_hash]
    # created_at is the registration the 志愿者招募 KPI counts (contracts.actuals):
    # spread over the year instead of all on the day the demo loads.
    for v, r in zip(vols, todo, strict=True):
        v.created_at = r["registered"]
    Volunteer.objects.bulk_update(vols, ["created_at"], batch_size=500)
    station_of = {c.pk: c.parent_id for c in communities}
    skill_links, domain_links, team_links = [], [], []
    for v, r in zip(vols, todo, strict=True):
        skill_links += [Volunteer.skills.through(volunteer_id=v.pk, skill_id=s.pk) for s in r["skills"]]
        domain_links += [Volunteer.domains.through(volunteer_id=v.pk, servicedomain_id=d.pk) for d in r["domains"]]
        teams = teams_by_station.get(station_of[r["community"].pk], [])
        if r["team"] and teams:
            team = teams[v.pk % len(teams)]
            team_links.append(Volunteer.teams.through(volunteer_id=v.pk, volunteerteam_id=team.pk))
    Volunteer.skills.through.objects.bulk_create(skill_links)
    Volunteer.domains.through.objects.bulk_create(domain_links)
    Volunteer.teams.through.objects.bulk_create(team_links)
