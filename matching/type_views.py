"""Pages: needs without a catalogue type, listed for review, each with the
mapping rule's suggestion and a select to give it a type; the old
addresses of the catalogue, which the configuration pages now serve."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, cast

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.access import Perm, get_in_scope_or_404, requires
from core.forms import form_page
from core.lists import list_page
from matching import lists
from matching.forms import NeedTypeForm
from matching.models import NeedType
from matching.needtypes import active_types, need_type_assign, need_type_match, needs_type_map
from matching.selectors import needs_untyped, needs_visible

if TYPE_CHECKING:
    from accounts.models import User


def _crumbs() -> list[tuple[str, str]]:
    return [(_("Needs"), reverse("matching:need_list")), (_("Needs to classify"), reverse("matching:need_review"))]


@requires(Perm.RECORD_EDIT)
def need_review(request: HttpRequest) -> HttpResponse:
    """Open needs in scope that the engine cannot match: red cards first."""
    user = cast("User", request.user)
    types = active_types()
    # the rule once per distinct text, not once per need
    texts = Counter(needs_untyped(user).values_list("need_type", flat=True))
    clear = sum(n for text, n in texts.items() if need_type_match(text, types).need_type is not None)
    return list_page(
        request,
        lists.NEEDS_TO_CLASSIFY,
        template="matching/need_review.html",
        context={
            "title": _("Needs to classify"),
            "total": sum(texts.values()),
            "clear": clear,
            "breadcrumbs": [(_("Needs"), reverse("matching:need_list")), (_("Needs to classify"), "")],
        },
    )


@requires(Perm.RECORD_EDIT)
def need_type_set(request: HttpRequest, need_id: int) -> HttpResponse:
    """Give one need its type (the review page posts here; GET is the same
    form on its own page). Any open need in scope may be retyped this way."""
    need = get_in_scope_or_404(needs_visible(request.user), request.user, pk=need_id)
    initial = {"need_type": need_type_match(need.need_type, active_types()).need_type}
    return form_page(
        request,
        form=NeedTypeForm(request.POST or None, initial=initial),
        act=lambda d: need_type_assign(actor=request.user, need=need, need_type=d["need_type"]),
        success=lambda _need: reverse("matching:need_review"),
        done_message=_("The need of %(name)s now has a type and can be matched.") % {"name": need.person.name},
        title=_("Kind of help for “%(text)s”") % {"text": need.need_type},
        intro=need.description,
        cancel_url=reverse("matching:need_review"),
        breadcrumbs=_crumbs(),
    )


@require_POST
@requires(Perm.RECORD_EDIT)
def need_review_map(request: HttpRequest) -> HttpResponse:
    """Give every need in scope whose type the rule finds unambiguously that type."""
    counts = needs_type_map(actor=request.user, needs=list(needs_untyped(request.user)))
    messages.success(
        request,
        _("%(mapped)s needs got their type; %(left)s are left for you to choose.")
        % {"mapped": counts["mapped"], "left": counts["ambiguous"] + counts["unmatched"]},
    )
    return redirect("matching:need_review")


# The catalogue's old addresses: need types are edited with the district's
# other catalogues in the configuration pages now.
@requires(Perm.CONFIG_MANAGE)
def type_list(request: HttpRequest) -> HttpResponse:
    return redirect("configuration:need_types_list")


@requires(Perm.CONFIG_MANAGE)
def type_edit(request: HttpRequest, need_type_id: int) -> HttpResponse:
    t = get_object_or_404(NeedType, pk=need_type_id)
    return redirect("configuration:need_types_edit", need_type_id=t.pk)
