"""The richer visit record (issue 13): photos re-encoded by the server
(location kept only when the district allows), the location check-in with
consent, the signature, co-visitors and the duration; every bad input refused
before anything is written; photos, signatures and PDFs only in scope."""

from __future__ import annotations

import base64
import io
import os
import shutil
import subprocess
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone, translation
from PIL import Image

from audit.models import AuditEvent
from grading import services
from grading.models import Companion, Visit, VisitPhoto, VisitSettings
from grading.services.visit_record import visit_settings_update
from grading.tests.factories import graded
from partners.tests.factories import CommunityOrganisationFactory
from volunteers.tests.factories import VolunteerFactory

pytestmark = pytest.mark.django_db


def _volunteer(unit: Any, **kw: Any) -> Any:
    return VolunteerFactory(unit=unit, **kw)


def _organisation(unit: Any, **kw: Any) -> Any:
    return CommunityOrganisationFactory(unit=unit, **kw)


GPS = {1: "N", 2: (24.0, 52.0, 30.0), 3: "E", 4: (118.0, 35.0, 10.0)}


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _jpeg(name: str = "IMG_0001.jpg", size: tuple[int, int] = (2400, 1200), gps: bool = True) -> SimpleUploadedFile:
    """A camera photo: large, with GPS and a camera name in its EXIF."""
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    if gps:
        exif[0x8825] = GPS
    buf = io.BytesIO()
    Image.new("RGB", size, (40, 120, 200)).save(buf, "JPEG", exif=exif.tobytes())
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/jpeg")


def _signature_png(blank: bool = False) -> str:
    image = Image.new("RGBA", (300, 100), (0, 0, 0, 0))
    if not blank:
        for x in range(20, 280):
            image.putpixel((x, 50), (0, 0, 0, 255))
    buf = io.BytesIO()
    image.save(buf, "PNG")
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()


def _log(actor: Any, person: Any, **kw: Any) -> Visit:
    return services.visit_log(actor=actor, person=person, visited_on=timezone.localdate(), **kw)


def _counts() -> tuple[int, int, int, int]:
    return Visit.objects.count(), VisitPhoto.objects.count(), Companion.objects.count(), AuditEvent.objects.count()


def _stored(photo: VisitPhoto) -> Image.Image:
    with photo.file.open("rb") as f:
        image = Image.open(io.BytesIO(f.read()))
        image.load()
    return image


# Photos


def test_it_strips_the_location_and_camera_data_and_shrinks_the_photo(tree: Any, worker: Any) -> None:
    person = graded(tree.a1)
    visit = _log(worker, person, photos=[_jpeg()])
    photo = visit.photos.get()
    image = _stored(photo)
    assert image.format == "JPEG"
    assert max(image.size) == 1600  # the configured longer edge
    assert dict(image.getexif()) == {}
    assert dict(image.getexif().get_ifd(0x8825)) == {}
    assert not photo.has_location
    name = str(photo.file.name)
    assert name.startswith("grading/visit-photos/") and "IMG_0001" not in name


def test_it_keeps_the_photo_location_when_the_district_allows(tree: Any, worker: Any, admin: Any) -> None:
    visit_settings_update(actor=admin, district=tree.district, location_checkin=True, keep_photo_location=True)
    visit = _log(worker, graded(tree.a1), photos=[_jpeg()])
    photo = visit.photos.get()
    gps = dict(_stored(photo).getexif().get_ifd(0x8825))
    assert gps[1] == "N" and gps[3] == "E"
    assert float(gps[2][0]) == 24.0 and float(gps[4][0]) == 118.0
    assert 0x010F not in dict(_stored(photo).getexif())  # the camera's name still goes
    assert photo.has_location


@override_settings(LINLI_VISIT_MAX_PHOTOS=2)
def test_it_refuses_too_many_photos_and_saves_nothing(tree: Any, worker: Any) -> None:
    person = graded(tree.a1)
    before = _counts()
    with translation.override("zh-hans"), pytest.raises(ValidationError) as exc:
        _log(worker, person, photos=[_jpeg(gps=False) for _ in range(3)])
    assert "最多" in exc.value.message_dict["photos"][0]
    assert _counts() == before


@override_settings(LINLI_PHOTO_MAX_MB=1)
def test_it_refuses_a_photo_too_large_or_not_an_image(tree: Any, worker: Any) -> None:
    person = graded(tree.a1)
    before = _counts()
    big = SimpleUploadedFile("big.jpg", b"\xff\xd8" + b"0" * (2 * 1024 * 1024), content_type="image/jpeg")
    with pytest.raises(ValidationError) as exc:
        _log(worker, person, photos=[big])
    assert "photos" in exc.value.message_dict
    fake = SimpleUploadedFile("evil.php.jpg", b"<?php echo 1; ?>", content_type="image/jpeg")
    with pytest.raises(ValidationError) as exc:
        _log(worker, person, photos=[fake])
    assert "photos" in exc.value.message_dict
    assert _counts() == before


# Location check-in


def test_it_records_a_location_only_with_consent(tree: Any, worker: Any) -> None:
    person = graded(tree.a1)
    before = _counts()
    with translation.override("zh-hans"), pytest.raises(ValidationError) as exc:
        _log(worker, person, latitude="24.875", longitude="118.586", location_accuracy=12)
    assert "同意" in exc.value.message_dict["location_consent"][0]
    assert _counts() == before
    visit = _log(worker, person, latitude="24.875", longitude="118.586", location_accuracy=12, location_consent=True)
    visit.refresh_from_db()
    assert (float(visit.latitude or 0), float(visit.longitude or 0), visit.location_accuracy) == (24.875, 118.586, 12)
    assert visit.location_consent
    event = AuditEvent.objects.filter(action="visit.log").latest("id")
    assert "118.586" not in str(event.changes) and "24.875" not in str(event.changes)


def test_it_refuses_a_location_when_the_district_switched_the_check_in_off(tree: Any, worker: Any, admin: Any) -> None:
    visit_settings_update(actor=admin, district=tree.a1, location_checkin=False, keep_photo_location=False)
    assert VisitSettings.objects.get().district == tree.district  # a community's admin page saves its district
    with pytest.raises(ValidationError) as exc:
        _log(worker, graded(tree.a1), latitude="24.8", longitude="118.5", location_consent=True)
    assert "location_consent" in exc.value.message_dict


@pytest.mark.parametrize("lat, lon", [("95", "118"), ("24", "190"), ("24.8", None), ("north", "118"), (None, "118")])
def test_it_refuses_a_location_out_of_range_or_half_given(tree: Any, worker: Any, lat: Any, lon: Any) -> None:
    with pytest.raises(ValidationError):
        _log(worker, graded(tree.a1), latitude=lat, longitude=lon, location_consent=True)
    assert not Visit.objects.exists()


# Duration


@pytest.mark.parametrize("minutes", [0, -5, 481, 10_000])
def test_it_refuses_a_duration_out_of_range(tree: Any, worker: Any, minutes: int) -> None:
    with translation.override("zh-hans"), pytest.raises(ValidationError) as exc:
        _log(worker, graded(tree.a1), duration_minutes=minutes)
    assert "480" in exc.value.message_dict["duration_minutes"][0]
    assert not Visit.objects.exists()


def test_it_keeps_the_duration(tree: Any, worker: Any) -> None:
    visit = _log(worker, graded(tree.a1), duration_minutes=45)
    visit.refresh_from_db()
    assert visit.duration_minutes == 45


# Signature


def test_it_keeps_the_signature_and_who_signed(tree: Any, worker: Any) -> None:
    visit = _log(worker, graded(tree.a1), signature=_signature_png(), signed_by="guardian", signer_name="李四")
    visit.refresh_from_db()
    assert visit.signed_by == "guardian" and visit.signer_name == "李四"
    with visit.signature.open("rb") as f:
        assert Image.open(f).format == "PNG"


def test_a_blank_pad_is_no_signature(tree: Any, worker: Any) -> None:
    visit = _log(worker, graded(tree.a1), signature=_signature_png(blank=True))
    assert not visit.signature and visit.signed_by == ""


@pytest.mark.parametrize(
    "data",
    [
        "data:image/jpeg;base64,/9j/4AAQ",
        "data:image/png;base64,@@@not base64@@@",
        "data:image/png;base64," + base64.b64encode(b"GIF89a not a png").decode(),
        "javascript:alert(1)",
    ],
)
def test_it_refuses_a_signature_that_is_not_a_drawn_png(tree: Any, worker: Any, data: str) -> None:
    with pytest.raises(ValidationError) as exc:
        _log(worker, graded(tree.a1), signature=data)
    assert "signature" in exc.value.message_dict
    assert not Visit.objects.exists()


@override_settings(LINLI_VISIT_SIGNATURE_MAX_KB=16)
def test_it_refuses_a_signature_too_large(tree: Any, worker: Any) -> None:
    noise = Image.frombytes("RGBA", (200, 200), os.urandom(200 * 200 * 4))  # does not compress
    buf = io.BytesIO()
    noise.save(buf, "PNG")
    with pytest.raises(ValidationError) as exc:
        _log(worker, graded(tree.a1), signature="data:image/png;base64," + base64.b64encode(buf.getvalue()).decode())
    assert "KB" in exc.value.message_dict["signature"][0]


def test_who_signed_needs_a_signature(tree: Any, worker: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        _log(worker, graded(tree.a1), signed_by="resident")
    assert "signature" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        _log(worker, graded(tree.a1), signature=_signature_png(), signed_by="neighbour")
    assert "signed_by" in exc.value.message_dict


# Co-visitors


def test_it_links_co_visitors_to_staff_volunteers_organisations_and_names(
    tree: Any, worker: Any, community_worker: Any
) -> None:
    person = graded(tree.a1)
    volunteer = _volunteer(tree.a1, name="志愿者甲")
    organisation = _organisation(tree.a1, name="夕阳红互助会")
    visit = _log(
        worker,
        person,
        companion_user_ids=[community_worker.pk],
        companion_volunteer_ids=[volunteer.pk],
        companion_organisation_ids=[organisation.pk],
        companion_others="楼栋长、 家庭医生 ,楼栋长",
    )
    rows = list(visit.companions.order_by("id").values_list("kind", "name", "user", "volunteer", "organisation"))
    assert rows == [
        ("staff", community_worker.full_name or community_worker.username, community_worker.pk, None, None),
        ("volunteer", "志愿者甲", None, volunteer.pk, None),
        ("organisation", "夕阳红互助会", None, None, organisation.pk),
        ("other", "楼栋长", None, None, None),
        ("other", "家庭医生", None, None, None),
    ]
    changes = AuditEvent.objects.filter(action="visit.log").latest("id").changes
    assert "volunteer:志愿者甲" in changes["companions"][1]


def test_it_refuses_co_visitors_from_another_station(tree: Any, worker: Any, outsider: Any) -> None:
    person = graded(tree.a1)
    before = _counts()
    for kwargs in (
        {"companion_user_ids": [outsider.pk]},
        {"companion_volunteer_ids": [_volunteer(tree.b1).pk]},
        {"companion_organisation_ids": [_organisation(tree.b1).pk]},
        {"companion_others": "、".join(f"人{i}" for i in range(11))},
    ):
        with pytest.raises(ValidationError):
            _log(worker, person, **kwargs)
    assert _counts() == before


def test_existing_callers_keep_working(tree: Any, worker: Any) -> None:
    """visit_log's earlier arguments alone still log a plain visit."""
    visit = services.visit_log(actor=worker, person=graded(tree.a1), visited_on=timezone.localdate(), mode="phone")
    assert visit.duration_minutes is None and not visit.photos.exists() and not visit.companions.exists()


# District settings


def test_district_settings_default_from_settings_and_are_audited(tree: Any, admin: Any, worker: Any) -> None:
    from grading.selectors_config import visit_settings_for

    with override_settings(LINLI_VISIT_LOCATION_CHECKIN=False, LINLI_VISIT_KEEP_PHOTO_LOCATION=True):
        unsaved = visit_settings_for(tree.a1)
        assert (unsaved.location_checkin, unsaved.keep_photo_location) == (False, True)
    visit_settings_update(actor=admin, district=tree.district, location_checkin=False, keep_photo_location=True)
    event = AuditEvent.objects.get(action="visit_settings.update")
    assert event.changes == {"location_checkin": [True, False], "keep_photo_location": [False, True]}
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        visit_settings_update(actor=worker, district=tree.district, location_checkin=True, keep_photo_location=True)


def test_the_settings_page_saves_and_hides_the_check_in(tree: Any, admin: Any, worker: Any, as_user: Any) -> None:
    page = as_user(admin).get(reverse("grading:visit_settings"))
    assert page.status_code == 200
    response = as_user(admin).post(reverse("grading:visit_settings"), {"keep_photo_location": "on"})
    assert response.status_code == 302
    row = VisitSettings.objects.get(district=tree.district)
    assert (row.location_checkin, row.keep_photo_location) == (False, True)
    person = graded(tree.a1)
    form = as_user(worker).get(reverse("grading:visit_new", args=[person.pk])).content.decode()
    assert "data-checkin" not in form and 'name="latitude"' not in form
    assert 'data-keep-bytes="' in form
    assert as_user(worker).get(reverse("grading:visit_settings")).status_code == 403


# Pages


def test_the_form_posts_photos_signature_and_co_visitors(tree: Any, worker: Any, as_user: Any) -> None:
    person = graded(tree.a1)
    volunteer = _volunteer(tree.a2)
    url = reverse("grading:visit_new", args=[person.pk])
    page = as_user(worker).get(url).content.decode()
    for marker in (
        'enctype="multipart/form-data"',
        "data-photo",
        "data-signature",
        "data-checkin",
        'capture="environment"',
    ):
        assert marker in page
    response = as_user(worker).post(
        url,
        {
            "mode": "home",
            "visited_on": timezone.localdate().isoformat(),
            "findings": "情绪稳定",
            "duration_minutes": "40",
            "companion_volunteer_ids": [str(volunteer.pk)],
            "companion_others": "楼栋长",
            "photos": [_jpeg("a.jpg"), _jpeg("b.jpg", gps=False)],
            "signature": _signature_png(),
            "signed_by": "resident",
            "location_consent": "on",
            "latitude": "24.875000",
            "longitude": "118.586000",
            "location_accuracy": "15",
        },
    )
    visit = Visit.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("grading:visit_detail", args=[visit.pk])
    assert visit.photos.count() == 2 and visit.companions.count() == 2 and visit.signature
    detail = as_user(worker).get(response["Location"]).content.decode()
    for photo in visit.photos.all():
        assert reverse("grading:visit_photo", args=[photo.pk]) in detail
    assert reverse("grading:visit_signature", args=[visit.pk]) in detail
    assert "40" in detail and "楼栋长" in detail


def test_the_form_shows_the_refusal_in_chinese(tree: Any, worker: Any, as_user: Any) -> None:
    person = graded(tree.a1)
    response = as_user(worker).post(
        reverse("grading:visit_new", args=[person.pk]),
        {"mode": "home", "visited_on": timezone.localdate().isoformat(), "duration_minutes": "900"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "480" in body and "分钟" in body
    assert '<details class="visit-more" data-testid="visit-more" open>' in body
    assert not Visit.objects.exists()


def _visit_with_files(tree: Any, worker: Any) -> Visit:
    return _log(
        worker, graded(tree.a1, name="王秀英"), photos=[_jpeg()], signature=_signature_png(), duration_minutes=30
    )


def test_photos_signatures_and_pdfs_are_only_for_users_in_scope(
    tree: Any, worker: Any, outsider: Any, as_user: Any
) -> None:
    visit = _visit_with_files(tree, worker)
    photo = visit.photos.get()
    urls = [
        reverse("grading:visit_photo", args=[photo.pk]),
        reverse("grading:visit_signature", args=[visit.pk]),
        reverse("grading:visit_pdf", args=[visit.pk]),
        reverse("grading:visit_detail", args=[visit.pk]),
    ]
    for url in urls:
        assert as_user(outsider).get(url).status_code == 404, url
        response = as_user(worker).get(url)
        assert response.status_code == 200, url
    image = as_user(worker).get(urls[0])
    assert image["Content-Type"] == "image/jpeg" and image["X-Content-Type-Options"] == "nosniff"
    month = f"{visit.visited_on:%Y-%m}"
    batch = as_user(outsider).get(reverse("grading:visits_print"), {"community": tree.a1.pk, "month": month})
    assert batch.status_code == 200 and batch["Content-Type"].startswith("text/html")  # the form, refusing the choice
    assert not AuditEvent.objects.filter(action__in=["visit.pdf", "visit.batch_pdf"], actor=outsider).exists()


def _pdf_text(content: bytes, tmp_path: Any) -> str:
    path = tmp_path / "v.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True).stdout


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_the_printed_record_masks_the_person_and_is_audited(
    tree: Any, worker: Any, as_user: Any, tmp_path: Any
) -> None:
    from core import identity

    visit = _visit_with_files(tree, worker)
    person = visit.person
    person.phone = "13855551234"
    person.actual_address = "东街路12号3单元401"
    identity.store_id(person, identity.make_resident_id("350102", person.birth_date, 123, person.sex or "F"))
    person.save()
    response = as_user(worker).get(reverse("grading:visit_pdf", args=[visit.pk]))
    assert response["Content-Type"] == "application/pdf" and response["Cache-Control"] == "private, no-store"
    text = _pdf_text(response.content, tmp_path)
    assert "入户探访记录表" in text and "王秀英" in text and "30 分钟" in text
    assert tree.station_a.name in text
    assert "13855551234" not in text and "12号3单元401" not in text and "138****1234" in text
    assert "探访人签名" in text and "服务对象签名" in text
    event = AuditEvent.objects.get(action="visit.pdf")
    assert event.actor == worker and event.target_id == str(visit.pk)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_the_month_prints_a_page_per_visit_of_that_community(
    tree: Any, worker: Any, as_user: Any, tmp_path: Any
) -> None:
    for name in ("甲一", "甲二"):
        _log(worker, graded(tree.a1, name=name))
    _log(worker, graded(tree.a2, name="乙三"))
    month = f"{timezone.localdate():%Y-%m}"
    response = as_user(worker).get(reverse("grading:visits_print"), {"community": tree.a1.pk, "month": month})
    assert response["Content-Type"] == "application/pdf"
    text = _pdf_text(response.content, tmp_path)
    assert text.count("入户探访记录表") == 2 and "甲一" in text and "甲二" in text and "乙三" not in text
    event = AuditEvent.objects.get(action="visit.batch_pdf")
    assert event.changes == {"month": [None, month], "visits": [None, 2]}
    later = f"{timezone.localdate().year + 1}-01"
    refused = as_user(worker).get(reverse("grading:visits_print"), {"community": tree.a1.pk, "month": later})
    assert refused["Content-Type"].startswith("text/html")


# API


def test_the_api_takes_and_answers_the_richer_record(tree: Any, worker: Any, as_user: Any) -> None:
    person = graded(tree.a1)
    volunteer = _volunteer(tree.a1, name="志愿者乙")
    client = as_user(worker)
    body = {
        "person_id": person.pk,
        "visited_on": timezone.localdate().isoformat(),
        "duration_minutes": 25,
        "signature": _signature_png(),
        "signed_by": "guardian",
        "companion_volunteer_ids": [volunteer.pk],
        "companion_others": ["楼栋长"],
        "location_consent": True,
        "latitude": 24.875,
        "longitude": 118.586,
        "location_accuracy": 9,
    }
    created = client.post("/api/v1/grading/visits", body, content_type="application/json")
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["duration_minutes"] == 25 and data["signed"] and data["signed_by"] == "guardian"
    assert [c["name"] for c in data["companions"]] == ["志愿者乙", "楼栋长"]
    assert data["companions"][0]["volunteer_id"] == volunteer.pk
    listed = client.get("/api/v1/grading/visits", {"person_id": person.pk}).json()
    assert listed[0]["latitude"] == 24.875 and listed[0]["photo_ids"] == []
    refused = client.post(
        "/api/v1/grading/visits",
        {**body, "location_consent": False, "signature": ""},
        content_type="application/json",
        headers={"Accept-Language": "zh-hans"},
    )
    assert refused.status_code == 422 and "location_consent" in refused.json()["errors"]
    assert Visit.objects.count() == 1
