from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from django import forms as django_forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import identity
from core.access import Perm, can, get_in_scope_or_404, requires
from core.forms import form_page
from core.lists import list_page
from customfields.forms import add_custom_fields
from people import hub, lifecycle, lists, rules, selectors, services
from people.forms import (
    CategoryForm,
    ConsentForm,
    DataRequestForm,
    EndDateForm,
    GuardianForm,
    HouseholdForm,
    PersonForm,
    RestoreForm,
    StatusForm,
)
from people.models import Consent, DataRequest, Person, PersonCategory, RequestKind

if TYPE_CHECKING:
    from accounts.models import User


def _crumbs(*extra: tuple[str, str]) -> list[tuple[str, str]]:
    return [(_("Residents"), reverse("people:person_list")), *extra]


@requires(Perm.VIEW)
def person_list(request: HttpRequest) -> HttpResponse:
    return list_page(
        request,
        lists.PERSONS,
        template="people/person_list.html",
        context={
            "title": _("Residents"),
            "can_edit": can(request.user, Perm.RECORD_EDIT),
            "breadcrumbs": [(_("Residents"), "")],
        },
    )


@requires(Perm.VIEW)
def person_detail(request: HttpRequest, person_id: int) -> HttpResponse:
    person = get_in_scope_or_404(selectors.person_detail_qs(request.user), request.user, pk=person_id)
    if person.merged_into_id:  # a merged duplicate: its links lead to the kept file
        return redirect("people:person_detail", person.merged_into_id)
    today = timezone.localdate()
    age = person.age_on(today)
    categories = list(person.categories.all())
    return render(
        request,
        "people/person_detail.html",
        {
            "title": person.name,
            "person": person,
            "age": age,
            "very_old": age >= rules.VERY_OLD_AGE,
            "minor": age < rules.ADULT_AGE,
            "masked_id": identity.masked_id_of(person),
            "current": [c for c in categories if c.active_on(today)],
            "past": [c for c in categories if not c.active_on(today)],
            "members": selectors.persons_visible(request.user).filter(household=person.household).exclude(pk=person.pk)
            if person.household_id
            else [],
            "can_edit": can(request.user, Perm.RECORD_EDIT) and not person.anonymised_at,
            "can_reveal": can(request.user, Perm.ID_REVEAL),
            "breadcrumbs": _crumbs((person.name, "")),
            **hub.context(request.user, person),
        },
    )


@requires(Perm.RECORD_EDIT)
def person_status(request: HttpRequest, person_id: int) -> HttpResponse:
    """Moved away, deceased, service ended: off the follow-up lists, kept on file."""
    person = get_in_scope_or_404(selectors.persons_visible(request.user), request.user, pk=person_id)
    detail = reverse("people:person_detail", args=[person.pk])
    return form_page(
        request,
        form=StatusForm(request.POST or None, initial={"on": timezone.localdate()}),
        act=lambda d: lifecycle.person_status_set(actor=request.user, person=person, **d),
        success=lambda p: detail,
        done_message=_("%(name)s no longer appears on the follow-up lists; the file and its history are kept.")
        % {"name": person.name},
        title=_("No longer served: %(name)s") % {"name": person.name},
        cancel_url=detail,
        breadcrumbs=_crumbs((person.name, detail)),
        intro=_(
            "The person leaves the follow-up and overdue lists, the grading board and the visit rate. "
            "Nothing is deleted, and the file can be restored."
        ),
        submit_label=_("Save"),
    )


@requires(Perm.RECORD_EDIT)
def person_restore(request: HttpRequest, person_id: int) -> HttpResponse:
    person = get_in_scope_or_404(selectors.persons_visible(request.user), request.user, pk=person_id)
    detail = reverse("people:person_detail", args=[person.pk])
    return form_page(
        request,
        form=RestoreForm(request.POST or None),
        act=lambda d: lifecycle.person_restore(actor=request.user, person=person, **d),
        success=lambda p: detail,
        done_message=_("%(name)s is served again and back on the follow-up lists.") % {"name": person.name},
        title=_("Serve again: %(name)s") % {"name": person.name},
        cancel_url=detail,
        breadcrumbs=_crumbs((person.name, detail)),
        submit_label=_("Restore"),
    )


@require_POST
@requires(Perm.ID_REVEAL)
def person_reveal_id(request: HttpRequest, person_id: int) -> HttpResponse:
    user = cast("User", request.user)
    person = get_in_scope_or_404(selectors.persons_visible(user), user, pk=person_id)
    number = services.id_reveal(actor=user, person=person)
    return render(request, "people/_revealed_id.html", {"number": number})


def _person_form(
    request: HttpRequest, *, initial: dict | None = None, editing: bool = False, person: Person | None = None
) -> PersonForm:
    form = PersonForm(
        request.POST or None,
        initial=initial,
        communities=selectors.communities_in_scope(request.user),
        households=selectors.households_visible(request.user).order_by("address"),
        editing=editing,
    )
    # The district's custom fields, after the form's own (their values go as `custom`).
    unit = person.unit if person is not None else getattr(request.user, "unit", None)
    values = person.custom if person is not None else None
    add_custom_fields(form, target="person", unit=unit, values=values, before="confirm_duplicate")
    return form


@requires(Perm.RECORD_EDIT)
def person_create(request: HttpRequest) -> HttpResponse:
    user = cast("User", request.user)  # @requires let only a signed-in user through
    initial: dict[str, Any] = {}
    if request.GET.get("household"):
        hh = get_in_scope_or_404(selectors.households_visible(user), user, pk=request.GET["household"])
        initial = {"household": hh, "unit": hh.unit, "actual_address": hh.address}
    return form_page(
        request,
        form=_person_form(request, initial=initial),
        act=lambda d: services.person_create(actor=user, **d),
        success=lambda p: reverse("people:person_detail", args=[p.pk]),
        done_message=lambda p: _("%(name)s was added.") % {"name": p.name},
        title=_("New resident"),
        cancel_url=reverse("people:person_list"),
        breadcrumbs=_crumbs(),
        intro=_("The ID number is stored encrypted and shown masked."),
    )


@requires(Perm.RECORD_EDIT)
def person_edit(request: HttpRequest, person_id: int) -> HttpResponse:
    user = cast("User", request.user)
    person = get_in_scope_or_404(selectors.persons_visible(user), user, pk=person_id)
    if person.merged_into_id:
        return redirect("people:person_edit", person.merged_into_id)
    initial = {f: getattr(person, f) for f in services.PERSON_FIELDS if f not in ("latitude", "longitude")}
    detail = reverse("people:person_detail", args=[person.pk])

    def act(cleaned: dict[str, Any]) -> Person:
        data = dict(cleaned)
        resident_id = data.pop("resident_id") or None  # empty keeps the stored ID
        confirm = data.pop("confirm_duplicate")
        for key in ("sex", "birth_date"):  # empty keeps what the ID number says
            if not data.get(key):
                data.pop(key)
        return services.person_update(
            actor=user, person=person, resident_id=resident_id, confirm_duplicate=confirm, **data
        )

    return form_page(
        request,
        form=_person_form(request, initial=initial, editing=True, person=person),
        act=act,
        success=lambda _p: detail,
        done_message=_("Changes saved."),
        title=_("Edit %(name)s") % {"name": person.name},
        cancel_url=detail,
        breadcrumbs=_crumbs((person.name, detail)),
        edits=person,
    )


def _person_subform(
    request: HttpRequest,
    person_id: int,
    form_cls: type[django_forms.Form],
    title: str,
    act: Callable[[Person, dict[str, Any]], object],
    **form_kwargs: Any,
) -> HttpResponse:
    person = get_in_scope_or_404(selectors.persons_visible(request.user), request.user, pk=person_id)
    detail = reverse("people:person_detail", args=[person.pk])
    return form_page(
        request,
        form=form_cls(request.POST or None, **form_kwargs),
        act=lambda d: act(person, d),
        success=lambda _r: detail,
        done_message=_("Saved."),
        title=title,
        cancel_url=detail,
        breadcrumbs=_crumbs((person.name, detail)),
    )


@requires(Perm.RECORD_EDIT)
def category_add(request: HttpRequest, person_id: int) -> HttpResponse:
    user = cast("User", request.user)

    def act(person: Person, data: dict[str, Any]) -> object:
        return services.category_add(actor=user, person=person, **{**data, "subtype": data["subtype"] or ""})

    return _person_subform(
        request,
        person_id,
        CategoryForm,
        _("Add a category"),
        act,
        categories=selectors.categories_active(),
        initial={"start_date": timezone.localdate()},
    )


@requires(Perm.RECORD_EDIT)
def category_end(request: HttpRequest, held_id: int) -> HttpResponse:
    user = cast("User", request.user)
    held = get_in_scope_or_404(
        PersonCategory.objects.select_related("person__unit", "category"), request.user, "person__unit", pk=held_id
    )

    def act(person: Person, data: dict[str, Any]) -> object:
        return services.category_end(actor=user, held=held, **data)

    return _person_subform(
        request,
        held.person_id,
        EndDateForm,
        _("End %(cat)s") % {"cat": held.category.name},
        act,
        initial={"end_date": timezone.localdate()},
    )


@requires(Perm.RECORD_EDIT)
def guardian_add(request: HttpRequest, person_id: int) -> HttpResponse:
    user = cast("User", request.user)

    def act(person: Person, data: dict[str, Any]) -> object:
        return services.guardian_add(actor=user, person=person, **data)

    return _person_subform(request, person_id, GuardianForm, _("Add a guardian"), act)


@requires(Perm.RECORD_EDIT)
def consent_add(request: HttpRequest, person_id: int) -> HttpResponse:
    user = cast("User", request.user)

    def act(person: Person, data: dict[str, Any]) -> object:
        return services.consent_record(actor=user, person=person, **data)

    return _person_subform(
        request, person_id, ConsentForm, _("Record consent"), act, initial={"given_on": timezone.localdate()}
    )


@requires(Perm.RECORD_EDIT)
def data_request(request: HttpRequest, person_id: int) -> HttpResponse:
    user = cast("User", request.user)
    person = get_in_scope_or_404(selectors.persons_visible(user), user, pk=person_id)
    detail = reverse("people:person_detail", args=[person.pk])

    def act(data: dict[str, Any]) -> tuple[DataRequest, dict[str, Any] | None]:
        return services.data_request_answer(
            actor=user, person=person, kind=data["kind"], received_on=data["received_on"], answer=data["answer"]
        )

    def respond(answered: tuple[DataRequest, dict[str, Any] | None]) -> HttpResponse | None:
        req, payload = answered
        if payload is None:
            return None
        text = json.dumps(payload, ensure_ascii=False, indent=2)
        if req.kind == RequestKind.EXPORT:
            response = HttpResponse(text, content_type="application/json; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="person-{person.pk}.json"'
            return response
        return render(
            request,
            "people/person_data.html",
            {
                "title": _("Data held about %(name)s") % {"name": person.name},
                "person": person,
                "data": text,
                "breadcrumbs": _crumbs((person.name, detail), (_("Data held"), "")),
            },
        )

    return form_page(
        request,
        form=DataRequestForm(request.POST or None, initial={"received_on": timezone.localdate()}),
        act=act,
        respond=respond,
        success=lambda _r: detail,
        done_message=_("The request was recorded."),
        title=_("A request about personal data"),
        cancel_url=detail,
        breadcrumbs=_crumbs((person.name, detail)),
        intro=_(
            "Under the Personal Information Protection Law a person may see, copy, correct or delete their data. "
            "Every request is recorded and audited. Corrections are made with the edit form."
        ),
    )


# ---------------------------------------------------------------- households


@requires(Perm.VIEW)
def household_list(request: HttpRequest) -> HttpResponse:
    return list_page(
        request,
        lists.HOUSEHOLDS,
        template="people/household_list.html",
        context={
            "title": _("Household files"),
            "can_edit": can(request.user, Perm.RECORD_EDIT),
            "breadcrumbs": [(_("Household files"), "")],
        },
    )


@requires(Perm.VIEW)
def household_detail(request: HttpRequest, household_id: int) -> HttpResponse:
    hh = get_in_scope_or_404(selectors.households_visible(request.user), request.user, pk=household_id)
    members = selectors.persons_visible(request.user).filter(household=hh).prefetch_related("categories__category")
    today = timezone.localdate()
    return render(
        request,
        "people/household_detail.html",
        {
            "title": hh.address,
            "household": hh,
            "members": [{"p": m, "age": m.age_on(today)} for m in members],
            "can_edit": can(request.user, Perm.RECORD_EDIT),
            "breadcrumbs": [(_("Household files"), reverse("people:household_list")), (hh.address, "")],
        },
    )


@requires(Perm.RECORD_EDIT)
def household_create(request: HttpRequest) -> HttpResponse:
    user = cast("User", request.user)
    return form_page(
        request,
        form=HouseholdForm(request.POST or None, communities=selectors.communities_in_scope(user)),
        act=lambda d: services.household_create(actor=user, **d),
        success=lambda hh: reverse("people:household_detail", args=[hh.pk]),
        done_message=_("Household file created; now add its members."),
        title=_("New household file"),
        cancel_url=reverse("people:household_list"),
        breadcrumbs=[(_("Household files"), reverse("people:household_list"))],
    )


@requires(Perm.RECORD_EDIT)
def household_edit(request: HttpRequest, household_id: int) -> HttpResponse:
    user = cast("User", request.user)
    hh = get_in_scope_or_404(selectors.households_visible(user), user, pk=household_id)
    form = HouseholdForm(
        request.POST or None,
        initial={"unit": hh.unit, "address": hh.address, "notes": hh.notes},
        communities=selectors.communities_in_scope(user),
    )
    detail = reverse("people:household_detail", args=[hh.pk])
    return form_page(
        request,
        form=form,
        act=lambda d: services.household_update(actor=user, household=hh, **d),
        success=lambda _hh: detail,
        done_message=_("Changes saved."),
        title=_("Edit household file"),
        cancel_url=detail,
        breadcrumbs=[(_("Household files"), reverse("people:household_list")), (hh.address, detail)],
        edits=hh,
    )


# ---------------------------------------------------------------- local tags
# The old addresses: categories and local tags are edited with the district's
# other catalogues in the configuration pages now.


@requires(Perm.CONFIG_MANAGE)
def tag_list(request: HttpRequest) -> HttpResponse:
    return redirect("configuration:tags_list")


@require_POST
@requires(Perm.CONFIG_MANAGE)
def tag_toggle(request: HttpRequest, tag_id: int) -> HttpResponse:
    tag = selectors.custom_tag(tag_id)
    if tag is None:
        raise Http404
    return redirect("configuration:tags_entry", tag_id=tag.pk)


@require_POST
@requires(Perm.RECORD_EDIT)
def consent_withdraw(request: HttpRequest, consent_id: int) -> HttpResponse:
    consent = get_in_scope_or_404(Consent.objects.select_related("person__unit", "unit"), request.user, pk=consent_id)
    if consent.withdrawn_on is None:
        services.consent_withdraw(actor=cast("User", request.user), consent=consent, on=timezone.localdate())
        messages.success(request, _("The consent was withdrawn."))
    return redirect("people:person_detail", person_id=consent.person_id)
