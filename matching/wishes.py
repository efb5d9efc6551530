"""Micro-wishes (微心愿): publish, record a claim, record fulfilment."""

from __future__ import annotations

import logging
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.actions import Action
from audit.services import audit_record
from core import uploads
from core.access import Perm, require, require_unit_in_scope
from core.concurrency import lock
from matching.models import (
    NeedSource,
    NeedStatus,
    NeedType,
    Wish,
    WishStatus,
)
from matching.needs import need_create, set_need_status
from notifications.api import Event, notify
from people.models import Person
from projects.links import check_project_link

logger = logging.getLogger(__name__)


# ---------------------------------------------------------------- micro-wishes


@transaction.atomic
def wish_publish(
    *,
    actor: Any,
    person: Person,
    title: str,
    value: Decimal | None,
    deadline: date | None,
    need_type: NeedType | None = None,
    description: str = "",
    project: Any = None,
) -> Wish:
    """Publish a micro-wish (微心愿) for a resident; it is also a need (source=wish)."""
    require(actor, Perm.RECORD_EDIT)
    require_unit_in_scope(actor, person.unit)
    check_project_link(actor=actor, project=project, unit=person.unit)
    errors: dict[str, str] = {}
    today = timezone.localdate()
    if not (title or "").strip():
        errors["title"] = _("Say what the wish is.")
    if value is None or value <= 0:
        errors["value"] = _("The value must be more than zero.")
    elif value > Decimal("100000"):
        errors["value"] = _("A micro-wish is worth at most 100,000 RMB.")
    if deadline is None:
        errors["deadline"] = _("Enter the deadline.")
    elif deadline < today:
        errors["deadline"] = _("The deadline cannot be in the past.")
    if need_type is None:
        errors["need_type"] = _("Choose the category of the wish.")
    if errors or value is None or deadline is None or need_type is None:
        raise ValidationError(errors)
    need = need_create(
        actor=actor,
        person=person,
        domain=need_type.domain,
        need_type=need_type.code,
        description=(description or title).strip(),
        window_start=today,
        window_end=deadline,
        source=NeedSource.WISH,
    )
    wish = Wish.objects.create(
        unit=person.unit,
        person=person,
        need=need,
        title=title.strip(),
        value=value,
        deadline=deadline,
        published_by=actor,
        published_on=today,
        project=project,
    )
    audit_record(
        actor=actor,
        action=Action.WISH_PUBLISH,
        target=wish,
        changes={"title": [None, wish.title], "value": [None, str(value)]},
    )
    return wish


@transaction.atomic
def wish_claim(
    *, actor: Any, wish: Wish, enterprise: Any = None, volunteer: Any = None, claimed_on: date | None = None
) -> Wish:
    """Staff record that an enterprise or a volunteer claimed a wish."""
    require(actor, Perm.RECORD_EDIT)
    require_unit_in_scope(actor, wish.unit)
    lock(wish)  # two donors at once: the second sees the first one's claim
    if wish.status == WishStatus.CLAIMED:
        raise ValidationError(
            _("This wish was already claimed by %(who)s; your claim was not recorded.") % {"who": wish.claimant}
        )
    if wish.status != WishStatus.PUBLISHED:
        raise ValidationError(_("Only a published wish can be claimed."))
    if (enterprise is None) == (volunteer is None):
        raise ValidationError({"enterprise": _("Choose either the enterprise or the volunteer who claims the wish.")})
    claimed_on = claimed_on or timezone.localdate()
    if claimed_on > timezone.localdate():
        raise ValidationError({"claimed_on": _("The claim date cannot be in the future.")})
    for p in (enterprise, volunteer):
        if p is not None:
            require_unit_in_scope(actor, p.unit)
    wish.claimant_enterprise = enterprise
    wish.claimant_volunteer = volunteer
    wish.claimed_on = claimed_on
    wish.status = WishStatus.CLAIMED
    wish.save()
    set_need_status(wish.need, NeedStatus.MATCHED, actor, _("Wish claimed"))
    audit_record(actor=actor, action=Action.WISH_CLAIM, target=wish, changes={"claimant": [None, wish.claimant]})
    if wish.published_by_id != actor.pk:
        notify(
            event=Event.WISH_CLAIMED,
            recipients=[wish.published_by_id],
            obj=wish,
            subject=wish.masked_name,
            link=reverse("matching:wish_detail", args=[wish.pk]),
            unit=wish.unit,
        )
    return wish


@transaction.atomic
def wish_claim_online(*, wish: Wish, claimant: str, via: str) -> bool:
    """A donor claims a published wish themselves (no staff actor: the caller
    has checked who they are, `via` names the way for the audit log). One
    conditional UPDATE decides: of two donors at the same moment exactly one
    moves the wish from "published", on SQLite and PostgreSQL alike; the
    other gets False and nothing changes."""
    today = timezone.localdate()
    won = Wish.objects.filter(pk=wish.pk, status=WishStatus.PUBLISHED).update(
        status=WishStatus.CLAIMED, claimant_name=claimant[:50], claimed_on=today
    )
    if not won:
        return False
    wish.refresh_from_db()
    set_need_status(wish.need, NeedStatus.MATCHED, None, _("Wish claimed"))
    audit_record(
        actor=None, actor_label=via, action=Action.WISH_CLAIM, target=wish, changes={"claimant": [None, claimant]}
    )
    if wish.published_by_id is not None:
        notify(
            event=Event.WISH_CLAIMED,
            recipients=[wish.published_by_id],
            obj=wish,
            subject=wish.masked_name,
            link=reverse("matching:wish_detail", args=[wish.pk]),
            unit=wish.unit,
        )
    return True


@transaction.atomic
def wish_claimant_confirm(*, actor: Any, wish: Wish, enterprise: Any) -> Wish:
    """Staff confirmed which registered enterprise an online claimant acts
    for: the claim (and the gift, once fulfilled) is theirs from now on."""
    require(actor, Perm.RECORD_EDIT)
    require_unit_in_scope(actor, wish.unit)
    lock(wish)
    if not wish.claimant_name or wish.claimant_volunteer_id is not None:
        raise ValidationError(_("Only a wish claimed online can be attached to an enterprise."))
    before = wish.claimant
    wish.claimant_enterprise = enterprise
    wish.save(update_fields=["claimant_enterprise"])
    audit_record(actor=actor, action=Action.WISH_CLAIM, target=wish, changes={"claimant": [before, wish.claimant]})
    return wish


@transaction.atomic
def wish_fulfil(*, actor: Any, wish: Wish, photo: Any, fulfilled_on: date | None = None) -> Wish:
    """Record fulfilment with a photo (the proof) and the date."""
    require(actor, Perm.RECORD_EDIT)
    require_unit_in_scope(actor, wish.unit)
    lock(wish)
    if wish.status != WishStatus.CLAIMED:
        raise ValidationError(_("Only a claimed wish can be fulfilled."))
    errors: dict[str, str] = {}
    if not photo:
        errors["photo"] = _("Add a photo as proof of fulfilment.")
    else:
        try:
            photo.name = uploads.random_name("", uploads.check(photo, uploads.PHOTO).ext)
        except ValidationError as exc:
            errors["photo"] = exc.messages[0]
    fulfilled_on = fulfilled_on or timezone.localdate()
    if fulfilled_on > timezone.localdate():
        errors["fulfilled_on"] = _("The fulfilment date cannot be in the future.")
    elif wish.claimed_on and fulfilled_on < wish.claimed_on:
        errors["fulfilled_on"] = _("The wish cannot be fulfilled before it was claimed.")
    if errors:
        raise ValidationError(errors)
    wish.photo = photo
    wish.fulfilled_on = fulfilled_on
    wish.status = WishStatus.FULFILLED
    wish.save()
    set_need_status(wish.need, NeedStatus.DONE, actor, _("Wish fulfilled"))
    audit_record(
        actor=actor, action=Action.WISH_FULFIL, target=wish, changes={"fulfilled_on": [None, fulfilled_on.isoformat()]}
    )
    return wish
