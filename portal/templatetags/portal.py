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


@register.simple_tag(takes_context=True)
def survey_panel(context: Any, survey: Any) -> dict[str, Any]:
    """The staff side of a questionnaire: its link (if published), whether
    the user may publish it, and the tallies of its answers."""
    from core.access import Perm, can
    from portal import surveys
    from portal.models import SurveyLink
    from portal.survey_views import survey_url

    request = context.get("request")
    link = SurveyLink.objects.filter(survey=survey).first()
    open_ = link is not None and surveys.is_open(link)
    return {
        "link": link,
        "open": open_,
        "url": survey_url(request, link.token) if open_ and link is not None and request is not None else "",
        "can_publish": request is not None and can(request.user, Perm.RECORD_EDIT),
        "tallies": surveys.tallies(survey),
    }
