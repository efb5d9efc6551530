"""A volunteer's own registration and later requests, and staff's decisions
on them. A portal user's submission writes only a pending item (audited with
their account as actor label); the registry changes when staff accept it,
through the volunteers and volunteering areas' own services."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.actions import Action
from audit.services import audit_record
from core import identity
from core.access import Perm, require, require_unit_in_scope, under
from core.concurrency import lock
from core.roles import Level
from matching.models import ServiceTask, TaskStatus
from participation import conf
from participation.models import Decision, RequestKind, VolunteerApplication, VolunteerRequest
from volunteering import services as volunteering
from volunteering.models import ServiceRecord
from volunteers import services as volunteers
from volunteers.models import Skill, Volunteer


def age_on(born: dt.date, day: dt.date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _area(account: Any, unit: Any) -> Any:
    """The community (or the station itself) chosen as area of residence: it
    must lie in the account's station."""
    station = account.station
    if station is None:
        raise ValidationError({"__all__": _("Choose your social-work station first.")})
    if unit is None or not (unit.pk == station.pk or (unit.level == Level.COMMUNITY and unit.parent_id == station.pk)):
        raise ValidationError({"unit": _("Choose a community of your station.")})
    return unit


def _pending_or_refuse(item: Any) -> None:
    if item.status != Decision.PENDING:
        raise ValidationError({"__all__": _("This was already decided by a colleague.")})


def _decide(item: Any, actor: Any, status: str, reason: str = "") -> None:
    item.status = status
    item.decided_by = actor
    item.decided_at = timezone.now()
    item.reason = reason[:200]
    item.save(update_fields=["status", "decided_by", "decided_at", "reason"])


# ---------------------------------------------------------------- registration


@transaction.atomic
def application_submit(
    *,
    account: Any,
    unit: Any,
    name: str,
    sex: str,
    birth_date: dt.date | None,
    resident_id: str = "",
    skills: Iterable[Skill] = (),
    availability: dict[str, list[str]] | None = None,
    guardian_name: str = "",
    guardian_phone: str = "",
    guardian_consent: bool = False,
    consent: bool = False,
) -> VolunteerApplication:
    """A portal user asks to be registered as a volunteer of their station.
    Only the 2021 rules' minimum is asked; the verified phone of the account
    is the contact. Under the guardian age a guardian's name, phone and
    consent are required."""
    if account.volunteer_id is not None:
        raise ValidationError({"__all__": _("You are already registered as a volunteer.")})
    if VolunteerApplication.objects.filter(account=account, status=Decision.PENDING).exists():
        raise ValidationError({"__all__": _("Your application is already waiting for the station's confirmation.")})
    errors: dict[str, Any] = {}
    try:
        unit = _area(account, unit)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    name = identity.normalise_name(name)
    if not name:
        errors["name"] = _("Enter the name.")
    parsed = None
    try:
        parsed, birth_date, sex = identity.reconcile_identity(
            resident_id=identity.normalise_code(resident_id), birth_date=birth_date, sex=sex
        )
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        availability = volunteers.clean_availability(availability or {})
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if any(not s.active for s in skills):
        errors["skills"] = _("Choose among the skills offered.")
    if not consent:
        errors["consent"] = _("Registration needs your consent to the way your data is kept.")
    today = timezone.localdate()
    if birth_date and age_on(birth_date, today) < conf.guardian_age():
        guardian_name = identity.normalise_name(guardian_name)
        if not guardian_name:
            errors["guardian_name"] = _("Under %(age)s a guardian's name is needed.") % {"age": conf.guardian_age()}
        try:
            guardian_phone = identity.validate_phone(guardian_phone)
        except ValidationError as exc:
            errors["guardian_phone"] = exc.messages
        if not guardian_phone and "guardian_phone" not in errors:
            errors["guardian_phone"] = _("Under %(age)s a guardian's phone is needed.") % {"age": conf.guardian_age()}
        if not guardian_consent:
            errors["guardian_consent"] = _("Under %(age)s the guardian must agree.") % {"age": conf.guardian_age()}
    else:
        guardian_name, guardian_phone, guardian_consent = "", "", False  # only the minimum is kept
    if errors:
        raise ValidationError(errors)
    assert birth_date is not None
    application = VolunteerApplication(
        unit=unit,
        account=account,
        name=name,
        sex=sex,
        birth_date=birth_date,
        phone=account.phone,
        availability=availability or {},
        guardian_name=guardian_name,
        guardian_phone=guardian_phone,
        guardian_consent=guardian_consent,
        consent_version=conf.consent_version(),
        consent_at=timezone.now(),
    )
    identity.store_id(application, parsed.number if parsed else None)
    application.save()
    application.skills.set(list(skills))
    audit_record(
        actor=None,
        actor_label=conf.via(account),
        action=Action.PARTICIPATION_APPLY,
        target=application,
        changes={"name": [None, name], "resident_id": [None, identity.mask_id(tail=application.id_tail)]},
    )
    return application


def merge_candidates(application: VolunteerApplication) -> QuerySet[Volunteer]:
    """Volunteers of the application's station this person may already be:
    the same resident ID, the same phone, or the same name and birth date."""
    station = application.unit.station
    same = Q(phone=application.phone) | Q(name=application.name, birth_date=application.birth_date)
    if application.id_hash:
        same |= Q(id_hash=application.id_hash)
    return under(Volunteer.objects.filter(same), station).select_related("unit").order_by("id")


@transaction.atomic
def application_accept(
    *, actor: Any, application: VolunteerApplication, merge_into: Volunteer | None = None
) -> Volunteer:
    """Register the applicant (volunteers.volunteer_create) or, when they are
    already in the registry, merge the application into that volunteer; a
    candidate found and not chosen refuses the acceptance, so nobody is doubled."""
    require(actor, Perm.RECORD_EDIT)
    require_unit_in_scope(actor, application.unit)
    lock(application)
    _pending_or_refuse(application)
    candidates = list(merge_candidates(application))
    if merge_into is None and candidates:
        names = "、".join(f"{v.name} (no. {v.pk})" for v in candidates)
        raise ValidationError(
            {
                "merge_into": _("This person may already be registered: %(names)s. Choose whom to merge with.")
                % {"names": names}
            }
        )
    if merge_into is not None and merge_into.pk not in {v.pk for v in candidates}:
        raise ValidationError({"merge_into": _("Merge only with a volunteer this person may be.")})
    account = lock(application.account)
    if account.volunteer_id is not None:
        raise ValidationError({"__all__": _("This portal account already belongs to a registered volunteer.")})
    resident_id = identity.decrypt(application.id_cipher) if application.id_cipher else ""
    skills = list(application.skills.all())
    if merge_into is not None:
        volunteer = lock(merge_into)
        if hasattr(volunteer, "portal_account") and volunteer.portal_account is not None:
            raise ValidationError({"merge_into": _("This volunteer already has a portal account.")})
        changes: dict[str, Any] = {"phone": application.phone, "consent_at": timezone.localdate()}
        if application.availability:
            changes["availability"] = application.availability
        volunteers.volunteer_update(
            actor=actor,
            volunteer=volunteer,
            resident_id=resident_id if resident_id and not volunteer.id_cipher else None,
            skills=sorted({*volunteer.skills.all(), *skills}, key=lambda s: s.pk),
            **changes,
        )
    else:
        volunteer = volunteers.volunteer_create(
            actor=actor,
            unit=application.unit,
            name=application.name,
            resident_id=resident_id,
            sex=application.sex,
            birth_date=application.birth_date,
            skills=skills,
            phone=application.phone,
            availability=application.availability,
            consent_at=timezone.localtime(application.consent_at).date(),
        )
    account.volunteer = volunteer
    account.save(update_fields=["volunteer"])
    application.volunteer = volunteer
    application.merged = merge_into is not None
    application.save(update_fields=["volunteer", "merged"])
    _decide(application, actor, Decision.ACCEPTED)
    audit_record(
        actor=actor,
        action=Action.PARTICIPATION_APPLICATION_ACCEPT,
        target=application,
        changes={"volunteer": [None, volunteer.pk], "merged": [None, application.merged]},
    )
    return volunteer


@transaction.atomic
def application_decline(*, actor: Any, application: VolunteerApplication, reason: str) -> VolunteerApplication:
    require(actor, Perm.RECORD_EDIT)
    require_unit_in_scope(actor, application.unit)
    lock(application)
    _pending_or_refuse(application)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why, for the applicant.")})
    _decide(application, actor, Decision.DECLINED, reason.strip())
    audit_record(
        actor=actor, action=Action.PARTICIPATION_APPLICATION_DECLINE, target=application, note=reason.strip()[:200]
    )
    return application


# ---------------------------------------------------------------- requests

PROFILE_FIELDS = ("address", "availability", "skills")


@transaction.atomic
def request_submit(
    *,
    account: Any,
    kind: str,
    note: str = "",
    record: ServiceRecord | None = None,
    changes: dict[str, Any] | None = None,
    task: ServiceTask | None = None,
) -> VolunteerRequest:
    """A registered volunteer asks staff to correct their details (new values
    in `changes`: address, availability, skills), to correct one of their
    service records, to issue their certificate, or to give them an open
    service task of their station (first come: staff accept one of them)."""
    volunteer = account.volunteer
    if volunteer is None:
        raise ValidationError({"__all__": _("Only a registered volunteer can ask this.")})
    if kind not in RequestKind.values:
        raise ValidationError({"kind": _("Choose what you are asking for.")})
    note = " ".join((note or "").split())[:300]
    stored: dict[str, Any] = {}
    if kind == RequestKind.PROFILE:
        for key, value in (changes or {}).items():
            if key not in PROFILE_FIELDS:
                raise ValidationError({"__all__": _("These details cannot be changed here.")})
            if key == "availability":
                value = volunteers.clean_availability(value or {})
            if key == "skills":
                value = sorted(s.code for s in value if s.active)
            if key == "address":
                value = identity.normalise_text(value)[:200]
            stored[key] = value
        if not stored and not note:
            raise ValidationError({"__all__": _("Say what should change.")})
    elif kind == RequestKind.RECORD:
        if record is None or record.volunteer_id != volunteer.pk:
            raise ValidationError({"record": _("Choose one of your service records.")})
        if not note:
            raise ValidationError({"note": _("Say what should change.")})
    elif kind == RequestKind.TASK:
        if task is None or not _task_open(task) or task.unit.station.pk != volunteer.unit.station.pk:
            raise ValidationError({"__all__": _("This service task is no longer open.")})
    pending = VolunteerRequest.objects.filter(volunteer=volunteer, kind=kind, record=record, status=Decision.PENDING)
    if pending.filter(task=task).exists():
        raise ValidationError({"__all__": _("The same request is already waiting for the station's confirmation.")})
    request = VolunteerRequest.objects.create(
        unit=task.unit if task is not None else volunteer.unit,
        account=account,
        volunteer=volunteer,
        kind=kind,
        record=record,
        task=task,
        changes=stored,
        note=note,
    )
    audit_record(
        actor=None,
        actor_label=conf.via(account),
        action=Action.PARTICIPATION_REQUEST,
        target=request,
        changes={"kind": [None, kind], **{k: [None, "…"] for k in stored}},
    )
    return request


@transaction.atomic
def request_accept(*, actor: Any, request: VolunteerRequest, hours: Any = None) -> VolunteerRequest:
    """Do what the volunteer asked, through the registry's own services:
    their details updated, the record's hours corrected, the certificate issued."""
    require(actor, Perm.RECORD_EDIT)
    require_unit_in_scope(actor, request.unit)
    lock(request)
    _pending_or_refuse(request)
    volunteer = request.volunteer
    if request.kind == RequestKind.PROFILE:
        fields = dict(request.changes)
        skills = None
        if "skills" in fields:
            skills = list(Skill.objects.filter(code__in=fields.pop("skills")))
        volunteers.volunteer_update(actor=actor, volunteer=volunteer, skills=skills, **fields)
    elif request.kind == RequestKind.RECORD:
        if request.record is None:
            raise ValidationError({"__all__": _("The service record no longer exists.")})
        if hours in (None, ""):
            raise ValidationError({"hours": _("Enter the corrected hours.")})
        volunteering.service_record_correct(actor=actor, record=request.record, hours=hours)
    elif request.kind == RequestKind.TASK:
        _task_give(actor, request)
    else:
        volunteering.certificate_issue(actor=actor, volunteer=volunteer)
    _decide(request, actor, Decision.ACCEPTED)
    audit_record(actor=actor, action=Action.PARTICIPATION_REQUEST_ACCEPT, target=request)
    return request


def _task_open(task: ServiceTask) -> bool:
    return task.status == TaskStatus.ASSIGNED and task.volunteer_id is None and task.enterprise_id is None


def _task_give(actor: Any, request: VolunteerRequest) -> None:
    """The volunteer becomes the task's volunteer, unless someone was quicker."""
    task = request.task
    if task is None:
        raise ValidationError({"__all__": _("The service task no longer exists.")})
    require_unit_in_scope(actor, task.unit)
    lock(task)
    if not _task_open(task):
        raise ValidationError(
            {"__all__": _("This service task already has a volunteer (or is closed): decline the request.")}
        )
    task.volunteer = request.volunteer
    task.save(update_fields=["volunteer"])
    audit_record(
        actor=actor,
        action=Action.PARTICIPATION_REQUEST_ACCEPT,
        target=task,
        changes={"volunteer": [None, request.volunteer_id]},
    )


@transaction.atomic
def request_decline(*, actor: Any, request: VolunteerRequest, reason: str) -> VolunteerRequest:
    require(actor, Perm.RECORD_EDIT)
    require_unit_in_scope(actor, request.unit)
    lock(request)
    _pending_or_refuse(request)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why, for the volunteer.")})
    _decide(request, actor, Decision.DECLINED, reason.strip())
    audit_record(actor=actor, action=Action.PARTICIPATION_REQUEST_DECLINE, target=request, note=reason.strip()[:200])
    return request
