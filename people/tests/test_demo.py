from __future__ import annotations

import pytest
from django.db.models import Sum

from core import identity
from core.demo import DemoContext
from partners.models import CommunityOrganisation, Enterprise, ResourceEntry
from people.models import Person
from volunteers.models import Volunteer

pytestmark = pytest.mark.django_db


def _run() -> None:
    from orgs.demo import seed as seed_orgs
    from partners.demo import seed as seed_partners
    from people.demo import seed as seed_people
    from volunteers.demo import seed as seed_volunteers

    ctx = DemoContext()
    for seed in (seed_orgs, seed_people, seed_volunteers, seed_partners):
        seed(ctx)


def test_it_seeds_the_registries_of_the_seeds_idempotently():
    _run()
    counts = (
        Person.objects.count(),
        Volunteer.objects.count(),
        Enterprise.objects.count(),
        ResourceEntry.objects.count(),
    )
    assert counts[:3] == (835, 455, 58)
    orgs = CommunityOrganisation.objects.aggregate(n=Sum("members"), p=Sum("party_members"))
    assert (CommunityOrganisation.objects.count(), orgs["n"], orgs["p"]) == (16, 429, 77)
    assert ResourceEntry.objects.filter(direction="in").aggregate(v=Sum("value"))["v"] == 155000
    p = Person.objects.exclude(id_cipher="").first()
    assert identity.parse_resident_id(identity.decrypt(p.id_cipher)).birth_date == p.birth_date
    _run()
    again = (
        Person.objects.count(),
        Volunteer.objects.count(),
        Enterprise.objects.count(),
        ResourceEntry.objects.count(),
    )
    assert again == counts
