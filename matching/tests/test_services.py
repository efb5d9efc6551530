from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.utils import translation

from matching import services
from matching.models import (
    MatchRun,
    Need,
    NeedStatus,
    NeedType,
    OfferKind,
    Proposal,
    ResourceOffer,
    ServiceTask,
    TaskStatus,
    WishStatus,
)
from matching.tests.factories import need_for, volunteer_offer
from people.tests.factories import PersonFactory
from tests import uploads
from volunteering.models import ServiceRecord

pytestmark = pytest.mark.django_db


def test_it_matches_red_first_and_explains_and_records_history(tree, worker):
    offer = volunteer_offer(tree.a1, capacity=1)
    green = need_for(tree.a1, card="green")
    red = need_for(tree.a2, card="red")
    run = services.match_run_start(actor=worker, unit=tree.station_a)
    assert run.status == "done" and run.progress == 100
    [p] = run.proposals.all()
    assert p.need == red and p.resource == offer
    assert p.explanation["rule"] == "skill" and p.explanation["priority"] == "red"
    assert run.unmet[str(green.pk)]["reason"] == "capacity_used"
    red.refresh_from_db()
    assert red.status == NeedStatus.PROPOSED
    assert list(red.history.values_list("to_status", flat=True)) == ["proposed"]


def test_it_never_lets_a_station_run_see_another_station(tree, worker, outsider):
    volunteer_offer(tree.b1, capacity=5)
    need_b = need_for(tree.b1)
    need_a = need_for(tree.a1)
    run = services.match_run_start(actor=worker, unit=tree.station_a)
    assert run.counts["needs"] == 1 and run.counts["resources"] == 0
    assert run.proposals.count() == 0
    assert set(run.unmet) == {str(need_a.pk)}
    assert run.unmet[str(need_a.pk)]["reason"] == "no_compatible_resource"
    with pytest.raises(Http404):
        services.match_run_start(actor=worker, unit=tree.station_b)
    run_b = services.match_run_start(actor=outsider, unit=tree.station_b)
    assert [p.need_id for p in run_b.proposals.all()] == [need_b.pk]


def test_it_confirms_creates_a_task_and_completion_adds_volunteer_hours(tree, worker):
    offer = volunteer_offer(tree.a1, capacity=1)
    need = need_for(tree.a1, card="blue")
    run = services.match_run_start(actor=worker, unit=tree.station_a)
    [task] = services.proposal_confirm(actor=worker, proposals=list(run.proposals.all()))
    assert task.volunteer == offer.volunteer and task.status == TaskStatus.ASSIGNED
    need.refresh_from_db()
    assert need.status == NeedStatus.MATCHED
    with pytest.raises(ValidationError) as exc:
        services.proposal_confirm(actor=worker, proposals=list(run.proposals.all()))
    assert "已处理过" in str(exc.value)
    # the offer's capacity is now committed: a new run proposes nothing more
    need_for(tree.a1)
    assert services.match_run_start(actor=worker, unit=tree.station_a).proposals.count() == 0
    with pytest.raises(ValidationError) as exc:
        services.task_complete(actor=worker, task=task, satisfaction=7, hours=None)
    assert set(exc.value.message_dict) == {"satisfaction", "hours"}
    assert ServiceRecord.objects.count() == 0
    services.task_complete(actor=worker, task=task, satisfaction=5, feedback="很好", hours=Decimal("2"))
    rec = ServiceRecord.objects.get()
    assert rec.volunteer == offer.volunteer and rec.hours == Decimal("2.0") and rec.source_id == str(task.pk)
    need.refresh_from_db()
    assert need.status == NeedStatus.DONE


def test_it_rejects_in_bulk_and_returns_needs_to_the_pool(tree, worker):
    volunteer_offer(tree.a1, capacity=3)
    needs = [need_for(tree.a1) for _ in range(3)]
    run = services.match_run_start(actor=worker, unit=tree.station_a)
    assert services.proposal_reject(actor=worker, proposals=list(run.proposals.all()), note="不合适") == 3
    assert set(Need.objects.filter(pk__in=[n.pk for n in needs]).values_list("status", flat=True)) == {"open"}


def test_bad_offer_input_gets_clear_messages_and_saves_nothing(tree, worker):
    ent_unit = tree.a1
    with translation.override("zh-hans"), pytest.raises(ValidationError) as exc:
        services.offer_create(
            actor=worker,
            unit=ent_unit,
            kind=OfferKind.GOODS,
            name="大米",
            capacity=-3,
            available_from=dt.date(2026, 5, 2),
            available_until=dt.date(2026, 5, 1),
            need_types=[],
        )
    errors = exc.value.message_dict
    assert "不能为负" in errors["capacity"][0]
    assert set(errors) >= {"capacity", "available_until", "need_types", "enterprise"}
    assert ResourceOffer.objects.count() == 0


def test_bad_need_input_gets_clear_messages(tree, worker):
    person = PersonFactory(unit=tree.a1)
    need = need_for(tree.a1, person=person)
    with pytest.raises(ValidationError) as exc:
        services.need_update(
            actor=worker, need=need, need_type="", window_start=dt.date(2026, 5, 2), window_end=dt.date(2026, 5, 1)
        )
    assert set(exc.value.message_dict) == {"need_type", "window_end"}
    with pytest.raises(ValidationError) as exc:
        services.need_create(actor=worker, person=person, domain=None, need_type="escort")
    assert "domain" in exc.value.message_dict


def test_a_volunteer_offer_defaults_to_skills_and_weekly_limit(tree, worker):
    from volunteers.models import Skill
    from volunteers.tests.factories import VolunteerFactory

    vol = VolunteerFactory(unit=tree.a1, max_tasks_per_week=3, skills=[Skill.objects.get(code="tutoring")])
    offer = services.offer_create(actor=worker, unit=tree.a1, kind=OfferKind.VOLUNTEER, volunteer=vol, name="")
    assert offer.capacity == 3
    assert [t.code for t in offer.need_types.all()] == ["tutoring"]


def _background_run(tree, worker, settings):
    """A run large enough (for the setting) to go to the background queue: one offer, two needs."""
    settings.LINLI_MATCH_BACKGROUND_NEEDS = 1
    volunteer_offer(tree.a1, capacity=5)
    need_for(tree.a1)
    need_for(tree.a2)
    return services.match_run_start(actor=worker, unit=tree.station_a)


def test_large_runs_go_to_the_background_queue(tree, worker, settings):
    run = _background_run(tree, worker, settings)
    assert run.params["background"] is True
    run.refresh_from_db()  # huey runs immediately in tests, after commit
    assert MatchRun.objects.get(pk=run.pk).status in ("queued", "done")


def test_it_computes_a_run_once_however_often_its_task_arrives(tree, worker, settings):
    run = _background_run(tree, worker, settings)
    services.match_run_execute(run.pk)  # the queue's task, whether or not it ran after commit already
    done = MatchRun.objects.get(pk=run.pk)
    assert done.status == "done" and done.counts["proposals"] == 2
    services.match_run_execute(run.pk)  # delivered again: the run and its figures stay as they are
    again = MatchRun.objects.get(pk=run.pk)
    assert (again.status, again.counts, again.proposals.count()) == ("done", done.counts, 2)


def test_wishes_publish_claim_fulfil(tree, worker, tmp_path, settings):
    from partners.models import Enterprise

    settings.MEDIA_ROOT = tmp_path
    person = PersonFactory(unit=tree.a1, name="张小明")
    ent = Enterprise.objects.create(unit=tree.station_a, name="爱心超市")
    gt = NeedType.objects.get(code="goods-study")
    today = dt.date.today()
    with translation.override("zh-hans"), pytest.raises(ValidationError) as exc:
        services.wish_publish(actor=worker, person=person, title="", value=Decimal("-1"), deadline=None, need_type=gt)
    assert set(exc.value.message_dict) == {"title", "value", "deadline"}
    wish = services.wish_publish(
        actor=worker,
        person=person,
        title="一个书包",
        value=Decimal("120"),
        deadline=today + dt.timedelta(days=20),
        need_type=gt,
    )
    assert wish.masked_name == "张**" and wish.need.source == "wish"
    with pytest.raises(ValidationError):
        services.wish_fulfil(actor=worker, wish=wish, photo=None)
    services.wish_claim(actor=worker, wish=wish, enterprise=ent)
    with pytest.raises(ValidationError) as exc:
        services.wish_fulfil(actor=worker, wish=wish, photo=SimpleUploadedFile("x.exe", b"MZ"))
    assert "photo" in exc.value.message_dict
    services.wish_fulfil(actor=worker, wish=wish, photo=uploads.image("p.jpg"))
    wish.refresh_from_db()
    assert wish.status == WishStatus.FULFILLED and wish.need.status == "done"
    assert ServiceTask.objects.count() == 0 and Proposal.objects.count() == 0


def test_a_run_respects_the_volunteers_weekly_availability(tree, worker):
    from volunteers.tests.factories import VolunteerFactory

    monday = dt.date.today() + dt.timedelta(days=7 - dt.date.today().weekday())
    vol = VolunteerFactory(
        unit=tree.a1, availability={"sat": ["am"]}, latitude=Decimal("24.48"), longitude=Decimal("118.09")
    )
    volunteer_offer(tree.a1, volunteer=vol, capacity=2)
    weekdays = need_for(tree.a1, window_start=monday, window_end=monday + dt.timedelta(days=2))
    saturday = need_for(tree.a1, window_start=monday, window_end=monday + dt.timedelta(days=5))
    run = services.match_run_start(actor=worker, unit=tree.station_a)
    assert [p.need_id for p in run.proposals.all()] == [saturday.pk]
    assert run.unmet[str(weekdays.pk)]["reason"] == "outside_time_window"


def test_a_failing_inline_run_is_marked_failed_not_half_saved(tree, worker, monkeypatch):
    from matching import engine

    volunteer_offer(tree.a1)
    need = need_for(tree.a1)

    def boom(*args, **kwargs):
        raise RuntimeError("solver exploded")

    monkeypatch.setattr(engine, "solve", boom)
    run = services.match_run_start(actor=worker, unit=tree.station_a)
    assert run.status == "failed" and "solver exploded" in run.error
    assert Proposal.objects.count() == 0
    need.refresh_from_db()
    assert need.status == NeedStatus.OPEN


def test_a_viewer_cannot_run_or_confirm(tree, viewer, worker, as_user):
    from django.urls import reverse

    volunteer_offer(tree.a1)
    need_for(tree.a1)
    c = as_user(viewer)
    assert c.post(reverse("matching:run_new"), {"unit": tree.station_a.pk}).status_code == 403
    run = services.match_run_start(actor=worker, unit=tree.station_a)
    p = run.proposals.get()
    r = c.post(reverse("matching:run_detail", args=[run.pk]), {"bulk": "confirm", "ids": [p.pk]})
    assert r.status_code == 403
    assert c.get(reverse("matching:run_detail", args=[run.pk])).status_code == 200
