"""The staff side of the portal (/intake/, staff login): the station's queue
of pending help requests and feedback, and the decisions on them. Every read
goes through portal.selectors (core.access scoping)."""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from core import uploads
from core.access import Perm, can, get_in_scope_or_404, requires, under
from core.forms import form_page, with_tokens
from people.selectors import persons_visible
from portal import intake
from portal.forms import AcceptForm, DeclineForm, ReplyForm
from portal.models import Feedback, HelpRequest, IntakeStatus
from portal.selectors import feedback_visible, help_requests_visible

QUEUE_SIZE = 200


def _crumbs() -> list[tuple[str, str]]:
    return [(_("Portal requests"), reverse("portal_staff:queue"))]


@requires(Perm.VIEW)
def queue(request: HttpRequest) -> HttpResponse:
    """What residents sent and nobody has decided yet, then the latest decided."""
    pending_help = help_requests_visible(request.user).filter(status=IntakeStatus.RECEIVED)[:QUEUE_SIZE]
    pending_feedback = feedback_visible(request.user).filter(status=IntakeStatus.RECEIVED)[:QUEUE_SIZE]
    decided_help = help_requests_visible(request.user).exclude(status=IntakeStatus.RECEIVED)[:20]
    decided_feedback = feedback_visible(request.user).exclude(status=IntakeStatus.RECEIVED)[:20]
    return render(
        request,
        "portal/staff/queue.html",
        {
            "title": _("Portal requests"),
            "pending_help": pending_help,
            "pending_feedback": pending_feedback,
            "decided_help": decided_help,
            "decided_feedback": decided_feedback,
        },
    )


def _help(request: HttpRequest, help_request_id: int) -> HelpRequest:
    return get_in_scope_or_404(help_requests_visible(request.user), request.user, pk=help_request_id)


def _persons(request: HttpRequest, row: HelpRequest):  # type: ignore[no-untyped-def]
    """Residents of the request's station the user may see: whom it may be for."""
    return under(persons_visible(request.user).filter(is_active=True), row.unit.station).order_by("name")


@requires(Perm.VIEW)
def help_detail(request: HttpRequest, help_request_id: int) -> HttpResponse:
    row = _help(request, help_request_id)
    can_decide = row.status == IntakeStatus.RECEIVED and can(request.user, Perm.RECORD_EDIT)

    context = {
        "title": _("Help request %(number)s") % {"number": row.tracking},
        "breadcrumbs": [*_crumbs(), (row.tracking, "")],
        "row": row,
        "can_decide": can_decide,
    }
    if can_decide:
        context["accept_form"] = with_tokens(
            AcceptForm(persons=_persons(request, row), initial={"description": row.description})
        )
        context["decline_form"] = with_tokens(
            DeclineForm(auto_id="decline_%s")
        )  # beside the accept form: ids of its own
    return render(request, "portal/staff/help_detail.html", context)


@requires(Perm.RECORD_EDIT)
def help_accept(request: HttpRequest, help_request_id: int) -> HttpResponse:
    row = _help(request, help_request_id)
    url = reverse("portal_staff:help_detail", args=[row.pk])
    return form_page(
        request,
        form=AcceptForm(request.POST or None, persons=_persons(request, row), initial={"description": row.description}),
        act=lambda d: intake.help_accept(actor=request.user, help_request=row, **d),
        success=lambda r: reverse("matching:need_detail", args=[r.need_id]),
        done_message=_("Accepted: the need is recorded and can be matched."),
        title=_("Accept %(number)s as a need") % {"number": row.tracking},
        cancel_url=url,
        breadcrumbs=[*_crumbs(), (row.tracking, url)],
        submit_label=_("Accept as a need"),
    )


@requires(Perm.RECORD_EDIT)
def help_decline(request: HttpRequest, help_request_id: int) -> HttpResponse:
    row = _help(request, help_request_id)
    url = reverse("portal_staff:help_detail", args=[row.pk])
    return form_page(
        request,
        form=DeclineForm(request.POST or None),
        act=lambda d: intake.help_decline(actor=request.user, help_request=row, **d),
        success=lambda r: url,
        done_message=_("Declined; the resident sees the reason."),
        title=_("Decline %(number)s") % {"number": row.tracking},
        cancel_url=url,
        breadcrumbs=[*_crumbs(), (row.tracking, url)],
        submit_label=_("Decline"),
    )


@requires(Perm.VIEW)
def help_photo(request: HttpRequest, help_request_id: int) -> FileResponse:
    row = _help(request, help_request_id)
    if not row.photo:
        raise Http404
    ext = "." + row.photo.rsplit(".", 1)[-1].lower()
    content_type = uploads.IMAGE_TYPES.get(ext)
    if content_type is None:
        raise Http404
    return uploads.serve(default_storage.open(row.photo, "rb"), content_type, keep=300)


def _feedback(request: HttpRequest, portal_feedback_id: int) -> Feedback:
    return get_in_scope_or_404(feedback_visible(request.user), request.user, pk=portal_feedback_id)


@requires(Perm.VIEW)
def feedback_detail(request: HttpRequest, portal_feedback_id: int) -> HttpResponse:

    row = _feedback(request, portal_feedback_id)
    can_reply = row.status == IntakeStatus.RECEIVED and can(request.user, Perm.RECORD_EDIT)
    return render(
        request,
        "portal/staff/feedback_detail.html",
        {
            "title": _("Feedback %(number)s") % {"number": row.tracking},
            "breadcrumbs": [*_crumbs(), (row.tracking, "")],
            "row": row,
            "reply_form": with_tokens(ReplyForm()) if can_reply else None,
        },
    )


@requires(Perm.RECORD_EDIT)
def feedback_reply(request: HttpRequest, portal_feedback_id: int) -> HttpResponse:
    row = _feedback(request, portal_feedback_id)
    url = reverse("portal_staff:feedback_detail", args=[row.pk])
    return form_page(
        request,
        form=ReplyForm(request.POST or None),
        act=lambda d: intake.feedback_reply(actor=request.user, feedback=row, **d),
        success=lambda r: url,
        done_message=_("Replied and closed; the resident sees the reply."),
        title=_("Reply to %(number)s") % {"number": row.tracking},
        cancel_url=url,
        breadcrumbs=[*_crumbs(), (row.tracking, url)],
        submit_label=_("Reply and close"),
    )
