"""A large synthetic district, to try Linli at scale and to measure it
(`manage.py make_district --residents 100000`).

Units and staff are made by the areas' own services; residents and
volunteers get their pinyin, encrypted IDs and keyed hashes from the same
functions the forms and imports use; cards and responsible workers come from
the grading enrolment that runs when residents are added in the pages. Only
the bulk rows that no service writes one by one at this size (visits,
service hours, needs) are inserted as rows, with the due dates then worked
out by the grading code. The same seed gives the same district."""

from __future__ import annotations

import datetime as dt
import random
import secrets
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.services import staff_create
from core import identity
from core.demo import DEMO_PASSWORD
from core.roles import Level, Role
from orgs.models import OrgUnit
from orgs.services import orgunit_create

CHUNK = 5000


@dataclass(frozen=True)
class Size:
    residents: int
    stations: int = 8
    communities: int = 10  # per station
    volunteers: int | None = None  # default: one per ten residents
    visits: float = 4.0  # per graded resident, over the past year
    service_records: int | None = None  # default: ten per resident
    needs: int | None = None  # default: one per ten residents

    def count(self, given: int | None, per_resident: float) -> int:
        return given if given is not None else int(self.residents * per_resident)


@dataclass
class Made:
    district: OrgUnit
    admin: User
    counts: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    logins: list[tuple[str, str, str]] = field(default_factory=list)


def district_make(
    *,
    size: Size,
    code: str = "350599000000",
    name: str = "合成区",
    seed: int = 1,
    progress: Callable[[str], None] | None = None,
) -> Made:
    """Make the district in one transaction (nothing is left half-made)."""
    rng = random.Random(seed)
    from faker import Faker

    faker = Faker("zh_CN")
    faker.seed_instance(seed)
    say = progress or (lambda _text: None)
    with transaction.atomic():
        made = _Maker(size=size, code=code, name=name, rng=rng, faker=faker, say=say).run()
    return made


class _Someone(NamedTuple):
    name: str
    name_pinyin: str
    name_initials: str
    sex: str
    birth_date: dt.date
    number: str
    phone: str


class _Maker:
    def __init__(
        self, *, size: Size, code: str, name: str, rng: random.Random, faker: object, say: Callable[[str], None]
    ) -> None:
        self.size, self.code, self.name, self.rng, self.faker, self.say = size, code, name, rng, faker, say
        self.today = timezone.localdate()

    def step(self, label: str, fn: Callable[[], int]) -> None:
        start = time.perf_counter()
        count = fn()
        self.made.seconds[label] = round(time.perf_counter() - start, 2)
        self.made.counts[label] = count
        self.say(f"{label}: {count} ({self.made.seconds[label]} s)")

    def run(self) -> Made:
        self.logins: list[tuple[str, str, str]] = []
        district = orgunit_create(actor=None, level=Level.DISTRICT, parent=None, name=self.name, code=self.code)
        admin = self._staff("admin", f"{self.name}管理员", Role.DISTRICT_ADMIN, district)
        self.made = Made(district=district, admin=admin)
        self.step("units", self._units)
        self.step("residents", self._residents)
        self.step("graded", self._grade)
        self.step("visits", self._visits)
        self.step("volunteers", self._volunteers)
        self.step("service_records", self._service_records)
        self.step("needs", self._needs)
        User.objects.filter(username__in=[u for _r, u, _n in self.logins]).update(
            password=make_password(DEMO_PASSWORD), must_change_password=False
        )
        self.made.logins = self.logins
        return self.made

    def _staff(self, suffix: str, full_name: str, role: str, unit: OrgUnit) -> User:
        # Made with a random password, then given the demo district's
        # published one (`demo_logins`): this district is never production.
        user = staff_create(
            actor=None,
            username=f"u{self.code[:6]}_{suffix}",
            full_name=full_name,
            role=role,
            unit=unit,
            password=f"Syn{secrets.token_hex(8)}x9",
        )
        self.logins.append((user.get_role_display(), user.username, unit.name))
        return user

    def _units(self) -> int:
        self.communities: list[OrgUnit] = []
        self.workers: dict[int, User] = {}
        area = self.code[:6]
        for s in range(1, self.size.stations + 1):
            station = orgunit_create(
                actor=None,
                level=Level.STATION,
                parent=self.made.district,
                name=f"合成{s}街道社工站",
                code=f"{area}{s:03d}000",
            )
            self._staff(f"s{s}", f"站长{s}", Role.STATION_LEAD, station)
            for c in range(1, self.size.communities + 1):
                community = orgunit_create(
                    actor=None,
                    level=Level.COMMUNITY,
                    parent=station,
                    name=f"合成{s}-{c}社区",
                    code=f"{area}{s:03d}{c:03d}",
                )
                self.communities.append(community)
                self.workers[community.pk] = self._staff(f"s{s}c{c}", f"社工{s}-{c}", Role.SOCIAL_WORKER, community)
        return 1 + self.size.stations * (1 + self.size.communities)

    def _someone(self, used: set[str], seq: int, ages: tuple[int, int]) -> _Someone:
        faker = self.faker
        sex = self.rng.choice("MF")
        age = self.rng.randint(*ages)
        born = dt.date(self.today.year - age, self.rng.randint(1, 12), self.rng.randint(1, 28))
        first = faker.first_name_female() if sex == "F" else faker.first_name_male()  # type: ignore[attr-defined]
        name = faker.last_name() + first  # type: ignore[attr-defined]
        full, initials = identity.pinyin_of(name)
        return _Someone(
            name=name,
            name_pinyin=full,
            name_initials=initials,
            sex=sex,
            birth_date=born,
            number=identity.unique_resident_id(self.code[:6], born, sex, used, seq),
            phone=f"1{self.rng.choice('3578')}{self.rng.randint(0, 999999999):09d}",
        )

    def _residents(self) -> int:
        from people.models import CategoryType, Person, PersonCategory
        from people.search_keys import fill_search_keys

        by_group: dict[str, list[CategoryType]] = {}
        for cat in CategoryType.objects.filter(active=True):
            by_group.setdefault(cat.group, []).append(cat)
        elderly = by_group.get("elderly", [])
        others = [c for group, cats in by_group.items() if group != "elderly" for c in cats]
        used: set[str] = set()
        self.person_ids: list[int] = []
        for start in range(0, self.size.residents, CHUNK):
            persons, kinds = [], []
            for seq in range(start, min(start + CHUNK, self.size.residents)):
                old = self.rng.random() < 0.7  # most people in difficulty on file are elderly
                values = self._someone(used, seq, (60, 98) if old else (3, 59))
                community = self.communities[seq % len(self.communities)]
                person = Person(
                    unit=community,
                    name=values.name,
                    name_pinyin=values.name_pinyin,
                    name_initials=values.name_initials,
                    sex=values.sex,
                    birth_date=values.birth_date,
                    phone=values.phone,
                    actual_address=f"{community.name.removesuffix('社区')}路{self.rng.randint(1, 300)}号",
                    created_by=self.workers[community.pk],
                )
                identity.store_id(person, values.number)
                fill_search_keys(person)
                persons.append(person)
                kinds.append(self.rng.choice(elderly if old and elderly else others or elderly))
            Person.objects.bulk_create(persons)
            since = self.today.replace(year=self.today.year - 2)
            PersonCategory.objects.bulk_create(
                [
                    PersonCategory(person=p, category=k, start_date=since)
                    for p, k in zip(persons, kinds, strict=True)
                    if k
                ]
            )
            self.person_ids += [p.pk for p in persons]
        return len(self.person_ids)

    def _grade(self) -> int:
        from grading.enrolment import persons_enrol

        return persons_enrol(actor=self.made.admin, persons=self.person_ids, why="合成区县")["graded"]

    def _visits(self) -> int:
        from grading.models import PersonGrade, Visit
        from grading.selectors_config import policy_for
        from grading.services.due import refresh_due

        policy = policy_for(self.made.district)
        total = 0
        grades = PersonGrade.objects.filter(person_id__in=self.person_ids).select_related("unit")
        for start in range(0, len(self.person_ids), CHUNK):
            chunk = list(grades.filter(person_id__in=self.person_ids[start : start + CHUNK]))
            visits = []
            for grade in chunk:
                n = self.rng.randint(0, int(2 * self.size.visits))
                days = sorted(self.rng.sample(range(1, 366), min(n, 365)))
                worker = self.workers[grade.unit_id]
                visits += [
                    Visit(
                        person_id=grade.person_id,
                        unit_id=grade.unit_id,
                        visited_on=self.today - dt.timedelta(days=d),
                        visitor=worker,
                        visitor_name=worker.full_name,
                        findings="情况稳定",
                    )
                    for d in days
                ]
                if days:
                    grade.last_visit_on = self.today - dt.timedelta(days=days[0])
                refresh_due(grade, policy, event_due=None)
            Visit.objects.bulk_create(visits, batch_size=CHUNK)
            # bulk_update writes a CASE per row (minutes at this size): one
            # UPDATE per distinct (last visit, due date) instead.
            same: dict[tuple[Any, Any, int], list[int]] = defaultdict(list)
            for grade in chunk:
                same[(grade.last_visit_on, grade.next_due, grade.card_rank)].append(grade.pk)
            for (last_visit_on, next_due, card_rank), pks in same.items():
                PersonGrade.objects.filter(pk__in=pks).update(
                    last_visit_on=last_visit_on, next_due=next_due, card_rank=card_rank
                )
            total += len(visits)
        return total

    def _volunteers(self) -> int:
        from volunteers.models import Volunteer

        n = self.size.count(self.size.volunteers, 0.1)
        used: set[str] = set()
        self.volunteer_ids: list[tuple[int, int]] = []
        for start in range(0, n, CHUNK):
            rows = []
            for seq in range(start, min(start + CHUNK, n)):
                values = self._someone(used, 500_000 + seq, (18, 70))
                volunteer = Volunteer(
                    unit=self.communities[seq % len(self.communities)],
                    name=values.name,
                    name_pinyin=values.name_pinyin,
                    name_initials=values.name_initials,
                    sex=values.sex,
                    birth_date=values.birth_date,
                )
                identity.store_id(volunteer, values.number)
                rows.append(volunteer)
            Volunteer.objects.bulk_create(rows)
            self.volunteer_ids += [(v.pk, v.unit_id) for v in rows]
        return len(self.volunteer_ids)

    def _service_records(self) -> int:
        from volunteering.models import ServiceRecord

        n = self.size.count(self.size.service_records, 10)
        if not self.volunteer_ids:
            return 0
        activities = ["助老服务", "助残服务", "环境整治", "政策宣传", "儿童关爱"]
        recorder = self.made.admin
        for start in range(0, n, CHUNK):
            rows = []
            for k in range(start, min(start + CHUNK, n)):
                volunteer_id, unit_id = self.volunteer_ids[self.rng.randrange(len(self.volunteer_ids))]
                rows.append(
                    ServiceRecord(
                        volunteer_id=volunteer_id,
                        unit_id=unit_id,
                        activity_name=activities[k % len(activities)],
                        date=self.today - dt.timedelta(days=self.rng.randint(0, 700)),
                        hours=Decimal(self.rng.randint(1, 8)) / 2,
                        recorded_by=recorder,
                    )
                )
            ServiceRecord.objects.bulk_create(rows)
        return n

    def _needs(self) -> int:
        from matching.models import Need, NeedType
        from people.models import Person

        types = list(NeedType.objects.filter(active=True).select_related("domain"))
        n = self.size.count(self.size.needs, 0.1)
        if not types or not self.person_ids:
            return 0
        units = dict(Person.objects.filter(pk__in=self.person_ids).values_list("pk", "unit_id"))
        for start in range(0, n, CHUNK):
            rows = []
            for _k in range(start, min(start + CHUNK, n)):
                person_id = self.person_ids[self.rng.randrange(len(self.person_ids))]
                need_type = types[self.rng.randrange(len(types))]
                rows.append(
                    Need(
                        unit_id=units[person_id],
                        person_id=person_id,
                        domain_id=need_type.domain_id,
                        need_type=need_type.code,
                        description=need_type.name,
                        created_by=self.workers[units[person_id]],
                    )
                )
            Need.objects.bulk_create(rows)
        return n
