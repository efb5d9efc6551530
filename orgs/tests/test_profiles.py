"""Community profiles: who edits them, what is refused, the characteristics
list (retire, never delete), the rate per 1,000 and the demo's Xihu Road street."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from audit.actions import Action
from audit.models import AuditEvent
from orgs import profiles
from orgs.models import CommunityProfile, CommunityTrait

pytestmark = pytest.mark.django_db


def _form(**over: Any) -> dict[str, Any]:
    data = {
        "figures_year": "2024",
        "population": "7412",
        "households": "2106",
        "area_km2": "0.52",
        "secretary": "王书记",
        "secretary_phone": "13800000001",
        "contacts": "",
        "notes": "红色文化底蕴深厚",
    }
    data.update(over)
    return data


def test_the_issue_characteristics_are_the_initial_list() -> None:
    names = set(CommunityTrait.objects.values_list("name", flat=True))
    assert {"低保家庭多", "正在拆迁", "新型社区、人口复杂", "毗邻医院", "独居老人多"} <= names


def test_a_station_lead_edits_their_community_profile_and_it_is_audited(tree: Any, lead: Any, as_user: Any) -> None:
    dibao = CommunityTrait.objects.get(code="dibao")
    client = as_user(lead)
    url = reverse("orgs:profile_edit", args=[tree.a1.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, _form(traits=[dibao.pk]))
    assert response.status_code == 302
    profile = CommunityProfile.objects.get(unit=tree.a1)
    assert (profile.population, profile.households, profile.figures_year) == (7412, 2106, 2024)
    assert [t.code for t in profile.traits.all()] == ["dibao"]
    event = AuditEvent.objects.get(action=Action.PROFILE_UPDATE)
    assert event.changes["population"] == [None, 7412] and event.changes["traits"] == [None, "低保家庭多"]
    page = client.get(reverse("orgs:unit_detail", args=[tree.a1.pk])).content.decode()
    assert "7412" in page and "低保家庭多" in page and "王书记" in page


def test_others_may_not_edit_a_profile(tree: Any, lead: Any, worker: Any, outsider: Any, as_user: Any) -> None:
    url = reverse("orgs:profile_edit", args=[tree.a1.pk])
    assert as_user(worker).post(url, _form()).status_code == 403  # a social worker reads, does not edit
    assert as_user(outsider).post(url, _form()).status_code == 404  # another station's community does not exist
    assert as_user(lead).get(reverse("orgs:profile_edit", args=[tree.station_a.pk])).status_code == 404
    assert not CommunityProfile.objects.exists()
    with pytest.raises(PermissionDenied):
        profiles.profile_update(actor=worker, unit=tree.a1, population=10, figures_year=2024)


def test_the_district_edits_every_community(tree: Any, admin: Any) -> None:
    profiles.profile_update(actor=admin, unit=tree.b1, population=5000, households=1500, figures_year=2023)
    assert CommunityProfile.objects.get(unit=tree.b1).population == 5000


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"population": 100, "households": 101, "figures_year": 2024}, "households"),
        ({"population": 100}, "figures_year"),
        ({"population": 100, "figures_year": 1900}, "figures_year"),
    ],
)
def test_impossible_figures_are_refused_and_nothing_is_written(tree: Any, lead: Any, fields: Any, field: str) -> None:
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as exc:
        profiles.profile_update(actor=lead, unit=tree.a1, **fields)
    assert field in exc.value.message_dict
    assert not CommunityProfile.objects.exists() and AuditEvent.objects.count() == before


def test_a_retired_characteristic_stays_where_it_was_but_cannot_be_picked(tree: Any, admin: Any, lead: Any) -> None:
    trait = CommunityTrait.objects.get(code="demolition")
    profiles.profile_update(actor=lead, unit=tree.a1, traits=[trait])
    CommunityTrait.objects.filter(pk=trait.pk).update(retired=True)  # retired in the configuration pages
    assert trait not in profiles.traits_offered(None)
    assert trait in profiles.traits_offered(profiles.profile_of(tree.a1))
    profiles.profile_update(actor=lead, unit=tree.a1, traits=[trait], notes="仍在拆迁")  # kept: allowed
    with pytest.raises(ValidationError):
        profiles.profile_update(actor=lead, unit=tree.a2, traits=[trait])
    assert CommunityTrait.objects.filter(pk=trait.pk).exists()


def test_only_the_district_edits_the_characteristics(tree: Any, admin: Any, lead: Any, as_user: Any) -> None:
    assert as_user(lead).get(reverse("orgs:trait_create")).status_code == 403
    assert as_user(admin).get(reverse("orgs:trait_create"))["Location"] == reverse("configuration:traits_new")
    new = reverse("configuration:traits_new")
    response = as_user(admin).post(new, {"code": "floods", "name": "易涝", "order": "200"})
    assert response.status_code == 302
    assert CommunityTrait.objects.filter(code="floods", name="易涝").exists()
    assert AuditEvent.objects.filter(action=Action.CONFIGURATION_CREATE).count() == 1
    page = as_user(lead).get(reverse("configuration:traits_list")).content.decode()
    assert "易涝" in page


def test_the_rate_per_thousand_is_blank_without_a_population() -> None:
    assert profiles.per_thousand(12, 6000) == Decimal("2.0")
    assert profiles.per_thousand(1, 7412) == Decimal("0.1")
    assert profiles.per_thousand(5, None) is None
    assert profiles.per_thousand(5, 0) is None


def test_the_demo_carries_the_xihu_road_communities_with_the_street_totals() -> None:
    from django.db.models import Sum

    from core.demo import DemoContext
    from orgs.demo import seed as seed_orgs
    from orgs.demo_profiles import seed as seed_profiles

    ctx = DemoContext()
    seed_orgs(ctx)
    seed_profiles(ctx)
    seed_profiles(ctx)  # idempotent
    station = ctx.data["stations"][0]
    rows = CommunityProfile.objects.select_related("unit")
    totals = rows.aggregate(p=Sum("population"), h=Sum("households"), a=Sum("area_km2"))
    assert rows.count() == 7 and {p.unit.parent_id for p in rows} == {station.pk}
    assert (totals["p"], totals["h"], totals["a"]) == (46522, 13224, Decimal("3.20"))
    traits = {p.notes.split("采用西湖路街道")[1][:5]: {t.code for t in p.traits.all()} for p in rows}
    assert "red-culture" in traits["南明堂社区"] and "demolition" in traits["观风台社区"]
    assert {"dibao"} <= traits["梭石巷社区"] & traits["官井路社区"] and "near-hospital" in traits["东笙巷社区"]
    # the demo's names stay: cw0101's community is still 西湖社区, now with 南明堂's profile
    assert CommunityProfile.objects.get(unit__name="西湖社区").population == 7412
