from __future__ import annotations

import pytest

from partners.tests.factories import EnterpriseFactory
from people.selectors import households_visible, persons_visible
from people.tests.factories import HouseholdFactory, PersonFactory, person_with_category
from volunteers.tests.factories import VolunteerFactory

pytestmark = pytest.mark.django_db


def test_it_scopes_persons_and_households(tree, worker, outsider):
    hh = HouseholdFactory(unit=tree.a1)
    mine = PersonFactory(unit=tree.a1, name="张三", household=hh)
    theirs = person_with_category(tree.b1, "dibao")
    assert mine.name_initials == "zs"
    assert list(persons_visible(worker)) == [mine]
    assert list(persons_visible(outsider)) == [theirs]
    assert list(households_visible(worker)) == [hh]
    assert not households_visible(outsider).exists()
    assert theirs.categories.get().category.code == "dibao"


def test_it_builds_volunteers_and_enterprises(tree):
    v = VolunteerFactory(unit=tree.a1)
    e = EnterpriseFactory(unit=tree.station_a)
    assert v.pk and e.pk and v.availability
