"""Managing the organisation tree: who may, what is refused, what is audited."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.test import Client
from django.urls import reverse
from django.utils import translation

from audit.models import AuditEvent
from core.roles import Level
from orgs import services
from orgs.models import OperatingAgency, OrgUnit

pytestmark = pytest.mark.django_db


def _counts() -> tuple[int, int, int]:
    return OrgUnit.objects.count(), OperatingAgency.objects.count(), AuditEvent.objects.count()


def _post(client: Client, url: str, data: dict[str, Any]) -> Any:
    return client.post(url, data, HTTP_ACCEPT_LANGUAGE="zh-hans")


# --- creating units -------------------------------------------------------


def test_it_lets_the_district_admin_create_a_community_and_audits_it(tree: Any, admin: Any, as_user: Any) -> None:
    client = as_user(admin)
    url = reverse("orgs:unit_create", args=[tree.station_a.pk])
    response = _post(
        client,
        url,
        {"name": "甲三社区", "code": "350502001003", "address": "甲街3号", "latitude": "24.9", "longitude": "118.58"},
    )
    unit = OrgUnit.objects.get(code="350502001003")
    assert response.status_code == 302
    assert response["Location"] == reverse("orgs:unit_detail", args=[unit.pk])
    assert unit.level == Level.COMMUNITY
    assert unit.parent == tree.station_a
    assert unit.path == "350502/001/003/"
    assert unit.latitude == Decimal("24.900000")
    event = AuditEvent.objects.get(action="orgunit.create")
    assert event.actor == admin
    assert event.target_id == str(unit.pk)
    assert event.unit_id == unit.pk
    assert event.changes["name"] == [None, "甲三社区"]
    assert event.changes["code"] == [None, "350502001003"]


def test_it_creates_a_station_with_its_operating_agency(tree: Any, admin: Any, as_user: Any) -> None:
    agency = services.agency_create(actor=admin, unit=tree.district, name="阳光社工服务中心")
    response = _post(
        as_user(admin),
        reverse("orgs:unit_create", args=[tree.district.pk]),
        {"name": "丙街道社工站", "code": "350502003000", "agency": agency.pk},
    )
    assert response.status_code == 302
    station = OrgUnit.objects.get(code="350502003000")
    assert station.level == Level.STATION
    assert station.agency == agency
    assert AuditEvent.objects.filter(action="orgunit.create", target_id=str(station.pk)).count() == 1


@pytest.mark.parametrize(
    ("parent", "data", "field", "fragment"),
    [
        ("station_a", {"name": "重复", "code": "350502001001"}, "code", "已有"),  # duplicate code
        ("station_a", {"name": "错码", "code": "35050200100"}, "code", "12"),  # too short
        ("station_a", {"name": "错码", "code": "35050200100x"}, "code", "12"),  # not digits
        ("station_a", {"name": "错码", "code": "350502002003"}, "code", "350502001"),  # another station's code
        ("station_a", {"name": "错码", "code": "350502001000"}, "code", "399"),  # a station code for a community
        ("district", {"name": "错站", "code": "350503004000"}, "code", "350502"),  # another county
        ("station_a", {"name": "长" * 61, "code": "350502001009"}, "name", "60"),  # over-long name
        ("station_a", {"name": "长址", "code": "350502001009", "address": "址" * 201}, "address", "200"),
        ("station_a", {"name": "", "code": "350502001009"}, "name", "必填"),
        ("station_a", {"name": "坐标", "code": "350502001009", "latitude": "91"}, "latitude", "90"),
    ],
)
def test_it_refuses_bad_unit_input_in_chinese_and_changes_nothing(
    tree: Any, admin: Any, as_user: Any, parent: str, data: dict[str, str], field: str, fragment: str
) -> None:
    client = as_user(admin)
    before = _counts()
    response = _post(client, reverse("orgs:unit_create", args=[getattr(tree, parent).pk]), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors, errors
    assert fragment in " ".join(errors[field])
    assert _counts() == before


def test_it_has_no_place_for_units_below_a_community(tree: Any, admin: Any, as_user: Any) -> None:
    before = _counts()
    response = as_user(admin).post(
        reverse("orgs:unit_create", args=[tree.a1.pk]), {"name": "x", "code": "350502001009"}
    )
    assert response.status_code == 404
    assert _counts() == before


@pytest.mark.parametrize("who", ["lead", "worker", "community_worker", "supervisor", "viewer"])
def test_it_forbids_other_roles_to_create_or_edit_units(tree: Any, as_user: Any, request: Any, who: str) -> None:
    user = request.getfixturevalue(who)
    client = as_user(user)
    before = _counts()
    own = user.unit
    create = client.post(reverse("orgs:unit_create", args=[own.pk]), {"name": "x", "code": "350502001009"})
    edit = client.post(reverse("orgs:unit_edit", args=[own.pk]), {"name": "改名", "code": own.code})
    agency = client.post(reverse("orgs:agency_create"), {"name": "某机构"})
    assert (create.status_code, edit.status_code, agency.status_code) == (403, 403, 403)
    assert _counts() == before
    assert OrgUnit.objects.get(pk=own.pk).name != "改名"
    with pytest.raises(PermissionDenied):
        services.orgunit_create(actor=user, level=Level.COMMUNITY, parent=tree.station_a, name="x", code="350502001009")


def test_it_answers_404_for_units_out_of_scope(tree: Any, lead: Any, community_worker: Any, as_user: Any) -> None:
    lead_client = as_user(lead)
    assert lead_client.get(reverse("orgs:unit_detail", args=[tree.a1.pk])).status_code == 200
    assert lead_client.get(reverse("orgs:unit_detail", args=[tree.b1.pk])).status_code == 404
    assert lead_client.get(reverse("orgs:unit_detail", args=[tree.district.pk])).status_code == 404
    cw_client = as_user(community_worker)
    assert cw_client.get(reverse("orgs:unit_detail", args=[tree.a1.pk])).status_code == 200
    assert cw_client.get(reverse("orgs:unit_detail", args=[tree.a2.pk])).status_code == 404
    assert cw_client.get(reverse("orgs:unit_detail", args=[tree.station_a.pk])).status_code == 404


@pytest.mark.parametrize("tail", ["abc/", "-1/", "1.5/", "%E4%B8%80/", "99999999999999999999999/", "0/"])
def test_it_answers_404_for_malformed_or_missing_ids(tree: Any, admin: Any, as_user: Any, tail: str) -> None:
    response = as_user(admin).get(f"/orgs/{tail}")
    assert response.status_code == 404


def test_it_shows_the_unit_list_in_scope_only(tree: Any, lead: Any, as_user: Any) -> None:
    response = as_user(lead).get(reverse("orgs:unit_list"))
    names = {u.name for u in response.context["lst"].page}
    assert names == {"甲街道社工站", "甲一社区", "甲二社区"}


# --- editing and moving ---------------------------------------------------


def test_it_edits_a_unit_and_records_before_and_after(tree: Any, admin: Any, as_user: Any) -> None:
    response = _post(
        as_user(admin),
        reverse("orgs:unit_edit", args=[tree.a1.pk]),
        {"name": "甲一新社区", "code": "350502001001", "address": "新址1号"},
    )
    assert response.status_code == 302
    tree.a1.refresh_from_db()
    assert tree.a1.name == "甲一新社区"
    event = AuditEvent.objects.get(action="orgunit.update")
    assert event.changes == {"name": ["甲一社区", "甲一新社区"], "address": ["", "新址1号"]}
    assert event.actor == admin


def test_it_changes_a_leaf_code_and_its_path(tree: Any, admin: Any) -> None:
    services.orgunit_update(actor=admin, unit=tree.a2, code="350502001005")
    tree.a2.refresh_from_db()
    assert tree.a2.path == "350502/001/005/"


def test_it_refuses_to_recode_a_unit_with_children(tree: Any, admin: Any, as_user: Any) -> None:
    before = _counts()
    response = _post(
        as_user(admin), reverse("orgs:unit_edit", args=[tree.station_a.pk]), {"name": "甲", "code": "350502009000"}
    )
    assert response.status_code == 200
    assert "下级" in " ".join(response.context["form"].errors["code"])
    tree.station_a.refresh_from_db()
    assert tree.station_a.code == "350502001000"
    assert _counts() == before


@pytest.mark.parametrize(("unit", "new_parent"), [("station_a", "a1"), ("a1", "station_b"), ("station_b", "b1")])
def test_it_refuses_to_move_a_unit(tree: Any, admin: Any, unit: str, new_parent: str) -> None:
    before = _counts()
    target = getattr(tree, unit)
    with translation.override("zh-hans"), pytest.raises(ValidationError) as exc:
        services.orgunit_update(actor=admin, unit=target, parent=getattr(tree, new_parent))
    assert "移动" in " ".join(exc.value.message_dict["parent"])
    target.refresh_from_db()
    assert target.parent_id == getattr(tree, unit).parent_id
    assert _counts() == before


def test_it_refuses_a_station_placed_under_a_community(tree: Any, admin: Any) -> None:
    before = _counts()
    with pytest.raises(ValidationError) as exc:
        services.orgunit_create(actor=admin, level=Level.STATION, parent=tree.a1, name="错站", code="350502009000")
    assert "parent" in exc.value.message_dict
    assert _counts() == before


def test_it_refuses_a_second_district_root(tree: Any, admin: Any) -> None:
    with pytest.raises(ValidationError):
        services.orgunit_create(actor=admin, level=Level.DISTRICT, parent=tree.district, name="x", code="350503000000")


def test_it_refuses_an_agency_on_a_community(tree: Any, admin: Any) -> None:
    agency = services.agency_create(actor=admin, unit=tree.district, name="机构甲")
    with pytest.raises(ValidationError) as exc:
        services.orgunit_update(actor=admin, unit=tree.a1, agency=agency)
    assert "agency" in exc.value.message_dict
    tree.a1.refresh_from_db()
    assert tree.a1.agency_id is None


def test_it_refuses_writes_to_units_out_of_scope(tree: Any, lead: Any) -> None:
    # Even with the permission, a unit outside the actor's subtree is a 404.
    from core import access

    lead.role = "district_admin"  # an impossible combination, to reach the scope check
    assert access.can(lead, access.Perm.ORG_MANAGE)
    with pytest.raises(Http404):
        services.orgunit_update(actor=lead, unit=tree.b1, name="x")
    with pytest.raises(Http404):
        services.orgunit_create(actor=lead, level=Level.COMMUNITY, parent=tree.station_b, name="x", code="350502002009")


# --- operating agencies ---------------------------------------------------


def test_it_manages_agencies_with_audit_and_refuses_duplicates(tree: Any, admin: Any, as_user: Any) -> None:
    client = as_user(admin)
    assert _post(client, reverse("orgs:agency_create"), {"name": "同心社工服务社"}).status_code == 302
    agency = OperatingAgency.objects.get(name="同心社工服务社")
    before = _counts()
    duplicate = _post(client, reverse("orgs:agency_create"), {"name": "同心社工服务社"})
    assert duplicate.status_code == 200
    assert "已存在" in " ".join(duplicate.context["form"].errors["name"])
    assert _counts() == before
    edit = _post(
        client, reverse("orgs:agency_edit", args=[agency.pk]), {"name": "同心社工服务社", "phone": "059522345678"}
    )
    assert edit.status_code == 302
    event = AuditEvent.objects.filter(action="agency.update").get()
    assert event.changes == {"phone": ["", "059522345678"]}


def test_it_lists_a_station_users_agency_only(tree: Any, admin: Any, lead: Any, as_user: Any) -> None:
    mine = services.agency_create(actor=admin, unit=tree.district, name="甲站机构")
    services.agency_create(actor=admin, unit=tree.district, name="乙站机构")
    services.orgunit_update(actor=admin, unit=tree.station_a, agency=mine)
    response = as_user(lead).get(reverse("orgs:agency_list"))
    assert [a.name for a in response.context["lst"].page] == ["甲站机构"]
