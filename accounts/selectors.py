from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from accounts.models import ApiToken, User
from core.access import scope


def staff_visible(user: Any) -> QuerySet[User]:
    return scope(User.objects.filter(is_active=True), user).select_related("unit")


def staff_manageable(user: Any) -> QuerySet[User]:
    """Accounts the user may administer, active or not."""
    return scope(User.objects.all(), user).select_related("unit")


def tokens_of(user: Any) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True)
