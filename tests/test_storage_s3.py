"""Files live in the configured storage, here an S3-compatible server: an
import uploaded, checked and saved, a report built and downloaded,
all without a byte on the local disk, so any app server or worker can
carry on what another started."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from openpyxl import Workbook

from core import identity
from tests.s3server import S3, s3_server

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def s3() -> Iterator[S3]:
    with s3_server() as server:
        yield server


@pytest.fixture
def in_s3(s3: S3, tmp_path: Path) -> Iterator[Path]:
    media = tmp_path / "media"
    media.mkdir()
    with override_settings(STORAGES=s3.storages(), MEDIA_ROOT=media):
        yield media


def _roster() -> SimpleUploadedFile:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["姓名", "身份证号", "性别", "出生日期", "社区", "联系电话", "类别", "类别起始日期"])
    ws.append(["张三", identity.make_resident_id("350502", dt.date(1945, 3, 4), 3, "F"), "女", None, "甲一社区"])
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile("roster.xlsx", buf.getvalue())


def test_it_keeps_an_import_in_s3_between_its_check_and_its_save(
    s3: S3, in_s3: Path, tree: Any, worker: Any, as_user: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from core.models import ImportJob
    from people.models import Person

    client = as_user(worker)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("people:import_upload"), {"file": _roster()})
    job = ImportJob.objects.get()
    assert job.status == "checked" and job.good == 1
    # the checked rows wait in the bucket, beside the upload (kept until the save: its columns may be mapped again)
    assert sorted(s3.names("imports/")) == sorted([job.staged, job.upload])
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = client.post(reverse("people:import_job", args=[job.pk]))
    assert confirmed.status_code == 302 and Person.objects.get().name == "张三"
    assert not s3.names("imports/")
    assert not any(in_s3.rglob("*"))


def test_it_builds_a_report_into_s3_and_downloads_it_from_there(
    s3: S3, in_s3: Path, tree: Any, lead: Any, as_user: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from reports import services

    with time_machine.travel(dt.datetime(2026, 5, 6, 10, tzinfo=dt.UTC)):
        with django_capture_on_commit_callbacks(execute=True):
            job = services.report_request(
                actor=lead, unit=tree.station_a, period_kind="quarter", day=dt.date(2026, 4, 1), fmt="xlsx"
            )
    job.refresh_from_db()
    assert job.status == "done" and job.file in s3.names("reports/")
    stored = s3.client().get_object(Bucket=s3.bucket, Key=job.file)["Body"].read()
    download = as_user(lead).get(reverse("reports:job_download", args=[job.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == stored and stored.startswith(b"PK")
    assert not any(in_s3.rglob("*"))


def test_it_checks_the_s3_storage_when_asked_whether_it_is_ready(s3: S3, in_s3: Path, client: Any) -> None:
    assert client.get("/healthz/ready").json()["checks"]["storage"] == "ok"
    storages = s3.storages()
    storages["default"]["OPTIONS"]["bucket_name"] = "no-such-bucket"
    with override_settings(STORAGES=storages):
        broken = client.get("/healthz/ready")
    assert broken.status_code == 503 and broken.json()["failed"] == ["storage"]
