from __future__ import annotations

import io
from typing import Any, cast

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from audit.models import AuditEvent
from matching.models import Need, NeedSource, NeedType
from people.models import Person
from portal import intake
from portal.models import HelpRequest, IntakeStatus, PortalAccount

pytestmark = pytest.mark.django_db


def _escort() -> NeedType:
    return NeedType.objects.get(code="escort")


def _ask(client: Client, community: Any, **extra: Any) -> Any:
    data = {
        "need_type": _escort().pk,
        "description": "陪同去医院复查",
        "community": community.pk,
        "contact_phone": "13800138000",
        **extra,
    }
    return client.post("/portal/help/new/", data)


def _png(size: int = 8) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (size, size), "red").save(out, "PNG")
    return out.getvalue()


def test_it_takes_a_help_request_with_a_tracking_number(portal_client: Client, tree: Any) -> None:
    r = _ask(portal_client, tree.a1)
    row = HelpRequest.objects.get()
    assert r["Location"] == f"/portal/track/{row.tracking}/"
    assert row.tracking.startswith("QZ-") and row.status == IntakeStatus.RECEIVED and row.unit == tree.a1
    assert Need.objects.count() == 0, "nothing becomes a real record before staff accept it"
    page = portal_client.get(r["Location"]).content.decode()
    assert row.tracking in page
    assert AuditEvent.objects.filter(action="portal.help_submit").exists()


def test_it_refuses_a_child_without_a_guardian(portal_client: Client, tree: Any) -> None:
    from django.utils import timezone

    year = timezone.localdate().year - 10
    r = _ask(portal_client, tree.a1, birth_year=year)
    assert r.status_code == 200 and HelpRequest.objects.count() == 0
    assert "guardian" in r.content.decode() or "监护人" in r.content.decode()
    r = _ask(
        portal_client,
        tree.a1,
        birth_year=year,
        guardian_name="王芳",
        guardian_phone="13900139000",
        guardian_relation="母亲",
    )
    assert r.status_code == 302 and HelpRequest.objects.get().guardian_name == "王芳"


def test_it_refuses_an_oversized_or_malformed_photo(portal_client: Client, tree: Any, settings: Any) -> None:
    settings.PORTAL_UPLOAD_MAX_MB = 1
    fake = SimpleUploadedFile("photo.jpg", b"<?php echo 1; ?>", content_type="image/jpeg")
    r = _ask(portal_client, tree.a1, photo=fake)
    assert r.status_code == 200 and HelpRequest.objects.count() == 0
    big = SimpleUploadedFile("big.png", _png() + b"\0" * (1024 * 1024 + 1), content_type="image/png")
    r = _ask(portal_client, tree.a1, photo=big)
    assert r.status_code == 200 and HelpRequest.objects.count() == 0
    assert "1 MB" in r.content.decode()
    good = SimpleUploadedFile("p.png", _png(), content_type="image/png")
    r = _ask(portal_client, tree.a1, photo=good)
    assert r.status_code == 302 and HelpRequest.objects.get().photo.endswith(".png")


def test_it_stops_a_flood_from_one_address(portal_client: Client, tree: Any, settings: Any) -> None:
    settings.PORTAL_SUBMISSIONS_PER_ADDRESS_HOUR = 3
    for _ in range(3):
        assert _ask(portal_client, tree.a1).status_code == 302
    r = _ask(portal_client, tree.a1)
    assert r.status_code == 200 and HelpRequest.objects.count() == 3


def test_it_shows_a_tracking_page_only_to_its_sender(portal_client: Client, tree: Any) -> None:
    _ask(portal_client, tree.a1)
    row = HelpRequest.objects.get()
    other = Client()
    from portal.tests.conftest import sign_in

    PortalAccount.objects.create(phone="13700137000", name="x", community=tree.a1, privacy_accepted_at=row.created_at)
    sign_in(other, "13700137000")
    assert other.get(f"/portal/track/{row.tracking}/").status_code == 404
    assert row.tracking not in other.get("/portal/track/").content.decode()


def test_it_lets_staff_of_the_station_accept_as_a_need(
    resident: PortalAccount, tree: Any, lead: Any, outsider: Any
) -> None:
    from people.tests.factories import PersonFactory

    person = cast(Person, PersonFactory(unit=tree.a1))
    row = intake.help_submit(account=resident, need_type=_escort(), description="陪诊", community=tree.a1)
    staff = Client()
    staff.force_login(outsider)
    assert staff.get(f"/intake/help/{row.pk}/").status_code == 404
    assert row.tracking not in staff.get("/intake/").content.decode()
    staff.force_login(lead)
    assert row.tracking in staff.get("/intake/").content.decode()
    page = staff.get(f"/intake/help/{row.pk}/").content.decode()
    assert person.name in page
    import re

    once = re.search(r'name="_once" value="([^"]+)"', page)
    data = {"person": person.pk, "description": "陪诊", **({"_once": once.group(1)} if once else {})}
    r = staff.post(f"/intake/help/{row.pk}/accept/", data)
    assert r.status_code == 302, r.content.decode()[:3000]
    row.refresh_from_db()
    assert row.status == IntakeStatus.ACCEPTED and row.need is not None
    assert row.need.source == NeedSource.REQUEST and row.need.person == person


def test_it_declines_with_a_reason_the_resident_reads(resident: PortalAccount, tree: Any, lead: Any) -> None:
    row = intake.help_submit(account=resident, need_type=_escort(), description="陪诊", community=tree.a1)
    with pytest.raises(ValidationError):
        intake.help_decline(actor=lead, help_request=row, reason=" ")
    intake.help_decline(actor=lead, help_request=row, reason="本站暂无此项服务，请致电")
    client = Client()
    from portal.tests.conftest import sign_in

    sign_in(client)
    page = client.get(f"/portal/track/{row.tracking}/").content.decode()
    assert "本站暂无此项服务" in page


def test_it_lets_staff_reply_to_feedback(portal_client: Client, tree: Any, lead: Any) -> None:
    r = portal_client.post(
        "/portal/feedback/new/", {"kind": "complaint", "about": "助餐", "text": "饭菜凉了", "community": tree.a1.pk}
    )
    assert r.status_code == 302
    from portal.models import Feedback

    row = Feedback.objects.get()
    assert row.tracking.startswith("TS-")
    intake.feedback_reply(actor=lead, feedback=row, reply="已与送餐志愿者沟通，谢谢您")
    assert "已与送餐志愿者沟通" in portal_client.get(f"/portal/track/{row.tracking}/").content.decode()
    assert AuditEvent.objects.filter(action="portal.feedback_reply").exists()
