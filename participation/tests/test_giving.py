"""Donors through the portal: the first claim wins (two donors at the same
moment: exactly one claim, the other told in their language), the delivery
with a photo confirmed by staff into the wish's fulfilment, the enterprise
confirmed so the claims attach to its registry entry."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections
from django.utils import translation

from audit.models import AuditEvent
from matching.models import Wish, WishStatus
from participation import giving
from participation.models import Decision, WishClaim
from participation.tests.conftest import make_account
from partners.models import Enterprise
from portal.models import PortalAccount
from tests import uploads

POSTGRES = connection.vendor == "postgresql"


def _race(n: int, work: Callable[[int], Any]) -> tuple[list[Any], list[BaseException]]:
    start = threading.Barrier(n)
    results: list[Any] = []
    errors: list[BaseException] = []

    def run(i: int) -> None:
        try:
            start.wait()
            results.append(work(i))
        except BaseException as exc:  # collected: a thread cannot fail the test itself
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, errors


@pytest.mark.django_db
def test_it_gives_the_wish_to_the_first_donor_and_tells_the_second(account, other_account, wish):
    first, second = Wish.objects.get(pk=wish.pk), Wish.objects.get(pk=wish.pk)  # two pages opened at once
    claim = giving.wish_claim(account=account, wish=first)
    with translation.override("zh-hans"), pytest.raises(giving.AlreadyClaimed) as exc:
        giving.wish_claim(account=other_account, wish=second)
    assert exc.value.messages[0] != "Someone else claimed this wish a moment ago. Thank you all the same!"
    wish.refresh_from_db()
    assert (wish.status, wish.claimant_name) == (WishStatus.CLAIMED, "林小红")
    assert list(WishClaim.objects.values_list("account", flat=True)) == [account.pk] and claim.wish_id == wish.pk
    assert AuditEvent.objects.filter(action="participation.wish_claim_refused").count() == 1
    assert wish.need.status == "matched"


@pytest.mark.skipif(not POSTGRES, reason="threads need separate connections to a server database")
@pytest.mark.django_db(transaction=True)
def test_it_lets_exactly_one_of_two_simultaneous_donors_claim(tree, worker):
    from participation.tests.conftest import publish_wish

    wish = publish_wish(worker, tree.a1)
    donors = [make_account(tree.station_a, f"1380000010{i}", f"捐赠者{i}") for i in range(2)]

    def claim(i: int) -> int:
        giving.wish_claim(account=PortalAccount.objects.get(pk=donors[i].pk), wish=Wish.objects.get(pk=wish.pk))
        return i

    won, lost = _race(2, claim)
    assert len(won) == 1 and len(lost) == 1 and isinstance(lost[0], giving.AlreadyClaimed)
    assert WishClaim.objects.get().account_id == donors[won[0]].pk


@pytest.mark.django_db
def test_it_confirms_a_delivery_with_its_photo_into_the_fulfilment(account, wish, lead):
    claim = giving.wish_claim(account=account, wish=wish)
    giving.wish_deliver(account=account, claim=claim, photo=uploads.image())
    assert claim.status == Decision.PENDING
    wish.refresh_from_db()
    assert wish.status == WishStatus.CLAIMED  # not fulfilled until staff confirm
    giving.delivery_accept(actor=lead, claim=claim)
    wish.refresh_from_db()
    assert wish.status == WishStatus.FULFILLED and wish.photo and wish.fulfilled_on == claim.delivered_on


@pytest.mark.django_db
@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("proof.jpg", b"not an image at all", content_type="image/jpeg"),
        SimpleUploadedFile("proof.exe", b"MZ\x90\x00", content_type="application/octet-stream"),
    ],
)
def test_it_refuses_a_malformed_delivery_photo(account, wish, upload):
    claim = giving.wish_claim(account=account, wish=wish)
    with pytest.raises(ValidationError) as exc:
        giving.wish_deliver(account=account, claim=claim, photo=upload)
    assert "photo" in exc.value.message_dict
    claim.refresh_from_db()
    assert claim.delivered_on is None and not claim.photo


@pytest.mark.django_db
def test_it_refuses_an_oversized_delivery_photo(account, wish, settings):
    settings.LINLI_PHOTO_MAX_MB = 1
    claim = giving.wish_claim(account=account, wish=wish)
    big = SimpleUploadedFile("big.jpg", uploads.image_bytes() + b"0" * (1024 * 1024 + 1), content_type="image/jpeg")
    with pytest.raises(ValidationError) as exc:
        giving.wish_deliver(account=account, claim=claim, photo=big)
    assert "photo" in exc.value.message_dict


@pytest.mark.django_db
def test_it_refuses_to_deliver_someone_elses_claim(account, other_account, wish):
    claim = giving.wish_claim(account=account, wish=wish)
    with pytest.raises(ValidationError):
        giving.wish_deliver(account=other_account, claim=claim, photo=uploads.image())


@pytest.mark.django_db
def test_it_attaches_the_claims_to_the_confirmed_enterprise(account, wish, lead, tree):
    giving.wish_claim(account=account, wish=wish)
    request = giving.enterprise_claim(account=account, name="爱心超市")
    shop = Enterprise.objects.create(unit=tree.station_a, name="甲街道爱心超市")
    giving.enterprise_accept(actor=lead, claim=request, enterprise=shop)
    account.refresh_from_db()
    wish.refresh_from_db()
    assert account.enterprise == shop and wish.claimant_enterprise == shop and wish.claimant == shop.name


@pytest.mark.django_db
def test_it_refuses_an_outsider_deciding_a_stations_queue(account, wish, outsider):
    claim = giving.wish_claim(account=account, wish=wish)
    giving.wish_deliver(account=account, claim=claim, photo=uploads.image())
    with pytest.raises(Exception) as exc:
        giving.delivery_accept(actor=outsider, claim=claim)
    assert exc.type.__name__ in {"OutOfScope", "Http404"}
