from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, cast

from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field

from api.params import Body, Id
from core.access import Perm, get_in_scope_or_404, require
from orgs import services
from orgs.selectors import units_visible

if TYPE_CHECKING:
    from accounts.models import User

router = Router(tags=["organisation"])


class UnitOut(Schema):
    id: int
    level: str
    name: str
    code: str
    path: str
    parent_id: int | None
    address: str
    latitude: Decimal | None
    longitude: Decimal | None
    agency_id: int | None


class UnitIn(Body):
    parent_id: Id
    name: str = Field(min_length=1, max_length=60)
    code: str = Field(pattern=r"^[0-9]{12}$")
    address: str = Field("", max_length=200)
    latitude: Decimal | None = Field(None, ge=-90, le=90)
    longitude: Decimal | None = Field(None, ge=-180, le=180)


@router.get("/units", response=list[UnitOut])
def list_units(request: HttpRequest) -> list:
    require(request.user, Perm.VIEW)
    return list(units_visible(request.user))


@router.get("/units/{unit_id}", response=UnitOut)
def get_unit(request: HttpRequest, unit_id: Id) -> object:
    require(request.user, Perm.VIEW)
    return get_in_scope_or_404(units_visible(request.user), request.user, "id", pk=unit_id)


@router.post("/units", response={201: UnitOut})
def create_unit(request: HttpRequest, payload: UnitIn) -> Status:
    from orgs.validators import PARENT_LEVEL

    require(request.user, Perm.ORG_MANAGE)
    parent = get_in_scope_or_404(units_visible(request.user), request.user, "id", pk=payload.parent_id)
    child_levels: dict[str, str] = {p: c for c, p in PARENT_LEVEL.items()}
    child_level = child_levels.get(parent.level)
    if child_level is None:
        from django.core.exceptions import ValidationError
        from django.utils.translation import gettext as _

        raise ValidationError({"parent_id": _("A community room cannot have child units.")})
    unit = services.orgunit_create(
        actor=cast("User", request.user), level=child_level, parent=parent, **payload.dict(exclude={"parent_id"})
    )
    return Status(201, unit)
