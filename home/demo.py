"""The demo district, shaped after the seeds (鲤城区: 8 street stations):
every area's seeder (declared in its contrib.py) in order, inside one
transaction, for `manage.py load_demo`."""

from __future__ import annotations

from django.db import transaction
from django.utils.module_loading import import_string

from core.demo import DemoContext
from core.registry import demo_seeds


def load(ctx: DemoContext | None = None) -> DemoContext:
    ctx = ctx or DemoContext()
    with transaction.atomic():
        for seed in demo_seeds():
            import_string(seed.seed)(ctx)
    return ctx
