"""Concurrent work (core/concurrency.py): first one wins, double submits act
once, one open matching run per unit.

Each rule has a deterministic test (two stale copies of one record, one after
the other: SQLite and PostgreSQL) and, on PostgreSQL, a race of threads with
their own connections released together."""

from __future__ import annotations

import datetime as dt
import threading
import uuid
from collections.abc import Callable
from decimal import Decimal
from typing import Any, cast

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, connections, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from core import concurrency
from core.models import ServiceDomain
from matching import services
from matching.models import MatchRun, NeedType, RunStatus, TaskStatus, Wish, WishStatus
from matching.tests.factories import need_for, run_for, task_for
from partners.models import Enterprise
from people.models import Person
from people.tests.factories import PersonFactory
from tests.htmlcheck import as_post_data, post_forms
from tests.test_scoping_walk import walk  # noqa: F401 (the fixture)

POSTGRES = connection.vendor == "postgresql"
on_postgres = pytest.mark.skipif(not POSTGRES, reason="threads need separate connections to a server database")


def _race(n: int, work: Callable[[int], Any]) -> tuple[list[Any], list[BaseException]]:
    """Run work(i) in n threads released at once; what each returned or raised."""
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


def _in_chinese(text: str) -> str:
    with translation.override("zh-hans"):
        return translation.gettext(text)


def _wish(worker: Any, tree: Any) -> Wish:
    return services.wish_publish(
        actor=worker,
        person=cast(Person, PersonFactory(unit=tree.a1)),
        title="一台电风扇",
        value=Decimal("150"),
        deadline=timezone.localdate() + dt.timedelta(days=20),
        need_type=NeedType.objects.get(code="goods-appliance"),
    )


# ---------------------------------------------------------------- first one wins


def test_it_tells_the_second_donor_the_wish_was_claimed_and_keeps_the_first(worker: Any, tree: Any) -> None:
    wish = _wish(worker, tree)
    first, second = Wish.objects.get(pk=wish.pk), Wish.objects.get(pk=wish.pk)  # two pages opened at once
    shop = Enterprise.objects.create(unit=tree.a1, name="灯具店")
    other = Enterprise.objects.create(unit=tree.a1, name="电器行")
    services.wish_claim(actor=worker, wish=first, enterprise=shop)
    with translation.override("zh-hans"), pytest.raises(ValidationError) as exc:
        services.wish_claim(actor=worker, wish=second, enterprise=other)
    assert "灯具店" in exc.value.messages[0] and "认领" in exc.value.messages[0]
    wish.refresh_from_db()
    assert (wish.status, wish.claimant_enterprise) == (WishStatus.CLAIMED, shop)


def test_it_starts_and_cancels_a_task_once_from_two_stale_pages(worker: Any, tree: Any) -> None:
    task = task_for(tree.a1)
    first, second = type(task).objects.get(pk=task.pk), type(task).objects.get(pk=task.pk)
    services.task_start(actor=worker, task=first)
    with pytest.raises(ValidationError):
        services.task_start(actor=worker, task=second)
    services.task_cancel(actor=worker, task=first, note="居民住院")
    with pytest.raises(ValidationError):
        services.task_cancel(actor=worker, task=second, note="重复")
    task.refresh_from_db()
    assert (task.status, task.feedback) == (TaskStatus.CANCELLED, "居民住院")


@on_postgres
@pytest.mark.django_db(transaction=True)
def test_it_lets_one_of_ten_simultaneous_donors_claim_a_wish(worker: Any, tree: Any) -> None:
    wish = _wish(worker, tree)
    givers = [Enterprise.objects.create(unit=tree.a1, name=f"企业{i}") for i in range(10)]

    def claim(i: int) -> int:
        with translation.override("zh-hans"):
            services.wish_claim(actor=worker, wish=Wish.objects.get(pk=wish.pk), enterprise=givers[i])
        return i

    won, lost = _race(10, claim)
    assert len(won) == 1 and len(lost) == 9
    assert all(isinstance(e, ValidationError) for e in lost), lost
    wish.refresh_from_db()
    assert wish.claimant_enterprise == givers[won[0]]
    assert all(str(givers[won[0]]) in e.messages[0] for e in lost if isinstance(e, ValidationError))


def _plan_submitted(worker: Any, tree: Any) -> Any:
    from casework.services import case_goal_add, case_move, case_service_plan
    from casework.tests.factories import open_case

    case = open_case(worker, unit=tree.a1)
    case_move(actor=worker, case=case, action="assess")
    case_move(actor=worker, case=case, action="draft_plan")
    case_goal_add(actor=worker, case=case, text="每周外出社交一次")
    case_service_plan(actor=worker, case=case, description="每周电话关怀", frequency="每周")
    return case_move(actor=worker, case=case, action="submit_plan")


def test_it_decides_a_submitted_plan_once_when_two_leads_decide_it(worker: Any, lead: Any, tree: Any) -> None:
    from casework.models import Case, CaseTransition
    from casework.services import case_move
    from tests.factories import UserFactory

    other_lead = UserFactory(username="lead_a2", role="station_lead", unit=tree.station_a)
    case = _plan_submitted(worker, tree)
    mine, theirs = Case.objects.get(pk=case.pk), Case.objects.get(pk=case.pk)
    case_move(actor=lead, case=mine, action="approve_plan", comment="同意")
    with pytest.raises(ValidationError):
        case_move(actor=other_lead, case=theirs, action="return_plan", comment="目标不清")
    assert CaseTransition.objects.filter(case=case, action__in=["approve_plan", "return_plan"]).count() == 1


@on_postgres
@pytest.mark.django_db(transaction=True)
def test_it_takes_one_decision_when_two_leads_decide_a_plan_at_once(worker: Any, lead: Any, tree: Any) -> None:
    from casework.models import Case, CaseTransition
    from casework.services import case_move
    from tests.factories import UserFactory

    leads = [lead, UserFactory(username="lead_a2", role="station_lead", unit=tree.station_a)]
    case = _plan_submitted(worker, tree)
    moves = ["approve_plan", "return_plan"]
    decided, refused = _race(
        2, lambda i: case_move(actor=leads[i], case=Case.objects.get(pk=case.pk), action=moves[i], comment="意见")
    )
    assert len(decided) == 1 and len(refused) == 1 and isinstance(refused[0], ValidationError), refused
    assert CaseTransition.objects.filter(case=case, action__in=moves).count() == 1


# ---------------------------------------------------------------- one open run per unit


def test_it_lets_the_database_hold_one_open_run_per_unit(tree: Any) -> None:
    run_for(tree.station_a, status=RunStatus.QUEUED)
    run_for(tree.station_a, status=RunStatus.DONE)  # finished runs are history, any number of them
    run_for(tree.station_b, status=RunStatus.RUNNING)
    with pytest.raises(IntegrityError), transaction.atomic():
        run_for(tree.station_a, status=RunStatus.RUNNING)


def test_it_tells_the_second_start_a_run_is_open_even_past_the_check(
    worker: Any, tree: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The other server's run landed between this server's check and its insert."""
    run_for(tree.station_a, status=RunStatus.QUEUED)
    real_filter = MatchRun.objects.filter
    monkeypatch.setattr(MatchRun.objects, "filter", lambda *a, **kw: real_filter(pk=-1))
    with translation.override("zh-hans"), pytest.raises(ValidationError) as exc:
        services.match_run_start(actor=worker, unit=tree.station_a)
    monkeypatch.undo()
    assert exc.value.messages == [_in_chinese("A run for this unit is still in progress; wait for it to finish.")]
    assert MatchRun.objects.filter(unit=tree.station_a).count() == 1


@on_postgres
@pytest.mark.django_db(transaction=True)
def test_it_starts_one_run_when_two_servers_start_at_once(
    worker: Any, tree: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    need_for(tree.a1)
    monkeypatch.setenv("LINLI_MATCH_BACKGROUND_NEEDS", "0")  # the run goes to the queue, and stays open
    monkeypatch.setattr(services, "run_match", lambda pk: None)
    started, refused = _race(2, lambda _i: services.match_run_start(actor=worker, unit=tree.station_a))
    assert len(started) == 1 and len(refused) == 1 and isinstance(refused[0], ValidationError), refused
    assert MatchRun.objects.filter(unit=tree.station_a).count() == 1


# ---------------------------------------------------------------- double submit


def _group_form(client: Client) -> dict[str, list[str]]:
    [form] = [f for f in post_forms(client.get(reverse("casework:group_create")).content.decode()) if not f.action]
    domain = ServiceDomain.objects.get(code="elderly")
    return {**as_post_data(form), "name": ["银龄健康小组"], "goals": ["改善睡眠"], "domain": [str(domain.pk)]}


def _signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_it_makes_one_group_when_the_same_form_is_sent_twice(worker: Any) -> None:
    from casework.models import Group

    client = _signed_in(worker)
    data = _group_form(client)
    first = client.post(reverse("casework:group_create"), data)
    second = client.post(reverse("casework:group_create"), data)
    assert first.status_code == 302, first.content.decode()[:2000]
    assert (second.status_code, second["Location"]) == (302, first["Location"])
    assert Group.objects.count() == 1
    client.post(reverse("casework:group_create"), _group_form(client))  # a new form is a new group
    assert Group.objects.count() == 2


def test_it_takes_a_client_made_uuid_once_and_refuses_a_token_too_old(worker: Any) -> None:
    from casework.models import Group

    client = _signed_in(worker)
    queued = {**_group_form(client), "_once": [str(uuid.uuid4())]}  # as an offline queue sends it
    assert client.post(reverse("casework:group_create"), queued).status_code == 302
    assert client.post(reverse("casework:group_create"), queued).status_code == 302
    assert Group.objects.count() == 1
    with time_machine.travel(timezone.now() - dt.timedelta(days=3)):
        old = {**_group_form(client), "_once": [concurrency.new_once()]}  # a form drawn three days ago
    response = client.post(reverse("casework:group_create"), old)
    assert response.status_code == 200 and Group.objects.count() == 1
    [again] = [f for f in post_forms(response.content.decode()) if not f.action]
    assert dict(again.fields)["_once"] != old["_once"][0]  # shown again with a fresh token
    assert client.post(reverse("casework:group_create"), as_post_data(again)).status_code == 302
    assert Group.objects.count() == 2


@on_postgres
@pytest.mark.django_db(transaction=True)
def test_it_makes_one_group_from_five_simultaneous_posts_of_one_form(worker: Any) -> None:
    from casework.models import Group

    data = _group_form(_signed_in(worker))
    answers, errors = _race(5, lambda _i: _signed_in(worker).post(reverse("casework:group_create"), data))
    assert errors == []
    assert {(a.status_code, a["Location"]) for a in answers} == {(302, answers[0]["Location"])}
    assert Group.objects.count() == 1


# ---------------------------------------------------------------- lost update


@on_postgres
@pytest.mark.django_db(transaction=True)
def test_it_keeps_one_of_two_simultaneous_saves_of_one_edit_form(admin: Any, tree: Any) -> None:
    fan = NeedType.objects.get(code="goods-appliance")
    url = reverse("configuration:need_types_edit", args=[fan.pk])
    [form] = [f for f in post_forms(_signed_in(admin).get(url).content.decode()) if not f.action]
    names = ["电扇", "风扇"]
    answers, errors = _race(2, lambda i: (i, _signed_in(admin).post(url, {**as_post_data(form), "name": [names[i]]})))
    assert errors == []
    codes = sorted(a.status_code for _i, a in answers)
    assert codes == [200, 302], codes
    [winner] = [i for i, a in answers if a.status_code == 302]
    fan.refresh_from_db()
    assert fan.name == names[winner]


# ---------------------------------------------------------------- lost update over the API


def _patch_paths() -> list[str]:
    from api.main import api

    schema = api.get_openapi_schema()
    return sorted(path for path, ops in schema["paths"].items() if "patch" in ops)


def test_it_refuses_every_patch_based_on_a_version_saved_since(walk: Any) -> None:
    """Every PATCH operation of the API: the GET's ETag names the version; a
    PATCH sent with it after someone else's save answers 409 with nothing saved."""
    from tests.leakwalk import KWARGS
    from tests.test_form_walk import _differences, _snapshot

    paths = _patch_paths()
    assert len(paths) >= 6, paths
    client = _signed_in(walk.insider)
    for path in paths:
        url = path.format(**{k: KWARGS[k](walk) for k in KWARGS if "{" + k + "}" in path})
        seen = client.get(url)
        assert seen.status_code == 200 and seen.get("ETag"), f"GET {url} gives no version (ETag)"
        first = client.patch(url, {}, content_type="application/json")  # someone else saves, naming no version
        assert first.status_code == 200, f"PATCH {url}: {first.status_code} {first.content[:300]!r}"
        assert first["ETag"] != seen["ETag"], f"PATCH {url} did not move the version"
        before = _snapshot()
        stale = client.patch(url, {}, content_type="application/json", HTTP_IF_MATCH=seen["ETag"])
        assert stale.status_code == 409, f"PATCH {url} based on a version saved since answered {stale.status_code}"
        assert stale.json()["version"] == int(first["ETag"].strip('"'))
        assert not _differences(before, _snapshot()), f"PATCH {url} refused, yet changed records"
        again = client.patch(url, {}, content_type="application/json", HTTP_IF_MATCH=first["ETag"])
        assert again.status_code == 200, f"PATCH {url} on the current version answered {again.status_code}"


def test_it_tells_a_stale_patch_what_the_other_person_changed(worker: Any, tree: Any) -> None:
    from partners.models import Enterprise

    shop = Enterprise.objects.create(unit=tree.a1, name="灯具店")
    url = f"/api/v1/enterprises/{shop.pk}"
    mine, theirs = _signed_in(worker), _signed_in(worker)
    etag = mine.get(url)["ETag"]
    assert (
        theirs.patch(url, {"name": "明亮灯具店"}, content_type="application/json", HTTP_IF_MATCH=etag).status_code
        == 200
    )
    with translation.override("zh-hans"):
        refused = mine.patch(url, {"name": "灯具城"}, content_type="application/json", HTTP_IF_MATCH=etag)
    assert refused.status_code == 409
    body = refused.json()
    assert body["changes"] == [{"field": "name", "theirs": "明亮灯具店", "yours": "灯具城"}]
    assert body["detail"] == _in_chinese(
        "Someone else saved this record while you were editing it. Nothing you sent was saved."
    )
    shop.refresh_from_db()
    assert shop.name == "明亮灯具店"


def test_it_refuses_an_edit_form_saved_after_the_same_record_was_patched_over_the_api(worker: Any, tree: Any) -> None:
    from partners.models import Enterprise

    shop = Enterprise.objects.create(unit=tree.a1, name="灯具店")
    page = reverse("partners:enterprise_edit", args=[shop.pk])
    client = _signed_in(worker)
    [form] = [f for f in post_forms(client.get(page).content.decode()) if not f.action]
    api = client.patch(f"/api/v1/enterprises/{shop.pk}", {"phone": "13800000000"}, content_type="application/json")
    assert api.status_code == 200
    response = client.post(page, {**as_post_data(form), "name": ["灯具城"]})
    assert response.status_code == 200 and "13800000000" in response.content.decode()  # what they changed
    shop.refresh_from_db()
    assert (shop.name, shop.phone) == ("灯具店", "13800000000")
