"""partners.services: each write checks scope, refuses bad values with a
message in Chinese and saves nothing, and is audited."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone, translation

from audit.models import AuditEvent
from partners import services
from partners.models import CommunityOrganisation, ResourceEntry

pytestmark = pytest.mark.django_db


def test_it_records_an_organisation_and_audits_it(tree: Any, worker: Any) -> None:
    o = services.organisation_create(actor=worker, unit=tree.a1, name="夕阳红合唱团", members=12, party_members=2)
    assert (o.unit, o.members, o.party_members) == (tree.a1, 12, 2)
    event = AuditEvent.objects.get(action="organisation.create")
    assert event.target_id == str(o.pk) and event.changes["name"] == [None, "夕阳红合唱团"]


def test_it_refuses_more_party_members_than_members_in_chinese_and_saves_nothing(tree: Any, worker: Any) -> None:
    with translation.override("zh-hans"), pytest.raises(ValidationError) as exc:
        services.organisation_create(actor=worker, unit=tree.a1, name="互助会", members=3, party_members=5)
    assert exc.value.message_dict["party_members"] == ["党员人数不能多于成员人数。"]
    assert not CommunityOrganisation.objects.exists()
    assert not AuditEvent.objects.filter(action="organisation.create").exists()


def test_it_refuses_a_founding_date_in_the_future(tree: Any, worker: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        services.organisation_create(
            actor=worker, unit=tree.a1, name="互助会", founded_on=timezone.localdate() + dt.timedelta(days=2)
        )
    assert "founded_on" in exc.value.message_dict
    assert not CommunityOrganisation.objects.exists()


def test_it_refuses_an_outsider_writing_in_another_station(tree: Any, outsider: Any) -> None:
    with pytest.raises(Http404):
        services.organisation_create(actor=outsider, unit=tree.a1, name="越权组织")
    with pytest.raises(Http404):
        services.entry_create(
            actor=outsider,
            unit=tree.a1,
            direction="in",
            kind="money",
            date=dt.date(2026, 1, 5),
            donor="某人",
            value=Decimal(10),
        )
    assert not CommunityOrganisation.objects.exists() and not ResourceEntry.objects.exists()


def test_a_viewer_cannot_write(tree: Any, viewer: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.organisation_create(actor=viewer, unit=tree.a1, name="只读")
    assert not CommunityOrganisation.objects.exists()


def test_it_refuses_a_ledger_entry_without_value_or_donor_in_chinese(tree: Any, worker: Any) -> None:
    with translation.override("zh-hans"), pytest.raises(ValidationError) as exc:
        services.entry_create(
            actor=worker, unit=tree.a1, direction="in", kind="money", date=dt.date(2026, 1, 5), value=Decimal(0)
        )
    assert set(exc.value.message_dict) >= {"value", "donor"}
    assert exc.value.message_dict["value"] == ["价值须大于零。"]
    assert not ResourceEntry.objects.exists()


def test_it_updates_an_organisation_and_audits_before_and_after(tree: Any, worker: Any) -> None:
    o = services.organisation_create(actor=worker, unit=tree.a1, name="书画社", members=10)
    services.organisation_update(actor=worker, organisation=o, members=15)
    o.refresh_from_db()
    assert o.members == 15
    assert AuditEvent.objects.get(action="organisation.update").changes["members"] == [10, 15]
