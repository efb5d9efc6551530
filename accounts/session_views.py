"""The session keep-alive the page calls while the user types or presses
"continue" in the expiry warning (core/static/core/js/session.js)."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_POST

from accounts.session import seconds_left, session_renew


@require_POST
def keepalive(request: HttpRequest) -> JsonResponse:
    """Renew the requester's own session; 401 once it has ended (the page then
    keeps the draft and offers to log in again)."""
    if not request.user.is_authenticated:
        return JsonResponse({"left": 0}, status=401)
    session_renew(request, force=True)
    return JsonResponse({"left": seconds_left(request)})
