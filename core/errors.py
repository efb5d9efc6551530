"""The 500 handler. Django's own renders 500.html or, if that fails, English
text; ours renders the site's page in the visitor's language without a
request context (its context processors may be what failed) and falls back
to a bare page that is still translated."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext as _


def _language(request: HttpRequest) -> str:
    # LocaleMiddleware sets LANGUAGE_CODE; an error before it ran gets the default.
    code = getattr(request, "LANGUAGE_CODE", None)
    return code if code in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def server_error(request: HttpRequest) -> HttpResponse:
    with translation.override(_language(request)):
        try:
            return HttpResponseServerError(render_to_string("500.html"))
        except Exception:  # the layout itself failed: say it in plain words
            title = escape(_("Something went wrong"))
            body = escape(_("The system could not finish this request. Please try again in a moment."))
            home = escape(_("Back to the home page"))
            lang = escape(translation.get_language() or settings.LANGUAGE_CODE)
            return HttpResponseServerError(
                f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
                f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{title}</title></head>'
                f'<body><h1>{title}</h1><p>{body}</p><p><a href="/">{home}</a></p></body></html>'
            )
