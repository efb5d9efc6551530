from __future__ import annotations

import io
import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.urls import reverse
from PIL import Image

from archive import services
from archive.demo import docx
from archive.models import Category, Document, Evidence, Version
from audit.models import AuditEvent
from tests.lists import assert_flat_queries
from workrecords import services as work
from workrecords.models import ScoringSheet

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(out, "PNG")
    return out.getvalue()


def _file(
    worker: Any, unit: Any, title: str = "站点管理制度", *, year: int = 2026, years: int | None = None, text: str = ""
) -> Document:
    return services.document_create(
        actor=worker,
        unit=unit,
        category=Category.objects.get(name="规章制度"),
        title=title,
        year=year,
        retention_years=years,
        file=ContentFile(docx([title, text or "第一章 总则"]), name=f"{title}.docx"),
    )


def _post(client: Any, upload: Any, unit: Any, **extra: Any) -> Any:
    data = {
        "unit": unit.pk,
        "category": Category.objects.get(name="会议纪要").pk,
        "title": "第三季度联席会议纪要",
        "year": "2026",
        "retention_years": "10",
        "description": "扫描件",
        "file": upload,
        **extra,
    }
    return client.post(reverse("archive:document_create"), data, HTTP_ACCEPT_LANGUAGE="zh-hans")


def test_it_files_a_document_through_the_page_and_serves_it_only_in_scope(as_user, worker, outsider, tree):
    resp = _post(as_user(worker), SimpleUploadedFile("纪要.docx", docx(["联席会议 决议：增设助餐点"])), tree.station_a)
    document = Document.objects.get()
    assert resp.status_code == 302 and resp.url == reverse("archive:document_detail", args=[document.pk])
    assert document.uploaded_by == worker and document.retention_ends == date(2036, 12, 31)
    assert "增设助餐点" in document.text
    assert AuditEvent.objects.filter(action="archive_document.create", target_id=str(document.pk)).exists()
    file_url = reverse("archive:document_file", args=[document.pk])
    served = as_user(worker).get(file_url)
    assert served.status_code == 200 and served["X-Content-Type-Options"] == "nosniff"
    assert served["Cache-Control"] == "private, no-store"
    assert b"".join(served.streaming_content).startswith(b"PK")
    assert as_user(outsider).get(file_url).status_code == 404
    assert as_user(outsider).get(reverse("archive:document_detail", args=[document.pk])).status_code == 404


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (lambda: SimpleUploadedFile("大文件.pdf", b"%PDF-" + b"0" * (1024 * 1024)), "文件超过 1 MB"),
        (lambda: SimpleUploadedFile("坏的.pdf", b"not a pdf at all"), "文件内容与其类型不符"),
        (lambda: SimpleUploadedFile("坏的.docx", b"PK not really a zip"), "文件内容与其类型不符"),
        (lambda: SimpleUploadedFile("脚本.exe", b"MZ\x90\x00"), "不接受此类型的文件"),
        (lambda: SimpleUploadedFile("空.pdf", b""), ""),
    ],
    ids=["oversized", "malformed-pdf", "malformed-docx", "wrong-type", "empty"],
)
def test_it_refuses_a_bad_file_and_stores_nothing(as_user, worker, tree, settings, _media, upload, message):
    settings.LINLI_ARCHIVE_MAX_MB = 1
    resp = _post(as_user(worker), upload(), tree.station_a)
    assert resp.status_code == 200
    assert message in resp.content.decode()
    assert not Document.objects.exists()
    assert not [p for p in _media.rglob("*") if p.is_file()]


def test_it_accepts_a_photo_and_a_workbook(as_user, worker, tree):
    assert _post(as_user(worker), SimpleUploadedFile("合影.png", _png()), tree.station_a).status_code == 302
    assert Document.objects.get().file_type == "image/png"


def test_it_searches_title_description_file_name_and_the_files_text(as_user, worker, tree):
    _file(worker, tree.station_a, "站点管理制度", text="第五章 档案管理：按类别和年度立卷")
    _file(worker, tree.station_a, "运营指引手册", text="服务机制：五级汇报")
    client = as_user(worker)

    def found(term: str) -> bool:
        return "站点管理制度" in client.get(reverse("archive:documents"), {"q": term}).content.decode()

    assert found("管理制度")  # title
    assert found("立卷")  # text inside the Word file
    assert not found("五级汇报")  # only in the other document


def test_it_filters_by_category_year_and_retention_state(as_user, worker, tree):
    _file(worker, tree.station_a, "2014年会议纪要", year=2014, years=10)
    _file(worker, tree.station_a, "站点管理制度")
    client = as_user(worker)
    page = client.get(reverse("archive:documents"), {"year": "2014"}).content.decode()
    assert "2014年会议纪要" in page and "站点管理制度" not in page
    due = client.get(reverse("archive:documents"), {"state": "due"}).content.decode()  # 2014 + 10 years ended
    assert "2014年会议纪要" in due and "站点管理制度" not in due


def test_it_lists_documents_past_their_retention_and_never_deletes_them(as_user, worker, lead, tree):
    old = _file(worker, tree.station_a, "2014年会议纪要", year=2014, years=10)
    _file(worker, tree.station_a, "2020年会议纪要", year=2020, years=10)
    _file(worker, tree.station_a, "站点管理制度", year=2014, years=None)
    page = as_user(worker).get(reverse("archive:retention_due")).content.decode()
    assert "2014年会议纪要" in page and "2020年会议纪要" not in page and "站点管理制度" not in page
    services.document_retire(actor=lead, document=old, reason="期满审核：移交街道档案室")
    assert "2014年会议纪要" not in as_user(worker).get(reverse("archive:retention_due")).content.decode()
    assert Document.objects.filter(pk=old.pk, retired_at__isnull=False).exists()


def test_it_keeps_the_old_file_when_replaced(as_user, worker, tree):
    document = _file(worker, tree.station_a)
    first = document.file.name
    resp = as_user(worker).post(
        reverse("archive:document_replace", args=[document.pk]),
        {"file": SimpleUploadedFile("制度2026修订.docx", docx(["修订版 第八章 附则"])), "note": "修订"},
    )
    assert resp.status_code == 302
    document.refresh_from_db()
    version = Version.objects.get()
    assert version.file.name == first and document.file.name != first and "附则" in document.text
    page = as_user(worker).get(reverse("archive:document_detail", args=[document.pk])).content.decode()
    assert reverse("archive:version_file", args=[version.pk]) in page
    assert as_user(worker).get(reverse("archive:version_file", args=[version.pk])).status_code == 200


def test_it_edits_the_metadata_with_the_change_audited(as_user, worker, tree):
    document = _file(worker, tree.station_a, years=10)
    services.document_update(actor=worker, document=document, retention_years=30)
    document.refresh_from_db()
    assert document.retention_ends == date(2056, 12, 31) and document.updated_by == worker
    event = AuditEvent.objects.get(action="archive_document.update")
    assert event.changes == {"retention_years": [10, 30]}


def _evaluation(worker: Any, unit: Any) -> Any:
    sheet = ScoringSheet.objects.get(is_default=True)
    return work.selfeval_create(
        actor=worker,
        unit=unit,
        date=date(2026, 11, 20),
        sheet=sheet,
        period="2026",
        scores={i.pk: (Decimal(1), "") for i in sheet.items.all()},
    )


def test_it_links_a_document_as_evidence_and_shows_it_on_both_pages(as_user, worker, tree):
    document = _file(worker, tree.station_a)
    evaluation = _evaluation(worker, tree.station_a)
    score = evaluation.scores.select_related("item").get(item__name="工作制度上墙与执行")
    resp = as_user(worker).post(
        reverse("archive:evidence_add", args=[evaluation.pk]), {"score": score.pk, "document": document.pk}
    )
    assert resp.status_code == 302
    assert Evidence.objects.filter(score=score, document=document).exists()
    page = as_user(worker).get(reverse("workrecords:selfeval_detail", args=[evaluation.pk])).content.decode()
    assert reverse("archive:document_detail", args=[document.pk]) in page
    doc_page = as_user(worker).get(reverse("archive:document_detail", args=[document.pk])).content.decode()
    assert "工作制度上墙与执行" in doc_page
    assert AuditEvent.objects.filter(action="archive_evidence.link").exists()


def test_it_refuses_another_stations_document_as_evidence(admin, worker, tree):
    evaluation = _evaluation(worker, tree.station_a)
    theirs = _file(admin, tree.station_b, "乙站制度")
    with pytest.raises(ValidationError):
        services.evidence_link(actor=admin, score=evaluation.scores.first(), document=theirs)
    with pytest.raises(Http404):
        services.evidence_link(actor=worker, score=evaluation.scores.first(), document=theirs)
    assert not Evidence.objects.exists()


def test_it_offers_only_the_stations_documents_for_evidence(as_user, admin, worker, tree):
    evaluation = _evaluation(worker, tree.station_a)
    _file(admin, tree.station_b, "乙站制度")
    _file(worker, tree.a1, "甲一社区台账")
    page = as_user(admin).get(reverse("archive:evidence_add", args=[evaluation.pk])).content.decode()
    assert "甲一社区台账" in page and "乙站制度" not in page


def test_it_refuses_to_delete_evidence_but_retires_it(as_user, worker, lead, tree):
    document = _file(worker, tree.station_a)
    evaluation = _evaluation(worker, tree.station_a)
    services.evidence_link(actor=worker, score=evaluation.scores.first(), document=document)
    with pytest.raises(ValidationError):
        services.document_delete(actor=lead, document=document)
    as_user(lead).post(reverse("archive:document_delete", args=[document.pk]))
    assert Document.objects.filter(pk=document.pk).exists()
    as_user(lead).post(reverse("archive:document_retire", args=[document.pk]), {"reason": "已被2027版取代"})
    document.refresh_from_db()
    assert document.retired_at is not None


def test_it_deletes_an_unused_document_and_its_files(as_user, worker, colleague, tree, _media):
    document = _file(worker, tree.station_a)
    assert as_user(colleague).post(reverse("archive:document_delete", args=[document.pk])).status_code == 403
    assert as_user(worker).post(reverse("archive:document_delete", args=[document.pk])).status_code == 302
    assert not Document.objects.exists()
    assert AuditEvent.objects.filter(action="archive_document.delete").exists()


def test_it_shows_nothing_to_a_colleague_in_another_station_or_an_outsider(as_user, worker, outsider, tree):
    document = _file(worker, tree.station_a, "甲站机密制度")
    evaluation = _evaluation(worker, tree.station_a)
    evidence = services.evidence_link(actor=worker, score=evaluation.scores.first(), document=document)
    client = as_user(outsider)
    assert "甲站机密制度" not in client.get(reverse("archive:documents")).content.decode()
    assert "甲站机密制度" not in client.get(reverse("archive:documents"), {"q": "机密"}).content.decode()
    for url in [
        reverse("archive:document_detail", args=[document.pk]),
        reverse("archive:document_file", args=[document.pk]),
        reverse("archive:document_edit", args=[document.pk]),
        reverse("archive:evidence_add", args=[evaluation.pk]),
    ]:
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("archive:evidence_remove", args=[evidence.pk])).status_code == 404
    assert Evidence.objects.exists()


def test_it_lets_a_viewer_read_but_not_file(as_user, viewer, worker, tree):
    _file(worker, tree.station_a)
    assert "站点管理制度" in as_user(viewer).get(reverse("archive:documents")).content.decode()
    assert as_user(viewer).get(reverse("archive:document_create")).status_code == 403


def test_it_issues_as_many_queries_for_many_documents_as_for_few(as_user, worker, tree, settings):
    settings.LIST_PAGE_SIZES, settings.LIST_PAGE_SIZE = [50], 50

    def add(k: int) -> None:
        for i in range(k):
            Document.objects.create(
                unit=tree.a1 if i % 2 else tree.station_a,
                category=Category.objects.all()[i % 3],
                title=f"文档{i}",
                year=2020 + i % 5,
                retention_years=10,
                retention_ends=date(2030, 12, 31),
                file="archive/x.pdf",
                file_name="x.pdf",
                file_type="application/pdf",
                uploaded_by=worker,
            )

    assert_flat_queries(as_user(worker), reverse("archive:documents"), add)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler's pdftotext is not installed")
def test_it_reads_the_text_of_a_pdf(worker, tree):
    from weasyprint import HTML

    pdf = HTML(string="<p>档案管理制度 保管期限</p>").write_pdf()
    document = services.document_create(
        actor=worker,
        unit=tree.station_a,
        category=Category.objects.get(name="规章制度"),
        title="扫描版制度",
        year=2026,
        retention_years=None,
        file=ContentFile(pdf, name="制度.pdf"),
    )
    assert "保管期限" in document.text
