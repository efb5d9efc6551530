"""API authentication: the browser session (with CSRF) or a bearer token.
Either way the same user object reaches the same scoped selectors."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django_otp import user_has_device
from ninja.security import HttpBearer, SessionAuth

from accounts.middleware import needs_second_factor, password_expired, pending_step
from accounts.models import ApiToken


class CompleteSessionAuth(SessionAuth):
    """A session counts only once password change and 2FA are done."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        if user is None or not user.is_active or pending_step(request):
            return None
        return user


def token_user_pending(user: Any) -> bool:
    """A token stops working while its user owes a step a login would ask
    for: a password change, or setting up a required second factor."""
    if user.must_change_password or password_expired(user):
        return True
    return needs_second_factor(user) and not user_has_device(user)


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        now = timezone.now()
        row = (
            ApiToken.objects.select_related("user", "user__unit")
            .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now), digest=ApiToken.digest_of(token))
            .filter(revoked_at__isnull=True)
            .first()
        )
        if row is None or not row.user.is_active or token_user_pending(row.user):
            return None
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
        request.user = row.user
        return row.user


AUTH = [TokenAuth(), CompleteSessionAuth()]
