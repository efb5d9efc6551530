"""The 500 handler. Django's own renders 500.html or, if that fails, English
text; ours renders the site's page in the visitor's language without a
request context (its context processors may be what failed) and falls back
to a bare page that is still translated.

A database that cannot be reached (or stays locked past the busy timeout)
is not a bug in the request: it answers 503 with "try again shortly", as a
page or, under /api/, as JSON."""

from __future__ import annotations

import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext as _

RETRY_AFTER_SECONDS = 30


def _language(request: HttpRequest) -> str:
    # LocaleMiddleware sets LANGUAGE_CODE; an error before it ran gets the default.
    code = getattr(request, "LANGUAGE_CODE", None)
    return code if code in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def database_unavailable(exc: BaseException | None) -> bool:
    return isinstance(exc, OperationalError | InterfaceError)


def unavailable_json(request: HttpRequest) -> HttpResponse:
    with translation.override(_language(request)):
        detail = _("The database is unavailable at the moment. Please try again shortly.")
    response = JsonResponse({"detail": detail}, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def _bare_page(title: str, body: str) -> str:
    home = escape(_("Back to the home page"))
    lang = escape(translation.get_language() or settings.LANGUAGE_CODE)
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{escape(title)}</title></head>'
        f'<body><h1>{escape(title)}</h1><p>{escape(body)}</p><p><a href="/">{home}</a></p></body></html>'
    )


def _unavailable_page(request: HttpRequest) -> HttpResponse:
    with translation.override(_language(request)):
        content: str
        try:
            content = render_to_string("503.html")
        except Exception:  # the layout itself failed: say it in plain words
            content = _bare_page(
                _("Temporarily unavailable"),
                _("The database is unavailable at the moment. Please try again shortly."),
            )
    response = HttpResponse(content, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    # Django calls this inside its except block, so the exception is at hand.
    if database_unavailable(sys.exc_info()[1]):
        if request.path.startswith("/api/"):
            return unavailable_json(request)
        return _unavailable_page(request)
    with translation.override(_language(request)):
        try:
            return HttpResponse(render_to_string("500.html"), status=500)
        except Exception:  # the layout itself failed: say it in plain words
            return HttpResponse(
                _bare_page(
                    _("Something went wrong"),
                    _("The system could not finish this request. Please try again in a moment."),
                ),
                status=500,
            )
