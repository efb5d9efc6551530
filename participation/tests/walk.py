"""What the URL walk (tests/leakwalk.py) needs from the participation area:
in station B one pending item of each staff queue, carrying CANARY. The
portal pages answer only a signed-in portal account (a staff login gets
403), so their record-bearing URLs are self-only."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from tests.leakwalk import SELF_ONLY

SELF_ONLY.update(
    {
        "participation_portal:activity_signup",
        "participation_portal:activity_hours",
        "participation_portal:record_fix",
        "participation_portal:certificate_pdf",
        "participation_portal:wish_claim",
        "participation_portal:deliver",
        "participation_portal:task_signup",
        "participation_portal:task_hours",
    }
)


def _participation_b(w: Any) -> dict[str, Any]:
    def make() -> dict[str, Any]:
        from django.utils import timezone

        from matching import services as matching
        from matching.models import NeedType
        from participation import applications, giving
        from participation.models import HoursReport, RequestKind
        from participation.tests.conftest import open_task
        from portal.models import PortalAccount
        from tests import uploads
        from tests.leakwalk import CANARY, person_b
        from volunteering.services import service_record_propose
        from volunteers.tests.factories import VolunteerFactory

        def account(phone: str, name: str) -> Any:
            return PortalAccount.objects.create(
                phone=phone,
                name=name,
                station=w.tree.station_b,
                community=w.tree.b1,
                privacy_accepted_at=timezone.now(),
            )

        newcomer = account("13900000081", f"{CANARY}新人")
        application = applications.application_submit(
            account=newcomer,
            unit=w.tree.b1,
            name=f"{CANARY}新人",
            sex="F",
            birth_date=dt.date(1990, 1, 1),
            consent=True,
        )
        regular = account("13900000082", f"{CANARY}志愿者")
        regular.volunteer = VolunteerFactory(unit=w.tree.b1, name=f"{CANARY}门户志愿者", phone=regular.phone)
        regular.save()
        request = applications.request_submit(account=regular, kind=RequestKind.PROFILE, note=CANARY)
        task = open_task(w.tree.b1, person=person_b(w))
        applications.request_submit(account=regular, kind=RequestKind.TASK, task=task, note=CANARY)
        record = service_record_propose(
            volunteer=regular.volunteer,
            activity_name=CANARY,
            date=timezone.localdate(),
            hours=Decimal(2),
            source_type="casework.activity",
            source_id="0",
            via="walk",
        )
        hours = HoursReport.objects.create(
            unit=w.tree.b1,
            account=regular,
            volunteer=regular.volunteer,
            record=record,
            activity_name=CANARY,
            date=record.date,
            hours=Decimal(2),
        )
        wish = matching.wish_publish(
            actor=w.insider,
            person=person_b(w),
            title=f"{CANARY}心愿",
            value=Decimal("60"),
            deadline=timezone.localdate() + dt.timedelta(days=10),
            need_type=NeedType.objects.get(code="goods-appliance"),
        )
        donor = account("13900000083", f"{CANARY}捐赠人")
        claim = giving.wish_claim(account=donor, wish=wish)
        giving.wish_deliver(account=donor, claim=claim, photo=uploads.image())
        enterprise = giving.enterprise_claim(account=donor, name=f"{CANARY}企业")
        return {
            "application": application,
            "request": request,
            "hours": hours,
            "claim": claim,
            "enterprise": enterprise,
            "task": task,
        }

    return w.once("participation_b", make)


def kwargs() -> dict[str, Callable[[Any], Any]]:
    return {
        "volunteer_application_id": lambda w: _participation_b(w)["application"].pk,
        "volunteer_request_id": lambda w: _participation_b(w)["request"].pk,
        "hours_report_id": lambda w: _participation_b(w)["hours"].pk,
        "wish_claim_id": lambda w: _participation_b(w)["claim"].pk,
        "enterprise_claim_id": lambda w: _participation_b(w)["enterprise"].pk,
        "volunteer_task_id": lambda w: _participation_b(w)["task"].pk,
    }


def populators() -> list[Callable[[Any], Any]]:
    return [_participation_b]
