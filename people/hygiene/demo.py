"""Demo duplicates: two residents entered a second time without their ID
(as a roster import from another office would), so that the duplicate
finder has pairs to show. Idempotent: a copy is made once."""

from __future__ import annotations

from core.demo import DemoContext

COPIES = 2
MARK = "演示：重复录入"


def seed(ctx: DemoContext) -> None:
    from people.models import Person
    from people.search_keys import fill_search_keys

    community = ctx.data["communities"][0]
    originals = Person.objects.filter(unit=community, is_active=True, merged_into__isnull=True, household__isnull=False)
    for original in originals.exclude(notes=MARK).order_by("pk")[:COPIES]:
        if Person.objects.filter(unit=community, name=original.name, notes=MARK).exists():
            continue
        copy = Person(
            unit=community,
            name=original.name,
            sex=original.sex,
            birth_date=original.birth_date,
            phone=original.phone,
            actual_address=f" {original.actual_address or original.registered_address} ",
            notes=MARK,
        )
        fill_search_keys(copy)
        copy.save()
