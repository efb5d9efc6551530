"""Bulk actions on the rows selected in a list.

An area registers an action for a list (`register("volunteers", BulkAction(…))`,
usually in its `lists.py` beside the spec); the toolkit renders the
checkboxes, a select-all and a button per action the user may use. A POST to
the list's own address runs it: the permission is checked and the selected
ids are re-read through the list's own selector, so ids outside the user's
scope are ignored, never acted on. Every list with an export gets "export
selected" (masked)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.access import Perm, can, require
from core.widget_render import FAST_RENDERER

MAX_SELECTED = 1000


@dataclass(frozen=True)
class BulkAction:
    """`run(actor=, records=, data=)` acts on the re-scoped records (a
    queryset) and returns the message to show, or a response (a file).
    `form(user, data)` builds the extra inputs it needs (a recipient, a
    tag), shown in the action bar; `data` is None for the empty form."""

    key: str
    label: Any
    perm: Perm
    run: Callable[..., str | HttpResponse]
    form: Callable[[Any, Any], forms.Form] | None = None
    confirm: Any = ""


REGISTRY: dict[str, dict[str, BulkAction]] = {}


def register(list_key: str, action: BulkAction) -> None:
    actions = REGISTRY.setdefault(list_key, {})
    if action.key in actions and actions[action.key] != action:
        raise ValueError(f"Bulk action {action.key!r} is already registered for {list_key!r}")
    actions[action.key] = action


def _export_selected(spec: Any) -> BulkAction:
    from core.list_export import list_export, xlsx_file

    def run(*, actor: Any, records: QuerySet, data: dict[str, Any]) -> HttpResponse:
        content = list_export(actor=actor, spec=spec, records=records, unmasked=False, selected=True)
        return xlsx_file(content, spec.export.filename)

    return BulkAction(key="export_selected", label=gettext_lazy("Export selected (masked)"), perm=Perm.VIEW, run=run)


def actions_for(spec: Any) -> dict[str, BulkAction]:
    if not spec.selectable:
        return {}
    found = {"export_selected": _export_selected(spec)} if spec.export is not None else {}
    return {**found, **REGISTRY.get(spec.key, {})}


@dataclass
class Offered:
    action: BulkAction
    form: forms.Form | None


def available(request: HttpRequest, spec: Any) -> list[Offered]:
    """The actions this user may run on this list, with their empty forms."""
    offered = [
        Offered(a, a.form(request.user, None) if a.form else None)
        for a in actions_for(spec).values()
        if can(request.user, a.perm)
    ]
    for o in offered:
        if o.form is not None:
            o.form.renderer = FAST_RENDERER  # selects drawn in Python, as their templates would
    return offered


def selected_ids(raw: list[str]) -> list[int]:
    ids = {int(x) for x in raw if x.isdigit() and len(x) < 19}
    return sorted(ids)[:MAX_SELECTED]


def run(request: HttpRequest, spec: Any) -> HttpResponse:
    """POST of the action bar: permission, re-scope, run, report."""
    action = actions_for(spec).get(request.POST.get("bulk", ""))
    back = _back(request)
    if action is None:
        messages.error(request, _("Choose an action."))
        return back
    require(request.user, action.perm)
    ids = selected_ids(request.POST.getlist("ids"))
    # The list's own selector decides again: ids outside scope drop out here.
    records = spec.queryset(request.user).filter(pk__in=ids)
    found = records.count()
    if not found:
        messages.error(request, _("Select at least one row."))
        return back
    data: dict[str, Any] = {}
    if action.form is not None:
        form = action.form(request.user, request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                messages.error(request, " ".join(str(e) for e in errors))
            return back
        data = form.cleaned_data
    try:
        result = action.run(actor=request.user, records=records, data=data)
    except ValidationError as exc:  # the service refused: nothing was done
        for message in exc.messages:
            messages.error(request, message)
        return back
    if isinstance(result, HttpResponse):
        return result
    messages.success(request, result)
    if found < len(ids):
        messages.warning(
            request,
            _("%(n)s of the selected rows are not in your scope and were left alone.") % {"n": len(ids) - found},
        )
    return back


def _back(request: HttpRequest) -> HttpResponse:
    """Back to the list as the user left it (its address, from the browser)."""
    referer = request.headers.get("Referer", "")
    ok = url_has_allowed_host_and_scheme(referer, allowed_hosts={request.get_host()}, require_https=request.is_secure())
    same_list = ok and referer.split("?")[0].endswith(request.path)
    return HttpResponseRedirect(referer if same_list else request.path)
