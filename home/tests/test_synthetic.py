from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from accounts.models import User
from core import identity
from core.demo import DEMO_PASSWORD
from grading.models import PersonGrade, Visit
from home.synthetic import Size, district_make
from matching.models import Need
from orgs.models import OrgUnit
from people.models import Person
from volunteering.models import ServiceRecord
from volunteers.models import Volunteer

SMALL = Size(residents=60, stations=2, communities=2, service_records=90, needs=12)


def _make(code: str = "350598000000", seed: int = 7) -> Any:
    return district_make(size=SMALL, code=code, seed=seed)


@pytest.mark.django_db
def test_it_makes_every_register_at_the_size_asked() -> None:
    made = _make()
    units = made.district.subtree()
    assert units.count() == 1 + 2 * (1 + 2)
    people = Person.objects.filter(unit__in=units)
    assert people.count() == 60
    assert Volunteer.objects.filter(unit__in=units).count() == 6
    assert ServiceRecord.objects.filter(unit__in=units).count() == 90
    assert Need.objects.filter(unit__in=units).count() == 12
    assert made.counts["residents"] == 60 and made.counts["needs"] == 12


@pytest.mark.django_db
def test_it_fills_residents_through_the_real_identity_and_grading_code() -> None:
    made = _make()
    people = list(Person.objects.filter(unit__in=made.district.subtree()))
    for person in people:
        assert (person.name_pinyin, person.name_initials) == identity.pinyin_of(person.name)
        number = identity.decrypt(person.id_cipher)
        assert identity.parse_resident_id(number).birth_date == person.birth_date
        assert person.id_hash == identity.id_hash(number) and person.id_tail == number[-4:]
    grades = PersonGrade.objects.filter(person__in=people)
    assert grades.count() == len(people)  # the enrolment graded everyone
    assert not grades.filter(next_due__isnull=True).exists()
    assert not grades.filter(responsible__isnull=True).exists()
    visited = grades.exclude(last_visit_on__isnull=True)
    for grade in visited:
        latest = Visit.objects.filter(person_id=grade.person_id).order_by("-visited_on").first()
        assert latest is not None and latest.visited_on == grade.last_visit_on


@pytest.mark.django_db
def test_it_gives_the_same_district_for_the_same_seed() -> None:
    first = _make(code="350598000000", seed=3)
    second = _make(code="350597000000", seed=3)

    def names(made: Any) -> list[str]:
        return list(
            Person.objects.filter(unit__in=made.district.subtree()).order_by("pk").values_list("name", flat=True)
        )

    assert names(first) == names(second)


@pytest.mark.django_db
def test_it_lets_its_staff_log_in_with_the_demo_password() -> None:
    made = _make()
    users = User.objects.filter(username__in=[username for _role, username, _unit in made.logins])
    assert len(users) == len(made.logins) == 1 + 2 * (1 + 2)
    assert all(user.check_password(DEMO_PASSWORD) and not user.must_change_password for user in users)


@pytest.mark.django_db
def test_it_refuses_a_code_already_taken_and_bad_sizes() -> None:
    _make(code="350598000000")
    with pytest.raises(CommandError, match="350598000000"):
        call_command("make_district", "--residents", "5", "--code", "350598000000", stdout=StringIO())
    with pytest.raises(CommandError):
        call_command("make_district", "--residents", "0", "--code", "350596000000", stdout=StringIO())
    with pytest.raises(CommandError):
        call_command("make_district", "--residents", "5", "--code", "3505", stdout=StringIO())
    assert not OrgUnit.objects.filter(code="350596000000").exists()


@pytest.mark.django_db
def test_it_never_runs_in_production() -> None:
    with override_settings(PRODUCTION=True), pytest.raises(CommandError):
        call_command("make_district", "--residents", "5", stdout=StringIO())
    assert not OrgUnit.objects.filter(code="350599000000").exists()
