"""Signing in at an activity by its QR code (the public page, no staff login),
and staff switching the QR code off, on or renewing it.

A sign-in names no staff actor: the caller has opened the signed link
(`casework.signin.open_link`) and passes the activity it names. Whatever the
number turns out to be, the visitor is told the same ("signed in at …"), so
the page never reveals whether a phone belongs to someone the station knows.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.actions import Action
from audit.models import Outcome
from audit.services import audit_record
from casework.models import Activity, ActivitySignIn, ActivitySignup, ActivityStatus, SignInKind
from casework.models.activities import new_signin_key
from casework.signin import phone_digest
from core.access import Perm, require, require_unit_in_scope, under
from core.concurrency import lock, take_once
from core.identity import validate_phone
from people.models import Person
from people.search_keys import phone_key
from volunteering.services import service_record_propose
from volunteers.models import Volunteer

# Who wrote the audit event of a sign-in (there is no staff actor).
VIA = "qr-signin"


@dataclass(frozen=True)
class SignedIn:
    activity: Activity
    signin: ActivitySignIn | None  # None: the same client id was sent before


def clean_phone(phone: str) -> str:
    try:
        value = validate_phone(phone)
    except ValidationError:
        raise ValidationError({"phone": _("Enter a mobile number of 11 digits, or a landline.")}) from None
    if not value:
        raise ValidationError({"phone": _("Enter your phone number.")})
    return value


def _resident(activity: Activity, phone: str) -> Person | None:
    """The one active resident of the activity's station with this phone."""
    key = phone_key(phone)
    found = list(
        under(Person.objects.filter(is_active=True), activity.unit.station).filter(
            Q(phone_tail=key) | Q(phone2_tail=key)
        )[:2]
    )
    return found[0] if len(found) == 1 else None  # a phone shared by two residents names neither


def _volunteer(activity: Activity, phone: str) -> Volunteer | None:
    found = list(under(Volunteer.objects.filter(is_active=True, phone=phone), activity.unit.station)[:2])
    return found[0] if len(found) == 1 else None


def _hours(activity: Activity) -> Decimal:
    hours = Decimal((activity.ends_at - activity.starts_at).total_seconds() / 3600).quantize(Decimal("0.1"))
    return max(Decimal("0.1"), min(hours, Decimal(24)))


def _signup(activity: Activity, **who: Any) -> ActivitySignup:
    signup, _created = ActivitySignup.objects.get_or_create(activity=activity, **who, defaults={"attended": True})
    if not signup.attended:
        signup.attended = True
        signup.save(update_fields=["attended"])
    return signup


@transaction.atomic
def activity_signin(
    *, activity: Activity, phone: str, as_volunteer: bool = False, name: str = "", once: str | None = None
) -> SignedIn:
    """Sign a phone number in at an activity whose link the caller opened.

    - a registered volunteer of the station (when they say they are one): their
      sign-up is ticked attended and a **pending** service record for the
      activity's length is proposed, for staff to confirm;
    - a resident of the station: their sign-up is ticked attended (made if
      they had not signed up);
    - any other number: one more in the head count, with the name typed (no
      resident record is made).

    A number signs in once per activity; the same client id (`once`) sent
    again signs in nothing more. Every sign-in is audited."""
    phone = clean_phone(phone)
    if once and take_once(once, user_id=0, path=f"signin:{activity.pk}") is not None:
        return SignedIn(activity, None)
    lock(activity)
    if activity.status == ActivityStatus.CANCELLED:
        raise ValidationError({"__all__": _("This activity was cancelled.")})
    digest = phone_digest(phone)
    earlier = ActivitySignIn.objects.filter(activity=activity, phone_digest=digest).first()
    if earlier is not None:
        audit_record(actor=None, actor_label=VIA, action=Action.ACTIVITY_SIGNIN, target=activity, note="again")
        return SignedIn(activity, earlier)
    volunteer = _volunteer(activity, phone) if as_volunteer else None
    person = None if volunteer is not None else _resident(activity, phone)
    changes: dict[str, list[Any]]
    if volunteer is not None:
        signup = _signup(activity, volunteer=volunteer)
        if signup.service_record_id is None:
            signup.service_record = service_record_propose(
                volunteer=volunteer,
                activity_name=activity.title,
                date=timezone.localtime(activity.starts_at).date(),
                place=activity.venue,
                hours=_hours(activity),
                organiser=activity.organiser,
                person_in_charge=str(activity.person_in_charge),
                source_type="casework.activity",
                source_id=str(activity.pk),
                via=VIA,
            )
            signup.save(update_fields=["service_record"])
        signin = ActivitySignIn.objects.create(
            activity=activity, kind=SignInKind.VOLUNTEER, signup=signup, phone_digest=digest
        )
        changes = {"volunteer": [None, volunteer.name]}
    elif person is not None:
        signup = _signup(activity, person=person)
        signin = ActivitySignIn.objects.create(
            activity=activity, kind=SignInKind.RESIDENT, signup=signup, phone_digest=digest
        )
        changes = {"person": [None, person.name]}
    else:
        given = " ".join((name or "").split())[:50]
        signin = ActivitySignIn.objects.create(
            activity=activity, kind=SignInKind.GUEST, name=given, phone_digest=digest
        )
        activity.head_count += 1
        activity.save(update_fields=["head_count"])
        changes = {"head_count": [activity.head_count - 1, activity.head_count]}
    audit_record(actor=None, actor_label=VIA, action=Action.ACTIVITY_SIGNIN, target=activity, changes=changes)
    return SignedIn(activity, signin)


def activity_signin_refused(*, activity: Activity | None, reason: str) -> None:
    """Audit a refused sign-in (a link that does not work now, too many tries)."""
    audit_record(
        actor=None,
        actor_label=VIA,
        action=Action.ACTIVITY_SIGNIN_REFUSED,
        target=activity,
        outcome=Outcome.DENIED,
        note=reason,
    )


SWITCHES = ("on", "off", "renew")


@transaction.atomic
def activity_signin_switch(*, actor: Any, activity: Activity, action: str) -> Activity:
    """Staff switch an activity's sign-in QR code on or off, or renew it (a QR
    code shown or printed before stops working)."""
    require(actor, Perm.RECORD_EDIT)
    require_unit_in_scope(actor, activity.unit)
    lock(activity)
    if action not in SWITCHES:
        raise ValidationError({"action": _("Choose what to do with the QR code.")})
    before = {"signin_open": activity.signin_open}
    if action == "renew":
        activity.signin_key = new_signin_key()
        activity.signin_open = True
    else:
        activity.signin_open = action == "on"
    activity.save(update_fields=["signin_key", "signin_open"])
    audit_record(
        actor=actor,
        action=Action.ACTIVITY_SIGNIN_SWITCH,
        target=activity,
        changes={"signin_open": [before["signin_open"], activity.signin_open]},
        note=action,
    )
    return activity
