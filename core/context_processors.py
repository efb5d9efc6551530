from __future__ import annotations

from functools import cache, lru_cache
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import get_language

from core.access import can, role_permissions
from core.registry import menu


def _is_active(item_name: str, current: str) -> bool:
    # "orgs:unit_list" is active on "orgs:unit_detail", "orgs:unit_edit", …
    family = item_name.removesuffix("_list")
    return current == item_name or (family != item_name and current.startswith(family + "_"))


@cache
def _menu_for(role: str, language: str | None) -> tuple[tuple[str, tuple[tuple[str, str, str], ...]], ...]:
    """The menu a role sees, with labels translated and URLs reversed: built
    once per role and language per process (every page renders it)."""
    allowed = role_permissions(role)
    sections = []
    for section in menu():
        items = tuple((str(i.label), reverse(i.url_name), i.url_name) for i in section.items if i.perm in allowed)
        if items:
            sections.append((str(section.label), items))
    return tuple(sections)


@lru_cache(maxsize=4096)
def _menu_html(role: str, language: str | None, current: str) -> str:
    """The rendered menu for a role, language and current page: every page
    shows it, and rendering ~50 links per request was a large share of a
    page's cost."""
    menu = [
        {
            "label": label,
            "items": [{"label": text, "url": url, "active": _is_active(name, current)} for text, url, name in items],
        }
        for label, items in _menu_for(role, language)
    ]
    return render_to_string("core/_menu.html", {"menu": menu}) if menu else ""


def layout(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    # Anyone whose role may do something has a menu (the three administrators of 三员分立 have no "view").
    if user is None or not user.is_authenticated or not any(can(user, p) for p in role_permissions(user.role)):
        return {}
    from accounts.middleware import pending_step

    if pending_step(request):  # a password change or 2FA set-up first: the menu's pages would not answer
        return {}
    current = request.resolver_match.view_name if request.resolver_match else ""
    return {"menu_html": _menu_html(user.role, get_language(), current)}  # rendered, hence safe
