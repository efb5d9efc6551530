"""The notification centre's pages: the list, opening one, marking all
read, one's own settings and the district's defaults."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from core.access import OutOfScope, Perm, requires
from core.forms import form_page, with_tokens
from core.lists import list_page
from core.roles import Level
from notifications import lists, services
from notifications.forms import PreferencesForm, initial_of
from notifications.models import DistrictPreference
from notifications.preferences import Prefs, preferences_of
from notifications.selectors import notifications_of

if TYPE_CHECKING:
    from accounts.models import User


def _crumbs() -> list[tuple[str, str]]:
    return [(_("Notifications"), reverse("notifications:list"))]


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    return list_page(
        request,
        lists.NOTIFICATIONS,
        template="notifications/list.html",
        context={
            "title": _("Notifications"),
            "breadcrumbs": [(_("Notifications"), "")],
            "read_all_form": with_tokens(ReadAllForm()),  # its one-time token: the button posts it
        },
    )


@login_required
def notification_open(request: HttpRequest, notification_id: int) -> HttpResponse:
    """Opening a notification marks it read and goes to what it is about."""
    user = cast("User", request.user)
    n = notifications_of(user).filter(pk=notification_id).first()
    if n is None:  # someone else's, or about a record now out of reach
        raise OutOfScope
    services.notification_open(actor=user, notification=n)
    safe = n.link and url_has_allowed_host_and_scheme(n.link, allowed_hosts={request.get_host()})
    return redirect(n.link if safe else reverse("notifications:list"))


class ReadAllForm(forms.Form):
    """Nothing to fill in: the one-time token makes a double click act once."""


@login_required
def read_all(request: HttpRequest) -> HttpResponse:
    user = cast("User", request.user)
    return form_page(
        request,
        form=ReadAllForm(request.POST or None),
        act=lambda _d: services.notifications_read_all(actor=user),
        success=lambda _n: reverse("notifications:list"),
        done_message=lambda n: _("%(n)s marked read.") % {"n": n},
        title=_("Mark all read"),
        submit_label=_("Mark all read"),
        cancel_url=reverse("notifications:list"),
        breadcrumbs=_crumbs(),
    )


@login_required
def my_settings(request: HttpRequest) -> HttpResponse:
    user = cast("User", request.user)
    form = PreferencesForm(request.POST or None, initial=initial_of(preferences_of(user)))
    return form_page(
        request,
        form=form,
        act=lambda d: services.preferences_update(actor=user, **d),
        success=lambda _p: reverse("notifications:settings"),
        done_message=_("Notification settings saved."),
        title=_("My notification settings"),
        intro=_("What Linli tells you, how, and when it keeps quiet."),
        cancel_url=reverse("notifications:list"),
        breadcrumbs=_crumbs(),
        edits=f"notifications.settings:{user.pk}",
    )


@requires(Perm.CONFIG_MANAGE)
def district_defaults(request: HttpRequest) -> HttpResponse:
    user = cast("User", request.user)
    unit = user.unit
    assert unit is not None  # @requires admits only users placed in a unit
    district = unit if unit.level == Level.DISTRICT else (unit.ancestors() or [unit])[0]
    row = DistrictPreference.objects.filter(district=district).first()
    form = PreferencesForm(request.POST or None, initial=initial_of(Prefs.of(row) if row else Prefs()))
    return form_page(
        request,
        form=form,
        act=lambda d: services.district_defaults_update(actor=user, district=district, **d),
        success=lambda _p: reverse("notifications:district"),
        done_message=_("District notification defaults saved."),
        title=_("Notification defaults: %(unit)s") % {"unit": district.name},
        intro=_("What everyone in the district gets until they choose for themselves."),
        cancel_url="",
        breadcrumbs=[],
        edits=f"notifications.district:{district.pk}",
    )
