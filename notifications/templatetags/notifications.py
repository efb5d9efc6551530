from __future__ import annotations

from typing import Any

from django import template

from notifications.api import unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context: Any) -> int:
    """The signed-in user's unread count (a cache hit or one count)."""
    user = context.get("user")
    return unread_count(user) if getattr(user, "is_authenticated", False) else 0
