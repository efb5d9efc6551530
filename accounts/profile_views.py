"""The security settings in force (the 等保 profile and each of its rules),
read-only: they come from the environment (docs/deploy.md)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.access import Perm, requires
from core.roles import PRIVILEGED_ROLES, Role


def _days(n: int, off: str) -> str:
    return ngettext("%(n)d day", "%(n)d days", n) % {"n": n} if n else off


def _two_factor() -> str:
    if settings.REQUIRE_2FA_FOR_PRIVILEGED:
        roles = "、".join(str(label) for value, label in Role.choices if value in PRIVILEGED_ROLES)
        return _("Required for %(roles)s") % {"roles": roles}
    if settings.REQUIRE_2FA_FOR_ADMINS:
        return _("Required for administrators")
    return _("Optional")


def rules() -> list[tuple[str, str]]:
    """(rule, value in force) for each rule of the profile; docs/deploy.md names
    the setting behind each."""
    yes, no = _("Yes"), _("No")
    classes = settings.PASSWORD_MIN_CLASSES
    return [
        (_("等保 profile"), _("On") if settings.DENGBAO_PROFILE else _("Off")),
        (_("Password expiry"), _days(settings.PASSWORD_MAX_AGE_DAYS, _("Never"))),
        (_("Earlier passwords refused"), str(settings.PASSWORD_HISTORY) if settings.PASSWORD_HISTORY else _("None")),
        (_("Character classes required"), _("%(n)s of 4") % {"n": classes} if classes >= 2 else _("No rule")),
        (
            _("Lock-out"),
            _("%(n)s failures in %(m)s minutes")
            % {"n": settings.LOGIN_FAILURE_LIMIT, "m": settings.LOGIN_FAILURE_WINDOW_MINUTES},
        ),
        (_("Two-factor login"), _two_factor()),
        (_("Idle session timeout"), _("%(n)s minutes") % {"n": settings.SESSION_IDLE_MINUTES}),
        (_("Maximum session lifetime"), _("%(n)s hours") % {"n": settings.SESSION_ABSOLUTE_HOURS}),
        (_("API token lifetime"), _days(settings.API_TOKEN_DAYS, _("Until revoked"))),
        (_("Refused access audited"), yes if settings.AUDIT_DENIED_ACCESS else no),
        (_("Separate system, security and audit administrators"), yes if settings.SEPARATE_ADMIN_ROLES else no),
        (
            _("Audit events kept"),
            _("At least %(days)s; the application deletes none") % {"days": _days(settings.AUDIT_RETENTION_DAYS, "")},
        ),
    ]


@requires(Perm.SECURITY_MANAGE, Perm.CONFIG_MANAGE)
def security_settings(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/security_settings.html",
        {
            "title": _("Security settings"),
            "rules": rules(),
            "breadcrumbs": [(_("Security settings"), "")],
        },
    )
