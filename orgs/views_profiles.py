"""Community profile pages: the edit form of a community's profile and the
district's list of characteristics."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from core.access import Perm, get_in_scope_or_404, requires
from core.forms import form_page
from core.roles import Level
from orgs import profiles
from orgs.forms import ProfileForm
from orgs.models import CommunityTrait
from orgs.selectors import units_visible

if TYPE_CHECKING:
    from accounts.models import User


@requires(Perm.VIEW)
def profile_edit(request: HttpRequest, unit_id: int) -> HttpResponse:
    user = cast("User", request.user)  # @requires let only a signed-in user through
    unit = get_in_scope_or_404(units_visible(user), user, "id", pk=unit_id)
    if unit.level != Level.COMMUNITY:
        raise Http404
    if not profiles.may_edit_profile(user, unit):
        raise PermissionDenied
    profile = profiles.profile_of(unit)
    initial: dict[str, Any] = {}
    if profile is not None:
        initial = {f: getattr(profile, f) for f in profiles.PROFILE_FIELDS}
        initial["traits"] = [t.pk for t in profile.traits.all()]
    form = ProfileForm(request.POST or None, initial=initial, traits=profiles.traits_offered(profile))
    unit_url = reverse("orgs:unit_detail", args=[unit.pk])
    return form_page(
        request,
        form=form,
        act=lambda d: profiles.profile_update(actor=user, unit=unit, **d),
        success=lambda _profile: unit_url,
        done_message=_("Profile saved."),
        title=_("Profile of %(name)s") % {"name": unit.name},
        cancel_url=unit_url,
        breadcrumbs=[(_("Units"), reverse("orgs:unit_list")), (unit.name, unit_url)],
        edits=f"orgs.profile:{unit.pk}",
    )


# The list's old addresses: the characteristics are edited with the
# district's other catalogues in the configuration pages now.
@requires(Perm.VIEW)
def trait_list(request: HttpRequest) -> HttpResponse:
    return redirect("configuration:traits_list")


@requires(Perm.CONFIG_MANAGE)
def trait_create(request: HttpRequest) -> HttpResponse:
    return redirect("configuration:traits_new")


@requires(Perm.CONFIG_MANAGE)
def trait_edit(request: HttpRequest, trait_id: int) -> HttpResponse:
    if not profiles.may_edit_traits(request.user):
        raise PermissionDenied
    trait = CommunityTrait.objects.filter(pk=trait_id).first()
    if trait is None:
        raise Http404
    return redirect("configuration:traits_edit", trait_id=trait.pk)
