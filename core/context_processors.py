from __future__ import annotations

from functools import cache
from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from core.access import can
from linli.menu import MENU


def _is_active(item_name: str, current: str) -> bool:
    # "orgs:unit_list" is active on "orgs:unit_detail", "orgs:unit_edit", …
    family = item_name.removesuffix("_list")
    return current == item_name or (family != item_name and current.startswith(family + "_"))


@cache
def _url(name: str) -> str:
    # Menu entries take no arguments: reverse each once per process.
    return reverse(name)


def layout(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    current = request.resolver_match.view_name if request.resolver_match else ""
    menu = []
    for section in MENU:
        items = [
            {"label": i.label, "url": _url(i.url_name), "active": _is_active(i.url_name, current)}
            for i in section.items
            if can(user, i.perm)
        ]
        if items:
            menu.append({"label": section.label, "items": items})
    return {"menu": menu}
