"""Staff side: the station's queues of what volunteers and donors sent
through the portal. Each item is shown with what staff need to decide, and
accepted (into the registries, through their own services) or declined with
a reason. Every queue is scoped by the item's unit (core/access.py)."""

from __future__ import annotations

import mimetypes
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core import identity, uploads
from core.access import Perm, get_in_scope_or_404, requires, scope_under
from core.forms import form_page
from orgs.models import OrgUnit
from participation import applications, giving, selectors, serving
from participation.forms import (
    AcceptApplicationForm,
    AcceptEnterpriseForm,
    AcceptForm,
    AcceptHoursForm,
    DeclineForm,
)
from participation.models import RequestKind
from partners.selectors import enterprises_visible

# The accept and decline forms share the page: prefixed, so their fields' ids differ.
ACCEPT, DECLINE = "accept", "decline"
QUEUE_LIMIT = 100  # a queue is worked from the oldest; more wait for the next page view


@dataclass(frozen=True)
class Queue:
    key: str
    title: Any
    rows: Callable[[Any], Any]  # user → scoped queryset of the pending items
    facts: Callable[[Any, Any], list[tuple[Any, Any]]]  # (user, item) → label/value pairs
    accept_form: Callable[[Any, Any, Any], forms.Form]  # (user, item, data) → form
    accept: Callable[[Any, Any, dict[str, Any]], Any]
    decline: Callable[[Any, Any, str], Any]
    summary: Callable[[Any], str]
    accept_label: Any = None  # the accept button's words; "Accept" when None


def _masked_id(item: Any) -> str:
    return identity.mask_id(tail=item.id_tail) if item.id_tail else "—"


def _availability(value: dict[str, list[str]]) -> str:
    from participation.forms import DAY_LABELS, SLOT_LABELS

    return "、".join(f"{DAY_LABELS[d]} {'/'.join(str(SLOT_LABELS[s]) for s in slots)}" for d, slots in value.items())


def _application_facts(user: Any, a: Any) -> list[tuple[Any, Any]]:
    rows: list[tuple[Any, Any]] = [
        (_("Full name"), a.name),
        (_("Sex"), a.get_sex_display()),
        (_("Birth date"), a.birth_date),
        (_("Resident ID"), _masked_id(a)),
        (_("Phone"), identity.mask_phone(a.phone)),
        (_("Community"), a.unit.name),
        (_("Skills"), "、".join(s.name for s in a.skills.all()) or "—"),
        (_("When they can serve"), _availability(a.availability) or "—"),
        (_("Consent given at"), a.consent_at),
    ]
    if a.guardian_name:
        rows += [
            (_("Guardian"), a.guardian_name),
            (_("Guardian's phone"), identity.mask_phone(a.guardian_phone)),
            (_("The guardian agrees"), _("yes") if a.guardian_consent else _("no")),
        ]
    candidates = list(applications.merge_candidates(a))
    rows.append(
        (
            _("May already be registered as"),
            "、".join(f"{v.name} (no. {v.pk}) · {v.unit.name}" for v in candidates) or _("nobody found"),
        )
    )
    return rows


def _request_facts(user: Any, r: Any) -> list[tuple[Any, Any]]:
    rows: list[tuple[Any, Any]] = [(_("Volunteer"), r.volunteer.name), (_("Asks for"), r.get_kind_display())]
    if r.record is not None:
        rows.append((_("Service record"), f"{r.record.activity_name} · {r.record.date} · {r.record.hours} h"))
    if r.task is not None:
        category = selectors.category_names([r.task.need.need_type]).get(r.task.need.need_type, r.task.need.need_type)
        rows.append((_("Service task"), f"{category} · {r.task.unit.name} · {r.task.due_date}"))
    labels = {"address": _("Address"), "skills": _("Skills"), "availability": _("When they can serve")}
    for key, value in r.changes.items():
        shown = _availability(value) if key == "availability" else "、".join(value) if key == "skills" else value
        rows.append((labels.get(key, key), shown or "—"))
    if r.note:
        rows.append((_("Note"), r.note))
    return rows


def _hours_facts(user: Any, h: Any) -> list[tuple[Any, Any]]:
    return [
        (_("Volunteer"), h.volunteer.name),
        (_("Activity"), h.activity_name),
        (_("Date"), h.date),
        (_("Hours reported"), h.hours),
    ]


def _delivery_facts(user: Any, c: Any) -> list[tuple[Any, Any]]:
    return [
        (_("Micro-wish"), f"{c.wish.title} · {c.wish.masked_name}"),
        (_("Claimed by"), c.wish.claimant),
        (_("Claimed on"), c.wish.claimed_on),
        (_("Delivered on"), c.delivered_on or "—"),
    ]


def _enterprise_facts(user: Any, e: Any) -> list[tuple[Any, Any]]:
    return [
        (_("Donor"), e.account.name or identity.mask_phone(e.account.phone)),
        (_("Enterprise name"), e.name),
        (_("Unified social credit code"), e.credit_code or "—"),
    ]


def _candidates(user: Any, a: Any) -> Any:
    return applications.merge_candidates(a)


QUEUES: dict[str, Queue] = {
    q.key: q
    for q in (
        Queue(
            "applications",
            gettext_lazy("Volunteer applications"),
            lambda u: selectors.pending(selectors.applications_visible(u)),
            _application_facts,
            lambda u, a, data: AcceptApplicationForm(data, candidates=_candidates(u, a), prefix=ACCEPT),
            lambda u, a, d: applications.application_accept(actor=u, application=a, merge_into=d.get("merge_into")),
            lambda u, a, reason: applications.application_decline(actor=u, application=a, reason=reason),
            lambda a: f"{a.name} · {a.unit.name}",
            gettext_lazy("Register"),
        ),
        Queue(
            "requests",
            gettext_lazy("Volunteers' requests"),
            lambda u: selectors.pending(selectors.requests_visible(u)),
            _request_facts,
            lambda u, r, data: (
                AcceptHoursForm(data, prefix=ACCEPT)
                if r.kind == RequestKind.RECORD
                else AcceptForm(data, prefix=ACCEPT)
            ),
            lambda u, r, d: applications.request_accept(actor=u, request=r, hours=d.get("hours")),
            lambda u, r, reason: applications.request_decline(actor=u, request=r, reason=reason),
            lambda r: f"{r.volunteer.name} · {r.get_kind_display()}",
        ),
        Queue(
            "hours",
            gettext_lazy("Reported volunteer hours"),
            lambda u: selectors.pending(selectors.hours_visible(u)),
            _hours_facts,
            lambda u, h, data: AcceptHoursForm(data, prefix=ACCEPT),
            lambda u, h, d: serving.hours_accept(actor=u, report=h, hours=d.get("hours")),
            lambda u, h, reason: serving.hours_decline(actor=u, report=h, reason=reason),
            lambda h: f"{h.volunteer.name} · {h.activity_name} · {h.hours} h",
            gettext_lazy("Confirm"),
        ),
        Queue(
            "deliveries",
            gettext_lazy("Micro-wishes reported delivered"),
            lambda u: selectors.pending(selectors.wish_claims_visible(u)).filter(delivered_on__isnull=False),
            _delivery_facts,
            lambda u, c, data: AcceptForm(data, prefix=ACCEPT),
            lambda u, c, d: giving.delivery_accept(actor=u, claim=c),
            lambda u, c, reason: giving.delivery_decline(actor=u, claim=c, reason=reason),
            lambda c: f"{c.wish.title} · {c.wish.claimant}",
            gettext_lazy("Confirm the fulfilment"),
        ),
        Queue(
            "enterprises",
            gettext_lazy("Donors' enterprises to confirm"),
            lambda u: selectors.pending(selectors.enterprise_claims_visible(u)),
            _enterprise_facts,
            lambda u, e, data: AcceptEnterpriseForm(
                data, enterprises=enterprises_visible(u).filter(is_active=True), prefix=ACCEPT
            ),
            lambda u, e, d: giving.enterprise_accept(actor=u, claim=e, enterprise=d["enterprise"]),
            lambda u, e, reason: giving.enterprise_decline(actor=u, claim=e, reason=reason),
            lambda e: e.name,
            gettext_lazy("Confirm"),
        ),
    )
}


def _crumbs(queue: Queue | None = None) -> list[tuple[str, str]]:
    crumbs = [(_("From the portal"), reverse("participation_staff:index"))]
    if queue is not None:
        crumbs.append((str(queue.title), reverse(f"participation_staff:{queue.key}")))
    return crumbs


@requires(Perm.RECORD_EDIT)
def index(request: HttpRequest) -> HttpResponse:
    counts = [(q, q.rows(request.user).count()) for q in QUEUES.values()]
    return render(
        request,
        "participation/staff/index.html",
        {"title": _("From the portal"), "counts": counts, "breadcrumbs": [(_("From the portal"), "")]},
    )


def _queue_page(request: HttpRequest, key: str) -> HttpResponse:
    queue = QUEUES[key]
    rows = queue.rows(request.user)
    unit_id = request.GET.get("unit", "")
    if unit_id.isdigit():
        unit = OrgUnit.objects.filter(pk=int(unit_id)).first()
        rows = scope_under(rows, request.user, unit)
    items = [(item, queue.summary(item)) for item in rows.order_by("created_at", "id")[:QUEUE_LIMIT]]
    return render(
        request,
        "participation/staff/queue.html",
        {
            "title": queue.title,
            "queue": queue,
            "items": items,
            "limit": QUEUE_LIMIT,
            "breadcrumbs": [*_crumbs(), (str(queue.title), "")],
        },
    )


def queue_view(key: str) -> Callable[[HttpRequest], HttpResponse]:
    @requires(Perm.RECORD_EDIT)
    def view(request: HttpRequest) -> HttpResponse:
        return _queue_page(request, key)

    view.__name__ = f"{key}_queue"
    return view


def _item(request: HttpRequest, key: str, item_id: int) -> Any:
    return get_in_scope_or_404(QUEUES[key].rows(request.user), request.user, pk=item_id)


def _context(request: HttpRequest, queue: Queue, item: Any, accept: forms.Form, decline: forms.Form) -> dict[str, Any]:
    from core.forms import with_tokens

    return {
        "title": queue.summary(item),
        "queue": queue,
        "item": item,
        "facts": queue.facts(request.user, item),
        "accept_form": with_tokens(accept),
        "decline_form": with_tokens(decline),
        "accept_url": reverse(f"participation_staff:{queue.key}_accept", args=[item.pk]),
        "decline_url": reverse(f"participation_staff:{queue.key}_decline", args=[item.pk]),
        "photo_url": reverse("participation_staff:delivery_photo", args=[item.pk]) if queue.key == "deliveries" else "",
        "breadcrumbs": [*_crumbs(queue), (queue.summary(item), "")],
    }


def detail_view(key: str) -> Callable[..., HttpResponse]:
    @requires(Perm.RECORD_EDIT)
    def view(request: HttpRequest, **ids: int) -> HttpResponse:
        queue = QUEUES[key]
        item = _item(request, key, *ids.values())
        accept, decline = queue.accept_form(request.user, item, None), DeclineForm(prefix=DECLINE)
        return render(request, "participation/staff/decide.html", _context(request, queue, item, accept, decline))

    view.__name__ = f"{key}_detail"
    return view


def decide_view(key: str, accepting: bool) -> Callable[..., HttpResponse]:
    @require_POST
    @requires(Perm.RECORD_EDIT)
    def view(request: HttpRequest, **ids: int) -> HttpResponse:
        queue = QUEUES[key]
        user = cast(Any, request.user)
        item = _item(request, key, *ids.values())
        accept = queue.accept_form(user, item, request.POST if accepting else None)
        decline = DeclineForm(None if accepting else request.POST, prefix=DECLINE)
        form = accept if accepting else decline

        def act(d: dict[str, Any]) -> Any:
            return queue.accept(user, item, d) if accepting else queue.decline(user, item, d["reason"])

        return form_page(
            request,
            form=form,
            act=act,
            success=lambda _r: reverse(f"participation_staff:{key}"),
            done_message=_("Accepted.") if accepting else _("Declined; the sender sees why."),
            title=queue.summary(item),
            cancel_url=reverse(f"participation_staff:{key}"),
            breadcrumbs=_crumbs(queue),
            template="participation/staff/decide.html",
            extra=lambda: _context(request, queue, item, accept, decline),
        )

    view.__name__ = f"{key}_{'accept' if accepting else 'decline'}"
    return view


@requires(Perm.RECORD_EDIT)
def delivery_photo(request: HttpRequest, wish_claim_id: int) -> Any:
    claim = _item(request, "deliveries", wish_claim_id)
    if not claim.photo:
        raise Http404
    content_type = mimetypes.guess_type(claim.photo.name or "")[0] or "application/octet-stream"
    return uploads.serve(claim.photo.open("rb"), content_type)
