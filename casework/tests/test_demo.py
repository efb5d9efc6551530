from __future__ import annotations

import pytest

from casework.models import Activity, Case, Group, Stage
from core.demo import DemoContext
from people.tests.factories import PersonFactory
from volunteering.models import ServiceRecord
from volunteers.tests.factories import VolunteerFactory

pytestmark = pytest.mark.django_db


def test_it_seeds_services_once(tree, worker, colleague, lead):
    for i in range(14):
        PersonFactory(unit=tree.a1 if i % 2 else tree.a2)
    for _ in range(6):
        VolunteerFactory(unit=tree.a1)
    ctx = DemoContext()
    ctx.data.update(district=tree.district, stations=[tree.station_a], communities=[tree.a1, tree.a2])
    from casework.demo import seed

    seed(ctx)
    counts = (Case.objects.count(), Group.objects.count(), Activity.objects.count(), ServiceRecord.objects.count())
    assert counts[0] == 6 and counts[1] == 1 and counts[2] >= 90 and counts[3] > 0
    assert set(Case.objects.values_list("stage", flat=True)) == set(Stage.values)
    assert Case.objects.exclude(pending="").count() == 1
    seed(ctx)
    assert (
        Case.objects.count(),
        Group.objects.count(),
        Activity.objects.count(),
        ServiceRecord.objects.count(),
    ) == counts
