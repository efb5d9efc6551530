"""The Content-Security-Policy header, built once per process.

django-csp's middleware builds the policy string from the settings on every
response, twice (the enforced and the report-only policy): a fifth of the
cost of the cheapest request. Linli's policy is the same on every page (no
nonces, no per-view decorators), so the string is built once and reused; a
response that asks for anything else (a nonce used by its template, a
decorator's change, a report-only policy, excluded prefixes) goes through
django-csp unchanged."""

from __future__ import annotations

from typing import Any

from csp.constants import HEADER
from csp.middleware import CheckableLazyObject
from csp.middleware import CSPMiddleware as BaseCSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.http import HttpRequest
from django.http.response import HttpResponseBase

# What the csp decorators put on a response (csp.decorators).
_PER_RESPONSE = (
    "_csp_exempt",
    "_csp_config",
    "_csp_update",
    "_csp_replace",
    "_csp_exempt_ro",
    "_csp_config_ro",
    "_csp_update_ro",
    "_csp_replace_ro",
)
_built: tuple[Any, str] | None = None


def _policy() -> str:
    """The header for the CONTENT_SECURITY_POLICY setting, rebuilt only when
    the setting is another object (override_settings in tests)."""
    global _built
    config = settings.CONTENT_SECURITY_POLICY
    if _built is None or _built[0] is not config:
        _built = (config, build_policy())
    return _built[1]


class CSPMiddleware(BaseCSPMiddleware):
    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        policy = settings.CONTENT_SECURITY_POLICY
        plain = (
            getattr(request, "_csp_nonce", None) is None
            and not settings.DEBUG
            and not getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)
            and not policy.get("EXCLUDE_URL_PREFIXES")
            and HEADER not in response
            and not any(hasattr(response, name) for name in _PER_RESPONSE)
        )
        if not plain:
            return super().process_response(request, response)
        response[HEADER] = _policy()
        # As django-csp does: a nonce asked for after the header is written is an error.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)  # type: ignore[attr-defined]
        return response
