"""The field app: its shell (the offline "my follow-ups" with the visit
form), the data a phone keeps, the endpoint its queue sends to, the service
worker and the manifest, and the page that says what the phone stores."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST, require_safe

from core.access import Perm, can, get_in_scope_or_404, require, requires
from core.forms import form_page, with_tokens
from fieldwork import conf, services, shell
from fieldwork.conflicts import Known
from fieldwork.forms import FieldPolicyForm
from fieldwork.selectors import field_people
from fieldwork.sending import CONFLICT, client_token, field_visit_send
from grading.forms import VisitForm
from orgs.models import Level
from people.selectors import persons_visible

if TYPE_CHECKING:
    from accounts.models import User


def _user(request: HttpRequest) -> User:
    return cast("User", request.user)  # @requires let only a signed-in user through


@require_GET
@requires(Perm.VIEW)
def app(request: HttpRequest) -> HttpResponse:
    """The shell: cached by the service worker, filled from IndexedDB. It
    holds no resident's data itself (the list is drawn by fieldwork/field.js)."""
    # With the user: the district's custom fields on visits are drawn (and sent by the queue).
    form = with_tokens(VisitForm(user=request.user)) if can(request.user, Perm.RECORD_EDIT) else None
    return render(
        request,
        "fieldwork/app.html",
        {
            "title": _("Visits in the field"),
            "form": form,
            "data_url": reverse("fieldwork:data"),
            "send_url": reverse("fieldwork:send"),
            "breadcrumbs": [(_("Visits in the field"), "")],
        },
    )


@require_GET
@requires(Perm.VIEW)
def data(request: HttpRequest) -> JsonResponse:
    """What the phone keeps (fieldwork.selectors), with a fresh CSRF token
    for the queue's posts and how many days the phone may keep it."""
    user = _user(request)
    response = JsonResponse(
        {
            "user": user.pk,
            "keep_days": conf.keep_days(user.unit),
            "fetched_at": timezone.now().isoformat(),
            "csrf": get_token(request),
            "people": field_people(user),
        }
    )
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@requires(Perm.RECORD_EDIT)
def send(request: HttpRequest) -> JsonResponse:
    """One queued visit: 201 saved (200 if this id was saved before), 409 the
    conflicts (nothing saved), 422 the form's errors, 400 without a UUID."""
    user = _user(request)
    token = client_token(request.POST.get("_once"))
    if token is None:
        return JsonResponse({"status": "invalid", "errors": {"_once": [_("The visit has no id.")]}}, status=400)
    person = get_in_scope_or_404(persons_visible(user), user, pk=request.POST.get("person_id"))
    form = VisitForm(request.POST, request.FILES, user=user, person=person)
    if not form.is_valid():
        return JsonResponse({"status": "invalid", "errors": _errors(form.errors)}, status=422)
    try:
        sent = field_visit_send(
            actor=user,
            person=person,
            token=token,
            data=form.cleaned_data,
            known=Known.from_post(request.POST),
            confirmed=request.POST.get("confirm") == "1",
            path=request.path,
        )
    except ValidationError as exc:
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        return JsonResponse({"status": "invalid", "errors": errors}, status=422)
    if sent.status == CONFLICT:
        return JsonResponse(
            {"status": CONFLICT, "conflicts": sent.conflicts, "current": sent.current, "person": person.name},
            status=409,
        )
    return JsonResponse(
        {"status": "saved", "visit": sent.visit_id, "again": sent.again},
        status=200 if sent.again else 201,
    )


def _errors(errors: Any) -> dict[str, list[str]]:
    return {name: [str(m) for m in messages] for name, messages in errors.items()}


@require_safe
def service_worker(request: HttpRequest) -> HttpResponse:
    """The one service worker of the site (offline shell and Web Push), served
    here and allowed the root scope. Public: it names only static files."""
    response = HttpResponse(shell.worker_source(), content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response


@require_safe
def manifest(request: HttpRequest) -> JsonResponse:
    """The web app manifest (installable on a phone's home screen). Public."""
    response = JsonResponse(shell.manifest(), content_type="application/manifest+json")
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
@requires(Perm.VIEW)
def storage(request: HttpRequest) -> HttpResponse:
    """What the phone stores, for how long, and a button to clear it now."""
    user = _user(request)
    district = conf.district_of(user.unit)
    return render(
        request,
        "fieldwork/storage.html",
        {
            "title": _("What this phone keeps"),
            "keep_days": conf.keep_days(user.unit),
            "can_set": can(user, Perm.CONFIG_MANAGE) and user.unit is not None and user.unit.level == Level.DISTRICT,
            "district": district,
            "breadcrumbs": [(_("My account"), reverse("accounts:security")), (_("What this phone keeps"), "")],
        },
    )


@requires(Perm.CONFIG_MANAGE)
def policy(request: HttpRequest) -> HttpResponse:
    """The district's number of days (the default comes from the settings)."""
    user = _user(request)
    require(user, Perm.CONFIG_MANAGE)
    district = conf.district_of(user.unit)
    if district is None or user.unit is None or user.unit.level != Level.DISTRICT:
        raise PermissionDenied
    back = reverse("fieldwork:storage")
    return form_page(
        request,
        form=FieldPolicyForm(request.POST or None, initial={"keep_days": conf.keep_days(district)}),
        edits=f"fieldwork.policy:{district.pk}",
        act=lambda d: services.field_policy_set(actor=user, district=district, **d),
        success=lambda _r: back,
        done_message=_("Saved: phones keep the visit list this many days."),
        title=_("How long phones keep the visit list"),
        intro=_("After this many days without a refresh, a phone drops the recipients it keeps for visits."),
        submit_label=_("Save"),
        cancel_url=back,
        breadcrumbs=[(_("What this phone keeps"), back), (_("How long phones keep the visit list"), "")],
    )
