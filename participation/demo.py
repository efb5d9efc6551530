"""Demo items from the portal in the first station's queues: a registration
waiting, a volunteer's reported hours and a correction request, a donor's
delivered micro-wish with its photo and a donor's enterprise to confirm.
No random draws, so the other seeders' streams stay as they were."""

from __future__ import annotations

import datetime as dt
import io
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

if TYPE_CHECKING:
    from core.demo import DemoContext


def _account(station: Any, phone: str, name: str, community: Any) -> Any:
    from portal.models import PortalAccount

    account, _created = PortalAccount.objects.get_or_create(
        phone=phone,
        defaults={"name": name, "station": station, "community": community, "privacy_accepted_at": timezone.now()},
    )
    return account


def _photo() -> SimpleUploadedFile:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (64, 48), (230, 120, 40)).save(buf, format="JPEG")
    return SimpleUploadedFile("delivered.jpg", buf.getvalue(), content_type="image/jpeg")


def seed(ctx: DemoContext) -> None:
    from casework.models import Activity
    from core.access import under
    from core.roles import Level
    from matching.models import Wish, WishStatus
    from orgs.models import OrgUnit
    from participation import applications, giving, serving
    from participation.models import HoursReport, RequestKind, VolunteerApplication
    from volunteers.models import Volunteer

    station = OrgUnit.objects.filter(level=Level.STATION).order_by("code").first()
    community = OrgUnit.objects.filter(parent=station, level=Level.COMMUNITY).order_by("code").first()
    if station is None or community is None:
        return
    newcomer = _account(station, "13900001001", "陈思雨", community)
    if not VolunteerApplication.objects.filter(account=newcomer).exists():
        applications.application_submit(
            account=newcomer,
            unit=community,
            name="陈思雨",
            sex="F",
            birth_date=dt.date(1998, 3, 14),
            availability={"sat": ["am", "pm"]},
            consent=True,
        )
    # A registered volunteer of the station who now uses the portal.
    from participation.models import VolunteerRequest, WishClaim
    from portal.models import PortalAccount

    # Loaded again, the demo keeps the volunteer it linked the first time.
    linked = PortalAccount.objects.filter(phone="13900001002", volunteer__isnull=False).first()
    volunteer = (
        linked.volunteer
        if linked is not None
        else under(Volunteer.objects.filter(is_active=True, portal_account__isnull=True), station)
        .order_by("id")
        .first()
    )
    activity = under(Activity.objects.filter(starts_at__lt=timezone.now()), station).order_by("-starts_at").first()
    if volunteer is not None and activity is not None:
        regular = _account(station, "13900001002", volunteer.name, volunteer.unit)
        regular.volunteer = volunteer
        regular.save(update_fields=["volunteer"])
        from casework.models import ActivitySignup

        ActivitySignup.objects.get_or_create(activity=activity, volunteer=volunteer)
        if not HoursReport.objects.filter(account=regular).exists():
            try:
                serving.hours_report(account=regular, activity=activity, hours=2)
            except ValidationError:
                pass  # the demo's staff already recorded these hours: nothing to report
        if not VolunteerRequest.objects.filter(account=regular).exists():
            applications.request_submit(
                account=regular,
                kind=RequestKind.PROFILE,
                changes={"availability": {"sun": ["am"]}},
                note="周日上午也可以",
            )
    wish = under(Wish.objects.filter(status=WishStatus.PUBLISHED), station).order_by("id").first()
    if wish is not None and not WishClaim.objects.filter(account__phone="13900001003").exists():
        donor = _account(station, "13900001003", "刘先生", community)
        claim = giving.wish_claim(account=donor, wish=wish)
        giving.wish_deliver(account=donor, claim=claim, photo=_photo())
        giving.enterprise_claim(account=donor, name="鲤城区爱心超市")
