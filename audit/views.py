from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from audit.actions import Action, action_label
from audit.display import change_rows
from audit.models import Outcome
from audit.selectors import events_visible
from core.access import Perm, requires


@requires(Perm.AUDIT_VIEW)
def event_list(request: HttpRequest) -> HttpResponse:
    events = events_visible(request.user)
    action = request.GET.get("action", "").strip()[:60]
    outcome = request.GET.get("outcome", "")
    who = request.GET.get("who", "").strip()[:150]
    if action in Action.values:
        events = events.filter(action=action)
    elif action:  # an area: "person." or "orgunit"
        events = events.filter(action__startswith=action)
    if outcome in Outcome.values:
        events = events.filter(outcome=outcome)
    if who:
        events = events.filter(actor_label__icontains=who)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    for event in page:
        event.action_label = action_label(event.action)  # type: ignore[attr-defined]
        event.change_rows = change_rows(event)  # type: ignore[attr-defined]
    return render(
        request,
        "audit/event_list.html",
        {
            "title": _("Audit log"),
            "page": page,
            "outcomes": Outcome.choices,
            "actions": Action.choices,
            "q": {"action": action, "outcome": outcome, "who": who},
            "breadcrumbs": [(_("Audit log"), "")],
        },
    )
