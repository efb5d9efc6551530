"""The portal pages: a portal user sees only their own items (another
account's answer 404), a staff login is refused, submissions land pending."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from participation import serving
from participation.models import VolunteerApplication, WishClaim
from participation.tests.conftest import volunteer_of
from portal.tests.conftest import sign_in
from tests import uploads
from volunteering.models import ServiceRecord

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(account):
    account.privacy_accepted_at = timezone.now()
    account.save()
    client = Client()
    sign_in(client, account.phone)
    return client


def test_it_sends_a_registration_that_waits_for_the_station(signed_in, account, tree):
    response = signed_in.post(
        reverse("participation_portal:register"),
        {"name": "林小红", "sex": "F", "birth_date": "1990-05-01", "unit": tree.a1.pk, "consent": "on"},
    )
    assert response.status_code == 302
    application = VolunteerApplication.objects.get()
    assert application.account == account and application.status == "pending"
    page = signed_in.get(reverse("participation_portal:volunteer")).content.decode()
    assert 'data-testid="application-pending"' in page


def test_it_refuses_a_child_without_a_guardian_on_the_page(signed_in, tree):
    born = timezone.localdate().replace(year=timezone.localdate().year - 10).isoformat()
    response = signed_in.post(
        reverse("participation_portal:register"),
        {"name": "林小小", "sex": "F", "birth_date": born, "unit": tree.a1.pk, "consent": "on"},
    )
    assert response.status_code == 200 and not VolunteerApplication.objects.exists()
    assert "监护人" in response.content.decode()


def test_it_shows_another_accounts_records_to_nobody(signed_in, account, other_account, lead, tree, activity):
    volunteer_of(account, lead, tree.a1)
    volunteer_of(other_account, lead, tree.a2)
    serving.signup(account=other_account, activity=activity)
    theirs = serving.hours_report(account=other_account, activity=activity, hours=2).record
    assert signed_in.get(reverse("participation_portal:record_fix", args=[theirs.pk])).status_code == 404
    assert signed_in.get(reverse("participation_portal:activity_hours", args=[activity.pk])).status_code == 404
    records = signed_in.get(reverse("participation_portal:records")).content.decode()
    assert other_account.name not in records and ServiceRecord.objects.count() == 1


def test_it_shows_another_donors_claim_to_nobody(signed_in, other_account, wish):
    from participation import giving

    claim = giving.wish_claim(account=other_account, wish=wish)
    url = reverse("participation_portal:deliver", args=[claim.pk])
    assert signed_in.get(url).status_code == 404
    assert signed_in.post(url, {"photo": uploads.image()}).status_code == 404
    assert "一台电风扇" not in signed_in.get(reverse("participation_portal:giving")).content.decode()


def test_it_claims_once_and_tells_the_second_claimant_on_the_page(signed_in, other_account, wish):
    from participation import giving

    giving.wish_claim(account=other_account, wish=wish)
    response = signed_in.post(reverse("participation_portal:wish_claim", args=[wish.pk]))
    assert response.status_code == 200 and "已被其他爱心人士认领" in response.content.decode()
    assert WishClaim.objects.count() == 1


def test_it_refuses_an_oversized_delivery_photo_on_the_page(signed_in, account, wish, settings):
    from participation import giving

    settings.LINLI_PHOTO_MAX_MB = 1
    claim = giving.wish_claim(account=account, wish=wish)
    big = uploads.SimpleUploadedFile(
        "big.jpg", uploads.image_bytes() + b"0" * (1024 * 1024 + 1), content_type="image/jpeg"
    )
    response = signed_in.post(reverse("participation_portal:deliver", args=[claim.pk]), {"photo": big})
    assert response.status_code == 200
    claim.refresh_from_db()
    assert claim.delivered_on is None and not claim.photo


@pytest.mark.parametrize(
    "name",
    [
        "participation_portal:volunteer",
        "participation_portal:records",
        "participation_portal:wishes",
        "participation_portal:giving",
    ],
)
def test_it_refuses_staff_on_the_portal_pages(as_user, worker, name):
    assert as_user(worker).get(reverse(name)).status_code == 403


def test_it_refuses_portal_users_on_the_staff_queues(signed_in):
    for name in ("participation_staff:index", "participation_staff:applications", "participation_staff:deliveries"):
        response = signed_in.get(reverse(name))
        assert response.status_code in (302, 403) and "/account/login/" in response.get("Location", "/account/login/")


def test_it_shows_the_staff_queue_in_scope_only(as_user, account, lead, outsider, tree):
    from participation.tests.conftest import apply

    application = apply(account, tree.a1)
    url = reverse("participation_staff:applications_detail", args=[application.pk])
    assert as_user(lead).get(url).status_code == 200
    assert as_user(outsider).get(url).status_code == 404
    assert application.name not in as_user(outsider).get(reverse("participation_staff:applications")).content.decode()
