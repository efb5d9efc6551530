"""The blank login page, drawn once per process.

Everyone signed out lands on the login page, and most views of it are the
same bytes: no `next`, no message, no error, only the CSRF token differs. Its
first such view is drawn through the template as usual; later ones reuse that
HTML with their own token put in, so the page costs little more than the
middleware (issue "Fast where people wait": login ≥ 30 % of a bare hello).
A view with anything of its own (a query string, a session or a message
cookie, a POST) is drawn in full."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils.translation import get_language

_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
# (language, path, what the page says about the rules) → the page with the token cut out.
_pages: dict[tuple[object, ...], tuple[str, ...]] = {}


def is_blank(request: HttpRequest) -> bool:
    """Whether this view of the login page shows nothing of its own."""
    cookies = request.COOKIES
    return (
        request.method == "GET"
        and not request.GET
        and settings.SESSION_COOKIE_NAME not in cookies
        and CookieStorage.cookie_name not in cookies
    )


def _key(request: HttpRequest) -> tuple[object, ...]:
    # Everything the signed-out page depends on (accounts.views._login_context).
    return (get_language(), request.path, settings.REQUIRE_2FA_FOR_ADMINS, settings.LOGIN_FAILURE_WINDOW_MINUTES)


def blank_login_page(request: HttpRequest, draw: Callable[[], HttpResponse]) -> HttpResponse:
    """The blank page: reused with this request's CSRF token, or drawn by
    `draw()` and kept when it is the plain page (status 200, one token)."""
    key = _key(request)
    parts = _pages.get(key)
    if parts is not None:
        response = HttpResponse(get_token(request).join(parts))
        response["Content-Type"] = "text/html; charset=utf-8"
        return response
    response = draw()
    if response.status_code == 200 and not response.cookies.get(settings.SESSION_COOKIE_NAME):
        html = response.content.decode()
        tokens = set(_TOKEN.findall(html))
        if len(tokens) == 1:
            _pages[key] = tuple(html.split(tokens.pop()))
    return response
