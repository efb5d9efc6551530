"""The cast of the participation tests: portal accounts at station A (a
volunteer-to-be, a second person, two donors), an activity and a wish."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone


def make_account(station: Any, phone: str, name: str = "") -> Any:
    from portal.models import PortalAccount

    return PortalAccount.objects.create(phone=phone, name=name, station=station)


@pytest.fixture
def account(tree: Any) -> Any:
    return make_account(tree.station_a, "13800000001", "林小红")


@pytest.fixture
def other_account(tree: Any) -> Any:
    return make_account(tree.station_a, "13800000002", "王大明")


def apply(account: Any, unit: Any, **kw: Any) -> Any:
    from participation import applications

    args: dict[str, Any] = {
        "account": account,
        "unit": unit,
        "name": "林小红",
        "sex": "F",
        "birth_date": dt.date(1990, 5, 1),
        "availability": {"sat": ["am"]},
        "consent": True,
    }
    args.update(kw)
    return applications.application_submit(**args)


def volunteer_of(account: Any, lead: Any, unit: Any) -> Any:
    """An account registered and accepted as a volunteer."""
    from participation import applications

    application = apply(account, unit, name=account.name or "林小红")
    volunteer = applications.application_accept(actor=lead, application=application)
    account.refresh_from_db()
    return volunteer


@pytest.fixture
def activity(worker: Any, tree: Any) -> Any:
    """Started half an hour ago at station A, two hours long."""
    from casework.services import activity_create
    from casework.tests.factories import domain

    now = timezone.now()
    return activity_create(
        actor=worker,
        unit=tree.station_a,
        title="重阳敬老活动",
        domain=domain(),
        venue="社区活动中心",
        starts_at=now - dt.timedelta(minutes=30),
        ends_at=now + dt.timedelta(minutes=90),
        organiser="甲街道社工站",
    )


def publish_wish(worker: Any, unit: Any, title: str = "一台电风扇") -> Any:
    from matching import services
    from matching.models import NeedType
    from people.tests.factories import PersonFactory

    return services.wish_publish(
        actor=worker,
        person=PersonFactory.create(unit=unit, name="张秀英"),
        title=title,
        value=Decimal("150"),
        deadline=timezone.localdate() + dt.timedelta(days=10),
        need_type=NeedType.objects.get(code="goods-appliance"),
    )


@pytest.fixture
def wish(worker: Any, tree: Any) -> Any:
    return publish_wish(worker, tree.a1)


def open_task(unit: Any, *, code: str = "escort", **kw: Any) -> Any:
    """A service task of `unit` nobody carries out yet (an organisation's
    service offer confirmed without a volunteer)."""
    from matching.models import OfferKind, ResourceOffer, ServiceTask
    from matching.tests.factories import need_for

    need = need_for(unit, code=code, **kw)
    offer = ResourceOffer.objects.create(unit=unit, kind=OfferKind.SERVICE, name="社区服务队", capacity=5)
    return ServiceTask.objects.create(
        unit=unit, need=need, resource=offer, due_date=timezone.localdate() + dt.timedelta(days=5)
    )
