from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from matching import services
from matching.models import Need, NeedType, ResourceOffer, ServiceTask
from matching.tests.factories import need_for, volunteer_offer
from people.tests.factories import PersonFactory
from tests import uploads

pytestmark = pytest.mark.django_db


def test_it_runs_explains_confirms_and_completes_through_the_pages(tree, worker, as_user):
    offer = volunteer_offer(tree.a1, capacity=1)
    need = need_for(tree.a1, card="red")
    c = as_user(worker)
    r = c.post(reverse("matching:run_new"), {"unit": tree.station_a.pk})
    assert r.status_code == 302
    page = c.get(r["Location"]).content.decode()
    assert "红卡" in page or "red card" in page
    assert need.person.name in page and offer.name in page
    proposal = need.proposals.get()
    r = c.post(reverse("matching:run_detail", args=[proposal.run_id]), {"bulk": "confirm", "ids": [proposal.pk]})
    task = ServiceTask.objects.get()
    # bad input on completion: message in Chinese, nothing saved
    r = c.post(reverse("matching:task_detail", args=[task.pk]), {"satisfaction": "", "hours": ""})
    body = r.content.decode()
    assert "请按 1 到 5 评价满意度" in body and "请填写志愿者服务时长" in body
    task.refresh_from_db()
    assert task.status == "assigned"
    r = c.post(
        reverse("matching:task_detail", args=[task.pk]),
        {"satisfaction": "4", "hours": "1.5", "feedback": "准时", "completed_on": dt.date.today().isoformat()},
    )
    assert r.status_code == 302
    task.refresh_from_db()
    assert task.status == "done" and task.service_record is not None
    detail = c.get(reverse("matching:need_detail", args=[need.pk])).content.decode()
    assert reverse("people:person_detail", args=[need.person_id]) in detail
    assert "已推荐" in detail and "已完成" in detail  # the status history


def test_need_form_errors_are_clear_and_nothing_is_saved(tree, worker, as_user):
    person = PersonFactory(unit=tree.a1)
    c = as_user(worker)
    r = c.post(
        reverse("matching:need_create"),
        {
            "person": person.pk,
            "need_type": "",
            "quantity": "1",
            "window_start": "2026-05-02",
            "window_end": "2026-05-01",
        },
    )
    body = r.content.decode()
    assert "请选择需求的类别" in body and "时间窗口的结束早于开始" in body
    assert Need.objects.count() == 0


def test_offer_form_rejects_negative_stock(tree, worker, as_user):
    from partners.models import Enterprise

    ent = Enterprise.objects.create(unit=tree.station_a, name="爱心粮店")
    c = as_user(worker)
    r = c.post(
        reverse("matching:offer_create"),
        {
            "kind": "goods",
            "name": "大米",
            "unit": tree.station_a.pk,
            "enterprise": ent.pk,
            "need_types": [NeedType.objects.get(code="goods-food").pk],
            "capacity": "-5",
            "is_active": "on",
        },
    )
    assert "容量或库存不能为负数" in r.content.decode()
    assert ResourceOffer.objects.count() == 0


def test_the_public_wish_page_shows_no_personal_data(tree, worker, client):
    person = PersonFactory(unit=tree.a1, name="欧阳明月", phone="13912345678")
    services.wish_publish(
        actor=worker,
        person=person,
        title="一个新书包",
        value=Decimal("99"),
        deadline=dt.date.today() + dt.timedelta(days=9),
        need_type=NeedType.objects.get(code="goods-study"),
        description="家住幸福路8号",
    )
    r = client.get("/public/wishes/")
    assert r.status_code == 200
    body = r.content.decode()
    assert "一个新书包" in body and "欧***" in body and tree.a1.name in body
    for secret in ("欧阳明月", "明月", "13912345678", "幸福路8号"):
        assert secret not in body


def test_wish_photo_is_served_only_in_scope(tree, worker, outsider, as_user, settings, tmp_path):

    from partners.models import Enterprise

    settings.MEDIA_ROOT = tmp_path
    person = PersonFactory(unit=tree.a1)
    wish = services.wish_publish(
        actor=worker,
        person=person,
        title="台灯",
        value=Decimal("60"),
        deadline=dt.date.today() + dt.timedelta(days=3),
        need_type=NeedType.objects.get(code="goods-study"),
    )
    services.wish_claim(actor=worker, wish=wish, enterprise=Enterprise.objects.create(unit=tree.a1, name="灯具店"))
    services.wish_fulfil(actor=worker, wish=wish, photo=uploads.image("p.png", "PNG"))
    url = reverse("matching:wish_photo", args=[wish.pk])
    assert as_user(worker).get(url).status_code == 200
    assert as_user(outsider).get(url).status_code == 404
    stats = as_user(worker).get(reverse("matching:wish_stats")).content.decode()
    assert tree.station_a.name in stats


def test_api_lists_are_scoped_and_bad_input_is_422(tree, worker, outsider, as_user):
    need_for(tree.a1)
    need_for(tree.b1)
    c = as_user(worker)
    assert len(c.get("/api/v1/needs").json()) == 1
    r = c.post(
        "/api/v1/needs",
        {
            "person_id": need_for(tree.a1).person_id,
            "need_type": "escort",
            "window_start": "2026-05-02",
            "window_end": "2026-05-01",
        },
        content_type="application/json",
    )
    assert r.status_code == 422 and "window_end" in r.json()["errors"]
    r = c.post("/api/v1/runs", {"unit_id": tree.station_b.pk}, content_type="application/json")
    assert r.status_code == 404


def test_a_background_run_shows_progress_until_done(tree, worker, as_user, settings):
    settings.LINLI_MATCH_BACKGROUND_NEEDS = 1
    volunteer_offer(tree.a1, capacity=5)
    need_for(tree.a1)
    need_for(tree.a2)
    run = services.match_run_start(actor=worker, unit=tree.station_a)
    c = as_user(worker)
    url = reverse("matching:run_progress", args=[run.pk])
    if run.status == "queued":  # the queue runs after commit; tests hold the transaction open
        page = c.get(reverse("matching:run_detail", args=[run.pk])).content.decode()
        assert 'hx-trigger="every 2s"' in page
        r = c.get(url)
        assert r.status_code == 200 and "HX-Refresh" not in r
        services.match_run_execute(run.pk)
    r = c.get(url)
    assert r["HX-Refresh"] == "true"
    assert c.get(reverse("matching:run_detail", args=[run.pk])).context["lst"].page.paginator.count == 2


def test_wish_statistics_group_by_month_and_station(tree, worker, outsider, as_user):
    from matching.models import Wish
    from matching.selectors import wish_stats

    gt = NeedType.objects.get(code="goods-study")
    for unit, value in ((tree.a1, "50"), (tree.a2, "70"), (tree.b1, "999")):
        actor = outsider if unit == tree.b1 else worker
        services.wish_publish(
            actor=actor,
            person=PersonFactory(unit=unit),
            title="文具",
            value=Decimal(value),
            deadline=dt.date.today() + dt.timedelta(days=5),
            need_type=gt,
        )
    Wish.objects.filter(unit=tree.a2).update(published_on=dt.date.today().replace(day=1) - dt.timedelta(days=1))
    rows = wish_stats(worker, start=dt.date.today() - dt.timedelta(days=60), end=dt.date.today())
    assert [(r["station"], r["published"], r["published_value"]) for r in rows] == [
        (tree.station_a.name, 1, Decimal("50")),
        (tree.station_a.name, 1, Decimal("70")),
    ]
    assert rows[0]["month"] > rows[1]["month"]
    r = as_user(worker).get(reverse("matching:wish_stats"), {"start": "2026-05-02", "end": "2026-05-01"})
    assert "统计期间的结束早于开始" in r.content.decode()


def test_api_records_a_wish_claim_and_refuses_a_second(tree, worker, as_user):
    from partners.models import Enterprise

    ent = Enterprise.objects.create(unit=tree.station_a, name="文具店")
    c = as_user(worker)
    person = PersonFactory(unit=tree.a1)
    r = c.post(
        "/api/v1/wishes",
        {"person_id": person.pk, "title": "字典", "value": "45", "deadline": "2099-01-01", "need_type": "goods-study"},
        content_type="application/json",
    )
    assert r.status_code == 201 and r.json()["masked_name"].endswith("*")
    wish_id = r.json()["id"]
    r = c.post(f"/api/v1/wishes/{wish_id}/claim", {"enterprise_id": ent.pk}, content_type="application/json")
    assert r.status_code == 200 and r.json()["status"] == "claimed"
    r = c.post(f"/api/v1/wishes/{wish_id}/claim", {"enterprise_id": ent.pk}, content_type="application/json")
    assert r.status_code == 422
