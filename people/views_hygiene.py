"""Pages of data hygiene: the duplicate finder, marking a pair as two
people, and merging two files (docs/data-hygiene.md)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from core import identity
from core.access import Perm, can, get_in_scope_or_404, requires
from core.forms import form_page
from people.hygiene import dismiss, duplicates, merge
from people.hygiene.forms import FIELD_LABELS, DismissForm, MergeForm, ReassignForm, shown
from people.models import Person

if TYPE_CHECKING:
    from accounts.models import User


def _crumbs(*extra: tuple[str, str]) -> list[tuple[str, str]]:
    return [
        (_("Residents"), reverse("people:person_list")),
        (_("Possible duplicates"), reverse("people:duplicate_list")),
        *extra,
    ]


@requires(Perm.RECORD_EDIT)
def duplicate_list(request: HttpRequest) -> HttpResponse:
    pairs = duplicates.duplicate_pairs(request.user)
    return render(
        request,
        "people/duplicate_list.html",
        {
            "title": _("Possible duplicates"),
            "pairs": pairs,
            "limit": duplicates.GROUP_LIMIT,
            "can_merge": can(request.user, Perm.RECORD_MERGE),
            "breadcrumbs": [*_crumbs()[:1], (_("Possible duplicates"), "")],
        },
    )


def _pair(request: HttpRequest, person_id: int, other_person_id: int) -> tuple[Person, Person]:
    qs = duplicates.candidates(request.user).select_related("household")
    return (
        get_in_scope_or_404(qs, request.user, pk=person_id),
        get_in_scope_or_404(qs, request.user, pk=other_person_id),
    )


@requires(Perm.RECORD_EDIT)
def duplicate_dismiss(request: HttpRequest, person_id: int, other_person_id: int) -> HttpResponse:
    first, second = _pair(request, person_id, other_person_id)
    back = reverse("people:duplicate_list")
    return form_page(
        request,
        form=DismissForm(request.POST or None),
        act=lambda _d: dismiss.duplicate_dismiss(actor=request.user, first=first, second=second),
        success=lambda _r: back,
        done_message=_("The pair is no longer offered as a duplicate."),
        title=_("%(a)s and %(b)s are two people") % {"a": first.name, "b": second.name},
        intro=_("The finder will no longer offer this pair. The decision is recorded in the audit log."),
        cancel_url=back,
        breadcrumbs=_crumbs(),
        submit_label=_("Not the same person"),
    )


def _record_counts(people: list[Person]) -> list[tuple[str, list[int]]]:
    """How many records of each kind point at each of the two files."""
    rows = []
    for fk in merge.reverse_relations():
        if fk.model is Person or merge.is_set_link(fk) or fk.model._meta.label == "people.DuplicateDismissal":
            continue
        counted = dict(
            fk.model._default_manager.filter(**{f"{fk.name}__in": people})
            .order_by()
            .values_list(fk.name)
            .annotate(n=Count("pk"))
        )
        if counted:
            rows.append((str(fk.model._meta.verbose_name_plural), [counted.get(p.pk, 0) for p in people]))
    return rows


@requires(Perm.RECORD_MERGE)
def person_merge(request: HttpRequest, person_id: int, other_person_id: int) -> HttpResponse:
    user = cast("User", request.user)
    kept, other = _pair(request, person_id, other_person_id)
    refusal = merge.merge_refusal(user, kept, other)
    form = MergeForm(request.POST or None, kept=kept, merged=other)
    detail = reverse("people:person_detail", args=[kept.pk])

    def act(_cleaned: dict[str, Any]) -> dict[str, int]:
        return merge.person_merge(actor=user, kept=kept, merged=other, take=form.take())

    def extra() -> dict[str, Any]:
        return {
            "kept": kept,
            "other": other,
            "refusal": refusal,
            "facts": [
                (_("File no."), kept.pk, other.pk),
                (_("Resident ID"), identity.masked_id_of(kept) or "—", identity.masked_id_of(other) or "—"),
                *[
                    (FIELD_LABELS[f], shown(kept, f), shown(other, f))
                    for f in merge.CHOICE_FIELDS
                    if f not in form.choices
                ],
            ],
            "counts": _record_counts([kept, other]),
            "swap": reverse("people:person_merge", args=[other.pk, kept.pk]),
            "id_note": form.id_note,
        }

    return form_page(
        request,
        form=form,
        act=act,
        success=lambda _m: detail,
        done_message=_("The files were merged into file no. %(pk)s.") % {"pk": kept.pk},
        title=_("Merge two files of %(name)s") % {"name": kept.name},
        cancel_url=reverse("people:duplicate_list"),
        breadcrumbs=_crumbs(),
        submit_label=_("Merge the files"),
        template="people/merge.html",
        extra=extra,
    )


# ---------------------------------------------------------------- a worker leaves


@requires(Perm.RECORD_MERGE)
def workload_staff(request: HttpRequest) -> HttpResponse:
    """The staff in scope with what each holds: choose the one who leaves."""
    from accounts.selectors import staff_manageable
    from casework.models import Case, Stage
    from core.access import scope
    from grading.models import PersonGrade

    user = request.user
    recipients = dict(
        scope(PersonGrade.objects.filter(responsible__isnull=False, person__is_active=True), user)
        .order_by()
        .values_list("responsible")
        .annotate(n=Count("pk"))
    )
    cases = dict(
        scope(Case.objects.exclude(stage=Stage.CLOSED), user).order_by().values_list("worker").annotate(n=Count("pk"))
    )
    staff = [
        (u, recipients.get(u.pk, 0), cases.get(u.pk, 0))
        for u in staff_manageable(user).order_by("-is_active", "unit__path", "username")
        if recipients.get(u.pk) or cases.get(u.pk)
    ]
    return render(
        request,
        "people/workload_staff.html",
        {
            "title": _("Reassign a leaving worker's recipients and cases"),
            "staff": staff,
            "breadcrumbs": [(_("Reassign a leaving worker's recipients and cases"), "")],
        },
    )


@requires(Perm.RECORD_MERGE)
def workload_reassign(request: HttpRequest, user_id: int) -> HttpResponse:
    from accounts.selectors import staff_manageable, staff_visible
    from people.hygiene import reassign

    user = cast("User", request.user)
    leaving = get_in_scope_or_404(staff_manageable(user), user, pk=user_id)
    load = reassign.workload_of(user, leaving)
    form = ReassignForm(
        request.POST or None,
        workers=staff_visible(user).exclude(pk=leaving.pk).order_by("unit__path", "username"),
        recipients=load.recipients,
        cases=load.cases,
    )
    here = reverse("people:workload_reassign", args=[leaving.pk])

    def act(d: dict[str, Any]) -> dict[str, int]:
        return reassign.workload_reassign(
            actor=user,
            leaving=leaving,
            to_worker=d["to_worker"],
            grade_ids=d["recipients"],
            case_ids=d["cases"],
            reason=d["reason"],
            designated=d["designated"],
        )

    def done(moved: dict[str, int]) -> str:
        return _("Reassigned %(recipients)s recipients and %(cases)s open cases; the new worker was told.") % moved

    return form_page(
        request,
        form=form,
        act=act,
        success=lambda _m: here,
        done_message=done,
        title=_("Reassign %(name)s's recipients and cases") % {"name": leaving},
        intro=_(
            "%(recipients)s recipients and %(cases)s open cases; designated worker of %(places)s communities "
            "or stations. Untick what stays, choose who takes over, and send; what is left can go to someone "
            "else next."
        )
        % {
            "recipients": load.recipients.count(),
            "cases": load.cases.count(),
            "places": load.communities.count() + load.stations.count(),
        },
        cancel_url=reverse("people:workload_staff"),
        breadcrumbs=[(_("Reassign a leaving worker's recipients and cases"), reverse("people:workload_staff"))],
        submit_label=_("Reassign"),
    )
