"""The API: the same scoping as the pages, session or token authentication."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from accounts import services as account_services
from audit.models import AuditEvent
from orgs.models import OrgUnit

pytestmark = pytest.mark.django_db


def _bearer(raw: str) -> dict[str, Any]:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_it_describes_the_current_user(tree: Any, lead: Any, as_user: Any) -> None:
    data = as_user(lead).get("/api/v1/me").json()
    assert data["username"] == "lead_a"
    assert data["role"] == "station_lead"
    assert data["unit_id"] == tree.station_a.pk
    assert data["unit_path"] == "350502/001/"
    assert "staff.manage" in data["permissions"] and "org.manage" not in data["permissions"]


def test_it_refuses_anonymous_callers(db: Any) -> None:
    for path in ("/api/v1/me", "/api/v1/units", "/api/v1/staff"):
        assert Client().get(path).status_code == 401


def test_it_lists_units_and_staff_in_scope(tree: Any, lead: Any, worker: Any, outsider: Any, as_user: Any) -> None:
    client = as_user(lead)
    codes = {u["code"] for u in client.get("/api/v1/units").json()}
    assert codes == {"350502001000", "350502001001", "350502001002"}
    usernames = {s["username"] for s in client.get("/api/v1/staff").json()}
    assert usernames == {"lead_a", "worker_a"}
    assert client.get(f"/api/v1/staff/{worker.pk}").status_code == 200
    assert client.get(f"/api/v1/staff/{outsider.pk}").status_code == 404


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/api/v1/units/abc", 422),
        ("/api/v1/units/1.5", 422),
        ("/api/v1/units/-1", 422),
        ("/api/v1/units/0", 422),
        ("/api/v1/units/99999999999999999999999", 422),
        ("/api/v1/units/99999999", 404),
        ("/api/v1/staff/x", 422),
    ],
)
def test_it_answers_malformed_ids_cleanly(tree: Any, admin: Any, as_user: Any, path: str, status: int) -> None:
    response = as_user(admin).get(path)
    assert response.status_code == status, response.content
    assert response.json()["detail"] in ("输入有误。", "未找到。")


def test_it_answers_404_for_a_foreign_unit(tree: Any, lead: Any, admin: Any, as_user: Any) -> None:
    assert as_user(lead).get(f"/api/v1/units/{tree.b1.pk}").status_code == 404
    assert as_user(lead).get(f"/api/v1/units/{tree.a1.pk}").json()["name"] == "甲一社区"
    assert as_user(admin).get(f"/api/v1/units/{tree.b1.pk}").status_code == 200


def test_it_creates_a_unit_and_audits_it(tree: Any, admin: Any, as_user: Any) -> None:
    response = as_user(admin).post(
        "/api/v1/units",
        {"parent_id": tree.station_b.pk, "name": "乙二社区", "code": "350502002002", "latitude": "24.91"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["level"] == "community" and data["path"] == "350502/002/002/"
    assert AuditEvent.objects.filter(action="orgunit.create", target_id=str(data["id"])).exists()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"name": "x", "code": "35050200200"}, "code"),
        ({"name": "x", "code": "３５０５０２００２００２"}, "code"),
        ({"name": "x", "code": "350502001002"}, "code"),  # another station's code
        ({"name": "x", "code": "350502002001"}, "code"),  # duplicate
        ({"name": "长" * 61, "code": "350502002009"}, "name"),
        ({"name": "", "code": "350502002009"}, "name"),
        ({"name": "x", "code": "350502002009", "latitude": "95"}, "latitude"),
        ({"name": "x"}, "code"),
    ],
)
def test_it_refuses_bad_unit_input_with_422_and_field_errors(
    tree: Any, admin: Any, as_user: Any, payload: dict[str, Any], field: str
) -> None:
    before = (OrgUnit.objects.count(), AuditEvent.objects.count())
    response = as_user(admin).post(
        "/api/v1/units",
        {"parent_id": tree.station_b.pk, **payload},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["detail"] == "输入有误。"
    assert field in str(body["errors"])
    assert (OrgUnit.objects.count(), AuditEvent.objects.count()) == before


def test_it_explains_a_service_refusal_in_chinese(tree: Any, admin: Any, as_user: Any) -> None:
    response = as_user(admin).post(
        "/api/v1/units",
        {"parent_id": tree.station_b.pk, "name": "x", "code": "350502002001"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.json()["errors"]["code"] == ["已有其他单位使用区划代码 350502002001。"]


def test_it_refuses_units_under_a_community_or_out_of_scope(tree: Any, admin: Any, lead: Any, as_user: Any) -> None:
    under_community = as_user(admin).post(
        "/api/v1/units", {"parent_id": tree.a1.pk, "name": "x", "code": "350502001009"}, content_type="application/json"
    )
    assert under_community.status_code == 422
    assert "parent_id" in under_community.json()["errors"]
    by_lead = as_user(lead).post(
        "/api/v1/units",
        {"parent_id": tree.station_a.pk, "name": "x", "code": "350502001009"},
        content_type="application/json",
    )
    assert by_lead.status_code == 403
    assert not OrgUnit.objects.filter(code="350502001009").exists()


def test_it_accepts_a_token_and_refuses_it_once_revoked(tree: Any, worker: Any) -> None:
    raw = account_services.api_token_create(user=worker, name="脚本")
    client = Client()
    assert client.get("/api/v1/me", **_bearer(raw)).json()["username"] == "worker_a"
    token = worker.api_tokens.get()
    assert token.last_used_at is not None
    assert client.get("/api/v1/me", **_bearer(raw + "x")).status_code == 401
    account_services.api_token_revoke(user=worker, token=token)
    assert client.get("/api/v1/me", **_bearer(raw)).status_code == 401


def test_it_refuses_tokens_of_inactive_users(tree: Any, worker: Any) -> None:
    raw = account_services.api_token_create(user=worker, name="脚本")
    worker.is_active = False
    worker.save()
    assert Client().get("/api/v1/me", **_bearer(raw)).status_code == 401


def test_it_scopes_token_calls_like_pages(tree: Any, lead: Any, outsider: Any) -> None:
    raw = account_services.api_token_create(user=lead, name="t")
    client = Client()
    assert client.get(f"/api/v1/units/{tree.b1.pk}", **_bearer(raw)).status_code == 404
    assert {s["username"] for s in client.get("/api/v1/staff", **_bearer(raw)).json()} == {"lead_a"}


def test_it_refuses_half_logged_in_sessions(tree: Any, worker: Any) -> None:
    worker.must_change_password = True
    worker.save()
    client = Client()
    client.post("/account/login/", {"username": "worker_a", "password": "Passw0rd-test"})
    assert "_auth_user_id" in client.session
    assert client.get("/api/v1/me").status_code == 401
    worker.must_change_password = False
    worker.save()
    assert client.get("/api/v1/me").status_code == 200


def test_it_serves_the_openapi_schema_with_every_path(db: Any) -> None:
    schema = Client().get("/api/openapi.json").json()
    assert {"/api/v1/me", "/api/v1/units", "/api/v1/units/{unit_id}", "/api/v1/staff"} <= set(schema["paths"])


def test_it_does_not_touch_last_used_for_revoked_tokens(tree: Any, worker: Any) -> None:
    raw = account_services.api_token_create(user=worker, name="t")
    token = worker.api_tokens.get()
    token.revoked_at = timezone.now()
    token.save()
    Client().get("/api/v1/me", **_bearer(raw))
    token.refresh_from_db()
    assert token.last_used_at is None


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"name": "x"}, "这个字段是必填项。"),
        ({"name": "长" * 61, "code": "350502002009"}, "最多输入 60 个字符。"),
        ({"name": "x", "code": "35050200200"}, "请按规定格式输入。"),
        ({"name": "x", "code": "350502002009", "latitude": "95"}, "请输入不大于 90 的值。"),
        ({"name": "x", "code": "350502002009", "latitude": "北纬"}, "请输入数字。"),
    ],
)
def test_it_explains_schema_errors_in_chinese(
    tree: Any, admin: Any, as_user: Any, payload: dict[str, Any], message: str
) -> None:
    response = as_user(admin).post(
        "/api/v1/units",
        {"parent_id": tree.station_b.pk, **payload},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 422
    assert message in [e["msg"] for e in response.json()["errors"]]


def test_it_explains_a_malformed_id_in_chinese(tree: Any, admin: Any, as_user: Any) -> None:
    errors = as_user(admin).get("/api/v1/units/abc", HTTP_ACCEPT_LANGUAGE="zh-hans").json()["errors"]
    assert errors[0]["msg"] == "请输入整数。"
    assert errors[0]["loc"] == ["path", "unit_id"]
