"""The catalogue pages, the same for every catalogue of CATALOGUES: the list
(everyone who sees records may read it), a new entry, an entry's page with
its history, its edit form and the retire / bring back buttons (the
district's administrators)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.actions import action_label
from audit.display import change_rows
from audit.models import AuditEvent
from configuration import services
from configuration.catalogues import BY_SLUG, CATALOGUES, Catalogue, uses
from configuration.forms import EntryForm
from configuration.lists import display, spec_of
from core.access import Perm, requires
from core.forms import form_page
from core.lists import list_page

if TYPE_CHECKING:
    from django.db import models

    from accounts.models import User


def _viewer(request: HttpRequest) -> User:
    if not services.may_view(request.user):
        raise PermissionDenied
    return cast("User", request.user)


def _editor(request: HttpRequest) -> User:
    if not services.may_edit(request.user):
        raise PermissionDenied
    return cast("User", request.user)


def _entry(catalogue: Catalogue, kwargs: dict[str, Any]) -> models.Model:
    entry = catalogue.rows().filter(pk=kwargs[catalogue.kwarg]).first()
    if entry is None:
        raise Http404
    return entry


def _crumbs(catalogue: Catalogue | None = None) -> list[tuple[str, str]]:
    crumbs = [(_("Configuration"), reverse("configuration:index"))]
    if catalogue is not None:
        crumbs.append((str(catalogue.title), reverse(catalogue.url_name("list"))))
    return crumbs


@requires(Perm.VIEW, Perm.CONFIG_MANAGE)
def index(request: HttpRequest) -> HttpResponse:
    """The district's catalogues and the assessment instruments, one line each."""
    _viewer(request)
    return render(
        request,
        "configuration/index.html",
        {
            "title": _("Configuration"),
            "catalogues": [(c, reverse(c.url_name("list"))) for c in CATALOGUES],
            "breadcrumbs": [(_("Configuration"), "")],
        },
    )


@requires(Perm.VIEW, Perm.CONFIG_MANAGE)
def entry_list(request: HttpRequest, slug: str) -> HttpResponse:
    user = _viewer(request)
    catalogue = BY_SLUG[slug]
    return list_page(
        request,
        spec_of(catalogue),
        template="configuration/list.html",
        context={
            "title": str(catalogue.title),
            "catalogue": catalogue,
            "new_url": reverse(catalogue.url_name("new")) if services.may_edit(user) else "",
            "breadcrumbs": [*_crumbs(), (str(catalogue.title), "")],
        },
    )


@requires(Perm.CONFIG_MANAGE)
def entry_new(request: HttpRequest, slug: str) -> HttpResponse:
    user = _editor(request)
    catalogue = BY_SLUG[slug]
    return form_page(
        request,
        form=EntryForm(request.POST or None, catalogue=catalogue),
        act=lambda d: services.entry_create(actor=user, catalogue=catalogue, **d),
        success=lambda e: reverse(catalogue.url_name("entry"), args=[e.pk]),
        done_message=lambda e: _("%(name)s added.") % {"name": e},
        title=_("New %(noun)s") % {"noun": catalogue.noun},
        intro=str(catalogue.intro),
        cancel_url=reverse(catalogue.url_name("list")),
        breadcrumbs=_crumbs(catalogue),
    )


@requires(Perm.CONFIG_MANAGE)
def entry_detail(request: HttpRequest, slug: str, **kwargs: Any) -> HttpResponse:
    """One entry: what it says, how many records hold it, and its history."""
    _editor(request)
    catalogue = BY_SLUG[slug]
    entry = _entry(catalogue, kwargs)
    events = list(
        AuditEvent.objects.filter(target_type=entry._meta.label_lower, target_id=str(entry.pk)).order_by("-at", "-pk")
    )
    facts = [
        (catalogue.field_label(name), display(entry, name))
        for name in dict.fromkeys([*catalogue.create_fields, *catalogue.edit_fields])
    ]
    return render(
        request,
        "configuration/entry.html",
        {
            "title": catalogue.label(entry),
            "catalogue": catalogue,
            "entry": entry,
            "facts": facts,
            "active": catalogue.is_active(entry),
            "uses": uses(catalogue, [entry])[entry.pk],
            "keep": catalogue.keep(entry) if catalogue.keep is not None and catalogue.is_active(entry) else "",
            "edit_url": reverse(catalogue.url_name("edit"), args=[entry.pk]),
            "retire_url": reverse(catalogue.url_name("retire"), args=[entry.pk]) if catalogue.retirable else "",
            "reactivate_url": reverse(catalogue.url_name("reactivate"), args=[entry.pk]) if catalogue.retirable else "",
            "history": [(event, action_label(event.action), change_rows(event)) for event in events],
            "breadcrumbs": [*_crumbs(catalogue), (catalogue.label(entry), "")],
        },
    )


@requires(Perm.CONFIG_MANAGE)
def entry_edit(request: HttpRequest, slug: str, **kwargs: Any) -> HttpResponse:
    user = _editor(request)
    catalogue = BY_SLUG[slug]
    entry = _entry(catalogue, kwargs)
    detail = reverse(catalogue.url_name("entry"), args=[entry.pk])
    initial = {name: getattr(entry, name) for name in catalogue.edit_fields}
    return form_page(
        request,
        form=EntryForm(request.POST or None, catalogue=catalogue, entry=entry, initial=initial),
        act=lambda d: services.entry_update(actor=user, catalogue=catalogue, entry=entry, **d),
        success=lambda _e: detail,
        done_message=_("Changes saved."),
        title=_("Edit %(name)s") % {"name": catalogue.label(entry)},
        cancel_url=detail,
        breadcrumbs=[*_crumbs(catalogue), (catalogue.label(entry), detail)],
        edits=entry,
    )


def _set_active(request: HttpRequest, slug: str, kwargs: dict[str, Any], *, active: bool) -> HttpResponse:
    user = _editor(request)
    catalogue = BY_SLUG[slug]
    entry = _entry(catalogue, kwargs)
    try:
        services.entry_set_active(actor=user, catalogue=catalogue, entry=entry, active=active)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        text = _("%(name)s is offered again.") if active else _("%(name)s is retired: new records no longer offer it.")
        messages.success(request, text % {"name": catalogue.label(entry)})
    return redirect(catalogue.url_name("entry"), entry.pk)


@require_POST
@requires(Perm.CONFIG_MANAGE)
def entry_retire(request: HttpRequest, slug: str, **kwargs: Any) -> HttpResponse:
    return _set_active(request, slug, kwargs, active=False)


@require_POST
@requires(Perm.CONFIG_MANAGE)
def entry_reactivate(request: HttpRequest, slug: str, **kwargs: Any) -> HttpResponse:
    return _set_active(request, slug, kwargs, active=True)
