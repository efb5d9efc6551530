"""The district's custom fields: the list, a new field, a field's edit page
with its history. For district administrators (Perm.CONFIG_MANAGE)."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from audit.selectors import record_history
from core.access import Perm, get_in_scope_or_404, requires
from core.forms import form_page
from core.lists import list_page
from customfields import lists, selectors, services
from customfields.forms import CustomFieldForm
from orgs.models import Level

if TYPE_CHECKING:
    from accounts.models import User


def _crumbs() -> list[tuple[str, str]]:
    return [(_("Custom fields"), reverse("customfields:field_list"))]


@requires(Perm.CONFIG_MANAGE)
def field_list(request: HttpRequest) -> HttpResponse:
    user = cast("User", request.user)
    return list_page(
        request,
        lists.FIELDS,
        template="customfields/field_list.html",
        context={
            "title": _("Custom fields"),
            "can_add": user.unit is not None and user.unit.level == Level.DISTRICT,
            "breadcrumbs": [(_("Custom fields"), "")],
        },
    )


@requires(Perm.CONFIG_MANAGE)
def field_new(request: HttpRequest) -> HttpResponse:
    user = cast("User", request.user)  # @requires let only a signed-in user through
    if user.unit is None or user.unit.level != Level.DISTRICT:
        raise PermissionDenied
    target = request.GET.get("target", "")
    return form_page(
        request,
        form=CustomFieldForm(request.POST or None, initial={"target": target} if target else None),
        act=lambda d: services.custom_field_create(actor=user, district=user.unit, **d),
        success=lambda f: reverse("customfields:field_list"),
        done_message=lambda f: _("The field %(label)s was added to the forms.") % {"label": f.label},
        title=_("New custom field"),
        intro=_("The field shows in the forms and pages of the district's records, in its lists' filters and exports."),
        cancel_url=reverse("customfields:field_list"),
        breadcrumbs=_crumbs(),
    )


@requires(Perm.CONFIG_MANAGE)
def field_edit(request: HttpRequest, custom_field_id: int) -> HttpResponse:
    user = cast("User", request.user)
    field = get_in_scope_or_404(selectors.fields_visible(user), user, "district", pk=custom_field_id)
    initial = {name: getattr(field, name) for name in services.FIELDS if name != "target"}
    back = reverse("customfields:field_list")
    return form_page(
        request,
        form=CustomFieldForm(request.POST or None, initial=initial, editing=True),
        act=lambda d: services.custom_field_update(actor=user, field=field, **d),
        success=lambda f: back,
        done_message=_("Changes saved."),
        title=_("Custom field: %(label)s") % {"label": field.label},
        intro=_("On %(target)s. Once records hold values, the code and the kind stay as they are.")
        % {"target": field.get_target_display()},
        cancel_url=back,
        breadcrumbs=_crumbs(),
        edits=field,
        template="customfields/field_edit.html",
        extra=lambda: {"history": record_history(user, field)},
    )
