from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import AuditEvent
from casework.models import CaseAttachment, CaseNote, Stage
from casework.services import case_attachment_add, case_note_add
from casework.tests.factories import case_in_intervention, domain, open_case
from people.tests.factories import PersonFactory
from tests import uploads

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

PDF = b"%PDF-1.4\n%test\n"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def test_it_hides_case_notes_from_a_colleague_in_the_same_station(tree, worker, colleague, lead, as_user):
    case = open_case(worker, unit=tree.a1)
    case_note_add(actor=worker, case=case, text="机密：案主透露家庭矛盾")
    url = reverse("casework:case_detail", args=[case.pk])
    own = as_user(worker).get(url)
    assert "机密：案主透露家庭矛盾" in own.content.decode()
    other = as_user(colleague).get(url)
    assert other.status_code == 200  # the case itself is visible in scope
    assert "机密：案主透露家庭矛盾" not in other.content.decode()
    assert 'data-testid="confidential"' not in other.content.decode()
    assert "机密：案主透露家庭矛盾" in as_user(lead).get(url).content.decode()
    assert (
        as_user(colleague)
        .post(reverse("casework:note_add", args=[case.pk]), {"date": "2026-11-23", "text": "x"})
        .status_code
        == 403
    )
    assert CaseNote.objects.count() == 1


def test_it_shows_notes_to_the_district_supervisor(tree, worker, supervisor, as_user):
    case = open_case(worker, unit=tree.a1)
    case_note_add(actor=worker, case=case, text="督导可见")
    assert "督导可见" in as_user(supervisor).get(reverse("casework:case_detail", args=[case.pk])).content.decode()


def test_it_hides_case_notes_from_the_district_administrator(tree, worker, admin, as_user):
    case = open_case(worker, unit=tree.a1)
    case_note_add(actor=worker, case=case, text="管理员不可见")
    response = as_user(admin).get(reverse("casework:case_detail", args=[case.pk]))
    assert response.status_code == 200
    assert "管理员不可见" not in response.content.decode()


def test_it_opens_a_case_through_the_form(tree, worker, as_user):
    person = PersonFactory(unit=tree.a1)
    c = as_user(worker)
    r = c.post(
        reverse("casework:case_create"),
        {
            "person": person.pk,
            "domain": domain().pk,
            "title": "高龄独居",
            "opened_on": "2026-11-20",
            "worker": worker.pk,
        },
    )
    assert r.status_code == 302
    case = person.cases.get()
    assert r.url == reverse("casework:case_detail", args=[case.pk])
    assert case.number.startswith("ELD-0001-20261120-001-")


def test_it_shows_form_errors_in_chinese_and_saves_nothing(tree, worker, as_user):
    person = PersonFactory(unit=tree.a1)
    c = as_user(worker)
    r = c.post(
        reverse("casework:case_create"),
        {"person": person.pk, "domain": domain().pk, "title": "x", "opened_on": "2026-12-01", "worker": worker.pk},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert r.status_code == 200
    assert "开案日期不能晚于今天。" in r.content.decode()
    assert not person.cases.exists()


def test_it_moves_a_case_and_reports_refusals(tree, worker, as_user):
    case = open_case(worker, unit=tree.a1)
    c = as_user(worker)
    url = reverse("casework:case_move", args=[case.pk])
    c.post(url, {"action": "assess"})
    case.refresh_from_db()
    assert case.stage == Stage.ASSESSMENT
    assert c.post(url, {"action": "approve_plan"}).status_code == 403  # a worker does not approve
    r = c.post(url, {"action": "evaluate"}, follow=True)
    case.refresh_from_db()
    assert case.stage == Stage.ASSESSMENT
    assert "当前无法执行“开始评估”：评估须在介入之后进行。" in r.content.decode()


def test_it_refuses_a_move_by_get(tree, worker, as_user):
    case = open_case(worker, unit=tree.a1)
    assert as_user(worker).get(reverse("casework:case_move", args=[case.pk])).status_code == 405


def test_it_404s_cases_of_another_station(tree, worker, outsider, as_user):
    case = open_case(worker, unit=tree.a1)
    assert as_user(outsider).get(reverse("casework:case_detail", args=[case.pk])).status_code == 404


def test_it_logs_an_intervention_through_the_form(tree, worker, lead, as_user):
    case = case_in_intervention(worker, lead, unit=tree.a1)
    c = as_user(worker)
    r = c.post(
        reverse("casework:service_deliver", args=[case.pk]),
        {"date": "2026-11-22", "description": "陪同就医", "minutes": "120", "planned": ""},
    )
    assert r.status_code == 302
    assert case.delivered_services.get().minutes == 120


# ------------------------------------------------------------------ attachments


def test_it_stores_attachments_under_random_names_outside_the_web_root(tree, worker, media):
    case = open_case(worker, unit=tree.a1)
    upload = SimpleUploadedFile("../../etc/评估报告.pdf", PDF, content_type="application/pdf")
    att = case_attachment_add(actor=worker, case=case, upload=upload)
    assert att.original_name == "评估报告.pdf"
    assert att.file.name.startswith("casework/attachments/") and ".." not in att.file.name
    assert "评估报告" not in att.file.name
    path = media / att.file.name
    assert path.exists() and path.read_bytes() == PDF


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("script.exe", b"MZ"),
        ("page.html", b"<html>"),
        ("evil.pdf.php", b"%PDF"),
        ("fake.pdf", b"<script>"),
        ("evil.php.jpg", b"<?php system($_GET['c']); ?>"),
        ("fake.png", b"\x89PNG\r\n\x1a\n<?php ?>"),
        ("..\\..\\boot.ini", b"[boot]"),
        ("noextension", b"%PDF"),
    ],
)
def test_it_refuses_unsafe_files(tree, worker, media, name, content):
    case = open_case(worker, unit=tree.a1)
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as exc:
        case_attachment_add(actor=worker, case=case, upload=SimpleUploadedFile(name, content))
    assert "file" in exc.value.message_dict
    assert not CaseAttachment.objects.exists()


def test_it_refuses_files_over_the_size_limit(tree, worker, media, settings):
    settings.LINLI_CASE_ATTACHMENT_MAX_MB = 1
    case = open_case(worker, unit=tree.a1)
    from django.core.exceptions import ValidationError

    big = uploads.pdf("big.pdf", padding=1024 * 1024)
    with pytest.raises(ValidationError):
        case_attachment_add(actor=worker, case=case, upload=big)
    ok = uploads.pdf("ok.pdf", padding=1000)
    assert case_attachment_add(actor=worker, case=case, upload=ok).size == 1015


def test_it_serves_attachments_only_to_those_who_may_read_them(tree, worker, colleague, outsider, lead, media, as_user):
    case = open_case(worker, unit=tree.a1)
    att = case_attachment_add(actor=worker, case=case, upload=SimpleUploadedFile("a.pdf", PDF))
    url = reverse("casework:attachment_download", args=[att.pk])
    r = as_user(worker).get(url)
    assert r.status_code == 200 and b"".join(r.streaming_content) == PDF
    assert r["Content-Type"] == "application/pdf" and "attachment" in r["Content-Disposition"]
    assert as_user(lead).get(url).status_code == 200
    assert as_user(colleague).get(url).status_code == 403
    assert as_user(outsider).get(url).status_code == 404
    assert AuditEvent.objects.filter(action="case.attachment_read").count() == 2


def test_it_uploads_through_the_form_and_rejects_bad_types_in_chinese(tree, worker, media, as_user):
    case = open_case(worker, unit=tree.a1)
    c = as_user(worker)
    url = reverse("casework:attachment_add", args=[case.pk])
    r = c.post(url, {"file": SimpleUploadedFile("x.svg", b"<svg/>"), "description": ""}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "不接受此类型的文件" in r.content.decode()
    r = c.post(url, {"file": uploads.image("x.png", "PNG"), "description": "照片"})
    assert r.status_code == 302 and case.attachments.count() == 1


@pytest.mark.parametrize("trick", ["../../../etc/passwd", "..%2F..%2Fsettings.py", "%2e%2e/x"])
def test_it_resolves_no_file_path_from_the_url(tree, worker, as_user, trick):
    r = as_user(worker).get(f"/services/files/{trick}/")
    assert r.status_code == 404


# ------------------------------------------------------------------ transfer and referrals


def test_it_transfers_through_the_form(tree, worker, colleague, lead, as_user):
    case = open_case(worker, unit=tree.a1)
    r = as_user(lead).post(
        reverse("casework:case_transfer", args=[case.pk]), {"to_worker": colleague.pk, "reason": "工作调整"}
    )
    assert r.status_code == 302
    case.refresh_from_db()
    assert case.worker == colleague


def test_it_records_a_referral_through_the_form(tree, worker, as_user):
    case = open_case(worker, unit=tree.a1)
    url = reverse("casework:referral_create", args=[case.pk])
    data = {
        "new_partner_name": "区心理援助中心",
        "reason": "需要专业心理咨询",
        "referred_on": "2026-11-20",
        "consent_on": "",
        "consent_method": "written",
    }
    r = as_user(worker).post(url, data, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "转介须有服务对象的知情同意记录。" in r.content.decode()
    data["consent_on"] = "2026-11-19"
    assert as_user(worker).post(url, data).status_code == 302
    referral = case.referrals.get()
    r = as_user(worker).post(
        reverse("casework:referral_edit", args=[referral.pk]), {"status": "accepted", "outcome": ""}
    )
    assert r.status_code == 302
    referral.refresh_from_db()
    assert referral.status == "accepted"


def test_it_lists_and_filters_cases(tree, worker, as_user):
    open_case(worker, unit=tree.a1, title="甲问题")
    c = as_user(worker)
    assert "甲问题" in c.get(reverse("casework:case_list")).content.decode()
    assert "甲问题" not in c.get(reverse("casework:case_list") + "?stage=closed").content.decode()
    assert c.get(reverse("casework:case_create")).status_code == 200
    assert dt.date(2026, 11, 23)  # frozen clock in use


def test_it_judges_goals_during_evaluation(tree, worker, colleague, lead, as_user):
    case = case_in_intervention(worker, lead, unit=tree.a1)
    goal = case.goals.get()
    url = reverse("casework:goal_assess", args=[goal.pk])
    assert as_user(colleague).post(url, {"achieved": "yes"}).status_code == 403
    assert as_user(worker).post(url, {"achieved": "yes"}).status_code == 302
    goal.refresh_from_db()
    assert goal.achieved is True
    fresh = open_case(worker, unit=tree.a1)
    from casework.services import case_goal_add

    early = case_goal_add(actor=worker, case=fresh, text="早期目标")
    r = as_user(worker).post(reverse("casework:goal_assess", args=[early.pk]), {"achieved": "no"}, follow=True)
    early.refresh_from_db()
    assert early.achieved is None and "介入和评估阶段" in r.content.decode()


def test_it_leaves_no_file_behind_when_the_row_cannot_be_written(tree, worker, media, monkeypatch):
    import casework.services.cases as cases

    case = open_case(worker, unit=tree.a1)

    def boom(**kwargs):
        raise RuntimeError("audit down")

    monkeypatch.setattr(cases, "audit_record", boom)
    with pytest.raises(RuntimeError):
        case_attachment_add(actor=worker, case=case, upload=SimpleUploadedFile("a.pdf", PDF))
    folder = media / "casework" / "attachments"
    assert not folder.exists() or not any(folder.iterdir())
