"""What every portal page shows around its content (portal/base.html)."""

from __future__ import annotations

from typing import Any

from django import template

from portal.account import station_of
from portal.auth import current_account

register = template.Library()

LARGE_TEXT_COOKIE = "portal_large_text"


def large_text(request: Any, account: Any) -> bool:
    if account is not None:
        return bool(account.large_text)
    return request.COOKIES.get(LARGE_TEXT_COOKIE) == "1"


@register.simple_tag(takes_context=True)
def portal_frame(context: Any) -> dict[str, Any]:
    """The signed-in account (if any), the station whose name, phone and
    address the page shows, and whether text is large."""
    request = context.get("request")
    account = current_account(request) if request is not None else None
    return {"account": account, "station": station_of(account), "large_text": large_text(request, account)}
