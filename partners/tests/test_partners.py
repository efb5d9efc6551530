from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from partners import selectors, services
from partners.models import CommunityOrganisation, Enterprise, ResourceEntry
from partners.tests.factories import CommunityOrganisationFactory, EnterpriseFactory

pytestmark = pytest.mark.django_db
CODE = "91350100M000100Y43"


def test_it_registers_an_enterprise_with_a_checked_credit_code(tree, worker, as_user):
    c = as_user(worker)
    r = c.post(
        reverse("partners:enterprise_create"),
        {"unit": tree.station_a.pk, "name": "爱心超市", "credit_code": CODE[:-1] + "0"},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert r.status_code == 200 and not Enterprise.objects.exists()
    r = c.post(
        reverse("partners:enterprise_create"),
        {"unit": tree.station_a.pk, "name": "爱心超市", "credit_code": CODE.lower(), "phone": "0595-22345678"},
    )
    e = Enterprise.objects.get()
    assert r.status_code == 302 and e.credit_code == CODE
    r = c.post(
        reverse("partners:offer_add", args=[e.pk]),
        {"kind": "goods", "category": "米面油", "quantity": "20", "quantity_unit": "袋", "value": "1200"},
    )
    assert r.status_code == 302 and e.offers.get().value == Decimal("1200")
    r = c.post(
        reverse("partners:offer_add", args=[e.pk]), {"kind": "goods", "category": "x", "quantity": "0", "value": "-1"}
    )
    assert r.status_code == 200 and e.offers.count() == 1
    with pytest.raises(ValidationError):
        services.enterprise_create(actor=worker, unit=tree.a1, name="另一家", credit_code=CODE)


def test_it_refuses_more_party_members_than_members(tree, worker):
    with pytest.raises(ValidationError) as exc:
        services.organisation_create(actor=worker, unit=tree.a1, name="互助会", members=3, party_members=5)
    assert "party_members" in exc.value.message_dict
    assert not CommunityOrganisation.objects.exists()


def test_it_totals_the_ledger_per_period_and_station(tree, worker, outsider, admin):
    services.entry_create(
        actor=worker,
        unit=tree.a1,
        direction="in",
        kind="money",
        date=dt.date(2026, 1, 5),
        donor="爱心超市",
        purpose="慰问",
        value=Decimal("1000"),
    )
    services.entry_create(
        actor=worker,
        unit=tree.station_a,
        direction="out",
        kind="in_kind",
        date=dt.date(2026, 1, 20),
        recipient="困难户",
        purpose="慰问",
        value=Decimal("300"),
    )
    services.entry_create(
        actor=outsider,
        unit=tree.b1,
        direction="in",
        kind="money",
        date=dt.date(2026, 2, 1),
        donor="某公司",
        purpose="助学",
        value=Decimal("500"),
    )
    mine = selectors.ledger_totals(worker, selectors.entries_visible(worker))
    assert (mine["in"], mine["out"], mine["balance"]) == (1000, 300, 700)
    assert [(x["label"], x["station"], x["in"], x["out"]) for x in mine["lines"]] == [
        ("2026-01", "甲街道社工站", 1000, 300)
    ]
    everyone = selectors.ledger_totals(admin, selectors.entries_visible(admin), "quarter")
    assert {(x["label"], x["station"]) for x in everyone["lines"]} == {
        ("2026 Q1", "甲街道社工站"),
        ("2026 Q1", "乙街道社工站"),
    }
    with pytest.raises(ValidationError) as exc:
        services.entry_create(
            actor=worker,
            unit=tree.a1,
            direction="out",
            kind="money",
            date=dt.date(2099, 1, 1),
            purpose="x",
            value=Decimal("0"),
        )
    assert {"recipient", "date", "value"} <= set(exc.value.message_dict)
    assert ResourceEntry.objects.count() == 3


def test_it_hides_other_stations_partners(tree, worker, as_user):
    e = EnterpriseFactory(unit=tree.station_b)
    o = CommunityOrganisationFactory(unit=tree.b1)
    c = as_user(worker)
    assert c.get(reverse("partners:enterprise_detail", args=[e.pk])).status_code == 404
    assert c.get(reverse("partners:organisation_edit", args=[o.pk])).status_code == 404
    assert e.name not in c.get(reverse("partners:enterprise_list")).content.decode()
    assert o.name not in c.get(reverse("partners:organisation_list")).content.decode()
    assert c.get(reverse("partners:ledger"), {"period": "year"}).status_code == 200
