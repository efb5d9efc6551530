"""partners views: the organisation form reports bad input in Chinese and
saves nothing; an outsider sees and edits nothing of station A's."""

from __future__ import annotations

from typing import Any, cast

import pytest
from django.urls import reverse

from partners.models import CommunityOrganisation, Enterprise, ResourceEntry
from partners.tests.factories import CommunityOrganisationFactory, EnterpriseFactory

pytestmark = pytest.mark.django_db
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


def test_the_organisation_form_reports_bad_input_in_chinese_and_saves_nothing(tree: Any, worker: Any, as_user):
    data = {"unit": tree.a1.pk, "name": "互助会", "members": 2, "party_members": 9, "stage": "incubating"}
    r = as_user(worker).post(reverse("partners:organisation_create"), {**data, "filing": "none"}, **ZH)
    assert r.status_code == 200
    assert "党员人数不能多于成员人数。" in r.content.decode()
    assert not CommunityOrganisation.objects.exists()


def test_the_organisation_form_saves_good_input(tree: Any, worker: Any, as_user: Any) -> None:
    data = {"unit": tree.a1.pk, "name": "互助会", "members": 9, "party_members": 2, "stage": "incubating"}
    r = as_user(worker).post(reverse("partners:organisation_create"), {**data, "filing": "none"})
    assert r.status_code == 302
    assert CommunityOrganisation.objects.get().name == "互助会"


def test_an_outsider_can_neither_see_nor_edit_station_a_records(tree: Any, outsider: Any, as_user: Any) -> None:
    o = cast(CommunityOrganisation, CommunityOrganisationFactory(unit=tree.a1))
    e = cast(Enterprise, EnterpriseFactory(unit=tree.a1))
    c = as_user(outsider)
    assert c.get(reverse("partners:organisation_edit", args=[o.pk])).status_code == 404
    assert c.get(reverse("partners:enterprise_detail", args=[e.pk])).status_code == 404
    r = c.post(reverse("partners:organisation_edit", args=[o.pk]), {"name": "改名", "unit": tree.b1.pk})
    assert r.status_code == 404
    o.refresh_from_db()
    assert o.name != "改名" and o.unit == tree.a1
    body = c.get(reverse("partners:organisation_list")).content.decode()
    assert o.name not in body


def test_the_organisation_totals_follow_the_filter(tree: Any, lead: Any, as_user: Any) -> None:
    CommunityOrganisationFactory(unit=tree.a1, members=10, party_members=2)
    CommunityOrganisationFactory(unit=tree.a2, members=5, party_members=1)
    CommunityOrganisationFactory(unit=tree.a2, members=7, party_members=0, is_active=False)
    c = as_user(lead)
    assert c.get(reverse("partners:organisation_list")).context["totals"] == {"n": 2, "members": 15, "party": 3}
    only_a2 = c.get(reverse("partners:organisation_list"), {"unit": tree.a2.pk}).context["totals"]
    assert only_a2 == {"n": 1, "members": 5, "party": 1}


def test_an_enterprise_and_its_offer_are_saved_from_their_pages(tree: Any, worker: Any, as_user: Any) -> None:
    c = as_user(worker)
    r = c.post(reverse("partners:enterprise_create"), {"unit": tree.station_a.pk, "name": "暖心超市"}, **ZH)
    e = Enterprise.objects.get()
    detail = reverse("partners:enterprise_detail", args=[e.pk])
    assert r.status_code == 302 and r["Location"] == detail
    offer = {"kind": "goods", "category": "米面油", "quantity": 10, "value": 500}
    r = c.post(reverse("partners:offer_add", args=[e.pk]), offer, **ZH)
    assert r.status_code == 302 and r["Location"] == detail
    assert [(o.category, o.value) for o in e.offers.all()] == [("米面油", 500)]
    assert "米面油" in c.get(detail).content.decode()


def test_a_ledger_entry_without_a_donor_is_refused_in_chinese_and_not_saved(
    tree: Any, worker: Any, as_user: Any
) -> None:
    data = {
        "unit": tree.a1.pk,
        "direction": "in",
        "kind": "money",
        "date": "2026-01-05",
        "purpose": "慰问",
        "value": 50,
    }
    r = as_user(worker).post(reverse("partners:entry_create"), data, **ZH)
    assert r.status_code == 200 and "请填写捐赠方。" in r.content.decode()
    assert not ResourceEntry.objects.exists()
    r = as_user(worker).post(reverse("partners:entry_create"), {**data, "donor": "张先生"}, **ZH)
    assert r.status_code == 302 and r["Location"] == reverse("partners:ledger")
    assert ResourceEntry.objects.get().donor == "张先生"


def test_an_outsider_cannot_add_an_offer_to_station_a(tree: Any, outsider: Any, as_user: Any) -> None:
    e = cast(Enterprise, EnterpriseFactory(unit=tree.station_a))
    offer = {"kind": "goods", "category": "米面油", "quantity": 1, "value": 1}
    assert as_user(outsider).post(reverse("partners:offer_add", args=[e.pk]), offer).status_code == 404
    assert not e.offers.exists()
