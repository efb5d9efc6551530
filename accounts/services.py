from __future__ import annotations

import secrets
from collections.abc import Mapping
from datetime import timedelta
from typing import TypedDict, Unpack

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import ApiToken, PasswordHistory, User
from audit.actions import Action
from audit.models import Outcome
from audit.services import audit_record, diff, snapshot
from core.access import Perm, can, duties_of, require, require_unit_in_scope
from core.roles import ADMIN_ROLES, ROLE_LEVELS, Level, Role
from orgs.models import OrgUnit

_STAFF_FIELDS = ("username", "full_name", "phone", "role", "unit", "is_active")


class StaffChanges(TypedDict, total=False):
    """What an edit of a staff account may send; a field left out stays as it is."""

    full_name: str
    phone: str
    role: str
    unit: OrgUnit
    is_active: bool


def _check_role_placement(*, actor: User | None, role: str, unit: OrgUnit) -> None:
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


def _check_separation(*, actor: User | None, role: str, previous: str | None) -> None:
    """三员分立: with SEPARATE_ADMIN_ROLES on, no district account holds two
    of the system, security and audit duties (the classic district
    administrator holds all three); and only whoever manages security (a
    security administrator) gives or takes an administrator role."""
    if settings.SEPARATE_ADMIN_ROLES and Level.DISTRICT in ROLE_LEVELS[role] and len(duties_of(role)) > 1:
        raise ValidationError(
            {
                "role": _(
                    "Under the 等保 profile one account may not combine system, security and audit "
                    "administration: give it the system, security or audit administrator role instead."
                )
            }
        )
    if actor is not None and role != previous and ADMIN_ROLES.intersection({role, previous}):
        require(actor, Perm.SECURITY_MANAGE)


def _set_password(user: User, password: str) -> None:
    """Set and date a password (the date drives PASSWORD_MAX_AGE_DAYS)."""
    user.set_password(password)
    user.password_changed_at = timezone.now()


def _remember_password(user: User) -> None:
    """Keep the saved password's hash among the last PASSWORD_HISTORY ones."""
    keep = settings.PASSWORD_HISTORY
    if keep <= 0:
        return
    PasswordHistory.objects.create(user=user, password=user.password)
    stale = list(PasswordHistory.objects.filter(user=user).values_list("pk", flat=True)[keep:])
    PasswordHistory.objects.filter(pk__in=stale).delete()


def _only_role(staff: User, fields: Mapping[str, object]) -> bool:
    """Whether `fields` change nothing but the role."""
    return all(getattr(staff, key) == value for key, value in fields.items() if key != "role")


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
    actor: User | None,
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
    _check_separation(actor=actor, role=role, previous=None)
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
    _set_password(user, password)
    user.full_clean(exclude=["password"])
    user.save()
    _remember_password(user)
    audit_record(
        actor=actor, action=Action.STAFF_CREATE, target=user, unit=unit, changes=diff({}, snapshot(user, _STAFF_FIELDS))
    )
    return user


@transaction.atomic
def staff_update(*, actor: User, staff: User, **fields: Unpack[StaffChanges]) -> User:
    # A role alone is security's to give (三员分立); anything else is account management.
    role_only = fields.get("role", staff.role) != staff.role and _only_role(staff, fields)
    if not (role_only and can(actor, Perm.SECURITY_MANAGE)):
        require(actor, Perm.STAFF_MANAGE)
    previous_role = staff.role
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
    if staff.role != previous_role:
        _check_separation(actor=actor, role=staff.role, previous=previous_role)
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
def staff_reset_password(*, actor: User, staff: User, password: str) -> None:
    require(actor, Perm.STAFF_MANAGE)
    require_unit_in_scope(actor, staff.unit)
    _validate_new_password(password, staff)
    _set_password(staff, password)
    staff.must_change_password = True
    staff.save(update_fields=["password", "password_changed_at", "must_change_password"])
    _remember_password(staff)
    axes_reset(username=staff.username)
    audit_record(actor=actor, action=Action.STAFF_RESET_PASSWORD, target=staff, unit=staff.unit)


@transaction.atomic
def staff_assign_role(*, actor: User | None, staff: User, role: str) -> User:
    """Give an account another role under the same rules as the staff page;
    `manage.py assign_role` calls it with no actor to split a district
    administrator's powers when 三员分立 is switched on (docs/deploy.md)."""
    if actor is not None:
        require(actor, Perm.SECURITY_MANAGE)
        require_unit_in_scope(actor, staff.unit)
    if staff.unit is None:
        raise ValidationError({"role": _("The account has no unit.")})
    _check_role_placement(actor=actor, role=role, unit=staff.unit)
    _check_separation(actor=actor, role=role, previous=staff.role)
    before = staff.role
    staff.role = role
    staff.save(update_fields=["role"])
    audit_record(
        actor=actor, action=Action.STAFF_ROLE_ASSIGN, target=staff, unit=staff.unit, changes={"role": [before, role]}
    )
    return staff


@transaction.atomic
def staff_unlock(*, actor: User, staff: User) -> None:
    require(actor, Perm.SECURITY_MANAGE)
    require_unit_in_scope(actor, staff.unit)
    axes_reset(username=staff.username)
    audit_record(actor=actor, action=Action.STAFF_UNLOCK, target=staff, unit=staff.unit)


@transaction.atomic
def password_change(*, user: User, new_password: str) -> None:
    validate_password(new_password, user)
    _set_password(user, new_password)
    user.must_change_password = False
    user.save(update_fields=["password", "password_changed_at", "must_change_password"])
    _remember_password(user)
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


def session_end_record(*, user: User, ip: str | None) -> None:
    audit_record(
        actor=user,
        action=Action.ACCOUNT_SESSION_END,
        target=user,
        unit=user.unit,
        ip=ip,
        note=f"{settings.SESSION_ABSOLUTE_HOURS} h",
    )


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
    days = settings.API_TOKEN_DAYS
    token = ApiToken.objects.create(
        user=user,
        name=name.strip()[:60],
        digest=ApiToken.digest_of(raw),
        prefix=raw[:8],
        expires_at=timezone.now() + timedelta(days=days) if days else None,
    )
    audit_record(actor=user, action=Action.API_TOKEN_CREATE, target=token, unit=user.unit)
    return raw


@transaction.atomic
def api_token_revoke(*, user: User, token: ApiToken) -> None:
    if token.user_id != user.pk:
        raise PermissionDenied
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_record(actor=user, action=Action.API_TOKEN_REVOKE, target=token, unit=user.unit)
