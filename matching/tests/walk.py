"""What the URL walk (tests/leakwalk.py) needs from the matching area: in
station B a need, a resource offer, a run with a proposal confirmed into a
task, and a micro-wish, all carrying CANARY (the wish only in the person's
name, which the public page must mask)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any


def _matching_b(w: Any) -> dict[str, Any]:
    def make() -> dict[str, Any]:
        from django.utils import timezone

        from matching import services
        from matching.models import NeedType, OfferKind, ResourceOffer
        from tests.leakwalk import CANARY, person_b, volunteer_b

        person = person_b(w)
        volunteer = volunteer_b(w)
        escort = NeedType.objects.get(code="escort")
        need = services.need_create(
            actor=w.insider, person=person, domain=escort.domain, need_type="escort", description=CANARY
        )
        # an old free-text need: the page of needs to classify must not show it to A
        services.need_create(
            actor=w.insider, person=person, domain=escort.domain, need_type=f"{CANARY}助浴", description=CANARY
        )
        offer = ResourceOffer.objects.create(
            unit=w.tree.b1, kind=OfferKind.VOLUNTEER, name=f"{CANARY}陪诊", volunteer=volunteer, capacity=3
        )
        offer.need_types.set([escort])
        run = services.match_run_start(actor=w.insider, unit=w.tree.station_b)
        [task] = services.proposal_confirm(actor=w.insider, proposals=list(run.proposals.all()))
        task.feedback = CANARY
        task.save(update_fields=["feedback"])
        wish = services.wish_publish(
            actor=w.insider,
            person=person,
            title="一台电风扇",
            value=Decimal("150"),
            deadline=timezone.localdate() + dt.timedelta(days=10),
            need_type=NeedType.objects.get(code="goods-appliance"),
            description=CANARY,
        )

        from partners.models import Enterprise
        from tests import uploads

        giver = Enterprise.objects.create(unit=w.tree.station_b, name=f"{CANARY}超市")
        services.wish_claim(actor=w.insider, wish=wish, enterprise=giver)
        services.wish_fulfil(actor=w.insider, wish=wish, photo=uploads.image("proof.jpg"))
        open_wish = services.wish_publish(
            actor=w.insider,
            person=person,
            title="一套学习用品",
            value=Decimal("80"),
            deadline=timezone.localdate() + dt.timedelta(days=10),
            need_type=NeedType.objects.get(code="goods-study"),
            description=CANARY,
        )
        return {"open_wish": open_wish, "need": need, "offer": offer, "run": run, "task": task, "wish": wish}

    return w.once("matching_b", make)


def _need_type() -> int:
    from matching.models import NeedType

    return NeedType.objects.get(code="escort").pk  # the catalogue is district-wide: the lead of A gets 403


def kwargs() -> dict[str, Callable[[Any], Any]]:
    return {
        "need_id": lambda w: _matching_b(w)["need"].pk,
        "need_type_id": lambda w: _need_type(),
        "resource_id": lambda w: _matching_b(w)["offer"].pk,
        "run_id": lambda w: _matching_b(w)["run"].pk,
        "task_id": lambda w: _matching_b(w)["task"].pk,
        "wish_id": lambda w: _matching_b(w)["wish"].pk,
    }


def populators() -> list[Callable[[Any], Any]]:
    return [_matching_b]
