"""Batches: one PDF of a unit's forms for a month, only the right records, in
parts when large, audited once."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from paperwork import conf
from paperwork.tests.conftest import Scene, pdf_text
from people.tests.factories import HouseholdFactory
from workrecords.models import Supervision

pytestmark = pytest.mark.django_db


def _batch(client: Any, **query: Any) -> Any:
    return client.get(reverse("paperwork:batch"), query)


def test_it_shows_the_choice_page(scene: Scene, worker: Any, as_user: Any, tree: Any) -> None:
    page = as_user(worker).get(reverse("paperwork:batch"))
    body = page.content.decode()
    assert page.status_code == 200 and "甲一社区" in body and "乙一社区" not in body
    assert "2026年11月" in body


def test_it_prints_a_stations_supervisions_of_a_month(scene: Scene, lead: Any, as_user: Any, tree: Any) -> None:
    Supervision.objects.create(unit=tree.station_a, date=dt.date(2026, 10, 30), supervisor="十月督导", topics="上月")
    response = _batch(as_user(lead), kind="supervision", unit=tree.station_a.pk, month="2026-11")
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "郑督导" in text and "十月督导" not in text and "乙督导" not in text
    event = AuditEvent.objects.get(action="paperwork.batch")
    assert event.changes["records"] == 1 and event.changes["form"] == "supervision"


def test_it_prints_a_communitys_household_files(scene: Scene, worker: Any, as_user: Any, tree: Any) -> None:
    HouseholdFactory(unit=tree.a2, address="甲二路5号")
    text = pdf_text(_batch(as_user(worker), kind="household", unit=tree.a1.pk, month="2026-11").content)
    assert "林秀英" in text and "甲二路" not in text and "乙居民" not in text


def test_it_prints_the_case_forms_of_cases_open_in_the_month(scene: Scene, lead: Any, as_user: Any, tree: Any) -> None:
    text = pdf_text(_batch(as_user(lead), kind="case", unit=tree.station_a.pk, month="2026-11").content)
    assert text.count("个案接案登记表") == 2 and "个案结案表" in text
    response = _batch(as_user(lead), kind="case", unit=tree.station_a.pk, month="2026-10")
    assert response.status_code == 200 and "没有" in response.content.decode()  # nothing open in October


def test_it_prints_sign_in_sheets_and_joint_minutes_of_the_month(
    scene: Scene, worker: Any, as_user: Any, tree: Any
) -> None:
    text = pdf_text(_batch(as_user(worker), kind="signin", unit=tree.station_a.pk, month="2026-11").content)
    assert "重阳敬老茶话会" in text and "林秀英" in text
    text = pdf_text(_batch(as_user(worker), kind="joint", unit=tree.station_a.pk, month="2026-11").content)
    assert "第四季度困难群众帮扶" in text and "乙议题" not in text


def test_it_refuses_a_unit_outside_the_users_subtree(scene: Scene, worker: Any, as_user: Any, tree: Any) -> None:
    response = _batch(as_user(worker), kind="household", unit=tree.b1.pk, month="2026-11")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert not AuditEvent.objects.filter(action="paperwork.batch").exists()


def test_it_prints_a_large_batch_in_parts(scene: Scene, worker: Any, as_user: Any, tree: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(conf, "BATCH_MAX", 2)
    for n in range(3):
        HouseholdFactory(unit=tree.a1, address=f"分批路{n}号")
    page = _batch(as_user(worker), kind="household", unit=tree.a1.pk, month="2026-11")
    assert page["Content-Type"].startswith("text/html")
    body = page.content.decode()
    assert "part=2" in body and "part=3" not in body  # 4 files in parts of 2
    assert not AuditEvent.objects.filter(action="paperwork.batch").exists()
    part = _batch(as_user(worker), kind="household", unit=tree.a1.pk, month="2026-11", part=2)
    assert pdf_text(part.content).count("一户一档家庭档案表") == 2
    assert AuditEvent.objects.get(action="paperwork.batch").changes["part"] == "2/2"


def test_it_counts_a_cases_five_forms_towards_a_part(
    scene: Scene, lead: Any, as_user: Any, tree: Any, monkeypatch: Any
) -> None:
    monkeypatch.setattr(conf, "BATCH_MAX", 5)
    body = _batch(as_user(lead), kind="case", unit=tree.station_a.pk, month="2026-11").content.decode()
    assert "part=2" in body and "part=3" not in body  # two cases, one a part
    text = pdf_text(_batch(as_user(lead), kind="case", unit=tree.station_a.pk, month="2026-11", part=1).content)
    assert text.count("个案接案登记表") == 1


def test_it_prints_a_batch_in_as_many_queries_however_many_files(
    worker: Any, as_user: Any, tree: Any, frozen: Any
) -> None:
    from grading.models import Visit
    from people.models import Guardian
    from people.tests.factories import person_with_category
    from tests.lists import assert_flat_queries

    def add(k: int) -> None:
        for _i in range(k):
            hh = HouseholdFactory(unit=tree.a1)
            p = person_with_category(tree.a1, "dibao", household=hh, birth_date=dt.date(2015, 1, 1))
            Guardian.objects.create(person=p, name="监护人", relation="母亲")
            Visit.objects.create(person=p, unit=tree.a1, visited_on=dt.date(2026, 11, 2), visitor=worker)

    url = reverse("paperwork:batch") + f"?kind=household&unit={tree.a1.pk}&month=2026-11"
    assert_flat_queries(as_user(worker), url, add, n=2, factor=3)
