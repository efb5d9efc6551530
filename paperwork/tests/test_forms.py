"""Each standard form prints for demo-like data: header, title, key fields and
signature blocks, IDs masked, children withheld from those who may not see
them, nothing of another station, and an audit event per print."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from paperwork.tests.conftest import CHILD_ID, HEAD_ID, Scene, pdf_pages, pdf_text

pytestmark = pytest.mark.django_db

HEADER = ["甲街道社工站", "测试区中心", "鲤城区乐善社工服务中心"]


def _get(client: Any, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    return pdf_text(response.content)


def _assert_form(text: str, *, title: str, code: str, signatures: list[str]) -> None:
    flat = text.replace(" ", "")
    for word in [*HEADER, title, code, *signatures, "第1页共"]:
        assert word.replace(" ", "") in flat, word
    assert HEAD_ID not in text and CHILD_ID not in text
    assert "13855551234" not in text and "12号3单元401" not in text


def test_it_prints_the_household_file(scene: Scene, worker: Any, as_user: Any) -> None:
    text = _get(as_user(worker), reverse("paperwork:household", args=[scene.household.pk]))
    _assert_form(
        text,
        title="一户一档家庭档案表",
        code="LL-PW-01",
        signatures=["社工签名", "服务对象/监护人签名", "站点负责人签名"],
    )
    assert "林秀英" in text and "林小宝" in text and "林建国" in text
    assert "**********" + HEAD_ID[-4:] in text and "138****1234" in text and "东街路****" in text
    assert "低保" in text and "入户探访与个案服务" in text
    assert AuditEvent.objects.filter(action="paperwork.household_file", actor=worker).count() == 1


def test_it_withholds_a_child_from_a_viewer(scene: Scene, viewer: Any, as_user: Any) -> None:
    text = _get(as_user(viewer), reverse("paperwork:household", args=[scene.household.pk]))
    assert "林秀英" in text and "林小宝" not in text and "林建国" not in text
    assert "未满14周岁" in text and CHILD_ID[-4:] not in text
    assert as_user(viewer).get(reverse("paperwork:case_intake", args=[scene.child_case.pk])).status_code == 403
    assert not AuditEvent.objects.filter(action="paperwork.case_intake").exists()


@pytest.mark.parametrize(
    ("slug", "title", "code", "words"),
    [
        ("intake", "个案接案登记表", "LL-PW-02", ["独居老人情绪低落", "服务对象意愿"]),
        ("assessment", "个案预估表", "LL-PW-03", ["评估记录", "预估意见"]),
        (
            "plan",
            "个案服务计划表",
            "LL-PW-04",
            [
                "每周外出社交一次",
                "每周电话关怀",
                "批准计划",
                "督导签名",
                "林建国",
                "2026-12-31",
                "林秀英、林建国",
                "2026年11月6日",
            ],
        ),
        ("evaluation", "个案评估表", "LL-PW-05", ["目标达成情况", "已提供服务"]),
        ("closure", "个案结案表", "LL-PW-06", ["结案原因", "审批记录"]),
    ],
)
def test_it_prints_each_case_form(
    slug: str, title: str, code: str, words: list[str], scene: Scene, worker: Any, as_user: Any
) -> None:
    text = _get(as_user(worker), reverse(f"paperwork:case_{slug}", args=[scene.case.pk]))
    _assert_form(text, title=title, code=code, signatures=["社工签名", "服务对象/监护人签名", "站点负责人签名"])
    assert scene.case.number in text.replace(" ", "") or scene.case.number[:12] in text
    assert "林秀英" in text and "**********" + HEAD_ID[-4:] in text
    for word in words:
        assert word in text, word
    assert AuditEvent.objects.filter(action=f"paperwork.case_{slug}", actor=worker).count() == 1


def test_it_prints_all_case_forms_in_one_pdf(scene: Scene, worker: Any, as_user: Any) -> None:
    response = as_user(worker).get(reverse("paperwork:case_all", args=[scene.case.pk]))
    text = pdf_text(response.content)
    for title in ["个案接案登记表", "个案预估表", "个案服务计划表", "个案评估表", "个案结案表"]:
        assert title in text
    assert pdf_pages(response.content) >= 5
    assert AuditEvent.objects.filter(action__startswith="paperwork.case_", actor=worker).count() == 5


def test_it_prints_a_filled_sign_in_sheet(scene: Scene, worker: Any, as_user: Any) -> None:
    text = _get(as_user(worker), reverse("paperwork:signin", args=[scene.activity.pk]))
    _assert_form(text, title="活动签到表", code="LL-PW-07", signatures=["活动负责人签名", "站点负责人签名"])
    assert "重阳敬老茶话会" in text and "林秀英" in text and "陈志愿" in text and "王来宾" in text
    assert "137****7777" in text and "13766667777" not in text
    assert "实到 3 人" in text
    event = AuditEvent.objects.get(action="paperwork.signin_sheet")
    assert event.changes["blank"] is False


def test_it_prints_an_empty_sign_in_sheet_to_fill_in(scene: Scene, worker: Any, as_user: Any) -> None:
    response = as_user(worker).get(reverse("paperwork:signin_blank", args=[scene.activity.pk]))
    text = pdf_text(response.content)
    assert "活动签到表" in text and "重阳敬老茶话会" in text and "本人签名" in text
    assert "林秀英" not in text and "陈志愿" not in text
    assert "30" in text.split()  # the numbered rows to fill in
    assert AuditEvent.objects.get(action="paperwork.signin_sheet").changes["blank"] is True


def test_it_prints_joint_meeting_minutes(scene: Scene, worker: Any, as_user: Any) -> None:
    text = _get(as_user(worker), reverse("paperwork:joint", args=[scene.joint.pk]))
    _assert_form(text, title="联席会议纪要", code="LL-PW-08", signatures=["记录人签名", "主持人签名", "站点负责人签名"])
    assert "第四季度困难群众帮扶" in text and "建立联络群" in text
    assert AuditEvent.objects.filter(action="paperwork.joint_minutes").count() == 1


def test_it_prints_the_supervision_record(scene: Scene, worker: Any, as_user: Any) -> None:
    text = _get(as_user(worker), reverse("paperwork:supervision", args=[scene.supervision.pk]))
    _assert_form(text, title="月度督导记录表", code="LL-PW-09", signatures=["督导签名", "社工签名", "站点负责人签名"])
    assert "郑督导" in text and "个案记录规范" in text and "2026年11月" in text
    assert AuditEvent.objects.filter(action="paperwork.supervision_record").count() == 1


def test_it_refuses_another_stations_staff_and_anyone_outside(
    scene: Scene, outsider: Any, as_user: Any, client: Any
) -> None:
    urls = [
        reverse("paperwork:household", args=[scene.household.pk]),
        reverse("paperwork:case_forms", args=[scene.case.pk]),
        reverse("paperwork:case_plan", args=[scene.case.pk]),
        reverse("paperwork:activity_forms", args=[scene.activity.pk]),
        reverse("paperwork:signin", args=[scene.activity.pk]),
        reverse("paperwork:joint", args=[scene.joint.pk]),
        reverse("paperwork:supervision", args=[scene.supervision.pk]),
    ]
    for url in urls:
        assert as_user(outsider).get(url).status_code == 404, url
        assert client.get(url).status_code == 302, url  # to the login page
    assert not AuditEvent.objects.filter(action__startswith="paperwork.").exists()


def test_it_lets_a_colleague_in_the_station_print_what_the_detail_page_shows(
    scene: Scene, colleague: Any, as_user: Any
) -> None:
    text = _get(as_user(colleague), reverse("paperwork:case_plan", args=[scene.case.pk]))
    assert "每周电话关怀" in text


def test_it_offers_the_forms_of_a_case_and_an_activity(scene: Scene, worker: Any, as_user: Any) -> None:
    page = as_user(worker).get(reverse("paperwork:case_forms", args=[scene.case.pk])).content.decode()
    assert reverse("paperwork:case_closure", args=[scene.case.pk]) in page
    assert reverse("paperwork:case_all", args=[scene.case.pk]) in page
    page = as_user(worker).get(reverse("paperwork:activity_forms", args=[scene.activity.pk])).content.decode()
    assert reverse("paperwork:signin_blank", args=[scene.activity.pk]) in page
