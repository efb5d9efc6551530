"""notify(): once per person and period, within the recipient's scope, by
their settings; the bell, the list, reading; quiet hours defer what leaves."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from messaging.models import Delivery
from notifications.api import Event, notify, unread_count
from notifications.delivery import deliver_due
from notifications.models import DistrictPreference, Notification, UserPreference
from notifications.preferences import Prefs, preferences_of

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")


def _tell(unit: Any, *people: Any, period: str = "", **kw: Any) -> int:
    return notify(
        event=Event.PLAN_SUBMITTED,
        recipients=people,
        obj="case:1",
        subject="张**",
        link="/x/",
        unit=unit,
        period=period,
        **kw,
    )


def test_it_tells_each_person_once_per_period(tree: Any, lead: Any, worker: Any) -> None:
    assert _tell(tree.a1, lead, worker) == 2
    assert _tell(tree.a1, lead, worker) == 0
    assert _tell(tree.a1, lead, period="2") == 1
    assert Notification.objects.filter(user=lead).count() == 2


def test_it_tells_nobody_about_a_record_outside_their_subtree(tree: Any, lead: Any, outsider: Any, admin: Any) -> None:
    assert _tell(tree.a1, lead, outsider, admin) == 2
    assert not Notification.objects.filter(user=outsider).exists()


def test_it_skips_inactive_people_and_events_turned_off(tree: Any, lead: Any, worker: Any) -> None:
    worker.is_active = False
    worker.save()
    UserPreference.objects.create(user=lead, events_off=[Event.PLAN_SUBMITTED])
    assert _tell(tree.a1, lead, worker) == 0


def test_it_keeps_the_subject_masked_and_the_title_in_the_readers_language(tree: Any, lead: Any) -> None:
    _tell(tree.a1, lead)
    n = Notification.objects.get(user=lead)
    assert n.subject == "张**" and "张**" in n.title


def test_it_sends_outside_at_once_by_the_default_channel(
    tree: Any, lead: Any, django_capture_on_commit_callbacks: Any
) -> None:
    lead.email = "lead@example.org"
    lead.save()
    with django_capture_on_commit_callbacks(execute=True):
        _tell(tree.a1, lead)
    d = Delivery.objects.get()
    assert d.channel == "email" and d.user == lead and d.event == Event.PLAN_SUBMITTED
    assert Notification.objects.get(user=lead).sent_at is not None
    assert deliver_due(now=dt.datetime.now(TZ) + dt.timedelta(hours=1)) == 0  # once


def test_it_defers_external_sends_in_quiet_hours_but_not_the_bell(tree: Any, lead: Any) -> None:
    lead.email = "lead@example.org"
    lead.save()
    UserPreference.objects.create(user=lead, channels=["email"], quiet_from=dt.time(22), quiet_until=dt.time(7, 30))
    night = dt.datetime(2026, 11, 27, 23, 15, tzinfo=TZ)
    with time_machine.travel(night, tick=False):
        _tell(tree.a1, lead, now=night)
        assert unread_count(lead) == 1
        assert deliver_due(now=night) == 0
    n = Notification.objects.get(user=lead)
    assert n.send_after == dt.datetime(2026, 11, 28, 7, 30, tzinfo=TZ)
    assert deliver_due(now=dt.datetime(2026, 11, 28, 7, 29, tzinfo=TZ)) == 0
    assert deliver_due(now=dt.datetime(2026, 11, 28, 7, 30, tzinfo=TZ)) == 1
    assert Delivery.objects.filter(user=lead).count() == 1


def test_it_keeps_quiet_hours_within_a_day_too() -> None:
    p = Prefs(quiet_from=dt.time(12), quiet_until=dt.time(14))
    assert p.is_quiet(dt.datetime(2026, 11, 27, 13, 0, tzinfo=TZ))
    assert not p.is_quiet(dt.datetime(2026, 11, 27, 14, 0, tzinfo=TZ))
    assert not Prefs().is_quiet(dt.datetime(2026, 11, 27, 3, 0, tzinfo=TZ))


def test_it_leaves_external_sends_to_the_digest_for_who_reads_one(tree: Any, lead: Any) -> None:
    UserPreference.objects.create(user=lead, channels=["email"], digest_at=dt.time(18))
    _tell(tree.a1, lead)
    assert Notification.objects.get(user=lead).send_after is None


def test_it_takes_the_districts_defaults_until_one_chooses(tree: Any, lead: Any, worker: Any) -> None:
    DistrictPreference.objects.create(district=tree.district, channels=["sms"], digest_at=dt.time(8))
    UserPreference.objects.create(user=worker, channels=["email"])
    assert preferences_of(lead).channels == ("sms",) and preferences_of(lead).digest_at == dt.time(8)
    assert preferences_of(worker).channels == ("email",) and preferences_of(worker).digest_at is None


def test_it_shows_the_bell_on_every_page_and_marks_all_read(tree: Any, lead: Any, worker: Any, as_user: Any) -> None:
    _tell(tree.a1, lead)
    _tell(tree.a1, lead, period="2")
    c = as_user(lead)
    page = c.get("/orgs/").content.decode()
    assert 'data-testid="bell"' in page and 'class="bell-count">2<' in page
    listing = c.get("/notifications/?state=unread").content.decode()
    assert listing.count("data-unread") == 2
    token = re.search(r'name="_once" value="([^"]+)"', listing)
    assert token is not None
    assert c.post("/notifications/read-all/", {"_once": token.group(1)}).status_code == 302
    assert unread_count(lead) == 0
    assert 'class="bell-count"' not in c.get("/orgs/").content.decode()


def test_it_opens_a_notification_marking_it_read_and_hides_anothers(
    tree: Any, lead: Any, worker: Any, as_user: Any
) -> None:
    _tell(tree.a1, lead)
    n = Notification.objects.get(user=lead)
    assert as_user(worker).get(f"/notifications/{n.pk}/").status_code == 404
    r = as_user(lead).get(f"/notifications/{n.pk}/")
    assert r.status_code == 302 and r["Location"] == "/x/"
    n.refresh_from_db()
    assert n.read_at is not None


def test_it_never_redirects_off_site(tree: Any, lead: Any, as_user: Any) -> None:
    notify(event=Event.REPORT_READY, recipients=[lead], obj="r", link="https://evil.example/", unit=tree.station_a)
    n = Notification.objects.get(user=lead)
    assert as_user(lead).get(f"/notifications/{n.pk}/")["Location"] == "/notifications/"


def test_it_saves_my_settings_and_the_district_defaults(tree: Any, worker: Any, admin: Any, as_user: Any) -> None:
    data = {
        "events_on": [Event.PLAN_APPROVED],
        "channels": ["sms"],
        "digest_at": "18:00",
        "quiet_from": "22:00",
        "quiet_until": "07:00",
    }
    assert as_user(worker).post("/notifications/settings/", data).status_code == 302
    p = preferences_of(worker)
    assert p.channels == ("sms",) and Event.PLAN_SUBMITTED in p.events_off and p.quiet_until == dt.time(7)
    bad = as_user(worker).post("/notifications/settings/", {**data, "quiet_from": "21:00", "quiet_until": ""})
    assert bad.status_code == 200  # the form again, with the refusal
    assert preferences_of(worker).quiet_from == dt.time(22)
    assert as_user(worker).get("/notifications/district/").status_code == 403
    assert as_user(admin).post("/notifications/district/", {**data, "channels": ["email"]}).status_code == 302
    assert DistrictPreference.objects.get(district=tree.district).channels == ["email"]


def test_it_counts_the_bell_in_one_query(tree: Any, lead: Any, django_assert_num_queries: Any) -> None:
    for i in range(5):
        _tell(tree.a1, lead, period=str(i))
    with django_assert_num_queries(1):
        assert unread_count(lead) == 5
