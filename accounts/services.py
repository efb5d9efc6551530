from __future__ import annotations

import secrets
from typing import Any

from axes.utils import reset as axes_reset
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import ApiToken, User
from audit.actions import Action
from audit.models import Outcome
from audit.services import audit_record, diff, snapshot
from core.access import Perm, require, require_unit_in_scope
from core.roles import ROLE_LEVELS, Role
from orgs.models import OrgUnit

_STAFF_FIELDS = ("username", "full_name", "phone", "role", "unit", "is_active")


def _check_role_placement(*, actor: Any, role: str, unit: OrgUnit) -> None:
    if unit.level not in ROLE_LEVELS[role]:
        raise ValidationError(
            {
                "role": _("A %(role)s cannot be placed at a %(level)s.")
                % {"role": Role(role).label, "level": unit.get_level_display()}
            }
        )
    # Nobody grants a role above their own reach: only a district admin
    # creates district admins.
    if actor is not None and role == Role.DISTRICT_ADMIN and actor.role != Role.DISTRICT_ADMIN:
        raise PermissionDenied


def _validate_new_password(password: str, user: User) -> None:
    """The password rules (length, letters and digits, not common), reported
    on the `password` field."""
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc


@transaction.atomic
def staff_create(
    *,
    actor: Any,
    username: str,
    full_name: str,
    role: str,
    unit: OrgUnit,
    password: str,
    phone: str = "",
    must_change_password: bool = True,
) -> User:
    if actor is not None:
        require(actor, Perm.STAFF_MANAGE)
        require_unit_in_scope(actor, unit)
    _check_role_placement(actor=actor, role=role, unit=unit)
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("This username is taken.")})
    user = User(
        username=username,
        full_name=full_name,
        role=role,
        unit=unit,
        phone=phone,
        must_change_password=must_change_password,
    )
    _validate_new_password(password, user)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    audit_record(
        actor=actor, action=Action.STAFF_CREATE, target=user, unit=unit, changes=diff({}, snapshot(user, _STAFF_FIELDS))
    )
    return user


@transaction.atomic
def staff_update(*, actor: Any, staff: User, **fields: Any) -> User:
    require(actor, Perm.STAFF_MANAGE)
    require_unit_in_scope(actor, staff.unit)
    if "unit" in fields:
        require_unit_in_scope(actor, fields["unit"])
    before = snapshot(staff, _STAFF_FIELDS)
    for key, value in fields.items():
        setattr(staff, key, value)
    unit = staff.unit
    if unit is None:  # require_unit_in_scope above lets no unit-less account through
        raise PermissionDenied
    _check_role_placement(actor=actor, role=staff.role, unit=unit)
    if staff.pk == actor.pk and not staff.is_active:
        raise ValidationError({"is_active": _("You cannot deactivate your own account.")})
    staff.full_clean(exclude=["password"])
    staff.save()
    audit_record(
        actor=actor,
        action=Action.STAFF_UPDATE,
        target=staff,
        unit=staff.unit,
        changes=diff(before, snapshot(staff, _STAFF_FIELDS)),
    )
    return staff


@transaction.atomic
def staff_reset_password(*, actor: Any, staff: User, password: str) -> None:
    require(actor, Perm.STAFF_MANAGE)
    require_unit_in_scope(actor, staff.unit)
    _validate_new_password(password, staff)
    staff.set_password(password)
    staff.must_change_password = True
    staff.save(update_fields=["password", "must_change_password"])
    axes_reset(username=staff.username)
    audit_record(actor=actor, action=Action.STAFF_RESET_PASSWORD, target=staff, unit=staff.unit)


@transaction.atomic
def staff_unlock(*, actor: Any, staff: User) -> None:
    require(actor, Perm.STAFF_MANAGE)
    require_unit_in_scope(actor, staff.unit)
    axes_reset(username=staff.username)
    audit_record(actor=actor, action=Action.STAFF_UNLOCK, target=staff, unit=staff.unit)


@transaction.atomic
def password_change(*, user: User, new_password: str) -> None:
    validate_password(new_password, user)
    user.set_password(new_password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    audit_record(actor=user, action=Action.ACCOUNT_PASSWORD_CHANGE, target=user, unit=user.unit)


def login_record(*, user: User | None, username: str, ip: str | None, outcome: str, note: str = "") -> None:
    """Audit a login attempt. Failures name the username tried, never the password."""
    audit_record(
        actor=user,
        actor_label=username[:150],
        action=Action.ACCOUNT_LOGIN,
        target=user,
        unit=user.unit if user else None,
        outcome=outcome,
        ip=ip,
        note=note,
    )


def logout_record(*, user: User, ip: str | None) -> None:
    audit_record(actor=user, action=Action.ACCOUNT_LOGOUT, target=user, unit=user.unit, ip=ip)


@transaction.atomic
def totp_device_start(*, user: User) -> TOTPDevice:
    """An unconfirmed TOTP device; it counts only after totp_device_confirm."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name="default", confirmed=False)


@transaction.atomic
def totp_device_confirm(*, user: User, device: TOTPDevice, token: str) -> bool:
    if device.user_id != user.pk or not device.verify_token(token):
        audit_record(actor=user, action=Action.ACCOUNT_2FA_ENABLE, target=user, unit=user.unit, outcome=Outcome.FAILURE)
        return False
    TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit_record(actor=user, action=Action.ACCOUNT_2FA_ENABLE, target=user, unit=user.unit)
    return True


@transaction.atomic
def api_token_create(*, user: User, name: str) -> str:
    """Create a token and return its raw value; only its hash is kept."""
    if not name.strip():
        raise ValidationError({"name": _("Give the token a name.")})
    raw = "ll_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name.strip()[:60], digest=ApiToken.digest_of(raw), prefix=raw[:8])
    audit_record(actor=user, action=Action.API_TOKEN_CREATE, target=token, unit=user.unit)
    return raw


@transaction.atomic
def api_token_revoke(*, user: User, token: ApiToken) -> None:
    if token.user_id != user.pk:
        raise PermissionDenied
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_record(actor=user, action=Action.API_TOKEN_REVOKE, target=token, unit=user.unit)
