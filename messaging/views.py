"""Pages of the messaging app: what was sent (and what failed) for the
district, the stations' WeCom robots, and the browser-notification switch."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, cast

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.access import Perm, get_in_scope_or_404, requires
from core.forms import form_page
from core.lists import list_page
from messaging import lists, services
from messaging.backends.webpush import public_key
from messaging.forms import WeComWebhookForm
from messaging.selectors import stations_with_robots

if TYPE_CHECKING:
    from accounts.models import User


@requires(Perm.CONFIG_MANAGE)
def delivery_list(request: HttpRequest) -> HttpResponse:
    return list_page(
        request,
        lists.DELIVERIES,
        template="messaging/delivery_list.html",
        context={"title": _("Sent messages"), "breadcrumbs": [(_("Sent messages"), "")]},
    )


@requires(Perm.CONFIG_MANAGE)
def robot_list(request: HttpRequest) -> HttpResponse:
    return list_page(
        request,
        lists.ROBOTS,
        template="messaging/robot_list.html",
        context={"title": _("WeCom group robots"), "breadcrumbs": [(_("WeCom group robots"), "")]},
    )


@requires(Perm.CONFIG_MANAGE)
def robot_edit(request: HttpRequest, station_id: int) -> HttpResponse:
    user = cast("User", request.user)  # @requires let only a signed-in user through
    station = get_in_scope_or_404(stations_with_robots(user), user, "id", pk=station_id)
    hook = getattr(station, "wecom_webhook", None)
    initial = {"msgtype": hook.msgtype, "active": hook.active} if hook is not None else {}
    back = reverse("messaging:robot_list")
    return form_page(
        request,
        form=WeComWebhookForm(request.POST or None, initial=initial),
        act=lambda d: services.wecom_webhook_set(actor=user, unit=station, **d),
        success=lambda _hook: back,
        done_message=_("The group robot of %(name)s was saved.") % {"name": station.name},
        title=_("WeCom group robot of %(name)s") % {"name": station.name},
        intro=_("Now: %(url)s") % {"url": hook.url_masked} if hook is not None else "",
        cancel_url=back,
        breadcrumbs=[(_("WeCom group robots"), back), (station.name, "")],
        edits=f"messaging.robot:{station.pk}",
    )


@requires(Perm.VIEW)
def push_page(request: HttpRequest) -> HttpResponse:
    user = cast("User", request.user)
    return render(
        request,
        "messaging/push.html",
        {
            "title": _("Browser notifications"),
            "breadcrumbs": [(_("Browser notifications"), "")],
            "vapid_public_key": public_key(),
            "subscriptions": user.push_subscriptions.count(),
        },
    )


@requires(Perm.VIEW)
@require_POST
def push_subscription(request: HttpRequest) -> JsonResponse:
    """The browser's subscription (PushSubscription.toJSON()) as JSON; with
    `"remove": true` it is forgotten."""
    user = cast("User", request.user)
    try:
        sent = json.loads(request.body or b"{}")
        endpoint = str(sent.get("endpoint", ""))
        if sent.get("remove"):
            return JsonResponse({"removed": services.push_unsubscribe(actor=user, endpoint=endpoint)})
        keys = sent.get("keys") or {}
        services.push_subscribe(
            actor=user, endpoint=endpoint, p256dh=str(keys.get("p256dh", "")), auth=str(keys.get("auth", ""))
        )
    except (ValueError, AttributeError):
        return JsonResponse({"detail": _("This browser sent an incomplete subscription.")}, status=400)
    except ValidationError as error:
        return JsonResponse({"detail": " ".join(error.messages)}, status=400)
    return JsonResponse({"subscribed": True})
