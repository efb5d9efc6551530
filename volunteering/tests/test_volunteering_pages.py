from __future__ import annotations

import datetime as dt
import subprocess
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from volunteering.models import Award, Certificate, Evaluation, ServiceRecord, Training
from volunteering.services import award_add, certificate_issue, evaluation_add, service_record_create, training_add
from volunteers.tests.factories import VolunteerFactory

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _records(actor, volunteer, hours_each, n):
    for i in range(n):
        service_record_create(
            actor=actor,
            volunteer=volunteer,
            activity_name=f"助老服务{i % 3}",
            date=dt.date(2026, 11, 20),
            hours=hours_each,
        )


def test_it_records_training_awards_and_evaluations(tree, worker):
    v = VolunteerFactory(unit=tree.a1)
    t = training_add(
        actor=worker, volunteer=v, name="急救培训", hours="4", organiser="区红十字会", date=dt.date(2026, 11, 1)
    )
    a = award_add(actor=worker, volunteer=v, name="优秀志愿者", date=dt.date(2026, 10, 1), issuer="区民政局")
    e = evaluation_add(actor=worker, volunteer=v, rating="excellent", date=dt.date(2026, 11, 20))
    assert (t.unit, a.unit, e.unit) == (tree.a1, tree.a1, tree.a1)
    with translation.override("zh-hans"), pytest.raises(ValidationError) as exc:
        training_add(actor=worker, volunteer=v, name="", hours="0", organiser="", date=dt.date(2026, 12, 1))
    assert exc.value.message_dict["hours"] == ["服务时长必须大于零。"]
    assert set(exc.value.message_dict) == {"name", "hours", "organiser", "date"}
    with pytest.raises(ValidationError):
        evaluation_add(actor=worker, volunteer=v, rating="great", date=dt.date(2026, 11, 20))
    assert Training.objects.count() == Award.objects.count() == Evaluation.objects.count() == 1


def test_it_issues_numbered_certificates_of_the_hours_on_record(tree, worker):
    v = VolunteerFactory(unit=tree.a1)
    with pytest.raises(ValidationError):
        certificate_issue(actor=worker, volunteer=v)
    _records(worker, v, "12", 10)
    first = certificate_issue(actor=worker, volunteer=v)
    second = certificate_issue(actor=worker, volunteer=v, issuing_unit="甲街道社工站（盖章）")
    assert first.number == "ZYFW202600100001" and second.number == "ZYFW202600100002"
    assert first.hours == Decimal("120.0") and first.records == 10
    assert first.issuing_unit == "甲街道社工站"
    assert "助老服务0" in first.content


def test_it_prints_the_certificate_as_a_pdf_with_chinese_fonts(tree, worker, as_user, tmp_path):
    v = VolunteerFactory(unit=tree.a1, name="林晓梅")
    _records(worker, v, "8", 2)
    cert = certificate_issue(actor=worker, volunteer=v)
    r = as_user(worker).get(reverse("volunteering:certificate_pdf", args=[cert.pk]))
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert r.content.startswith(b"%PDF")
    path = tmp_path / "cert.pdf"
    path.write_bytes(r.content)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    assert "Noto-Sans-CJK-SC" in fonts
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert "Pages:           1" in info
    text = "".join(text.split())
    assert "志愿服务证明" in text and "林晓梅" in text and cert.number in text


def test_it_hides_certificates_of_other_stations(tree, worker, outsider, as_user):
    v = VolunteerFactory(unit=tree.a1)
    _records(worker, v, "2", 1)
    cert = certificate_issue(actor=worker, volunteer=v)
    assert as_user(outsider).get(reverse("volunteering:certificate_pdf", args=[cert.pk])).status_code == 404
    assert as_user(outsider).get(reverse("volunteering:records", args=[v.pk])).status_code == 404


def test_it_shows_hours_and_stars(tree, worker, as_user):
    v = VolunteerFactory(unit=tree.a1, name="星级甲")
    _records(worker, v, "20", 16)  # 320 h → 2 stars, 280 h to the third
    page = as_user(worker).get(reverse("volunteering:records", args=[v.pk])).content.decode()
    assert 'data-testid="hours">320.0<' in page
    assert 'aria-label="2★"' in page
    assert "280.0" in page
    board = as_user(worker).get(reverse("volunteering:board")).content.decode()
    assert "星级甲" in board and "320.0" in board


def test_it_warns_about_late_entries_through_the_form(tree, worker, as_user):
    v = VolunteerFactory(unit=tree.a1)
    c = as_user(worker)
    url = reverse("volunteering:record_add", args=[v.pk])
    data = {"activity_name": "社区清洁", "date": "2026-11-02", "hours": "3", "place": "", "content": ""}
    r = c.post(url, data, follow=True)
    assert "补录" in r.content.decode() or "working days" in r.content.decode()
    assert ServiceRecord.objects.get().late
    r = c.post(url, {**data, "date": "2026-11-30"})
    assert "服务日期不能晚于今天。" in r.content.decode()
    assert ServiceRecord.objects.count() == 1


def test_it_walks_the_other_forms(tree, worker, viewer, as_user):
    v = VolunteerFactory(unit=tree.a1)
    c = as_user(worker)
    assert (
        c.post(
            reverse("volunteering:training_add", args=[v.pk]),
            {"name": "培训", "hours": "2", "organiser": "站", "date": "2026-11-20", "content": ""},
        ).status_code
        == 302
    )
    assert (
        c.post(
            reverse("volunteering:award_add", args=[v.pk]), {"name": "奖", "date": "2026-11-20", "issuer": "区"}
        ).status_code
        == 302
    )
    assert (
        c.post(
            reverse("volunteering:evaluation_add", args=[v.pk]), {"rating": "good", "date": "2026-11-20", "comment": ""}
        ).status_code
        == 302
    )
    _records(worker, v, "1", 1)
    assert c.post(reverse("volunteering:certificate_issue", args=[v.pk]), {"issuing_unit": ""}).status_code == 302
    assert Certificate.objects.count() == 1
    assert as_user(viewer).get(reverse("volunteering:record_add", args=[v.pk])).status_code == 403
