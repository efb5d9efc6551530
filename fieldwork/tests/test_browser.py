"""The field app in a phone's browser with the connection switched off and on:
a visit recorded offline survives a reload, is sent once when the connection
returns, a conflict is shown and resolved, and logging out clears the phone."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from grading.models import Card, Visit, VisitPhoto
from grading.services import visit_log
from grading.tests.factories import graded
from tests.browser import PHONE, login_as
from tests.factories import PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.parametrize("page", [PHONE], indirect=True),
]


def _ready(page: Any) -> None:
    """The field app loaded, its worker in control and its list kept."""
    page.goto("/field/")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()  # now a page the worker controls
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    page.locator("[data-testid^=field-row-]").first.wait_for()


def _stored(page: Any, store: str) -> int:
    return int(
        page.evaluate(
            """(store) => new Promise((resolve) => {
              const req = indexedDB.open("linli-field", 1);
              req.onsuccess = () => {
                const db = req.result;
                if (!db.objectStoreNames.contains(store)) { db.close(); resolve(0); return; }
                const c = db.transaction(store).objectStore(store).count();
                c.onsuccess = () => { db.close(); resolve(c.result); };
              };
              req.onupgradeneeded = () => {};
            })""",
            store,
        )
    )


def _record(page: Any, person: Any, findings: str) -> None:
    page.get_by_test_id(f"open-{person.pk}").click()
    form = page.get_by_test_id("field-visit-form")
    form.wait_for()
    assert form.locator("input[name=visited_on]").input_value() == dt.date.today().isoformat()
    form.locator("textarea[name=findings]").fill(findings)
    # grading's visit photo (a camera picture on a phone, resized there) and the resident's signature
    form.locator("input[type=file][name=photos]").set_input_files(
        {"name": "door.png", "mimeType": "image/png", "buffer": _PNG},
    )
    page.wait_for_function("!document.querySelector('[data-testid=field-visit-form]').dataset.photoBusy")
    pad = form.locator("canvas[data-signature-pad]")
    pad.scroll_into_view_if_needed()
    box = pad.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + 10, box["y"] + 10)
    page.mouse.down()
    page.mouse.move(box["x"] + 60, box["y"] + 30, steps=5)
    page.mouse.up()
    assert form.locator("[data-signature-value]").input_value().startswith("data:image/png")
    form.locator("select[name=signed_by]").select_option("resident")
    page.get_by_test_id("field-save").dblclick()  # a double tap queues it once
    page.get_by_test_id("queue").wait_for()


_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cfc0f01f0005000201e2b1d1cb0000000049454e44ae426082"
)


def test_a_visit_recorded_offline_survives_a_reload_and_arrives_once(page: Any, tree: Any, worker: Any) -> None:
    today = dt.date.today()
    red = graded(tree.a1, Card.RED, responsible=worker, next_due=today - dt.timedelta(days=3), name="陈红梅")
    graded(tree.a1, Card.GREEN, responsible=worker, name="李绿叶")
    login_as(page, "worker_a", PASSWORD)
    _ready(page)
    assert "陈红梅" in page.get_by_test_id("field-people").inner_text()
    page.context.set_offline(True)
    page.reload()  # the shell and the list come from the phone
    page.get_by_test_id(f"field-row-{red.pk}").wait_for()
    _record(page, red, "老人精神不错，门口楼梯灯坏了")
    assert page.get_by_test_id("queue-count").inner_text() == "1"
    page.reload()  # still offline: the visit is still waiting
    page.get_by_test_id(f"queued-{red.pk}").wait_for()
    assert page.get_by_test_id("queue-count").inner_text() == "1"
    assert "待发送" in page.get_by_test_id(f"field-row-{red.pk}").inner_text()
    assert not Visit.objects.filter(person=red).exists()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.context.set_offline(False)  # the connection returns: the queue goes
    page.get_by_test_id("queue").wait_for(state="hidden")
    visit = Visit.objects.get(person=red)
    assert visit.findings == "老人精神不错，门口楼梯灯坏了" and visit.visitor == worker
    assert VisitPhoto.objects.filter(visit=visit).count() == 1 and visit.signature
    page.get_by_test_id("send-now").dispatch_event("click")  # sending again changes nothing
    page.wait_for_timeout(500)
    assert Visit.objects.filter(person=red).count() == 1


def test_a_conflict_is_shown_and_kept_both(page: Any, tree: Any, worker: Any, colleague: Any) -> None:
    blue = graded(tree.a1, Card.BLUE, responsible=worker, name="王蓝天")
    login_as(page, "worker_a", PASSWORD)
    _ready(page)
    page.context.set_offline(True)
    _record(page, blue, "送了米面")
    visit_log(actor=colleague, person=blue, visited_on=dt.date.today(), findings="电话回访")  # meanwhile
    page.context.set_offline(False)
    conflict = page.get_by_test_id(f"conflict-{blue.pk}")
    conflict.wait_for()
    assert "探访" in conflict.inner_text()
    assert Visit.objects.filter(person=blue).count() == 1  # nothing of mine yet
    conflict.get_by_test_id("keep-both").click()
    page.get_by_test_id("queue").wait_for(state="hidden")
    assert sorted(Visit.objects.filter(person=blue).values_list("findings", flat=True)) == ["电话回访", "送了米面"]


def test_a_conflict_discarded_saves_nothing_and_logout_clears_the_phone(
    page: Any, tree: Any, worker: Any, colleague: Any
) -> None:
    person = graded(tree.a1, Card.RED, responsible=worker, name="赵红")
    login_as(page, "worker_a", PASSWORD)
    _ready(page)
    page.context.set_offline(True)
    _record(page, person, "第一次")
    visit_log(actor=colleague, person=person, visited_on=dt.date.today(), findings="同事来过")
    page.context.set_offline(False)
    conflict = page.get_by_test_id(f"conflict-{person.pk}")
    conflict.wait_for()
    page.once("dialog", lambda d: d.accept())
    conflict.get_by_test_id("discard-mine").click()
    page.get_by_test_id("queue").wait_for(state="hidden")
    assert Visit.objects.filter(person=person).count() == 1
    # a visit still waiting (the colleague came again): logging out asks first, then clears everything
    page.context.set_offline(True)
    _record(page, person, "第二次")
    visit_log(actor=colleague, person=person, visited_on=dt.date.today(), findings="同事又来了")
    page.context.set_offline(False)
    page.get_by_test_id(f"conflict-{person.pk}").wait_for()
    assert _stored(page, "people") >= 1 and _stored(page, "queue") == 1
    messages: list[str] = []

    def refuse(dialog: Any) -> None:
        messages.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", refuse)
    page.get_by_test_id("logout").click()
    page.wait_for_timeout(300)
    assert messages and "1" in messages[0]
    assert "/account/login" not in page.url and _stored(page, "queue") == 1  # refused: nothing cleared
    page.once("dialog", lambda d: d.accept())
    page.get_by_test_id("logout").click()
    page.wait_for_url("**/account/login/**")
    assert _stored(page, "people") == 0 and _stored(page, "queue") == 0
    assert page.evaluate("caches.keys()") == []
