"""Follow-up pages: my follow-ups, logging visits, a person's grading file."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.access import Perm, can, get_in_scope_or_404, requires
from core.forms import form_page
from core.lists import list_page
from grading import lists, selectors, services
from grading.forms import AssessmentForm, AssignForm, EventForm, OverrideForm, VisitForm
from grading.models import Assessment, Instrument
from grading.rows import followup_row_html
from people.models import Person
from people.selectors import persons_visible

if TYPE_CHECKING:
    from accounts.models import User


def _person(request: HttpRequest, person_id: int) -> Person:
    return get_in_scope_or_404(persons_visible(request.user), request.user, pk=person_id)


def _followup_crumbs() -> list[tuple[str, str]]:
    return [(_("My follow-ups"), reverse("grading:followups"))]


@requires(Perm.VIEW)
def followups(request: HttpRequest) -> HttpResponse:
    """The worker's list, phone-first: overdue first, red first, then due date."""
    today = timezone.localdate()
    return list_page(
        request,
        lists.FOLLOWUPS,
        template="grading/followups.html",
        context={
            "title": _("My follow-ups"),
            "today": today,
            "counts": selectors.followup_counts(request.user, today=today),
            "policy": selectors.user_policy(request.user),
            "can_edit": can(request.user, Perm.RECORD_EDIT),
            "breadcrumbs": [(_("My follow-ups"), "")],
        },
        prepare=lambda result: {"page": result.page},
    )


@requires(Perm.RECORD_EDIT)
def visit_new(request: HttpRequest, person_id: int) -> HttpResponse:
    """Log a visit. From the list (htmx) the form opens inside the row and
    the row comes back updated; without htmx it is a normal page."""
    person = _person(request, person_id)
    user = cast("User", request.user)  # @requires let only a signed-in user through
    htmx = bool(getattr(request, "htmx", False))

    def row(_visit: Any) -> HttpResponse | None:
        if not htmx:
            return None
        grade = selectors.followup_row(user, person.pk)
        if grade is None:
            return HttpResponse(_("Visit logged."))
        return HttpResponse(followup_row_html(grade, can_edit=can(user, Perm.RECORD_EDIT), logged=True))

    return form_page(
        request,
        form=VisitForm(request.POST or None, request.FILES or None, user=user, person=person),
        act=lambda d: services.visit_log(actor=user, person=person, **d),
        success=lambda v: reverse("grading:visit_detail", args=[v.pk]),
        respond=row,
        done_message=_("Visit logged for %(name)s.") % {"name": person.name},
        title=_("Log a visit: %(name)s") % {"name": person.name},
        submit_label=_("Log visit"),
        cancel_url=reverse("grading:person", args=[person.pk]),
        breadcrumbs=_person_crumbs(person),
        # from the list the form lives in the row's form slot; errors re-render it there, not over the row
        template="grading/_visit_form.html" if htmx else "grading/visit_form.html",
        extra=lambda: {"person": person},
        headers={"HX-Retarget": f"#form-{person.pk}", "HX-Reswap": "innerHTML"} if htmx else None,
    )


@requires(Perm.VIEW)
def followup_row(request: HttpRequest, person_id: int) -> HttpResponse:
    """One row of the list (htmx: the cancel button of the visit form)."""
    grade = selectors.followup_row(request.user, person_id)
    if grade is None:  # not on anyone's list in this user's scope
        raise Http404
    return HttpResponse(followup_row_html(grade, can_edit=can(request.user, Perm.RECORD_EDIT)))


@requires(Perm.VIEW)
def person(request: HttpRequest, person_id: int) -> HttpResponse:
    """A person's grading file: card, reasons, history, assessments, visits."""
    p = _person(request, person_id)
    grade = selectors.grades_visible(request.user).filter(person=p).first()
    visits = list(selectors.visits_of(request.user, p)[:20])
    # Scores are stored by code; the page names dimensions and instruments.
    assessments = list(selectors.assessments_visible(request.user).filter(person=p).select_related("version")[:20])
    for a in assessments:
        dimensions = {d["code"]: d.get("name") or d["code"] for d in a.version.schema.get("dimensions", [])}
        a.dimension_rows = [(dimensions.get(code, code), score) for code, score in a.dimension_scores.items()]
    changes = list(selectors.card_changes_visible(request.user).filter(person=p)[:30])
    instrument_names = dict(Instrument.objects.values_list("code", "name"))
    for c in changes:
        c.score_rows = [(instrument_names.get(code, code), s) for code, s in (c.scores or {}).items()]
    return render(
        request,
        "grading/person.html",
        {
            "title": p.name,
            "person": p,
            "grade": grade,
            "changes": changes,
            "assessments": assessments,
            "visits": visits,
            "events": selectors.events_visible(request.user).filter(person=p, resolved_by__isnull=True),
            "instruments": Instrument.objects.filter(active=True),
            "can_edit": can(request.user, Perm.RECORD_EDIT),
            "today": timezone.localdate(),
            "breadcrumbs": [*_followup_crumbs(), (p.name, "")],
        },
    )


@require_POST
@requires(Perm.RECORD_EDIT)
def person_grade(request: HttpRequest, person_id: int) -> HttpResponse:
    p = _person(request, person_id)
    try:
        grade = services.person_grade(actor=request.user, person=p)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Graded: %(card)s.") % {"card": grade.get_card_display()})
    return redirect("grading:person", person_id=p.pk)


def _person_crumbs(p: Person) -> list[tuple[str, str]]:
    return [*_followup_crumbs(), (p.name, reverse("grading:person", args=[p.pk]))]


def _person_form(
    request: HttpRequest,
    p: Person,
    form: forms.Form,
    act: Callable[[dict[str, Any]], Any],
    done: str,
    title: str,
    submit: str,
    intro: str = "",
    edits: models.Model | str | None = None,
) -> HttpResponse:
    """A form about one person that returns to their grading file."""
    return form_page(
        request,
        form=form,
        act=act,
        success=lambda _r: reverse("grading:person", args=[p.pk]),
        done_message=done,
        title=title,
        intro=intro,
        submit_label=submit,
        cancel_url=reverse("grading:person", args=[p.pk]),
        breadcrumbs=_person_crumbs(p),
        edits=edits,
    )


@requires(Perm.RECORD_EDIT)
def card_override(request: HttpRequest, person_id: int) -> HttpResponse:
    p = _person(request, person_id)
    user = cast("User", request.user)  # @requires let only a signed-in user through
    return _person_form(
        request,
        p,
        OverrideForm(request.POST or None),
        lambda d: services.card_override(actor=user, person=p, **d),
        _("Card set by hand."),
        _("Set the card by hand: %(name)s") % {"name": p.name},
        _("Set card"),
        _("A card set by hand is kept when the rules re-grade everyone, and the reason is kept in the history."),
    )


@requires(Perm.RECORD_EDIT)
def event_new(request: HttpRequest, person_id: int) -> HttpResponse:
    p = _person(request, person_id)
    user = cast("User", request.user)  # @requires let only a signed-in user through
    return _person_form(
        request,
        p,
        EventForm(request.POST or None),
        lambda d: services.major_event_record(actor=user, person=p, **d),
        _("Major event recorded: a visit is now due."),
        _("Major event: %(name)s") % {"name": p.name},
        _("Record"),
    )


@requires(Perm.RECORD_EDIT)
def assessment_new(request: HttpRequest, person_id: int) -> HttpResponse:
    p = _person(request, person_id)
    user = cast("User", request.user)  # @requires let only a signed-in user through
    instruments = Instrument.objects.filter(active=True).order_by("code")
    code = request.GET.get("instrument")
    instrument = instruments.filter(code=code).first() if code else instruments.first()
    if instrument is None:
        raise Http404
    version = instrument.current_version()
    if version is None:
        raise Http404
    form = AssessmentForm(request.POST or None, version=version)

    def record(d: dict[str, Any]) -> Assessment:
        with transaction.atomic():  # the assessment and the re-grade stand or fall together
            a = services.assessment_record(
                actor=user,
                person=p,
                version=version,
                answers=form.answers(),
                assessed_on=d["assessed_on"],
                notes=d["notes"],
            )
            if d["regrade"]:
                services.person_grade(actor=user, person=p, why=_("New assessment"))
        return a

    return form_page(
        request,
        form=form,
        act=record,
        success=lambda _a: reverse("grading:person", args=[p.pk]),
        done_message=lambda a: (
            _("Assessment saved: %(total)s points, %(level)s.") % {"total": a.total, "level": a.level_name}
        ),
        title=f"{instrument.name}: {p.name}",
        cancel_url=reverse("grading:person", args=[p.pk]),
        breadcrumbs=_person_crumbs(p),
        template="grading/assessment_form.html",
        extra=lambda: {"version": version, "person": p},
    )


@requires(Perm.RECORD_EDIT)
def assign(request: HttpRequest, person_id: int) -> HttpResponse:
    """Name the worker whose follow-up list the person is on."""
    p = _person(request, person_id)
    user = cast("User", request.user)  # @requires let only a signed-in user through
    staff = selectors.assignable_workers(user, p.unit)
    grade = selectors.grades_visible(user).filter(person=p).first()
    form = AssignForm(
        request.POST or None, staff=staff, initial={"responsible": grade.responsible_id if grade else None}
    )
    return _person_form(
        request,
        p,
        form,
        lambda d: services.grade_assign(actor=user, person=p, responsible=d["responsible"]),
        _("Responsible worker saved."),
        _("Responsible worker: %(name)s") % {"name": p.name},
        _("Save"),
        edits=f"grading.responsible:{p.pk}",  # not the person's own version: their file is edited apart
    )
