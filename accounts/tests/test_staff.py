"""Staff accounts: who may manage whom, and bad input changes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse

from accounts import services
from accounts.models import User
from audit.models import AuditEvent

pytestmark = pytest.mark.django_db

GOOD = {"full_name": "王小明", "phone": "13905951234", "password": "Shegong2026"}


def _counts() -> tuple[int, int]:
    return User.objects.count(), AuditEvent.objects.count()


def _create(client: Any, **data: Any) -> Any:
    return client.post(reverse("accounts:staff_create"), {**GOOD, **data}, HTTP_ACCEPT_LANGUAGE="zh-hans")


def test_it_lets_a_station_lead_create_staff_in_the_own_station(tree: Any, lead: Any, as_user: Any) -> None:
    response = _create(as_user(lead), username="wxm", role="community_worker", unit=tree.a1.pk)
    assert response.status_code == 302
    user = User.objects.get(username="wxm")
    assert (user.unit, user.role, user.must_change_password) == (tree.a1, "community_worker", True)
    event = AuditEvent.objects.get(action="staff.create")
    assert event.actor == lead
    assert event.changes["role"] == [None, "community_worker"]
    assert "password" not in event.changes


def test_it_keeps_a_station_lead_out_of_other_stations(tree: Any, lead: Any, outsider: Any, as_user: Any) -> None:
    client = as_user(lead)
    before = _counts()
    response = _create(client, username="spy", role="social_worker", unit=tree.b1.pk)
    assert response.status_code == 200
    assert "unit" in response.context["form"].errors
    assert client.get(reverse("accounts:staff_edit", args=[outsider.pk])).status_code == 404
    assert client.post(reverse("accounts:staff_unlock", args=[outsider.pk])).status_code == 404
    assert client.post(reverse("accounts:staff_reset_password", args=[outsider.pk])).status_code == 404
    with pytest.raises(Http404):
        services.staff_create(
            actor=lead, username="spy", full_name="x", role="social_worker", unit=tree.b1, password="Shegong2026"
        )
    with pytest.raises(Http404):
        services.staff_update(actor=lead, staff=outsider, full_name="x")
    assert _counts() == before


def test_it_lists_only_staff_in_scope(
    tree: Any, lead: Any, worker: Any, outsider: Any, admin: Any, as_user: Any
) -> None:
    names = {s.username for s in as_user(lead).get(reverse("accounts:staff_list")).context["lst"].page}
    assert names == {"lead_a", "worker_a"}


def test_it_stops_a_station_lead_making_district_admins(tree: Any, lead: Any, worker: Any, as_user: Any) -> None:
    client = as_user(lead)
    before = _counts()
    response = _create(client, username="boss", role="district_admin", unit=tree.station_a.pk)
    assert response.status_code == 200
    assert "role" in response.context["form"].errors
    with pytest.raises(Http404):  # the district unit is out of the lead's reach
        services.staff_create(
            actor=lead,
            username="boss",
            full_name="x",
            role="district_admin",
            unit=tree.district,
            password="Shegong2026",
        )
    with pytest.raises(Http404):  # promoting a colleague to the district
        services.staff_update(actor=lead, staff=worker, role="district_admin", unit=tree.district)
    assert _counts() == before


def test_it_refuses_district_admins_made_by_anyone_but_a_district_admin(tree: Any, supervisor: Any) -> None:
    supervisor.role = "station_lead"  # pretend a lead could reach the district: still refused
    supervisor.unit = tree.district
    with pytest.raises(PermissionDenied):
        services.staff_create(
            actor=supervisor,
            username="boss",
            full_name="x",
            role="district_admin",
            unit=tree.district,
            password="Shegong2026",
        )


def test_it_lets_the_district_admin_create_a_district_admin(tree: Any, admin: Any) -> None:
    user = services.staff_create(
        actor=admin, username="admin2", full_name="x", role="district_admin", unit=tree.district, password="Shegong2026"
    )
    assert user.role == "district_admin"


@pytest.mark.parametrize("who", ["worker", "community_worker", "supervisor", "viewer"])
def test_it_forbids_staff_management_to_other_roles(tree: Any, as_user: Any, request: Any, who: str) -> None:
    client = as_user(request.getfixturevalue(who))
    before = _counts()
    assert client.get(reverse("accounts:staff_list")).status_code == 403
    assert _create(client, username="x1", role="viewer", unit=tree.a1.pk).status_code == 403
    assert _counts() == before


@pytest.mark.parametrize(
    ("data", "field", "fragment"),
    [
        ({"username": "worker_A"}, "username", "已被占用"),  # taken, case-insensitively
        ({"username": "a b"}, "username", "3–30"),
        ({"username": "x" * 31}, "username", "30"),
        ({"full_name": "名" * 51}, "full_name", "50"),
        ({"phone": "12345"}, "phone", "11"),
        ({"password": "short1"}, "password", "8"),
        ({"password": "shequfuwuzhan"}, "password", "字母和数字"),
        ({"role": "station_lead", "unit": "a1"}, "role", "社区"),  # a lead placed at a community
        ({"role": "god"}, "role", "god"),
    ],
)
def test_it_refuses_bad_staff_input_in_chinese(
    tree: Any, admin: Any, worker: Any, as_user: Any, data: dict[str, str], field: str, fragment: str
) -> None:
    payload = {"username": "fresh_user", "role": "social_worker", "unit": tree.station_a.pk, **data}
    if payload["unit"] == "a1":
        payload["unit"] = tree.a1.pk
    before = _counts()
    response = _create(as_user(admin), **payload)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors, errors
    assert fragment in " ".join(errors[field])
    assert _counts() == before


def test_it_edits_staff_with_before_and_after(tree: Any, lead: Any, worker: Any, as_user: Any) -> None:
    response = as_user(lead).post(
        reverse("accounts:staff_edit", args=[worker.pk]),
        {"full_name": "李四", "phone": "", "role": "social_worker", "unit": tree.a2.pk, "is_active": "on"},
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="staff.update")
    assert event.changes["unit"] == ["甲街道社工站", "甲二社区"]
    assert event.changes["full_name"][1] == "李四"


def test_it_refuses_to_deactivate_yourself(tree: Any, lead: Any) -> None:
    with pytest.raises(ValidationError):
        services.staff_update(actor=lead, staff=lead, is_active=False)
    lead.refresh_from_db()
    assert lead.is_active


def test_it_resets_a_password_and_forces_a_change(tree: Any, lead: Any, worker: Any, as_user: Any) -> None:
    client = as_user(lead)
    bad = client.post(reverse("accounts:staff_reset_password", args=[worker.pk]), {"password": "short"})
    assert bad.status_code == 302
    worker.refresh_from_db()
    assert not worker.must_change_password
    good = client.post(reverse("accounts:staff_reset_password", args=[worker.pk]), {"password": "Neu2026pass"})
    assert good.status_code == 302
    worker.refresh_from_db()
    assert worker.must_change_password and worker.check_password("Neu2026pass")
    assert AuditEvent.objects.filter(action="staff.reset_password", target_id=str(worker.pk)).count() == 1


def test_it_creates_and_revokes_api_tokens_for_oneself_only(
    tree: Any, worker: Any, colleague: Any, as_user: Any
) -> None:
    client = as_user(worker)
    assert client.post(reverse("accounts:token_create"), {"name": "手机"}).status_code == 302
    page = client.get(reverse("accounts:security"))
    raw = page.context["new_token"]
    assert raw.startswith("ll_")
    token = worker.api_tokens.get()
    assert token.digest != raw and raw not in str(AuditEvent.objects.values_list("changes", "note"))
    assert as_user(colleague).post(reverse("accounts:token_revoke", args=[token.pk])).status_code == 404
    assert client.post(reverse("accounts:token_revoke", args=[token.pk])).status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
