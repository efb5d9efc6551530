"""What the URL walk (tests/leakwalk.py) needs from the portal: in station
B a resident's help request (with a photo) and feedback carrying CANARY.
Their staff pages are scoped like any other; the residents' tracking page
answers only the portal account that sent the item, never a staff login."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.leakwalk import SELF_ONLY

# A staff login gets 403 on every portal page that needs a portal account.
SELF_ONLY.add("portal:track_detail")

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


def _portal_b(w: Any) -> dict[str, Any]:
    def make() -> dict[str, Any]:
        from django.core.files.base import ContentFile
        from django.core.files.storage import default_storage
        from django.utils import timezone

        from matching.models import NeedType
        from portal.models import Feedback, HelpRequest, PortalAccount
        from tests.leakwalk import CANARY

        account = PortalAccount.objects.create(
            phone="13900000077",
            name=f"{CANARY}居民",
            community=w.tree.b1,
            station=w.tree.station_b,
            privacy_accepted_at=timezone.now(),
        )
        photo = default_storage.save("portal/help/walk.png", ContentFile(PNG))
        help_request = HelpRequest.objects.create(
            tracking="QZ-2026-990001",
            account=account,
            unit=w.tree.b1,
            need_type=NeedType.objects.get(code="escort"),
            description=CANARY,
            person_name=f"{CANARY}张",
            contact_phone="13900000077",
            photo=photo,
        )
        feedback = Feedback.objects.create(
            tracking="TS-2026-990002", account=account, unit=w.tree.b1, kind="complaint", about=CANARY, text=CANARY
        )
        # the work records walk's questionnaire, published by link (its QR code answers)
        from portal.models import SurveyLink
        from tests.leakwalk import KWARGS

        SurveyLink.objects.create(survey_id=KWARGS["survey_id"](w), token="walk-survey-token", active=True)
        return {"help": help_request, "feedback": feedback}

    return w.once("portal_b", make)


def kwargs() -> dict[str, Callable[[Any], Any]]:
    return {
        "help_request_id": lambda w: _portal_b(w)["help"].pk,
        "portal_feedback_id": lambda w: _portal_b(w)["feedback"].pk,
        "tracking_number": lambda w: _portal_b(w)["help"].tracking,
    }


def populators() -> list[Callable[[Any], Any]]:
    return [_portal_b]
