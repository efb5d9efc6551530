from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import identity
from core.access import Perm, can, get_in_scope_or_404, requires
from core.forms import apply_errors, form_page
from core.lists import list_page
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
    TagForm,
)
from people.models import CategoryGroup, CategoryType, Consent, PersonCategory, RequestKind


def _crumbs(*extra: tuple[str, str]) -> list[tuple[str, str]]:
    return [(_("Residents"), reverse("people:person_list")), *extra]


def _form_page(
    request: HttpRequest, form: Any, title: str, cancel_url: str, crumbs: list, **extra: Any
) -> HttpResponse:
    return render(
        request,
        "core/form.html",
        {"title": title, "form": form, "cancel_url": cancel_url, "breadcrumbs": [*crumbs, (title, "")], **extra},
    )


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
    person = get_in_scope_or_404(selectors.persons_visible(request.user), request.user, pk=person_id)
    number = services.id_reveal(actor=request.user, person=person)
    return render(request, "people/_revealed_id.html", {"number": number})


def _person_form(request: HttpRequest, *, initial: dict | None = None, editing: bool = False) -> PersonForm:
    return PersonForm(
        request.POST or None,
        initial=initial,
        communities=selectors.communities_in_scope(request.user),
        households=selectors.households_visible(request.user).order_by("address"),
        editing=editing,
    )


@requires(Perm.RECORD_EDIT)
def person_create(request: HttpRequest) -> HttpResponse:
    initial: dict[str, Any] = {}
    if request.GET.get("household"):
        hh = get_in_scope_or_404(selectors.households_visible(request.user), request.user, pk=request.GET["household"])
        initial = {"household": hh, "unit": hh.unit, "actual_address": hh.address}
    form = _person_form(request, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("%(name)s was added.") % {"name": person.name})
            return redirect("people:person_detail", person_id=person.pk)
    return _form_page(
        request,
        form,
        _("New resident"),
        reverse("people:person_list"),
        _crumbs(),
        intro=_("The ID number is stored encrypted and shown masked."),
    )


@requires(Perm.RECORD_EDIT)
def person_edit(request: HttpRequest, person_id: int) -> HttpResponse:
    person = get_in_scope_or_404(selectors.persons_visible(request.user), request.user, pk=person_id)
    initial = {f: getattr(person, f) for f in services.PERSON_FIELDS if f not in ("latitude", "longitude")}
    form = _person_form(request, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        resident_id = data.pop("resident_id") or None
        confirm = data.pop("confirm_duplicate")
        if not data.get("sex"):
            data.pop("sex")
        if not data.get("birth_date"):
            data.pop("birth_date")
        try:
            services.person_update(
                actor=request.user, person=person, resident_id=resident_id, confirm_duplicate=confirm, **data
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("people:person_detail", person_id=person.pk)
    title = _("Edit %(name)s") % {"name": person.name}
    return _form_page(
        request,
        form,
        title,
        reverse("people:person_detail", args=[person.pk]),
        _crumbs((person.name, reverse("people:person_detail", args=[person.pk]))),
    )


def _person_subform(
    request: HttpRequest, person_id: int, form_cls: Any, title: str, act: Any, **form_kwargs: Any
) -> HttpResponse:
    person = get_in_scope_or_404(selectors.persons_visible(request.user), request.user, pk=person_id)
    form = form_cls(request.POST or None, **form_kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            act(person, form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("people:person_detail", person_id=person.pk)
    detail = reverse("people:person_detail", args=[person.pk])
    return _form_page(request, form, title, detail, _crumbs((person.name, detail)))


@requires(Perm.RECORD_EDIT)
def category_add(request: HttpRequest, person_id: int) -> HttpResponse:
    def act(person: Any, data: dict) -> None:
        services.category_add(actor=request.user, person=person, **{**data, "subtype": data["subtype"] or ""})

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
    held = get_in_scope_or_404(
        PersonCategory.objects.select_related("person__unit", "category"), request.user, "person__unit", pk=held_id
    )

    def act(person: Any, data: dict) -> None:
        services.category_end(actor=request.user, held=held, **data)

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
    def act(person: Any, data: dict) -> None:
        services.guardian_add(actor=request.user, person=person, **data)

    return _person_subform(request, person_id, GuardianForm, _("Add a guardian"), act)


@requires(Perm.RECORD_EDIT)
def consent_add(request: HttpRequest, person_id: int) -> HttpResponse:
    def act(person: Any, data: dict) -> None:
        services.consent_record(actor=request.user, person=person, **data)

    return _person_subform(
        request, person_id, ConsentForm, _("Record consent"), act, initial={"given_on": timezone.localdate()}
    )


@requires(Perm.RECORD_EDIT)
def data_request(request: HttpRequest, person_id: int) -> HttpResponse:
    person = get_in_scope_or_404(selectors.persons_visible(request.user), request.user, pk=person_id)
    form = DataRequestForm(request.POST or None, initial={"received_on": timezone.localdate()})
    detail = reverse("people:person_detail", args=[person.pk])
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            _req, payload = services.data_request_answer(
                actor=request.user,
                person=person,
                kind=data["kind"],
                received_on=data["received_on"],
                answer=data["answer"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            if data["kind"] == RequestKind.EXPORT and payload is not None:
                response = HttpResponse(
                    json.dumps(payload, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
                )
                response["Content-Disposition"] = f'attachment; filename="person-{person.pk}.json"'
                return response
            if data["kind"] == RequestKind.SEE and payload is not None:
                return render(
                    request,
                    "people/person_data.html",
                    {
                        "title": _("Data held about %(name)s") % {"name": person.name},
                        "person": person,
                        "data": json.dumps(payload, ensure_ascii=False, indent=2),
                        "breadcrumbs": _crumbs((person.name, detail), (_("Data held"), "")),
                    },
                )
            messages.success(request, _("The request was recorded."))
            return redirect("people:person_detail", person_id=person.pk)
    return _form_page(
        request,
        form,
        _("A request about personal data"),
        detail,
        _crumbs((person.name, detail)),
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
    form = HouseholdForm(request.POST or None, communities=selectors.communities_in_scope(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            hh = services.household_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Household file created; now add its members."))
            return redirect("people:household_detail", household_id=hh.pk)
    crumbs = [(_("Household files"), reverse("people:household_list"))]
    return _form_page(request, form, _("New household file"), reverse("people:household_list"), crumbs)


@requires(Perm.RECORD_EDIT)
def household_edit(request: HttpRequest, household_id: int) -> HttpResponse:
    hh = get_in_scope_or_404(selectors.households_visible(request.user), request.user, pk=household_id)
    form = HouseholdForm(
        request.POST or None,
        initial={"unit": hh.unit, "address": hh.address, "notes": hh.notes},
        communities=selectors.communities_in_scope(request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.household_update(actor=request.user, household=hh, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("people:household_detail", household_id=hh.pk)
    detail = reverse("people:household_detail", args=[hh.pk])
    crumbs = [(_("Household files"), reverse("people:household_list")), (hh.address, detail)]
    return _form_page(request, form, _("Edit household file"), detail, crumbs)


# ---------------------------------------------------------------- local tags


@requires(Perm.CONFIG_MANAGE)
def tag_list(request: HttpRequest) -> HttpResponse:
    form = TagForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            tag = services.tag_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Tag %(name)s created.") % {"name": tag.name})
            return redirect("people:tag_list")
    return render(
        request,
        "people/tag_list.html",
        {
            "title": _("Categories and local tags"),
            "form": form,
            "categories": CategoryType.objects.all(),
            "custom": CategoryGroup.CUSTOM,
            "breadcrumbs": _crumbs((_("Categories and local tags"), "")),
        },
    )


@require_POST
@requires(Perm.CONFIG_MANAGE)
def tag_toggle(request: HttpRequest, tag_id: int) -> HttpResponse:
    tag = CategoryType.objects.filter(group=CategoryGroup.CUSTOM, pk=tag_id).first()
    if tag is None:
        from django.http import Http404

        raise Http404
    try:
        services.tag_set_active(actor=request.user, tag=tag, active=not tag.active)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("people:tag_list")


@require_POST
@requires(Perm.RECORD_EDIT)
def consent_withdraw(request: HttpRequest, consent_id: int) -> HttpResponse:
    consent = get_in_scope_or_404(Consent.objects.select_related("person__unit", "unit"), request.user, pk=consent_id)
    if consent.withdrawn_on is None:
        services.consent_withdraw(actor=request.user, consent=consent, on=timezone.localdate())
        messages.success(request, _("The consent was withdrawn."))
    return redirect("people:person_detail", person_id=consent.person_id)
