"""The instrument editor: its rules for a version, its row buttons, drafts
and publishing (a new version for new assessments; past ones keep theirs)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from audit.models import AuditEvent
from configuration import instruments
from configuration.models import InstrumentDraft
from grading.models import Assessment, Instrument, InstrumentVersion
from grading.rules import score
from grading.services import assessment_record
from grading.tests.factories import full_answers
from people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


def _small() -> instruments.State:
    return instruments.state_of(
        {
            "dimensions": [
                {
                    "code": "mood",
                    "name": "情绪",
                    "items": [
                        {
                            "code": "sleep",
                            "text": "睡眠",
                            "options": [{"label": "好", "score": 0}, {"label": "差", "score": 2}],
                        }
                    ],
                }
            ],
            "levels": [
                {"level": 0, "name": "稳定", "min": 0, "max": 1},
                {"level": 1, "name": "关注", "min": 2, "max": 2},
            ],
        }
    )


def _post(state: instruments.State, **extra: str) -> dict[str, str]:
    """The editor's inputs for `state`, as the page names them."""
    data: dict[str, str] = {}
    for d, dim in enumerate(state["dimensions"]):
        data[f"d-{d}-code"], data[f"d-{d}-name"] = dim["code"], dim["name"]
        for i, item in enumerate(dim["items"]):
            data[f"d-{d}-i-{i}-code"], data[f"d-{d}-i-{i}-text"] = item["code"], item["text"]
            for o, opt in enumerate(item["options"]):
                data[f"d-{d}-i-{i}-o-{o}-label"], data[f"d-{d}-i-{i}-o-{o}-score"] = opt["label"], opt["score"]
    for n, band in enumerate(state["levels"]):
        for key in ("level", "name", "min", "max"):
            data[f"l-{n}-{key}"] = band[key]
    return {**data, **extra}


def test_it_accepts_a_sound_instrument_and_reads_back_what_the_page_posts() -> None:
    schema, errors, general = instruments.check(_small())
    assert errors == {} and general == []
    assert schema is not None and schema["dimensions"][0]["items"][0]["options"][1]["score"] == 2
    assert instruments.state_from_post(_post(_small())) == _small()


@pytest.mark.parametrize(
    ("change", "where", "message"),
    [
        (lambda s: s["dimensions"][0]["items"][0]["options"].pop(), "d-0-i-0-text", "at least two options"),
        (
            lambda s: s["dimensions"][0]["items"][0]["options"][0].update(score="two"),
            "d-0-i-0-o-0-score",
            "whole number",
        ),
        (lambda s: s["dimensions"][0]["items"][0].update(code="1x"), "d-0-i-0-code", "starting with a letter"),
        (lambda s: s["dimensions"][0]["items"].append(dict(s["dimensions"][0]["items"][0])), "d-0-i-1-code", "twice"),
        (lambda s: s["dimensions"].append({**s["dimensions"][0], "items": []}), "d-1-code", "twice"),
        (lambda s: s["levels"][0].update(max="-1"), "l-0-max", "below its lowest"),
        (lambda s: s["levels"][1].update(level="0"), "l-1-level", "given twice"),
    ],
)
def test_it_says_which_row_is_wrong(change: Any, where: str, message: str) -> None:
    state = _small()
    change(state)
    with translation.override("en"):
        schema, errors, _general = instruments.check(state)
    assert schema is None
    assert message in errors[where]


@pytest.mark.parametrize(
    ("bands", "message"),
    [
        ([(0, 0, 1), (1, 1, 2)], "overlap at 1 points"),
        ([(0, 0, 0), (1, 2, 2)], "Totals 1–1 fall in no level"),
        ([(0, 0, 1)], "Totals 2–2 fall in no level"),
        ([(0, 1, 2)], "Totals 0–0 fall in no level"),
    ],
)
def test_it_refuses_overlapping_or_gapped_levels(bands: list[tuple[int, int, int]], message: str) -> None:
    state = _small()
    state["levels"] = [{"level": str(n), "name": f"L{n}", "min": str(lo), "max": str(hi)} for n, lo, hi in bands]
    with translation.override("en"):
        schema, _errors, general = instruments.check(state)
    assert schema is None and any(message in g for g in general), general


def test_its_buttons_add_remove_and_move_rows() -> None:
    state = instruments.apply(_small(), "add-opt-0-0")
    assert len(state["dimensions"][0]["items"][0]["options"]) == 3
    state["dimensions"][0]["items"][0]["options"][2]["label"] = "很差"
    state = instruments.apply(state, "up-opt-0-0-2")
    assert [o["label"] for o in state["dimensions"][0]["items"][0]["options"]] == ["好", "很差", "差"]
    state = instruments.apply(state, "del-opt-0-0-0")
    assert [o["label"] for o in state["dimensions"][0]["items"][0]["options"]] == ["很差", "差"]
    state = instruments.apply(state, "add-item-0")
    assert len(state["dimensions"][0]["items"]) == 2
    state = instruments.apply(instruments.apply(state, "add-dim"), "add-level")
    assert len(state["dimensions"]) == 2 and len(state["levels"]) == 3
    assert instruments.apply(state, "del-item-9-9") == state  # a stale button changes nothing
    assert instruments.apply(state, "up-dim-x") == state


def test_a_row_button_shows_the_page_again_with_everything_typed_and_saves_nothing(
    tree: Any, admin: Any, as_user: Any
) -> None:
    inst = Instrument.objects.get(code="child_risk")
    url = reverse("configuration:instrument_edit", args=[inst.pk])
    client = as_user(admin)
    page = client.get(url, **ZH)
    assert page.status_code == 200 and "发布为新版本" in page.content.decode()
    state = instruments.state_of(inst.current_version().schema)  # type: ignore[union-attr]
    state["dimensions"][0]["name"] = "我刚改的名称"
    response = client.post(url, _post(state, _op="add-item-0"), **ZH)
    body = response.content.decode()
    assert response.status_code == 200 and "我刚改的名称" in body
    assert f'name="d-0-i-{len(state["dimensions"][0]["items"])}-code"' in body  # the new row
    assert not InstrumentDraft.objects.exists() and inst.versions.count() == 1


def test_it_keeps_a_draft_then_publishes_a_new_version_that_new_assessments_use(
    tree: Any, admin: Any, worker: Any, as_user: Any
) -> None:
    inst = Instrument.objects.get(code="child_risk")
    first = inst.current_version()
    assert first is not None
    person: Any = PersonFactory(unit=tree.a1)
    past = assessment_record(
        actor=worker, person=person, version=first, answers=full_answers(first, 1), assessed_on=dt.date(2026, 11, 2)
    )
    url = reverse("configuration:instrument_edit", args=[inst.pk])
    client = as_user(admin)
    state = instruments.state_of(first.schema)
    state["dimensions"][0]["items"][0]["text"] = "新的题目文字"

    saved = client.post(url, _post(state, _action="draft", note=""), **ZH)
    assert saved.status_code == 302
    draft = InstrumentDraft.objects.get(instrument=inst)
    assert draft.content["dimensions"][0]["items"][0]["text"] == "新的题目文字"
    assert inst.versions.count() == 1  # a draft is not a version
    assert "新的题目文字" in client.get(url).content.decode()  # the editor opens on the draft

    state["dimensions"][0]["items"][0]["options"][0]["score"] = "二"
    refused = client.post(url, _post(state, _action="publish", note="改题目"), **ZH)
    assert refused.status_code == 200 and "分值须为整数" in refused.content.decode()
    assert "二" in refused.content.decode() and inst.versions.count() == 1  # nothing lost, nothing published

    state["dimensions"][0]["items"][0]["options"][0]["score"] = first.schema["dimensions"][0]["items"][0]["options"][0][
        "score"
    ]
    unnamed = client.post(url, _post(state, _action="publish", note=""), **ZH)
    assert unnamed.status_code == 200 and "请简要说明改了什么" in unnamed.content.decode()
    published = client.post(url, _post(state, _action="publish", note="改题目"), **ZH)
    assert published.status_code == 302
    second = inst.current_version()
    assert second is not None and second.number == first.number + 1 and second.note == "改题目"
    assert second.schema["dimensions"][0]["items"][0]["text"] == "新的题目文字"
    assert not InstrumentDraft.objects.filter(instrument=inst).exists()
    assert AuditEvent.objects.filter(action="instrument.publish").count() == 1
    assert AuditEvent.objects.filter(action="configuration.instrument_draft").count() == 1

    past.refresh_from_db()
    assert past.version_id == first.pk  # the past assessment keeps its version …
    assert score(past.version.schema, past.answers)[1] == past.total  # … and still scores with it
    person_page = as_user(worker).get(reverse("grading:person", args=[person.pk])).content.decode()
    assert f"{inst.name} v{first.number}" in person_page  # the page says which version it was
    form = as_user(worker).get(reverse("grading:assessment_new", args=[person.pk]), {"instrument": inst.code})
    assert form.context["version"] == second  # new assessments use the new version
    assert InstrumentVersion.objects.filter(instrument=inst).count() == 2
    assert Assessment.objects.filter(version=first).count() == 1


def test_only_the_district_edits_instruments(tree: Any, admin: Any, lead: Any, worker: Any, as_user: Any) -> None:
    inst = Instrument.objects.get(code="child_risk")
    url = reverse("configuration:instrument_edit", args=[inst.pk])
    for user in (lead, worker):
        assert as_user(user).get(url).status_code == 403
        assert as_user(user).post(url, _post(_small(), _action="publish", note="x")).status_code == 403
    assert inst.versions.count() == 1
    assert as_user(admin).get(reverse("configuration:instrument_edit", args=[inst.pk + 999])).status_code == 404


def test_saving_the_published_version_untouched_keeps_no_draft(tree: Any, admin: Any, as_user: Any) -> None:
    inst = Instrument.objects.get(code="child_risk")
    url = reverse("configuration:instrument_edit", args=[inst.pk])
    state = instruments.state_of(inst.current_version().schema)  # type: ignore[union-attr]
    assert as_user(admin).post(url, _post(state, note="")).status_code == 302
    assert not InstrumentDraft.objects.exists()
    assert not AuditEvent.objects.filter(action="configuration.instrument_draft").exists()
