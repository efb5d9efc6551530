"""What a donor does through the portal: claim a micro-wish (the first claim
wins), report it delivered with a photo, say which enterprise they act for;
and staff's decisions: the delivery confirmed into the wish's fulfilment, the
enterprise confirmed so the donor's claims attach to its registry entry."""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.actions import Action
from audit.models import Outcome
from audit.services import audit_record
from core import identity, uploads
from core.access import Perm, require, require_unit_in_scope
from core.concurrency import lock
from matching import services as matching
from matching.models import Wish
from participation import conf
from participation.models import Decision, EnterpriseClaim, WishClaim
from partners.models import Enterprise


class AlreadyClaimed(ValidationError):
    """Another donor claimed the wish first."""


def _claimant(account: Any) -> str:
    """How staff see an online claimant: the enterprise once confirmed, else
    the name the donor gave (or the end of their phone)."""
    if account.enterprise_id is not None:
        return account.enterprise.name
    return account.name or _("portal donor %(tail)s") % {"tail": account.phone[-4:]}


def wish_claim(*, account: Any, wish: Wish) -> WishClaim:
    """Claim a published wish at once. Of two donors at the same moment
    exactly one wins (matching.wish_claim_online's conditional UPDATE); the
    other is told straight away (AlreadyClaimed) and the refusal is audited."""
    with transaction.atomic():
        if matching.wish_claim_online(wish=wish, claimant=_claimant(account), via=conf.via(account)):
            if account.enterprise_id is not None:
                Wish.objects.filter(pk=wish.pk).update(claimant_enterprise=account.enterprise_id)
            claim = WishClaim.objects.create(unit=wish.unit, account=account, wish=wish)
            audit_record(
                actor=None, actor_label=conf.via(account), action=Action.PARTICIPATION_WISH_CLAIM, target=claim
            )
            return claim
    audit_record(
        actor=None,
        actor_label=conf.via(account),
        action=Action.PARTICIPATION_WISH_CLAIM_REFUSED,
        target=wish,
        outcome=Outcome.DENIED,
    )
    raise AlreadyClaimed({"__all__": _("Someone else claimed this wish a moment ago. Thank you all the same!")})


@transaction.atomic
def wish_deliver(*, account: Any, claim: WishClaim, photo: Any, delivered_on: Any = None) -> WishClaim:
    """The donor says the wish was delivered, with a photo as proof, for staff to confirm."""
    lock(claim)
    if claim.account_id != account.pk:
        raise ValidationError({"__all__": _("This is not your claim.")})
    if claim.status != Decision.PENDING or claim.delivered_on is not None:
        raise ValidationError({"__all__": _("The delivery was already reported.")})
    errors: dict[str, Any] = {}
    if not photo:
        errors["photo"] = _("Add a photo as proof of fulfilment.")
    else:
        try:
            photo.name = uploads.random_name("", uploads.check(photo, uploads.PHOTO).ext)
        except ValidationError as exc:
            errors["photo"] = exc.messages[0]
    today = timezone.localdate()
    delivered_on = delivered_on or today
    if delivered_on > today:
        errors["delivered_on"] = _("The date cannot be in the future.")
    elif claim.wish.claimed_on and delivered_on < claim.wish.claimed_on:
        errors["delivered_on"] = _("The wish cannot be fulfilled before it was claimed.")
    if errors:
        raise ValidationError(errors)
    claim.photo = photo
    claim.delivered_on = delivered_on
    claim.save(update_fields=["photo", "delivered_on"])
    audit_record(
        actor=None,
        actor_label=conf.via(account),
        action=Action.PARTICIPATION_WISH_DELIVER,
        target=claim,
        changes={"delivered_on": [None, delivered_on.isoformat()]},
    )
    return claim


@transaction.atomic
def delivery_accept(*, actor: Any, claim: WishClaim) -> WishClaim:
    """Staff saw the photo: the wish is fulfilled (matching.wish_fulfil)."""
    require(actor, Perm.RECORD_EDIT)
    require_unit_in_scope(actor, claim.unit)
    lock(claim)
    if claim.status != Decision.PENDING or claim.delivered_on is None:
        raise ValidationError({"__all__": _("This was already decided by a colleague.")})
    with claim.photo.open("rb") as stored:
        photo = ContentFile(stored.read(), name=PurePosixPath(claim.photo.name or "proof.jpg").name)
    matching.wish_fulfil(actor=actor, wish=claim.wish, photo=photo, fulfilled_on=claim.delivered_on)
    claim.status, claim.decided_by, claim.decided_at = Decision.ACCEPTED, actor, timezone.now()
    claim.save(update_fields=["status", "decided_by", "decided_at"])
    audit_record(actor=actor, action=Action.PARTICIPATION_DELIVERY_ACCEPT, target=claim)
    return claim


@transaction.atomic
def delivery_decline(*, actor: Any, claim: WishClaim, reason: str) -> WishClaim:
    """The photo does not show the delivery: the donor may report it again."""
    require(actor, Perm.RECORD_EDIT)
    require_unit_in_scope(actor, claim.unit)
    lock(claim)
    if claim.status != Decision.PENDING or claim.delivered_on is None:
        raise ValidationError({"__all__": _("This was already decided by a colleague.")})
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why, for the donor.")})
    claim.photo.delete(save=False)
    claim.delivered_on = None
    claim.reason = reason.strip()[:200]
    claim.save(update_fields=["photo", "delivered_on", "reason"])
    audit_record(actor=actor, action=Action.PARTICIPATION_DELIVERY_DECLINE, target=claim, note=claim.reason)
    return claim


# ---------------------------------------------------------------- enterprises


@transaction.atomic
def enterprise_claim(*, account: Any, name: str, credit_code: str = "") -> EnterpriseClaim:
    """The donor says which caring enterprise they act for; staff confirm it."""
    if account.station is None:
        raise ValidationError({"__all__": _("Choose your social-work station first.")})
    if account.enterprise_id is not None:
        raise ValidationError({"__all__": _("Your account already acts for %(name)s.") % {"name": account.enterprise}})
    if EnterpriseClaim.objects.filter(account=account, status=Decision.PENDING).exists():
        raise ValidationError({"__all__": _("Your request is already waiting for the station's confirmation.")})
    errors: dict[str, Any] = {}
    name = identity.normalise_text(name)[:100]
    if not name:
        errors["name"] = _("Enter the enterprise's name.")
    if credit_code:
        try:
            credit_code = identity.validate_credit_code(credit_code)
        except ValidationError as exc:
            errors["credit_code"] = exc.messages
    if errors:
        raise ValidationError(errors)
    claim = EnterpriseClaim.objects.create(unit=account.station, account=account, name=name, credit_code=credit_code)
    audit_record(
        actor=None,
        actor_label=conf.via(account),
        action=Action.PARTICIPATION_ENTERPRISE_CLAIM,
        target=claim,
        changes={"name": [None, name]},
    )
    return claim


@transaction.atomic
def enterprise_accept(*, actor: Any, claim: EnterpriseClaim, enterprise: Enterprise) -> EnterpriseClaim:
    """Staff confirmed who the donor is: the account acts for this registry
    entry, and the wishes it claimed online are the enterprise's from now on."""
    require(actor, Perm.RECORD_EDIT)
    require_unit_in_scope(actor, claim.unit)
    require_unit_in_scope(actor, enterprise.unit)
    lock(claim)
    if claim.status != Decision.PENDING:
        raise ValidationError({"__all__": _("This was already decided by a colleague.")})
    account = lock(claim.account)
    account.enterprise = enterprise
    account.save(update_fields=["enterprise"])
    for wish_claim_ in WishClaim.objects.filter(account=account).select_related("wish"):
        if wish_claim_.wish.claimant_enterprise_id is None:
            matching.wish_claimant_confirm(actor=actor, wish=wish_claim_.wish, enterprise=enterprise)
    claim.enterprise = enterprise
    claim.status, claim.decided_by, claim.decided_at = Decision.ACCEPTED, actor, timezone.now()
    claim.save(update_fields=["enterprise", "status", "decided_by", "decided_at"])
    audit_record(
        actor=actor,
        action=Action.PARTICIPATION_ENTERPRISE_ACCEPT,
        target=claim,
        changes={"enterprise": [None, enterprise.name]},
    )
    return claim


@transaction.atomic
def enterprise_decline(*, actor: Any, claim: EnterpriseClaim, reason: str) -> EnterpriseClaim:
    require(actor, Perm.RECORD_EDIT)
    require_unit_in_scope(actor, claim.unit)
    lock(claim)
    if claim.status != Decision.PENDING:
        raise ValidationError({"__all__": _("This was already decided by a colleague.")})
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why, for the donor.")})
    claim.status, claim.decided_by, claim.decided_at = Decision.DECLINED, actor, timezone.now()
    claim.reason = reason.strip()[:200]
    claim.save(update_fields=["status", "decided_by", "decided_at", "reason"])
    audit_record(actor=actor, action=Action.PARTICIPATION_ENTERPRISE_DECLINE, target=claim, note=claim.reason)
    return claim
