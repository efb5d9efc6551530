"""What the URL walk (tests/leakwalk.py) needs from the services area: a
station-B case (with a note, a file, a referral to a partner, a case
conference with a decision, a referral received), a group with a session and
an activity with a photo, all carrying CANARY."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from accounts.models import User
    from partners.models import CommunityOrganisation


def _services_b(w: Any) -> dict[str, Any]:
    def make() -> dict[str, Any]:
        from django.core.files.base import ContentFile
        from django.core.files.storage import default_storage
        from django.utils import timezone

        from casework.models import (
            Activity,
            ActivityPhoto,
            ActivitySignIn,
            ActivitySignup,
            Case,
            CaseAttachment,
            CaseConference,
            CaseGoal,
            CaseNote,
            Group,
            GroupMember,
            GroupSession,
            InboundReferral,
            Referral,
        )
        from core.models import ServiceDomain
        from partners.tests.factories import CommunityOrganisationFactory
        from tests.factories import UserFactory
        from tests.leakwalk import CANARY, person_b

        person = person_b(w)
        worker = cast(
            "User",
            UserFactory(username="canary_sw_b", full_name=f"{CANARY}社工", role="social_worker", unit=w.tree.station_b),
        )
        domain = ServiceDomain.objects.get(code="elderly")
        case = Case.objects.create(
            unit=person.unit,
            number=f"ELD-{CANARY}-0001",
            person=person,
            domain=domain,
            title=CANARY,
            intake_summary=CANARY,
            opened_on=dt.date(2026, 1, 5),
            worker=worker,
            plan_agreed_by=CANARY,
            plan_agreed_on=dt.date(2026, 1, 6),
        )
        CaseNote.objects.create(case=case, author=worker, date=dt.date(2026, 1, 6), text=CANARY)
        goal = CaseGoal.objects.create(case=case, text=CANARY)
        name = "casework/attachments/leakwalk-canary.pdf"
        if not default_storage.exists(name):
            default_storage.save(name, ContentFile(b"%PDF-1.4 canary"))
        attachment = CaseAttachment.objects.create(
            case=case, file=name, original_name=f"{CANARY}.pdf", content_type="application/pdf", size=15
        )
        partner = cast(
            "CommunityOrganisation", CommunityOrganisationFactory(unit=w.tree.station_b, name=f"{CANARY}医院")
        )
        referral = Referral.objects.create(
            case=case,
            unit=case.unit,
            organisation=CANARY,
            partner_organisation=partner,
            reason=CANARY,
            asked=CANARY,
            referred_on=dt.date(2026, 1, 7),
            consent_on=dt.date(2026, 1, 7),
            consent_method="written",
            feedback=CANARY,
        )
        conference = CaseConference.objects.create(
            case=case, unit=case.unit, date=dt.date(2026, 1, 8), discussion=CANARY, others=CANARY
        )
        conference.organisations.add(partner)
        CaseGoal.objects.create(
            case=case, text=CANARY, conference=conference, responsible_kind="family", responsible_name=CANARY
        )
        InboundReferral.objects.create(
            unit=case.unit,
            from_organisation=partner,
            person=person,
            received_on=dt.date(2026, 1, 4),
            reason=CANARY,
            opened="case",
            case=case,
        )
        group = Group.objects.create(
            unit=w.tree.station_b, name=CANARY, domain=domain, goals=CANARY, worker=worker, start_on=dt.date(2026, 1, 1)
        )
        GroupMember.objects.create(group=group, person=person, joined_on=dt.date(2026, 1, 1))
        session = GroupSession.objects.create(group=group, number=1, date=dt.date(2026, 1, 8), topic=CANARY)
        start = timezone.now() - dt.timedelta(days=3)
        activity = Activity.objects.create(
            unit=w.tree.station_b,
            title=CANARY,
            domain=domain,
            venue=CANARY,
            starts_at=start,
            ends_at=start + dt.timedelta(hours=2),
            organiser=CANARY,
            person_in_charge=worker,
            summary=CANARY,
        )
        ActivitySignup.objects.create(activity=activity, person=person, attended=True)
        ActivitySignIn.objects.create(activity=activity, kind="guest", name=CANARY, phone_digest=CANARY)
        photo_name = "casework/photos/leakwalk-canary.jpg"
        if not default_storage.exists(photo_name):
            default_storage.save(photo_name, ContentFile(b"\xff\xd8\xff\xe0canary"))
        photo = ActivityPhoto.objects.create(
            activity=activity, file=photo_name, content_type="image/jpeg", size=10, caption=CANARY
        )
        return {
            "case": case,
            "goal": goal,
            "attachment": attachment,
            "referral": referral,
            "group": group,
            "session": session,
            "activity": activity,
            "photo": photo,
        }

    return w.once("services_b", make)


def _volunteering_b(w: Any) -> Any:
    def make() -> Any:
        from tests.leakwalk import CANARY, volunteer_b
        from volunteering.models import Award, Certificate, Evaluation, ServiceRecord, Training

        volunteer = volunteer_b(w)
        ServiceRecord.objects.create(
            volunteer=volunteer,
            unit=volunteer.unit,
            activity_name=CANARY,
            date=dt.date(2026, 1, 9),
            hours=3,
            content=CANARY,
        )
        Training.objects.create(
            volunteer=volunteer, unit=volunteer.unit, name=CANARY, hours=2, organiser=CANARY, date=dt.date(2026, 1, 9)
        )
        Award.objects.create(
            volunteer=volunteer, unit=volunteer.unit, name=CANARY, date=dt.date(2026, 1, 9), issuer=CANARY
        )
        Evaluation.objects.create(
            volunteer=volunteer, unit=volunteer.unit, rating="good", date=dt.date(2026, 1, 9), comment=CANARY
        )
        return Certificate.objects.create(
            volunteer=volunteer,
            unit=volunteer.unit,
            number="ZYFWCANARY",
            issued_on=dt.date(2026, 1, 10),
            issuing_unit=CANARY,
            hours=3,
            records=1,
            content=CANARY,
        )

    return w.once("volunteering_b", make)


def _pending_record_b(w: Any) -> Any:
    """A service record of station B awaiting confirmation (a volunteer's own QR sign-in)."""

    def make() -> Any:
        from tests.leakwalk import CANARY, volunteer_b
        from volunteering.models import ServiceRecord

        volunteer = volunteer_b(w)
        return ServiceRecord.objects.create(
            volunteer=volunteer,
            unit=volunteer.unit,
            activity_name=CANARY,
            date=dt.date(2026, 1, 9),
            hours=2,
            pending=True,
        )

    return w.once("pending_record_b", make)


def kwargs() -> dict[str, Callable[[Any], Any]]:
    return {
        "case_id": lambda w: _services_b(w)["case"].pk,
        "goal_id": lambda w: _services_b(w)["goal"].pk,
        "attachment_id": lambda w: _services_b(w)["attachment"].pk,
        "referral_id": lambda w: _services_b(w)["referral"].pk,
        "group_id": lambda w: _services_b(w)["group"].pk,
        "session_id": lambda w: _services_b(w)["session"].pk,
        "activity_id": lambda w: _services_b(w)["activity"].pk,
        "photo_id": lambda w: _services_b(w)["photo"].pk,
        "certificate_id": lambda w: _volunteering_b(w).pk,
        "service_record_id": lambda w: _pending_record_b(w).pk,
    }


def populators() -> list[Callable[[Any], Any]]:
    return [_services_b, _volunteering_b, _pending_record_b]
