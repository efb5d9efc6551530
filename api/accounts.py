from __future__ import annotations

from typing import TYPE_CHECKING, cast

from django.http import HttpRequest
from ninja import Router, Schema

from accounts.selectors import staff_visible
from api.params import Id
from core.access import Perm, get_in_scope_or_404, require, role_permissions

if TYPE_CHECKING:
    from accounts.models import User

router = Router(tags=["accounts"])


class StaffOut(Schema):
    id: int
    username: str
    full_name: str
    role: str
    unit_id: int | None


class MeOut(StaffOut):
    unit_name: str
    unit_path: str
    permissions: list[str]


@router.get("/me", response=MeOut)
def me(request: HttpRequest) -> dict:
    user = cast("User", request.user)  # the API's auth lets only a signed-in user through
    return {
        "id": user.pk,
        "username": user.username,
        "full_name": user.full_name,
        "role": user.role,
        "unit_id": user.unit_id,
        "unit_name": user.unit.name if user.unit else "",
        "unit_path": user.unit.path if user.unit else "",
        "permissions": sorted(role_permissions(user.role)),
    }


@router.get("/staff", response=list[StaffOut])
def list_staff(request: HttpRequest) -> list:
    require(request.user, Perm.VIEW)
    return list(staff_visible(request.user))


@router.get("/staff/{user_id}", response=StaffOut)
def get_staff(request: HttpRequest, user_id: Id) -> object:
    require(request.user, Perm.VIEW)
    return get_in_scope_or_404(staff_visible(request.user), request.user, pk=user_id)
