"""Bad input to every project write, the brand rule, spending against a
budget line and the station lead's approval."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from audit.models import AuditEvent
from projects import services
from projects.models import Expenditure, ExpenditureStatus, Project
from projects.tests.factories import line_for, project_for
from tests import uploads


def _spend(actor, project, line, amount, **kw):
    args = {
        "spent_on": dt.date(2026, 3, 1),
        "amount": Decimal(amount),
        "payee": "文具店",
        "purpose": "绘本",
        "receipt": uploads.pdf("发票.pdf"),
    }
    args.update(kw)
    return services.expenditure_record(actor=actor, project=project, line=line, **args)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_it_refuses_a_second_brand_project_of_a_station(tree, lead):
    project_for(lead, tree.station_a, is_brand=True)
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as err:
        project_for(lead, tree.station_a, name="公益集市", is_brand=True)
    assert "乐童公社" in err.value.message_dict["is_brand"][0]
    assert Project.objects.count() == 1 and AuditEvent.objects.count() == events
    # another station keeps its own brand project; a plain project is fine
    project_for(lead, tree.station_a, name="公益集市")
    assert Project.objects.filter(is_brand=True).count() == 1


def test_the_database_holds_one_brand_project_per_unit(tree):
    Project.objects.create(
        unit=tree.station_a, name="a", starts_on=dt.date(2026, 1, 1), ends_on=dt.date(2026, 2, 1), is_brand=True
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Project.objects.create(
            unit=tree.station_a, name="b", starts_on=dt.date(2026, 1, 1), ends_on=dt.date(2026, 2, 1), is_brand=True
        )


def test_a_brand_project_belongs_to_a_station(tree, admin):
    with pytest.raises(ValidationError) as err:
        project_for(admin, tree.district, is_brand=True)
    assert "is_brand" in err.value.message_dict


def test_it_refuses_a_project_ending_before_it_starts_and_outside_scope(tree, lead, outsider):
    with pytest.raises(ValidationError) as err:
        project_for(lead, tree.station_a, starts_on=dt.date(2026, 5, 1), ends_on=dt.date(2026, 4, 1))
    assert "ends_on" in err.value.message_dict
    with pytest.raises(Http404):
        project_for(outsider, tree.station_a)
    assert not Project.objects.exists()


def test_an_expenditure_beyond_its_budget_line_is_refused(tree, lead, worker):
    project = project_for(lead, tree.station_a)
    line = line_for(lead, project, 1000)
    _spend(worker, project, line, "600")
    rows, events = Expenditure.objects.count(), AuditEvent.objects.count()
    with pytest.raises(ValidationError) as err:
        _spend(worker, project, line, "400.01")
    message = err.value.message_dict["amount"][0]
    assert "¥400.01" in message and "¥1,000.00" in message and "¥600.00" in message and "¥400.00" in message
    assert Expenditure.objects.count() == rows and AuditEvent.objects.count() == events
    _spend(worker, project, line, "400")  # exactly what is left
    assert Expenditure.objects.count() == rows + 1


def test_a_refused_expenditure_frees_its_money_and_pending_counts(tree, lead, worker):
    project = project_for(lead, tree.station_a)
    line = line_for(lead, project, 100)
    e = _spend(worker, project, line, "100")
    with pytest.raises(ValidationError):
        _spend(worker, project, line, "1")  # pending counts against the line
    services.expenditure_decide(actor=lead, expenditure=e, approve=False, note="票据不符")
    _spend(worker, project, line, "100")


@pytest.mark.parametrize(
    "change, field",
    [
        ({"amount": Decimal(0)}, "amount"),
        ({"amount": Decimal(-5)}, "amount"),
        ({"spent_on": dt.date(2025, 12, 31)}, "spent_on"),
        ({"spent_on": dt.date(2027, 1, 1)}, "spent_on"),
        ({"payee": " "}, "payee"),
        ({"purpose": ""}, "purpose"),
        ({"receipt": None}, "receipt"),
        ({"receipt": uploads.image("x.gif")}, "receipt"),
        ({"receipt": uploads.pdf("x.jpg")}, "receipt"),
    ],
)
def test_it_refuses_bad_expenditures(tree, lead, worker, change, field):
    project = project_for(lead, tree.station_a)
    line = line_for(lead, project)
    events = AuditEvent.objects.count()
    args = {"amount": "10", **change}
    with pytest.raises(ValidationError) as err:
        _spend(worker, project, line, **args)
    assert field in err.value.message_dict
    assert not Expenditure.objects.exists() and AuditEvent.objects.count() == events


def test_a_line_of_another_project_is_refused(tree, lead, worker):
    a, b = project_for(lead, tree.station_a), project_for(lead, tree.station_a, name="公益集市")
    with pytest.raises(ValidationError) as err:
        _spend(worker, a, line_for(lead, b), "1")
    assert "line" in err.value.message_dict


def test_only_the_station_lead_approves_and_once(tree, lead, worker, supervisor, admin):
    project = project_for(lead, tree.station_a)
    e = _spend(worker, project, line_for(lead, project), "10")
    for user in (worker, supervisor):
        with pytest.raises(PermissionDenied):
            services.expenditure_decide(actor=user, expenditure=e, approve=True)
    with pytest.raises(ValidationError) as err:
        services.expenditure_decide(actor=lead, expenditure=e, approve=False, note="")
    assert "note" in err.value.message_dict
    services.expenditure_decide(actor=lead, expenditure=e, approve=True)
    e.refresh_from_db()
    assert e.status == ExpenditureStatus.APPROVED and e.decided_by == lead
    with pytest.raises(ValidationError):
        services.expenditure_decide(actor=admin, expenditure=e, approve=False, note="晚了")
    assert AuditEvent.objects.filter(action="expenditure.approve").count() == 1


def test_a_budget_line_cannot_drop_below_what_is_committed(tree, lead, worker):
    project = project_for(lead, tree.station_a)
    line = line_for(lead, project, 500)
    _spend(worker, project, line, "300")
    with pytest.raises(ValidationError) as err:
        services.budget_line_update(actor=lead, line=line, amount=Decimal(299))
    assert "¥300.00" in err.value.message_dict["amount"][0]
    services.budget_line_update(actor=lead, line=line, amount=Decimal(300))
    with pytest.raises(ValidationError):
        line_for(lead, project, 10, name=line.name)  # the same name twice
    with pytest.raises(ValidationError):
        line_for(lead, project, -1, name="宣传")


def test_a_project_period_cannot_leave_its_expenditures_behind(tree, lead, worker):
    project = project_for(lead, tree.station_a)
    _spend(worker, project, line_for(lead, project), "10", spent_on=dt.date(2026, 11, 1))
    with pytest.raises(ValidationError) as err:
        services.project_update(actor=lead, project=project, ends_on=dt.date(2026, 10, 31))
    assert "ends_on" in err.value.message_dict


class TestTheBudgetRule(TestCase):
    """Whatever the amounts, the committed money of a line never exceeds
    its budget, and a refusal leaves nothing behind."""

    @settings(max_examples=25, deadline=None)
    @given(
        budget=st.integers(min_value=0, max_value=10_000),
        amounts=st.lists(st.integers(min_value=1, max_value=4_000), min_size=1, max_size=6),
    )
    def test_it_never_commits_more_than_the_budget(self, budget, amounts):
        from tests.factories import UserFactory, build_tree

        tree = build_tree()
        lead = UserFactory(username=f"lead{budget}{len(amounts)}", role="station_lead", unit=tree.station_a)
        project = project_for(lead, tree.station_a)
        line = line_for(lead, project, budget)
        committed = 0
        for amount in amounts:
            if committed + amount <= budget:
                _spend(lead, project, line, amount)
                committed += amount
            else:
                with self.assertRaises(ValidationError):
                    _spend(lead, project, line, amount)
        assert sum(e.amount for e in line.expenditures.all()) == committed <= budget


def test_co_building_units_are_partners_in_scope(tree, lead):
    from partybuilding.models import Agreement

    def agreement(unit, partner):
        return Agreement.objects.create(
            unit=unit,
            partner=partner,
            partner_kind=Agreement._meta.get_field("partner_kind").choices[0][0],
            signed_on=dt.date(2026, 1, 5),
            starts_on=dt.date(2026, 1, 5),
            ends_on=dt.date(2026, 12, 31),
        )

    bank, elsewhere = agreement(tree.station_a, "农商银行"), agreement(tree.station_b, "乙站医院")
    with pytest.raises(ValidationError) as err:
        project_for(lead, tree.station_a, partner_agreements=[bank, elsewhere])
    assert "partner_agreements" in err.value.message_dict
    project = project_for(lead, tree.station_a, partner_agreements=[bank])
    assert list(project.partner_agreements.all()) == [bank]
    services.project_update(actor=lead, project=project, name="乐童公社（二期）")
    assert list(project.partner_agreements.all()) == [bank]
