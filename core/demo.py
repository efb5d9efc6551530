"""The demo district, shaped after the seeds (鲤城区: 8 street stations).

Each area contributes a `seed(ctx)` function to SEEDERS, run in order inside
one transaction by `manage.py load_demo`. Every seeder is idempotent: it looks
its rows up by natural keys and creates only what is missing, and it draws
random values from `ctx.rng`/`ctx.faker` seeded with a fixed number so that
two runs produce the same district.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from faker import Faker

DEMO_PASSWORD = "Linli2026demo"


@dataclass
class DemoContext:
    rng: random.Random = field(default_factory=lambda: random.Random(20261123))
    faker: Faker = field(default_factory=lambda: _faker())
    logins: list[tuple[str, str, str]] = field(default_factory=list)  # (role label, username, unit)
    data: dict[str, Any] = field(default_factory=dict)


def _faker() -> Faker:
    fake = Faker("zh_CN")
    fake.seed_instance(20261123)
    return fake


def _seeders() -> list[Callable[[DemoContext], None]]:
    from casework.demo import seed as seed_services
    from contracts.demo import seed as seed_contracts
    from grading.demo import seed as seed_grading
    from matching.demo import seed as seed_matching
    from orgs.demo import seed as seed_orgs
    from partners.demo import seed as seed_partners
    from people.demo import seed as seed_people
    from reports.demo import seed as seed_reports
    from volunteers.demo import seed as seed_volunteers
    from workrecords.demo import seed as seed_workrecords

    # Order matters: grading grades the residents the registries created, and
    # running the station (workrecords, contracts, reports) reads everything before it.
    return [
        *[seed_orgs, seed_people, seed_volunteers, seed_partners, seed_grading, seed_matching, seed_services],
        *[seed_workrecords, seed_contracts, seed_reports],
    ]


def load(ctx: DemoContext | None = None) -> DemoContext:
    from django.db import transaction

    ctx = ctx or DemoContext()
    with transaction.atomic():
        for seeder in _seeders():
            seeder(ctx)
    return ctx
