"""The one place that decides what a user may see and do.

Scope: a user sees the records whose unit lies in the subtree of their own
unit (district → station → community). Every selector, object getter, export,
search and API endpoint filters through `scope()` or `get_in_scope_or_404()`.
Code that has already checked the user and narrows to one unit's subtree
(a station's figures, demo data, a group's members) uses `under()`: the unit
path rule is applied here and in `orgs.models.OrgUnit` only.

Role permissions: what a role may *do* is the PERMISSIONS table below; views
and services call `require()` (403) and templates ask `can()`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from enum import StrEnum
from functools import reduce, wraps
from operator import or_
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.db.models.sql.where import WhereNode
from django.http import Http404, HttpRequest

from core.roles import Role

if TYPE_CHECKING:
    from orgs.models import OrgUnit

M = TypeVar("M", bound=Model)


class Perm(StrEnum):
    VIEW = "view"  # see records in scope
    ORG_MANAGE = "org.manage"  # create/edit stations, community rooms, agencies
    STAFF_MANAGE = "staff.manage"  # create/edit/unlock staff accounts in scope
    AUDIT_VIEW = "audit.view"
    RECORD_EDIT = "record.edit"  # create/edit registry and service records
    ID_REVEAL = "id.reveal"  # see an unmasked resident ID (audited)
    EXPORT_UNMASKED = "export.unmasked"
    APPROVE = "approve"  # approve case plans/closures, confirm reviews
    CONFIG_MANAGE = "config.manage"  # edit rules, instruments, categories
    CONTRACT_MANAGE = "contract.manage"  # service contracts and KPI targets (政府购买服务)
    CASE_SUPERVISE = "case.supervise"  # read confidential case notes in scope, transfer cases
    SECURITY_MANAGE = "security.manage"  # security settings, unlock accounts, assign roles (三员分立)
    AUDIT_ARCHIVE = "audit.archive"  # download the whole audit log as a verifiable archive
    SPENDING_APPROVE = "spending.approve"  # approve or refuse a project's expenditures (the station lead)
    RECORD_MERGE = (
        "record.merge"  # merge duplicate residents' files, reassign a leaving worker's load (the station lead)
    )


_ALL = frozenset(Perm)
_WORKER = frozenset({Perm.VIEW, Perm.RECORD_EDIT, Perm.ID_REVEAL})

PERMISSIONS: dict[str, frozenset[Perm]] = {
    # Confidential case notes stay with the case's workers and supervisors
    # (PIPL minimum necessary): administering the district is not supervising.
    Role.DISTRICT_ADMIN: _ALL - {Perm.CASE_SUPERVISE},
    Role.STATION_LEAD: frozenset(
        {
            Perm.VIEW,
            Perm.STAFF_MANAGE,
            Perm.AUDIT_VIEW,
            Perm.RECORD_EDIT,
            Perm.ID_REVEAL,
            Perm.EXPORT_UNMASKED,
            Perm.APPROVE,
            Perm.CASE_SUPERVISE,
            Perm.SECURITY_MANAGE,
            Perm.SPENDING_APPROVE,
            Perm.RECORD_MERGE,
        }
    ),
    Role.SOCIAL_WORKER: _WORKER,
    Role.COMMUNITY_WORKER: _WORKER,
    Role.SUPERVISOR: frozenset({Perm.VIEW, Perm.RECORD_EDIT, Perm.APPROVE, Perm.AUDIT_VIEW, Perm.CASE_SUPERVISE}),
    Role.VIEWER: frozenset({Perm.VIEW}),
    # 三员分立: none of the three reads personal data; only the audit
    # administrator reads the audit log, and the system administrator, who
    # runs accounts, units and configuration, cannot.
    Role.SYSTEM_ADMIN: frozenset({Perm.ORG_MANAGE, Perm.STAFF_MANAGE, Perm.CONFIG_MANAGE}),
    Role.SECURITY_ADMIN: frozenset({Perm.SECURITY_MANAGE}),
    Role.AUDIT_ADMIN: frozenset({Perm.AUDIT_VIEW, Perm.AUDIT_ARCHIVE}),
}

# The three administrator duties 三员分立 keeps apart, by the permissions that make them.
ADMIN_DUTIES: dict[str, frozenset[Perm]] = {
    "system": PERMISSIONS[Role.SYSTEM_ADMIN],
    "security": PERMISSIONS[Role.SECURITY_ADMIN],
    "audit": PERMISSIONS[Role.AUDIT_ADMIN],
}


def role_permissions(role: str) -> frozenset[Perm]:
    """What a role may do. With SEPARATE_ADMIN_ROLES on, the district
    administrator keeps the district's work but none of the three duties."""
    from django.conf import settings

    perms = PERMISSIONS.get(role, frozenset())
    if role == Role.DISTRICT_ADMIN and settings.SEPARATE_ADMIN_ROLES:
        return perms.difference(*ADMIN_DUTIES.values())
    return perms


def duties_of(role: str) -> list[str]:
    """The administrator duties a role's own permissions (before any split) reach into."""
    perms = PERMISSIONS.get(role, frozenset())
    return [duty for duty, needed in ADMIN_DUTIES.items() if perms & needed]


def can(user: Any, perm: Perm | str) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if getattr(user, "unit_id", None) is None:
        return False
    return Perm(perm) in role_permissions(user.role)


def require(user: Any, perm: Perm | str) -> None:
    """Raise 403 unless the user's role allows `perm`."""
    if not can(user, perm):
        raise PermissionDenied


def requires(*perms: Perm | str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """View decorator: 403 unless the logged-in user's role allows one of
    `perms` (the service then checks the exact permission for what is done)."""

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            if not any(can(request.user, perm) for perm in perms):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def unit_subtree(user: Any) -> QuerySet[OrgUnit]:
    """The units the user may see: their own and everything below it."""
    from orgs.models import OrgUnit

    if not getattr(user, "is_authenticated", False) or not user.is_active or user.unit_id is None:
        return OrgUnit.objects.none()
    return user.unit.subtree()


def scope(qs: QuerySet[M], user: Any, field: str = "unit") -> QuerySet[M]:
    """Restrict `qs` to records whose `field` (an OrgUnit FK path) is in scope.

    The subtree is passed as a subquery, so this adds no query of its own.
    The result is marked as scoped for the user's unit and `field`, so that
    `get_in_scope_or_404` on a selector's output does not scope it again.
    """
    subtree = unit_subtree(user)
    if subtree.query.is_empty():
        return qs.none()
    scoped = qs.filter(**{f"{field}__in": subtree.values("id")})
    condition = scoped.query.where.children[-1]
    while isinstance(condition, WhereNode) and len(condition.children) == 1:
        condition = condition.children[0]  # the lookup itself: clones of a query share it
    marks = getattr(scoped.query, "scope_marks", ())
    # Our own mark on the query (Query.clone() copies its __dict__).
    scoped.query.__dict__["scope_marks"] = (*marks, ((user.unit_id, field), condition))
    return scoped


def _conjuncts(node: Any) -> Iterable[Any]:
    """The conditions every row of a query satisfies: the top-level AND
    terms (an OR or a NOT guarantees none of its parts)."""
    if getattr(node, "negated", False) or getattr(node, "connector", "AND") != "AND":
        return
    for child in getattr(node, "children", ()):
        yield child
        yield from _conjuncts(child)


def is_scoped(qs: QuerySet[Any], user: Any, field: str = "unit") -> bool:
    """Whether `qs` came out of `scope(…, user, field)` and still holds that
    condition for every row (an OR with another queryset drops it)."""
    key = (getattr(user, "unit_id", None), field)
    wanted = [cond for k, cond in getattr(qs.query, "scope_marks", ()) if k == key]
    if not wanted or qs.query.combinator:
        return False
    held = {id(c) for c in _conjuncts(qs.query.where)}
    return any(id(cond) in held for cond in wanted)


class OutOfScope(Http404):
    """The 404 for a record or unit the user may not see: Django answers it
    like any 404; the 等保 profile audits it as a refused access."""


def get_in_scope_or_404(qs: QuerySet[M], user: Any, field: str = "unit", **lookup: Any) -> M:
    """Fetch one object in scope; 404 (never 403) for anything else, so that
    the existence of records elsewhere does not leak. A selector's output,
    already scoped for this user, is not scoped a second time."""
    try:
        return (qs if is_scoped(qs, user, field) else scope(qs, user, field)).get(**lookup)
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise OutOfScope from exc


def unit_in_scope(user: Any, unit: OrgUnit | None) -> bool:
    if unit is None or not getattr(user, "is_authenticated", False) or user.unit_id is None:
        return False
    return user.unit.contains(unit)


def require_unit_in_scope(user: Any, unit: OrgUnit | None) -> None:
    """For writes that name a unit: 404 when the unit is outside the subtree."""
    if not unit_in_scope(user, unit):
        raise OutOfScope


def scope_under(qs: QuerySet[M], user: Any, unit: OrgUnit | None, field: str = "unit") -> QuerySet[M]:
    """Records in scope that lie under `unit` (the unit itself and below): the
    lists' org-tree filter. A unit outside the user's subtree yields nothing."""
    if not unit_in_scope(user, unit):
        return qs.none()
    assert unit is not None  # unit_in_scope said so
    return under(scope(qs, user, field), unit, field)


def within(units: OrgUnit | Iterable[OrgUnit], field: str = "unit") -> Q:
    """The condition "`field` lies under one of `units`" (their subtrees), as
    a Q for querysets built elsewhere. Trusted: the caller has checked the
    user may see these units. `field=""` for a queryset of units itself."""
    from orgs.models import OrgUnit

    roots = [units] if isinstance(units, OrgUnit) else list(units)
    if not roots:
        return Q(pk__in=[])
    lookup = f"{field}__path__startswith" if field else "path__startswith"
    return reduce(or_, (Q(**{lookup: u.path}) for u in roots))


def at_or_above(unit: OrgUnit, field: str = "unit") -> Q:
    """The condition "`field` is `unit` or one of its ancestors" (what a unit
    inherits from above: district-wide partners, fields, approvers).
    `field=""` for a queryset of units itself."""
    parts = unit.path.strip("/").split("/")
    paths = ["/".join(parts[: i + 1]) + "/" for i in range(len(parts))]
    return Q(**{f"{field}__path__in" if field else "path__in": paths})


def under(qs: QuerySet[M], units: OrgUnit | Iterable[OrgUnit], field: str = "unit") -> QuerySet[M]:
    """The records of `qs` whose `field` lies under `units` (one unit or
    several: the units themselves and everything below). Trusted, for code
    that has already checked the user (or has none: demo data, jobs)."""
    return qs.filter(within(units, field))
