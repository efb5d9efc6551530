"""The purchaser's records of a contract: tranches inside the period and not
beyond the contract amount, one evaluation of each kind, the signed copy, and
the edit page calling contract_update."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from audit.models import AuditEvent
from contracts import purchaser
from contracts.models import ContractEvaluation, PaymentTranche
from contracts.tests.factories import contract_for
from tests import uploads


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def contract(tree):
    return contract_for([tree.station_a], unit=tree.district)  # 2026, ¥800,000


def _tranche(admin, contract, due_on=dt.date(2026, 3, 31), amount="200000", **kw):
    return purchaser.tranche_add(
        actor=admin,
        contract=contract,
        due_on=due_on,
        amount=Decimal(amount),
        condition=kw.pop("condition", "签约后"),
        **kw,
    )


@pytest.mark.parametrize("day", [dt.date(2025, 12, 31), dt.date(2027, 1, 1)])
def test_a_tranche_outside_the_contract_period_is_refused(tree, admin, contract, day):
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as err:
        _tranche(admin, contract, due_on=day)
    assert "2026-01-01" in err.value.message_dict["due_on"][0]
    assert not PaymentTranche.objects.exists() and AuditEvent.objects.count() == events


def test_the_first_and_last_days_of_the_period_take_a_tranche(tree, admin, contract):
    _tranche(admin, contract, due_on=dt.date(2026, 1, 1))
    _tranche(admin, contract, due_on=dt.date(2026, 12, 31))
    assert PaymentTranche.objects.count() == 2


def test_tranches_never_add_up_to_more_than_the_contract(tree, admin, contract):
    _tranche(admin, contract, amount="500000")
    first = _tranche(admin, contract, amount="300000")
    with pytest.raises(ValidationError) as err:
        _tranche(admin, contract, amount="0.01")
    assert "¥800,000.01" in err.value.message_dict["amount"][0]
    # editing a tranche counts the others, not itself
    purchaser.tranche_update(
        actor=admin,
        tranche=first,
        due_on=first.due_on,
        amount=Decimal(300000),
        condition="中期评估后",
        paid_on=dt.date(2026, 7, 1),
    )
    with pytest.raises(ValidationError):
        purchaser.tranche_update(
            actor=admin, tranche=first, due_on=first.due_on, amount=Decimal("300000.01"), condition="x"
        )


@pytest.mark.parametrize(
    "change, field", [({"amount": "0"}, "amount"), ({"amount": "-1"}, "amount"), ({"condition": " "}, "condition")]
)
def test_it_refuses_bad_tranches(tree, admin, contract, change, field):
    with pytest.raises(ValidationError) as err:
        _tranche(admin, contract, **change)
    assert field in err.value.message_dict


def test_only_a_contract_manager_records_tranches(tree, lead, contract):
    with pytest.raises(PermissionDenied):
        _tranche(lead, contract)


class TestTranchesSum(TestCase):
    @settings(max_examples=25, deadline=None)
    @given(st.lists(st.integers(min_value=1, max_value=400_000), min_size=1, max_size=6))
    def test_the_sum_holds_for_any_amounts(self, amounts):
        from tests.factories import UserFactory, build_tree

        tree = build_tree()
        admin = UserFactory(username=f"adm{len(amounts)}{amounts[0]}", role="district_admin", unit=tree.district)
        c = contract_for([tree.station_a], unit=tree.district)
        total = 0
        for amount in amounts:
            if total + amount <= 800_000:
                _tranche(admin, c, amount=amount)
                total += amount
            else:
                with self.assertRaises(ValidationError):
                    _tranche(admin, c, amount=amount)
        assert sum(t.amount for t in c.tranches.all()) == total <= 800_000


def test_one_evaluation_of_each_kind_with_its_file(tree, admin, contract):
    e = purchaser.evaluation_record(
        actor=admin,
        contract=contract,
        kind="mid",
        date=dt.date(2026, 7, 10),
        evaluator="第三方评估机构",
        score=Decimal("86.5"),
        conclusion="良好",
        file=uploads.pdf("中期评估.pdf"),
    )
    assert e.file_name == "中期评估.pdf" and e.file.name.endswith(".pdf") and "中期" not in e.file.name
    with pytest.raises(ValidationError) as err:
        purchaser.evaluation_record(
            actor=admin, contract=contract, kind="mid", date=dt.date(2026, 8, 1), evaluator="x", conclusion="y"
        )
    assert "kind" in err.value.message_dict
    for bad, field in (
        ({"date": dt.date(2025, 12, 1)}, "date"),
        ({"score": Decimal(-1)}, "score"),
        ({"evaluator": ""}, "evaluator"),
        ({"conclusion": " "}, "conclusion"),
        ({"file": uploads.image("x.gif")}, "file"),
    ):
        args = {"kind": "final", "date": dt.date(2026, 12, 20), "evaluator": "x", "conclusion": "y", **bad}
        with pytest.raises(ValidationError) as err:
            purchaser.evaluation_record(actor=admin, contract=contract, **args)
        assert field in err.value.message_dict
    assert ContractEvaluation.objects.count() == 1


def test_the_signed_copy_is_attached_and_streamed_in_scope(tree, admin, lead, outsider, contract, as_user):
    r = as_user(admin).post(reverse("contracts:contract_file", args=[contract.pk]), {"file": uploads.pdf("合同.pdf")})
    assert r.status_code == 302
    contract.refresh_from_db()
    assert contract.signed_file_name == "合同.pdf"
    url = reverse("contracts:contract_file_view", args=[contract.pk])
    assert as_user(lead).get(url).status_code == 200  # the station it covers
    assert as_user(outsider).get(url).status_code == 404
    assert AuditEvent.objects.filter(action="contract.file_download").count() == 1
    r = as_user(admin).post(reverse("contracts:contract_file", args=[contract.pk]), {"file": uploads.image("x.gif")})
    assert r.status_code == 200 and "file" in r.context["form"].errors


def test_the_edit_page_saves_through_the_service(tree, admin, contract, as_user):
    url = reverse("contracts:contract_edit", args=[contract.pk])
    c = as_user(admin)
    page = c.get(url)
    assert page.status_code == 200 and "_based_on" in page.content.decode()
    data = {
        "name": "2026年社工站运营服务（续）",
        "number": "LC-2026-01",
        "purchaser": "鲤城区民政局",
        "purchaser_kind": "civil_affairs",
        "agency": contract.agency_id,
        "start": "2026-01-01",
        "end": "2026-12-31",
        "budget": "900000",
        "stations": [tree.station_a.pk],
        "_based_on": page.context["form"]["_based_on"].value(),
    }
    r = c.post(url, data)
    assert r.status_code == 302
    contract.refresh_from_db()
    assert contract.name.endswith("（续）") and contract.budget == 900000
    assert AuditEvent.objects.filter(action="contract.update").count() == 1
    data["end"] = "2025-12-31"
    r = c.post(url, {**data, "_based_on": c.get(url).context["form"]["_based_on"].value()})
    assert r.status_code == 200 and "end" in r.context["form"].errors


def test_the_tranche_form_refuses_a_date_outside_the_period(tree, admin, contract, as_user):
    url = reverse("contracts:tranche_add", args=[contract.pk])
    c = as_user(admin)
    r = c.post(
        url,
        {
            "due_on": "2027-02-01",
            "amount": "1000",
            "condition": "末期评估后",
            "_once": c.get(url).context["form"]["_once"].value(),
        },
    )
    assert r.status_code == 200 and "due_on" in r.context["form"].errors
    page = c.get(reverse("contracts:contract_detail", args=[contract.pk]))
    assert page.status_code == 200 and 'data-testid="tranches"' in page.content.decode()
