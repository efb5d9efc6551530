"""What every area's demo seeder shares: the context they fill and the
published password (the district itself is loaded by home/demo.py).

Each area declares a `seed(ctx)` in its contrib.py (core.registry.demo_seed).
Every seeder is idempotent: it looks its rows up by natural keys and creates
only what is missing, and it draws random values from `ctx.rng`/`ctx.faker`
seeded with a fixed number so that two runs produce the same district.
"""

from __future__ import annotations

import random
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
