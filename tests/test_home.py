"""The home page shows where the user sits and what they may see, per level."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from accounts.models import User
from core.demo import DemoContext
from core.registry import HomeCounter
from home.demo import load
from orgs.demo import seed as seed_orgs
from orgs.models import OrgUnit

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo() -> Any:
    """The demo organisation only (the other areas' seeders are not needed here)."""
    ctx = DemoContext()
    seed_orgs(ctx)
    return ctx


def _home(username: str) -> Any:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client.get("/", HTTP_ACCEPT_LANGUAGE="zh-hans")


def test_it_shows_the_district_admin_all_eight_stations(demo: Any) -> None:
    response = _home("admin")
    assert response.status_code == 200
    children = list(response.context["children"])
    assert len(children) == 8
    assert {c.level for c in children} == {"station"}
    assert response.context["ancestors"] == []
    counts = {str(c["label"]): c["value"] for c in response.context["counts"]}
    assert counts["可见单位"] == OrgUnit.objects.count()
    assert counts["工作人员"] == User.objects.filter(is_active=True).count()
    body = response.content.decode()
    assert "鲤城区社会工作指导中心" in body and "开元街道社工站" in body and "常泰街道社工站" in body


def test_it_shows_a_station_lead_the_station_and_its_seven_communities(demo: Any) -> None:
    response = _home("lead01")
    children = list(response.context["children"])
    assert len(children) == 7
    assert {c.parent.name for c in children} == {"开元街道社工站"}
    assert [a.name for a in response.context["ancestors"]] == ["鲤城区社会工作指导中心"]
    staff = {s.username for s in response.context["staff"]}
    assert staff == {"lead01", "sw01a", "sw01b"}
    counts = {str(c["label"]): c["value"] for c in response.context["counts"]}
    assert counts["可见单位"] == 8
    body = response.content.decode()
    assert "鲤城区社会工作指导中心 › " in body
    assert "海滨街道社工站" not in body


def test_it_shows_a_community_worker_only_their_community(demo: Any) -> None:
    response = _home("cw0101")
    body = response.content.decode()
    assert list(response.context["children"]) == []
    assert [a.name for a in response.context["ancestors"]] == ["鲤城区社会工作指导中心", "开元街道社工站"]
    assert response.context["unit"].name == "西湖社区"
    assert {s.username for s in response.context["staff"]} == {"cw0101"}
    counts = {str(c["label"]): c["value"] for c in response.context["counts"]}
    assert counts["可见单位"] == 1
    assert counts["工作人员"] == 1
    assert "西湖社区" in body and "北门社区" not in body
    assert "社区社工室" in body  # the level badge


def test_it_loads_the_whole_demo_twice_without_changing_anything(db: Any) -> None:
    from audit.models import AuditEvent

    load()
    before = (OrgUnit.objects.count(), User.objects.count(), AuditEvent.objects.count())
    load()
    assert (OrgUnit.objects.count(), User.objects.count(), AuditEvent.objects.count()) == before
    assert OrgUnit.objects.filter(level="station").count() == 8
    for station in OrgUnit.objects.filter(level="station"):
        assert 3 <= station.children.count() <= 7
        assert station.staff.filter(role="social_worker").count() == 2


def test_it_keeps_the_home_page_itself_to_a_few_queries(
    demo: Any, django_assert_max_num_queries: Any, monkeypatch: Any
) -> None:
    """The page without the areas' counters and to-do items: session, user,
    tree, staff, the bell's unread count (a cache hit outside tests)."""
    from home import counters as home
    from home import inbox

    monkeypatch.setattr(home, "COUNTERS", [])
    monkeypatch.setattr(inbox, "TODO_ITEMS", [])
    client = Client()
    client.force_login(User.objects.get(username="admin"))
    client.get("/")
    with django_assert_max_num_queries(9):
        assert client.get("/").status_code == 200


def test_it_keeps_every_home_counter_to_a_few_queries(demo: Any, django_assert_max_num_queries: Any) -> None:
    """Each area's counter (home.counters.COUNTERS) runs on every home page view:
    a counter must stay a few queries whatever the data (no query per row; the
    person-times figure sums six record kinds, one query each)."""
    from home.counters import COUNTERS

    for username in ("admin", "lead01", "cw0101"):
        user = User.objects.select_related("unit").get(username=username)
        for c in COUNTERS:
            with django_assert_max_num_queries(6, info=str(c.label)):
                assert c.count(user) >= 0


def test_it_reuses_home_figures_briefly_and_drops_them_on_the_users_own_change(
    tree: Any, admin: Any, lead: Any, settings: Any, monkeypatch: Any
) -> None:
    from django.core.cache import cache

    from home import counters as home
    from orgs import services

    settings.HOME_COUNTERS_SECONDS = 30
    cache.clear()
    calls: list[int] = []

    def units(user: Any) -> int:
        calls.append(user.pk)
        return OrgUnit.objects.count()

    monkeypatch.setattr(home, "COUNTERS", [HomeCounter("units", units)])
    assert [c["value"] for c in home.home_counts(lead)] == [6]
    services.orgunit_create(actor=admin, level="community", parent=tree.station_a, name="甲三", code="350502001003")
    assert [c["value"] for c in home.home_counts(lead)] == [6]  # a colleague's change: within the interval
    assert calls == [lead.pk]
    assert [c["value"] for c in home.home_counts(admin)] == [7]
    services.agency_create(actor=admin, unit=tree.district, name="新机构")
    # the admin's own change drops the admin's figures, not the lead's
    assert [c["value"] for c in home.home_counts(admin)] == [7]
    assert calls == [lead.pk, admin.pk, admin.pk]
    settings.HOME_COUNTERS_SECONDS = 0
    assert [c["value"] for c in home.home_counts(lead)] == [7]
    cache.clear()


def test_it_reuses_the_rendered_home_page_until_the_users_own_change(
    tree: Any, admin: Any, lead: Any, settings: Any, as_user: Any
) -> None:
    from django.core.cache import cache

    from orgs import services

    settings.HOME_COUNTERS_SECONDS = 30
    cache.clear()
    admin_client, lead_client = as_user(admin), as_user(lead)
    assert "甲三社区" not in lead_client.get("/").content.decode()
    assert "丙街道社工站" not in admin_client.get("/").content.decode()
    services.orgunit_create(actor=admin, level="community", parent=tree.station_a, name="甲三社区", code="350502001003")
    services.orgunit_create(
        actor=admin, level="station", parent=tree.district, name="丙街道社工站", code="350502003000"
    )
    assert "丙街道社工站" in admin_client.get("/").content.decode()  # own change: at once
    assert "甲三社区" not in lead_client.get("/").content.decode()  # a colleague's: within the interval
    english = lead_client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    lead_client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "You are at" in lead_client.get("/").content.decode()  # cached per language
    cache.clear()
    assert "甲三社区" in lead_client.get("/").content.decode()
    assert english.status_code == 200
