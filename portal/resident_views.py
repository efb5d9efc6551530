"""The residents' pages: ask for help, give feedback, track what was sent."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from audit.context import client_ip
from core.forms import form_page
from portal import intake, progress
from portal.auth import portal_login_required
from portal.forms import FeedbackForm, HelpForm
from portal.selectors import own_feedback, own_help_requests


def _done(row: Any) -> str:
    return _("Sent. Your tracking number is %(number)s; the station will answer here.") % {"number": row.tracking}


@portal_login_required
def help_new(request: HttpRequest) -> HttpResponse:
    account = request.portal_account  # type: ignore[attr-defined]
    initial = {"community": account.community_id, "contact_phone": account.phone}
    form = HelpForm(request.POST or None, request.FILES or None, initial=initial)
    return form_page(
        request,
        form=form,
        act=lambda d: intake.help_submit(account=account, ip=client_ip(request), **d),
        success=lambda row: reverse("portal:track_detail", args=[row.tracking]),
        done_message=_done,
        title=_("Ask for help"),
        cancel_url=reverse("portal:home"),
        breadcrumbs=[],
        intro=_("The station's staff read every request and answer on its tracking page."),
        submit_label=_("Send my request"),
        template="portal/form.html",
    )


@portal_login_required
def feedback_new(request: HttpRequest) -> HttpResponse:
    account = request.portal_account  # type: ignore[attr-defined]
    form = FeedbackForm(request.POST or None, initial={"community": account.community_id})
    return form_page(
        request,
        form=form,
        act=lambda d: intake.feedback_submit(account=account, ip=client_ip(request), **d),
        success=lambda row: reverse("portal:track_detail", args=[row.tracking]),
        done_message=_done,
        title=_("Feedback or a complaint"),
        cancel_url=reverse("portal:home"),
        breadcrumbs=[],
        intro=_("Tell the station what went well or what did not; a complaint is answered by the station lead."),
        submit_label=_("Send"),
        template="portal/form.html",
    )


@portal_login_required
def track_list(request: HttpRequest) -> HttpResponse:
    account = request.portal_account  # type: ignore[attr-defined]
    rows: list[tuple[Any, list[progress.Step]]] = [(r, progress.help_steps(r)) for r in own_help_requests(account)] + [
        (r, progress.feedback_steps(r)) for r in own_feedback(account)
    ]
    rows.sort(key=lambda pair: pair[0].created_at, reverse=True)
    items = [{"row": r, "now": _current(steps), "finished": progress.is_finished(steps)} for r, steps in rows]
    return render(request, "portal/track_list.html", {"items": items})


def _current(steps: list[progress.Step]) -> progress.Step:
    return next((s for s in steps if s.state in (progress.NOW, progress.STOPPED)), steps[-1])


@portal_login_required
def track_detail(request: HttpRequest, tracking_number: str) -> HttpResponse:
    """One item's progress: only the account that sent it sees it (404 otherwise)."""
    account = request.portal_account  # type: ignore[attr-defined]
    row: Any = own_help_requests(account).filter(tracking=tracking_number).first()
    if row is not None:
        steps = progress.help_steps(row)
    else:
        row = own_feedback(account).filter(tracking=tracking_number).first()
        if row is None:
            raise Http404
        steps = progress.feedback_steps(row)
    return render(request, "portal/track_detail.html", {"row": row, "steps": steps})
