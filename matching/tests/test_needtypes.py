"""Needs without a catalogue type: the mapping rule, the services that give
needs a type, the review page and the management command."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.http import Http404
from django.urls import reverse
from django.utils import translation

from audit.models import AuditEvent
from grading.models import CARD_RANK, Card, PersonGrade
from matching.models import Need, NeedSource, NeedType
from matching.needtypes import active_types, need_type_assign, need_type_match, needs_type_map
from matching.selectors import needs_untyped
from matching.tests.factories import need_for
from people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _old(unit: Any, text: str, *, card: str | None = None, **kw: Any) -> Need:
    """A need as visits used to write it: the first line of free text as its type."""
    need = need_for(unit, card=card, description=f"{text}\n每周一次", **kw)
    if card:
        PersonGrade.objects.filter(person=need.person).update(card_rank=CARD_RANK[Card(card)])
    need.need_type = text
    need.source = NeedSource.VISIT
    need.save()
    return need


def _code(text: str) -> str | None:
    found = need_type_match(text, active_types())
    return found.need_type.code if found.need_type else None


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("meals", "meals"),  # code
        ("助餐送餐", "meals"),  # name
        ("助餐", "meals"),  # another name of the type
        ("送饭。", "meals"),  # punctuation does not count
        ("助餐\n每天中午", "meals"),  # the first line only
        ("陪伴聊天服务", "companionship"),  # contains the name
        ("需要理发", "haircut"),  # contains another name
        ("陪诊", "escort"),
        ("健康", "health"),  # the start of a single name
    ],
)
def test_it_maps_a_text_when_exactly_one_type_fits(text: str, code: str) -> None:
    assert _code(text) == code


def test_it_leaves_ambiguous_and_unknown_texts_alone() -> None:
    types = active_types()
    both = need_type_match("家电", types)  # 家电维修 and 适老化家电
    assert both.need_type is None and both.ambiguous
    assert {t.code for t in both.candidates} == {"repairs", "goods-appliance"}
    for text in ("助浴服务", "轮椅", "", "  ", "餐"):
        found = need_type_match(text, types)
        assert found.need_type is None and not found.ambiguous


def test_it_ignores_retired_types_and_reads_other_names_as_data() -> None:
    NeedType.objects.filter(code="meals").update(active=False)
    assert _code("助餐") is None
    NeedType.objects.filter(code="meals").update(active=True)
    NeedType.objects.filter(code="housekeeping").update(aliases=["助浴"])
    assert _code("助浴服务") == "housekeeping"


def test_it_lists_only_open_untyped_needs_in_scope_red_first(tree: Any, worker: Any, outsider: Any) -> None:
    blue = _old(tree.a1, "助餐", card="blue")
    red = _old(tree.a2, "家电", card="red")
    _old(tree.b1, "助餐")
    need_for(tree.a1)  # typed
    closed = _old(tree.a1, "轮椅")
    closed.status = "closed_unmet"
    closed.save()
    assert list(needs_untyped(worker)) == [red, blue]
    assert [n.unit for n in needs_untyped(outsider)] == [tree.b1]


def test_it_assigns_a_type_audited_and_scoped(tree: Any, worker: Any, outsider: Any) -> None:
    need = _old(tree.a1, "家电")
    with pytest.raises(Http404):
        need_type_assign(actor=outsider, need=need, need_type=NeedType.objects.get(code="repairs"))
    NeedType.objects.filter(code="goods-appliance").update(active=False)
    with translation.override("zh-hans"), pytest.raises(ValidationError) as exc:
        need_type_assign(actor=worker, need=need, need_type=NeedType.objects.get(code="goods-appliance"))
    assert "请从需求目录中选择" in exc.value.message_dict["need_type"][0]
    need_type_assign(actor=worker, need=need, need_type=NeedType.objects.get(code="repairs"))
    need.refresh_from_db()
    assert (need.need_type, need.domain.code) == ("repairs", "governance")
    event = AuditEvent.objects.get(action="need.type_assign")
    assert event.changes == {"need_type": ["家电", "repairs"]}


def test_it_refuses_to_retype_a_need_that_is_no_longer_open(tree: Any, worker: Any) -> None:
    need = _old(tree.a1, "助餐")
    Need.objects.filter(pk=need.pk).update(status="matched")
    with pytest.raises(ValidationError):
        need_type_assign(actor=worker, need=need, need_type=NeedType.objects.get(code="meals"))
    assert Need.objects.get(pk=need.pk).need_type == "助餐"


def test_it_maps_the_clear_cases_and_leaves_the_rest(tree: Any, worker: Any) -> None:
    clear = [_old(tree.a1, "助餐"), _old(tree.a2, "打扫卫生")]
    left = [_old(tree.a1, "家电"), _old(tree.a1, "轮椅")]
    counts = needs_type_map(actor=worker, needs=list(needs_untyped(worker)))
    assert counts == {"mapped": 2, "ambiguous": 1, "unmatched": 1}
    assert [Need.objects.get(pk=n.pk).need_type for n in clear] == ["meals", "housekeeping"]
    assert [Need.objects.get(pk=n.pk).need_type for n in left] == ["家电", "轮椅"]
    assert AuditEvent.objects.filter(action="need.type_map").count() == 2


def test_the_command_maps_as_a_named_account_and_can_only_show(tree: Any, lead: Any) -> None:
    need = _old(tree.a1, "送饭")
    _old(tree.a1, "家电")
    out = StringIO()
    call_command("map_need_types", "--as", lead.username, "--dry-run", stdout=out)
    assert "送饭 → 助餐送餐" in out.getvalue() and "家电 → ? 家电维修 / 适老化家电" in out.getvalue()
    assert Need.objects.get(pk=need.pk).need_type == "送饭"
    call_command("map_need_types", "--as", lead.username, stdout=out)
    assert "mapped 1, ambiguous 1, no match 0" in out.getvalue()
    assert Need.objects.get(pk=need.pk).need_type == "meals"
    assert AuditEvent.objects.get(action="need.type_map").actor == lead


def test_the_review_page_suggests_and_sets_types(tree: Any, worker: Any, as_user: Any) -> None:
    meals = _old(tree.a1, "助餐", card="red")
    vague = _old(tree.a1, "家电")
    _old(tree.b1, "轮椅", person=PersonFactory(unit=tree.b1, name="站外居民"))
    client = as_user(worker)
    page = client.get(reverse("matching:need_review"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "站外居民" not in page
    assert meals.person.name in page and vague.person.name in page
    assert f'<option value="{NeedType.objects.get(code="meals").pk}" selected>' in page
    assert "可能是" in page and "家电维修 / 适老化家电" in page
    assert "在需求目录中只有一个相符的类型" in page
    detail = client.get(reverse("matching:need_detail", args=[vague.pk])).content.decode()
    assert "不在需求目录中，无法匹配" in detail and reverse("matching:need_type_set", args=[vague.pk]) in detail
    r = client.post(reverse("matching:need_type_set", args=[vague.pk]), {"need_type": ""})
    assert r.status_code == 200 and Need.objects.get(pk=vague.pk).need_type == "家电"
    repairs = NeedType.objects.get(code="repairs")
    r = client.post(reverse("matching:need_type_set", args=[vague.pk]), {"need_type": repairs.pk})
    assert r.status_code == 302 and r["Location"] == reverse("matching:need_review")
    assert Need.objects.get(pk=vague.pk).need_type == "repairs"
    assert 'data-testid="untyped"' not in client.get(reverse("matching:need_detail", args=[vague.pk])).content.decode()
    r = client.post(reverse("matching:need_review_map"))
    assert r.status_code == 302 and Need.objects.get(pk=meals.pk).need_type == "meals"
    assert Need.objects.get(unit=tree.b1).need_type == "轮椅"  # another station's need is not touched
    assert "需求目录中的类型" in client.get(reverse("matching:need_review")).content.decode()


def test_the_need_list_points_to_needs_to_classify(tree: Any, worker: Any, viewer: Any, as_user: Any) -> None:
    _old(tree.a1, "助餐")
    assert "untyped-notice" in as_user(worker).get(reverse("matching:need_list")).content.decode()
    assert "untyped-notice" not in as_user(viewer).get(reverse("matching:need_list")).content.decode()
    assert as_user(viewer).get(reverse("matching:need_review")).status_code == 403


def test_the_district_edits_other_names_and_the_rule_follows(tree: Any, admin: Any, lead: Any, as_user: Any) -> None:
    bath = NeedType.objects.get(code="housekeeping")
    url = reverse("configuration:need_types_edit", args=[bath.pk])
    assert as_user(lead).get(url).status_code == 403
    client = as_user(admin)
    assert client.get(reverse("matching:type_list"))["Location"] == reverse("configuration:need_types_list")
    assert "打扫卫生" in client.get(reverse("configuration:need_types_list")).content.decode()
    form = {"name": "家政保洁", "order": 10, "domain": bath.domain_id, "kind": bath.kind}
    taken = client.post(url, {**form, "aliases": "保洁、送饭"})
    assert "“送饭”已是“助餐送餐”的叫法" in taken.content.decode()
    too_long = client.post(url, {**form, "aliases": "保洁，" + "洗" * 21})
    assert "每个叫法不超过 20 个字" in too_long.content.decode()
    assert NeedType.objects.get(pk=bath.pk).aliases == ["保洁", "打扫", "打扫卫生", "家政"]
    r = client.post(url, {**form, "aliases": "保洁, 助浴 家政、保洁"})
    assert r.status_code == 302
    assert NeedType.objects.get(pk=bath.pk).aliases == ["保洁", "助浴", "家政"]
    assert _code("助浴服务") == "housekeeping"
    event = AuditEvent.objects.get(action="configuration.update")
    assert event.actor == admin and event.changes["aliases"][1] == ["保洁", "助浴", "家政"]
    client.post(reverse("configuration:need_types_retire", args=[bath.pk]))  # out of use
    assert not NeedType.objects.get(pk=bath.pk).active and _code("保洁") is None
