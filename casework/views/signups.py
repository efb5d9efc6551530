"""Signing residents up for an activity: many at once with a preview, and
the search that replaces the dropdown of every resident."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from casework import selectors
from casework.forms_signups import BatchSignupForm
from casework.models import Activity, ActivitySignup
from casework.services.signups import activity_signup_batch, signup_batch_plan
from core.access import Perm, get_in_scope_or_404, requires
from core.forms import apply_errors, form_page
from core.identity import mask_phone
from people.selectors import persons_visible, search_persons

if TYPE_CHECKING:
    from accounts.models import User

RESULTS = 20  # residents a search shows at a time


def _activity(request: HttpRequest, activity_id: int) -> Activity:
    return get_in_scope_or_404(selectors.activities_visible(request.user), request.user, pk=activity_id)


def _ids(values: list[str]) -> list[int]:
    return [int(v) for v in values if v.isdigit()][:500]


def _rows(activity: Activity, people: list[Any], checked: set[int]) -> list[dict[str, Any]]:
    signed = set(
        ActivitySignup.objects.filter(activity=activity, person_id__in=[p.pk for p in people]).values_list(
            "person_id", flat=True
        )
    )
    return [
        {"person": p, "phone": mask_phone(p.phone), "checked": p.pk in checked, "signed": p.pk in signed}
        for p in people
    ]


@requires(Perm.RECORD_EDIT)
def signup_search(request: HttpRequest, activity_id: int) -> HttpResponse:
    """The residents matching what is typed (htmx), after those already chosen."""
    activity = _activity(request, activity_id)
    if not request.headers.get("HX-Request"):
        return redirect("casework:signup_batch", activity.pk)
    field = "persons" if request.GET.get("field") == "persons" else "person"
    visible = persons_visible(request.user).filter(is_active=True, merged_into__isnull=True)
    chosen = list(visible.filter(pk__in=_ids(request.GET.getlist(field))).order_by("name_pinyin", "pk"))
    q = request.GET.get("q", "").strip()
    found = list(search_persons(visible, q).exclude(pk__in=[p.pk for p in chosen])[:RESULTS]) if q else []
    return render(
        request,
        "casework/widgets/_person_results.html",
        {
            "rows": _rows(activity, chosen + found, {p.pk for p in chosen}),
            "name": field,
            "multiple": field == "persons",
            "q": q,
        },
    )


@requires(Perm.RECORD_EDIT)
def signup_batch(request: HttpRequest, activity_id: int) -> HttpResponse:
    activity = _activity(request, activity_id)
    user = cast("User", request.user)
    ids = _ids(request.POST.getlist("persons"))
    chosen = list(persons_visible(user).filter(pk__in=ids, is_active=True).order_by("name_pinyin", "pk"))
    form = BatchSignupForm(
        request.POST or None,
        user=user,
        search_url=reverse("casework:signup_search", args=[activity.pk]),
        chosen=_rows(activity, chosen, {p.pk for p in chosen}),
        confirmed=request.POST.get("confirm") == "yes",
    )
    detail = reverse("casework:activity_detail", args=[activity.pk])

    def act(d: dict[str, Any]) -> Any:
        return activity_signup_batch(
            actor=user, activity=activity, person_ids=d["persons"], pasted=d["pasted"], filters=form.filters()
        )

    def extra() -> dict[str, Any]:
        if not form.is_bound or not form.has_error("__all__", code="preview"):
            return {"activity": activity}
        try:
            plan = signup_batch_plan(
                actor=user,
                activity=activity,
                person_ids=form.cleaned_data.get("persons", []),
                pasted=form.cleaned_data.get("pasted", ""),
                filters=form.filters(),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
            return {"activity": activity}
        return {"activity": activity, "plan": plan}

    return form_page(
        request,
        form=form,
        act=act,
        success=lambda _p: detail,
        done_message=lambda plan: (
            _("Signed up %(added)s; skipped %(skipped)s.") % {"added": len(plan.add), "skipped": len(plan.skipped)}
        ),
        title=_("Sign up many residents: %(title)s") % {"title": activity.title},
        cancel_url=detail,
        breadcrumbs=[(_("Activities"), reverse("casework:activity_list")), (activity.title, detail)],
        submit_label=_("Preview"),
        template="casework/signup_batch.html",
        extra=extra,
    )
