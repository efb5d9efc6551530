"""Community activity pages."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any, cast

from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from casework import forms, lists, selectors, services
from casework.models import Activity
from core.access import Perm, can, get_in_scope_or_404, requires
from core.forms import form_page
from core.lists import list_page
from orgs.selectors import units_visible
from people.selectors import persons_visible

if TYPE_CHECKING:
    from accounts.models import User
from core import uploads
from projects.selectors import projects_linkable
from volunteers.selectors import volunteers_visible


def _crumbs(activity: Activity | None = None) -> list[tuple[str, str]]:
    crumbs = [(_("Activities"), reverse("casework:activity_list"))]
    if activity is not None:
        crumbs.append((activity.title, reverse("casework:activity_detail", args=[activity.pk])))
    return crumbs


def _activity(request: HttpRequest, activity_id: int) -> Activity:
    return get_in_scope_or_404(selectors.activities_visible(request.user), request.user, pk=activity_id)


@requires(Perm.VIEW)
def activity_list(request: HttpRequest) -> HttpResponse:
    return list_page(
        request,
        lists.ACTIVITIES,
        template="casework/activity_list.html",
        context={
            "title": _("Activities"),
            "can_edit": can(request.user, Perm.RECORD_EDIT),
            "breadcrumbs": [(_("Activities"), "")],
        },
    )


@requires(Perm.RECORD_EDIT)
def activity_create(request: HttpRequest) -> HttpResponse:
    user = cast("User", request.user)  # @requires let only a signed-in user through
    organisations, enterprises = selectors.partner_choices(user)
    form = forms.ActivityForm(
        request.POST or None,
        initial={"unit": user.unit_id, "person_in_charge": user.pk, "organiser": user.unit.name if user.unit else ""},
        units=units_visible(user),
        staff=selectors.workers_for(user),
        organisations=organisations,
        enterprises=enterprises,
        rooms=selectors.room_choices(user),
        projects=projects_linkable(user),
    )
    return form_page(
        request,
        form=form,
        act=lambda d: services.activity_create(actor=user, **d),
        success=lambda a: reverse("casework:activity_detail", args=[a.pk]),
        done_message=_("The activity was planned."),
        title=_("Plan an activity"),
        cancel_url=reverse("casework:activity_list"),
        breadcrumbs=_crumbs(),
    )


@requires(Perm.RECORD_EDIT)
def activity_edit(request: HttpRequest, activity_id: int) -> HttpResponse:
    activity = _activity(request, activity_id)
    user = request.user
    organisations, enterprises = selectors.partner_choices(user)
    fields = (
        "unit",
        "title",
        "domain",
        "venue",
        "starts_at",
        "ends_at",
        "organiser",
        "person_in_charge",
        "plan",
        "resources",
        "room",
        "project",
        "party_led",
    )
    initial = {f: getattr(activity, f) for f in fields}
    initial["partner_organisations"] = list(activity.partner_organisations.all())
    initial["partner_enterprises"] = list(activity.partner_enterprises.all())
    form = forms.ActivityForm(
        request.POST or None,
        initial=initial,
        units=units_visible(user),
        staff=selectors.workers_for(user),
        organisations=organisations,
        enterprises=enterprises,
        rooms=selectors.room_choices(user, keep=activity.room_id),
        projects=projects_linkable(user),
    )
    form.fields.pop("unit")  # an activity does not move between units

    def act(data: dict) -> Activity:
        data.pop("unit", None)
        return services.activity_update(actor=user, activity=activity, **data)

    return form_page(
        request,
        form=form,
        edits=activity,
        act=act,
        success=lambda a: reverse("casework:activity_detail", args=[a.pk]),
        done_message=_("Changes saved."),
        title=_("Edit the activity"),
        cancel_url=reverse("casework:activity_detail", args=[activity.pk]),
        breadcrumbs=_crumbs(activity),
    )


# action → (button label, page, primary button)
_ACTIONS = {
    "signup": (gettext_lazy("Sign up"), "casework:signup_add", False),
    "signup_batch": (gettext_lazy("Sign up many"), "casework:signup_batch", False),
    "photo": (gettext_lazy("Add a photo"), "casework:photo_add", False),
    "record": (gettext_lazy("Attendance and summary"), "casework:activity_complete", True),
    "edit": (gettext_lazy("Edit"), "casework:activity_edit", False),
    "cancel": (gettext_lazy("Cancel the activity"), "casework:activity_cancel", False),
}


def _activity_actions(request: HttpRequest, activity: Activity) -> list[dict[str, Any]]:
    """The buttons of the activity page: what the activity allows now, for staff who edit records."""
    if not can(request.user, Perm.RECORD_EDIT):
        return []
    names = activity.available_actions()
    if "signup" in names:  # many at once, beside one by one
        names.insert(names.index("signup") + 1, "signup_batch")
    return [
        {
            "name": name,
            "label": _ACTIONS[name][0],
            "url": reverse(_ACTIONS[name][1], args=[activity.pk]),
            "primary": _ACTIONS[name][2],
        }
        for name in names
    ]


@requires(Perm.VIEW)
def activity_detail(request: HttpRequest, activity_id: int) -> HttpResponse:
    activity = get_in_scope_or_404(selectors.activity_detail_qs(request.user), request.user, pk=activity_id)
    signups = list(activity.signups.all())
    return render(
        request,
        "casework/activity_detail.html",
        {
            "title": activity.title,
            "activity": activity,
            "residents": [s for s in signups if s.person_id],
            "volunteers": [s for s in signups if s.volunteer_id],
            "counts": selectors.activity_counts(activity),
            "actions": _activity_actions(request, activity),
            "signin": _signin_panel(request, activity),
            "breadcrumbs": [_crumbs()[0], (activity.title, "")],
        },
    )


def _signin_panel(request: HttpRequest, activity: Activity) -> dict[str, Any]:
    """The QR code, its link and window, and who signed in by it."""
    from casework.signin import open_link, signin_token, signin_url, window
    from casework.views.signin import signin_rows

    opens, closes = window(activity)
    return {
        "url": signin_url(request, activity),
        "state": open_link(signin_token(activity)).message,
        "opens": opens,
        "closes": closes,
        "rows": signin_rows(activity),
        "can_switch": can(request.user, Perm.RECORD_EDIT) and activity.status != "cancelled",
    }


@requires(Perm.RECORD_EDIT)
def signup_add(request: HttpRequest, activity_id: int) -> HttpResponse:
    activity = _activity(request, activity_id)
    user = request.user
    persons = persons_visible(user).filter(is_active=True).exclude(activity_signups__activity=activity)
    picked = persons.filter(pk=request.POST["person"]) if request.POST.get("person", "").isdigit() else persons.none()
    form = forms.SignupForm(
        request.POST or None,
        persons=persons,
        volunteers=volunteers_visible(user).filter(is_active=True).exclude(activity_signups__activity=activity),
        search_url=reverse("casework:signup_search", args=[activity.pk]),
        chosen=[{"person": p, "checked": True, "signed": False} for p in picked],
    )
    return form_page(
        request,
        form=form,
        act=lambda d: services.activity_signup_add(actor=user, activity=activity, **d),
        success=lambda _s: reverse("casework:activity_detail", args=[activity.pk]),
        done_message=_("Signed up."),
        title=_("Sign up a resident or volunteer"),
        cancel_url=reverse("casework:activity_detail", args=[activity.pk]),
        breadcrumbs=_crumbs(activity),
    )


@requires(Perm.RECORD_EDIT)
def activity_complete(request: HttpRequest, activity_id: int) -> HttpResponse:
    """Attendance (ticked sign-ups + head count), volunteer hours and the summary."""
    activity = _activity(request, activity_id)
    signups = list(activity.signups.select_related("person", "volunteer"))
    default_hours = Decimal((activity.ends_at - activity.starts_at).total_seconds() / 3600).quantize(Decimal("0.1"))
    form = forms.CompleteForm(
        request.POST or None,
        initial={"head_count": activity.head_count, "summary": activity.summary, "resources": activity.resources},
    )
    ticked = {s.pk for s in signups if s.attended}
    hours = {s.pk: "" for s in signups}
    if request.method == "POST":  # the ticks and hours are a grid beside the form
        ticked = {int(v) for v in request.POST.getlist("attended") if v.isdigit()}
        hours = {s.pk: request.POST.get(f"hours_{s.pk}", "").strip() for s in signups}

    def act(d: dict[str, Any]) -> Any:
        return services.activity_complete(
            actor=request.user,
            activity=activity,
            attended_signup_ids=ticked,
            head_count=d["head_count"],
            summary=d["summary"],
            resources=d["resources"],
            volunteer_hours=_hours(hours),
        )

    return form_page(
        request,
        form=form,
        act=act,
        success=lambda _a: reverse("casework:activity_detail", args=[activity.pk]),
        done_message=_("Attendance and summary saved."),
        title=_("Attendance and summary"),
        cancel_url=reverse("casework:activity_detail", args=[activity.pk]),
        breadcrumbs=_crumbs(activity),
        template="casework/activity_complete.html",
        extra=lambda: {
            "activity": activity,
            "rows": [(s, s.pk in ticked, hours.get(s.pk, "")) for s in signups],
            "default_hours": default_hours,
        },
    )


def _hours(raw: dict[int, str]) -> dict[int, Decimal]:
    parsed = {}
    for pk, value in raw.items():
        if value:
            try:
                parsed[pk] = Decimal(value)
            except InvalidOperation:
                raise ValidationError({"__all__": _("Enter the hours as a number.")}) from None
    return parsed


@requires(Perm.RECORD_EDIT)
def activity_cancel(request: HttpRequest, activity_id: int) -> HttpResponse:
    activity = _activity(request, activity_id)
    return form_page(
        request,
        form=forms.CancelForm(request.POST or None),
        act=lambda d: services.activity_cancel(actor=request.user, activity=activity, **d),
        success=lambda _a: reverse("casework:activity_detail", args=[activity.pk]),
        done_message=_("The activity was cancelled."),
        title=_("Cancel the activity"),
        cancel_url=reverse("casework:activity_detail", args=[activity.pk]),
        breadcrumbs=_crumbs(activity),
        submit_label=_("Cancel the activity"),
    )


@requires(Perm.RECORD_EDIT)
def photo_add(request: HttpRequest, activity_id: int) -> HttpResponse:
    activity = _activity(request, activity_id)
    return form_page(
        request,
        form=forms.PhotoForm(request.POST or None, request.FILES or None),
        act=lambda d: services.activity_photo_add(
            actor=request.user, activity=activity, upload=d["file"], caption=d["caption"]
        ),
        success=lambda _p: reverse("casework:activity_detail", args=[activity.pk]),
        done_message=_("Photo added."),
        title=_("Add a photo"),
        cancel_url=reverse("casework:activity_detail", args=[activity.pk]),
        breadcrumbs=_crumbs(activity),
    )


@requires(Perm.VIEW)
def photo_view(request: HttpRequest, photo_id: int) -> FileResponse:
    photo = get_in_scope_or_404(
        selectors.photos_visible(request.user), request.user, field="activity__unit", pk=photo_id
    )
    return uploads.serve(photo.file.open("rb"), photo.content_type, keep=3600)
