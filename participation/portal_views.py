"""Portal side: what a signed-in volunteer or donor sees and sends. Every
read is of the account's own items (another account's answer 404); every
submission goes through a participation service and lands pending."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from casework.models import Activity
from casework.signin import open_link
from core.access import under
from core.forms import form_page, with_tokens
from core.roles import Level
from matching.models import Wish
from matching.selectors import public_wish_row, wishes_public
from orgs.models import OrgUnit
from participation import applications, conf, giving, selectors, serving
from participation.forms import (
    ApplicationForm,
    ClaimForm,
    DeliveryForm,
    EnterpriseClaimForm,
    HoursForm,
    NoteForm,
    ProfileRequestForm,
    RecordRequestForm,
    availability_values,
)
from participation.models import RequestKind
from portal.auth import portal_login_required
from volunteering.certificate import certificate_pdf

FORM = "participation/portal/form.html"


def _account(request: HttpRequest) -> Any:
    return request.portal_account  # type: ignore[attr-defined]


def _volunteer_or_home(request: HttpRequest) -> Any:
    account = _account(request)
    if account.volunteer_id is None:
        raise Http404
    return account


def _home() -> str:
    return reverse("participation_portal:volunteer")


# ---------------------------------------------------------------- volunteers


@portal_login_required
def volunteer_home(request: HttpRequest) -> HttpResponse:
    account = _account(request)
    return render(
        request,
        "participation/portal/volunteer.html",
        {
            "title": _("Volunteering"),
            "account": account,
            "application": selectors.own_application(account) if account.volunteer_id is None else None,
            "standing": selectors.standing(account),
            "signups": list(selectors.own_signups(account)[:10]),
        },
    )


def _communities(account: Any) -> QuerySet[OrgUnit]:
    if account.station is None:
        return OrgUnit.objects.none()
    return OrgUnit.objects.filter(level=Level.COMMUNITY, parent=account.station).order_by("path")


@portal_login_required
def register(request: HttpRequest) -> HttpResponse:
    account = _account(request)
    if account.volunteer_id is not None:
        return redirect(_home())
    form = ApplicationForm(
        request.POST or None,
        units=_communities(account),
        initial={"name": account.name, "unit": account.community_id},
    )
    return form_page(
        request,
        form=form,
        act=lambda d: applications.application_submit(account=account, **d),
        success=lambda _a: _home(),
        done_message=_("Thank you! The station will confirm your registration and tell you."),
        title=_("Register as a volunteer"),
        cancel_url=_home(),
        breadcrumbs=[],
        submit_label=_("Send my registration"),
        template="participation/portal/register.html",
        extra=lambda: {"guardian_age": conf.guardian_age(), "consent_version": conf.consent_version()},
    )


@portal_login_required
def activities(request: HttpRequest) -> HttpResponse:
    account = _volunteer_or_home(request)
    mine = selectors.signed_up_ids(account)
    community_id = account.volunteer.unit_id
    rows = sorted(selectors.open_activities(account)[:50], key=lambda a: (a.unit_id != community_id, a.starts_at))
    return render(
        request,
        "participation/portal/activities.html",
        {
            "title": _("Activities open for sign-up"),
            # each button its own one-time token: a double tap signs up once
            "rows": [(a, a.pk in mine, with_tokens(ClaimForm(auto_id=False))) for a in rows],
        },
    )


def _open_activity(account: Any, activity_id: int) -> Activity:
    return get_object_or_404(selectors.open_activities(account), pk=activity_id)


@require_POST
@portal_login_required
def activity_signup(request: HttpRequest, activity_id: int) -> HttpResponse:
    account = _volunteer_or_home(request)
    activity = _open_activity(account, activity_id)
    back = reverse("participation_portal:activities")
    return form_page(
        request,
        form=ClaimForm(request.POST),
        act=lambda _d: serving.signup(account=account, activity=activity),
        success=lambda _s: back,
        done_message=_("You are signed up for %(title)s.") % {"title": activity.title},
        title=activity.title,
        cancel_url=back,
        breadcrumbs=[],
        template=FORM,
    )


@portal_login_required
def activity_hours(request: HttpRequest, activity_id: int) -> HttpResponse:
    account = _volunteer_or_home(request)
    signup = get_object_or_404(selectors.own_signups(account), activity_id=activity_id)
    activity = signup.activity
    proposed = signup.service_record.hours if signup.service_record is not None else None
    return form_page(
        request,
        form=HoursForm(request.POST or None, initial={"hours": proposed}),
        act=lambda d: serving.hours_report(account=account, activity=activity, hours=d["hours"]),
        success=lambda _r: reverse("participation_portal:records"),
        done_message=_("Your hours were sent; they count once the station confirms them."),
        title=_("Report my hours: %(title)s") % {"title": activity.title},
        cancel_url=_home(),
        breadcrumbs=[],
        template=FORM,
    )


@portal_login_required
def tasks(request: HttpRequest) -> HttpResponse:
    """Open service tasks of the station, the volunteer's community and
    skills first. Only the category, community and dates: never who the
    resident is or where they live (staff tell that on accepting)."""
    account = _volunteer_or_home(request)
    volunteer = account.volunteer
    skills = set(volunteer.skills.values_list("code", flat=True))
    open_rows = sorted(
        selectors.open_tasks(account)[:50],
        key=lambda t: (t.unit_id != volunteer.unit_id, t.need.need_type not in skills, t.due_date),
    )
    mine = list(selectors.own_tasks(account)[:20])
    names = selectors.category_names(t.need.need_type for t in [*open_rows, *mine])
    asked = selectors.asked_task_ids(account)

    def row(t: Any) -> dict[str, Any]:
        return {
            "task": t,
            "category": names.get(t.need.need_type, _("Other help")),
            "skill": t.need.need_type in skills,
        }

    return render(
        request,
        "participation/portal/tasks.html",
        {
            "title": _("Service tasks near me"),
            "rows": [(row(t), t.pk in asked, with_tokens(ClaimForm(auto_id=False))) for t in open_rows],
            "mine": [row(t) for t in mine],
        },
    )


@require_POST
@portal_login_required
def task_signup(request: HttpRequest, volunteer_task_id: int) -> HttpResponse:
    account = _volunteer_or_home(request)
    task = get_object_or_404(selectors.open_tasks(account), pk=volunteer_task_id)
    back = reverse("participation_portal:tasks")
    return form_page(
        request,
        form=ClaimForm(request.POST),
        act=lambda _d: applications.request_submit(account=account, kind=RequestKind.TASK, task=task),
        success=lambda _r: back,
        done_message=_("Thank you! The station will confirm the task and tell you the details."),
        title=_("Service tasks near me"),
        cancel_url=back,
        breadcrumbs=[],
        template=FORM,
    )


@portal_login_required
def task_hours(request: HttpRequest, volunteer_task_id: int) -> HttpResponse:
    account = _volunteer_or_home(request)
    task = get_object_or_404(selectors.own_tasks(account), pk=volunteer_task_id)
    return form_page(
        request,
        form=HoursForm(request.POST or None),
        # served by its due date at the latest: a task done early counts today
        act=lambda d: serving.hours_report(
            account=account, task=task, hours=d["hours"], date=min(task.due_date, timezone.localdate())
        ),
        success=lambda _r: reverse("participation_portal:records"),
        done_message=_("Your hours were sent; they count once the station confirms them."),
        title=_("Report my hours: %(title)s") % {"title": _("service task of %(date)s") % {"date": task.due_date}},
        cancel_url=reverse("participation_portal:tasks"),
        breadcrumbs=[],
        template=FORM,
    )


@portal_login_required
def signin(request: HttpRequest) -> HttpResponse:
    """The activity's QR code, opened by a volunteer signed in to the portal:
    one tap signs them in with their registered details."""
    account = _volunteer_or_home(request)
    token = request.GET.get("t", "")
    opened = open_link(token)
    activity = opened.activity
    if opened.refusal is not None or activity is None:
        return render(
            request,
            "participation/portal/signin.html",
            {"title": _("Sign in at an activity"), "refusal": opened.message},
            status=200 if activity is not None else 404,
        )
    here = f"{reverse('participation_portal:signin')}?t={token}"

    def act(d: dict[str, Any]) -> Any:
        return serving.signin(account=account, activity=activity)

    return form_page(
        request,
        form=ClaimForm(request.POST or None),
        act=act,
        success=lambda _s: here,
        done_message=_("Signed in: %(title)s") % {"title": activity.title},
        title=_("Sign in at an activity"),
        cancel_url=_home(),
        breadcrumbs=[],
        submit_label=_("Sign me in"),
        template="participation/portal/signin.html",
        extra=lambda: {
            "activity": activity,
            "starts_at": timezone.localtime(activity.starts_at),
            "signed_in": activity.signins.filter(signup__volunteer_id=account.volunteer_id).exists(),
        },
    )


@portal_login_required
def records(request: HttpRequest) -> HttpResponse:
    account = _volunteer_or_home(request)
    return render(
        request,
        "participation/portal/records.html",
        {
            "title": _("My service records"),
            "standing": selectors.standing(account),
            "records": list(selectors.own_records(account)[:200]),
            "reports": list(selectors.own_hours_reports(account).filter(status="declined")[:20]),
            "requests": list(selectors.own_requests(account)[:20]),
            "certificates": list(selectors.own_certificates(account)),
            "certificate_form": with_tokens(NoteForm()),
        },
    )


@portal_login_required
def record_fix(request: HttpRequest, service_record_id: int) -> HttpResponse:
    account = _volunteer_or_home(request)
    record = get_object_or_404(selectors.own_records(account), pk=service_record_id)
    back = reverse("participation_portal:records")
    return form_page(
        request,
        form=RecordRequestForm(request.POST or None),
        act=lambda d: applications.request_submit(
            account=account, kind=RequestKind.RECORD, record=record, note=d["note"]
        ),
        success=lambda _r: back,
        done_message=_("Your request was sent to the station."),
        title=_("Ask to correct: %(name)s, %(date)s") % {"name": record.activity_name, "date": record.date},
        cancel_url=back,
        breadcrumbs=[],
        template=FORM,
    )


@portal_login_required
def details(request: HttpRequest) -> HttpResponse:
    account = _volunteer_or_home(request)
    volunteer = account.volunteer
    form = ProfileRequestForm(
        request.POST or None,
        initial={
            "address": volunteer.address,
            "skills": list(volunteer.skills.all()),
            "availability": availability_values(volunteer.availability),
        },
    )

    def act(d: dict[str, Any]) -> Any:
        changes: dict[str, Any] = {}
        if d["address"] != volunteer.address:
            changes["address"] = d["address"]
        if {s.pk for s in d["skills"]} != {s.pk for s in volunteer.skills.all()}:
            changes["skills"] = d["skills"]
        if d["availability"] != volunteer.availability:
            changes["availability"] = d["availability"]
        return applications.request_submit(account=account, kind=RequestKind.PROFILE, changes=changes, note=d["note"])

    return form_page(
        request,
        form=form,
        act=act,
        success=lambda _r: _home(),
        done_message=_("Your request was sent to the station."),
        title=_("Correct my details"),
        intro=_("The station checks and makes the change; you see it here once done."),
        cancel_url=_home(),
        breadcrumbs=[],
        template=FORM,
    )


@require_POST
@portal_login_required
def certificate_request(request: HttpRequest) -> HttpResponse:
    account = _volunteer_or_home(request)
    back = reverse("participation_portal:records")
    return form_page(
        request,
        form=NoteForm(request.POST),
        act=lambda d: applications.request_submit(account=account, kind=RequestKind.CERTIFICATE, note=d["note"]),
        success=lambda _r: back,
        done_message=_("Your request was sent to the station."),
        title=_("Ask for a volunteer service certificate"),
        cancel_url=back,
        breadcrumbs=[],
        template=FORM,
    )


@portal_login_required
def certificate_download(request: HttpRequest, certificate_id: int) -> HttpResponse:
    account = _volunteer_or_home(request)
    certificate = get_object_or_404(selectors.own_certificates(account), pk=certificate_id)
    response = HttpResponse(certificate_pdf(certificate), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{certificate.number}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


# ---------------------------------------------------------------- donors


@portal_login_required
def wishes(request: HttpRequest) -> HttpResponse:
    account = _account(request)
    qs = wishes_public()
    if account.station is not None:
        qs = under(qs, account.station)
    return render(
        request,
        "participation/portal/wishes.html",
        {
            "title": _("Micro-wishes waiting for you"),
            "wishes": [(public_wish_row(w), with_tokens(ClaimForm(auto_id=False))) for w in qs[:200]],
        },
    )


@require_POST
@portal_login_required
def wish_claim(request: HttpRequest, wish_id: int) -> HttpResponse:
    account = _account(request)
    wish = get_object_or_404(Wish.objects.select_related("unit", "need"), pk=wish_id)
    back = reverse("participation_portal:wishes")

    def act(_d: dict[str, Any]) -> Any:
        try:
            return giving.wish_claim(account=account, wish=wish)
        except giving.AlreadyClaimed:
            raise ValidationError(_("Someone else claimed this wish a moment ago. Thank you all the same!")) from None

    return form_page(
        request,
        form=ClaimForm(request.POST),
        act=act,
        success=lambda _c: reverse("participation_portal:giving"),
        done_message=_("The wish is yours. Deliver it, then add a photo here for the station."),
        title=wish.title,
        cancel_url=back,
        breadcrumbs=[],
        template="participation/portal/claim_refused.html",
        extra=lambda: {"back": back},
    )


@portal_login_required
def giving_home(request: HttpRequest) -> HttpResponse:
    account = _account(request)
    return render(
        request,
        "participation/portal/giving.html",
        {
            "title": _("What I have given"),
            "account": account,
            "claims": list(selectors.own_claims(account)),
            "enterprise_claim": selectors.own_enterprise_claims(account).first(),
        },
    )


@portal_login_required
def deliver(request: HttpRequest, wish_claim_id: int) -> HttpResponse:
    account = _account(request)
    claim = get_object_or_404(selectors.own_claims(account), pk=wish_claim_id)
    back = reverse("participation_portal:giving")
    return form_page(
        request,
        form=DeliveryForm(request.POST or None, request.FILES or None, initial={"delivered_on": timezone.localdate()}),
        act=lambda d: giving.wish_deliver(
            account=account, claim=claim, photo=d["photo"], delivered_on=d["delivered_on"]
        ),
        success=lambda _c: back,
        done_message=_("Thank you! The station will confirm the delivery."),
        title=_("Delivered: %(title)s") % {"title": claim.wish.title},
        cancel_url=back,
        breadcrumbs=[],
        submit_label=_("Send"),
        template=FORM,
    )


@portal_login_required
def enterprise(request: HttpRequest) -> HttpResponse:
    account = _account(request)
    back = reverse("participation_portal:giving")
    return form_page(
        request,
        form=EnterpriseClaimForm(request.POST or None),
        act=lambda d: giving.enterprise_claim(account=account, **d),
        success=lambda _c: back,
        done_message=_("The station will confirm whom you represent."),
        title=_("I give for an enterprise"),
        intro=_("Once the station has confirmed it, what you give is recorded for the enterprise."),
        cancel_url=back,
        breadcrumbs=[],
        template=FORM,
    )
