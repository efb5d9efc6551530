"""Browser journey on a phone: from the follow-up list's row form, a worker
adds a camera photo (made small on the phone), checks in with the resident's
consent, has the resident sign on the screen, and the visit keeps them."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from grading.models import Card, Visit
from grading.tests.factories import graded
from tests.browser import PHONE, login_as
from tests.factories import PASSWORD


@pytest.fixture
def camera_photo(tmp_path: Path, settings: Any) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    path = tmp_path / "IMG_2001.jpg"
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (24.0, 52.0, 30.0), 3: "E", 4: (118.0, 35.0, 10.0)}
    Image.new("RGB", (4000, 3000), (60, 140, 90)).save(path, "JPEG", exif=exif.tobytes())
    return path


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("page", [PHONE], indirect=True)
def test_a_photo_a_check_in_and_a_signature_from_the_row_form(
    page: Any, tree: Any, worker: Any, camera_photo: Path
) -> None:
    person = graded(tree.a1, Card.RED, name="陈红梅")
    page.context.grant_permissions(["geolocation"])
    page.context.set_geolocation({"latitude": 24.8751, "longitude": 118.5862, "accuracy": 12})
    login_as(page, "worker_a", PASSWORD)
    page.goto("/grading/followups/")
    page.get_by_test_id(f"log-{person.pk}").click()
    form = page.get_by_test_id("visit-form")
    form.wait_for()
    form.locator("details.visit-more summary").click()
    form.locator("input[name=duration_minutes]").fill("30")
    form.locator("input[name=photos]").set_input_files(str(camera_photo))
    form.locator(".photo-thumb img").wait_for()
    name, size, kind = page.evaluate(
        "() => { const f = document.querySelector('input[name=photos]').files[0]; return [f.name, f.size, f.type]; }"
    )
    assert (name, kind) == ("IMG_2001.jpg", "image/jpeg") and size < camera_photo.stat().st_size
    form.locator("[data-checkin-button]").click()
    assert form.locator("input[name=latitude]").input_value() == ""  # no consent, no position
    form.locator("input[name=location_consent]").check()
    form.locator("[data-checkin-button]").click()
    page.wait_for_function("() => document.querySelector('input[name=latitude]').value !== ''")
    pad = form.locator("canvas[data-signature-pad]")
    pad.scroll_into_view_if_needed()
    box = pad.bounding_box()
    page.mouse.move(box["x"] + 20, box["y"] + 60)
    page.mouse.down()
    for i in range(1, 20):
        page.mouse.move(box["x"] + 20 + i * 12, box["y"] + 60 + (25 if i % 4 < 2 else -25))
    page.mouse.up()
    assert form.locator("input[name=signature]").input_value().startswith("data:image/png;base64,")
    form.locator("button[type=submit]").click()
    page.locator(f"#row-{person.pk} .fu-logged").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    visit = Visit.objects.get(person=person)
    assert visit.duration_minutes == 30 and visit.location_consent
    assert round(float(visit.latitude or 0), 4) == 24.8751
    photo = visit.photos.get()
    with photo.file.open("rb") as f:
        stored = Image.open(io.BytesIO(f.read()))
        assert max(stored.size) == 1600 and dict(stored.getexif().get_ifd(0x8825)) == {}
    assert visit.signature and visit.signed_by == "resident"
