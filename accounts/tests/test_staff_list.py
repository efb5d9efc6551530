"""The staff list on the list toolkit: scope, filters, export with its row
count, the bulk unlock, flat queries."""

from __future__ import annotations

import io
from typing import Any, cast

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import User
from audit.models import AuditEvent
from tests.factories import UserFactory
from tests.lists import assert_flat_queries

pytestmark = pytest.mark.django_db


def _listed(response: Any) -> set[str]:
    return {s.username for s in response.context["lst"].page}


def test_it_lists_and_filters_only_the_accounts_in_scope(tree: Any, lead: Any, worker: Any, outsider: Any, as_user):
    c = as_user(lead)
    assert outsider.username not in _listed(c.get(reverse("accounts:staff_list")))
    assert outsider.username not in _listed(c.get(reverse("accounts:staff_list"), {"unit": tree.station_b.pk}))
    assert _listed(c.get(reverse("accounts:staff_list"), {"role": "social_worker"})) == {worker.username}
    assert _listed(c.get(reverse("accounts:staff_list"), {"q": "worker"})) == {worker.username}


def test_it_exports_phones_masked_with_the_row_count(tree: Any, lead: Any, worker: Any, as_user: Any) -> None:
    worker.phone = "13812345678"
    worker.save()
    r = as_user(lead).get(reverse("accounts:staff_list"), {"export": "masked"})
    cells = [str(v) for row in load_workbook(io.BytesIO(r.content)).active.iter_rows(values_only=True) for v in row]
    assert "13812345678" not in cells and "138****5678" in cells
    assert AuditEvent.objects.get(action="staff.export").changes["rows"] == 2


def test_it_unlocks_the_selected_locked_accounts_in_scope_only(tree: Any, lead: Any, worker: Any, as_user: Any):
    other = cast(User, UserFactory(username="other_b", role="social_worker", unit=tree.station_b))
    client = Client()
    for name in ("worker_a", "other_b"):
        for _ in range(5):
            client.post(reverse("accounts:login"), {"username": name, "password": "bad-pass-1"})
    r = as_user(lead).post(reverse("accounts:staff_list"), {"bulk": "unlock", "ids": [worker.pk, other.pk]})
    assert r.status_code == 302
    assert AuditEvent.objects.filter(action="staff.unlock", target_id=str(worker.pk)).count() == 1
    assert not AuditEvent.objects.filter(action="staff.unlock", target_id=str(other.pk)).exists()
    assert as_user(worker).get(reverse("accounts:staff_list")).status_code == 403


def test_it_issues_as_many_queries_for_many_accounts_as_for_few(tree: Any, lead: Any, as_user: Any, settings: Any):
    settings.LIST_PAGE_SIZES, settings.LIST_PAGE_SIZE = [50], 50

    def add(k: int) -> None:
        for _ in range(k):
            UserFactory(role="social_worker", unit=tree.station_a)

    assert_flat_queries(as_user(lead), reverse("accounts:staff_list"), add)
