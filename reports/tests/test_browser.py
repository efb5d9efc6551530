"""Browser journey: a district administrator opens the dashboard, follows the
lagging station to its KPI and the records behind the figure, then generates
and downloads the quarterly report; the PDF is rendered to PNG and checked."""

from __future__ import annotations

import datetime as dt
import subprocess
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

import pytest
from django.test import override_settings
from django.utils import timezone

from contracts.tests.factories import contract_for, target
from tests.browser import DESKTOP, PHONE, login_as
from tests.factories import PASSWORD


def _kpi_catalogue() -> None:
    """Transactional tests flush the tables between tests, data migrations'
    rows included: put the KPI catalogue back (idempotent)."""
    import importlib

    from django.apps import apps

    importlib.import_module("contracts.migrations.0002_default_kpis").load(apps, None)


def _setup(tree: Any) -> None:
    from volunteering.models import ServiceRecord

    _kpi_catalogue()
    from volunteers.models import Volunteer
    from volunteers.tests.factories import VolunteerFactory

    today = timezone.localdate()
    day = max(today - dt.timedelta(days=1), today.replace(day=1))
    va = cast(Volunteer, VolunteerFactory(unit=tree.a1, name="张志愿"))
    vb = cast(Volunteer, VolunteerFactory(unit=tree.b1, name="乙志愿"))
    ServiceRecord.objects.create(volunteer=va, unit=tree.a1, activity_name="助老送餐", date=day, hours=Decimal(2))
    ServiceRecord.objects.create(volunteer=vb, unit=tree.b1, activity_name="乙站义诊", date=day, hours=Decimal(400))
    contract = contract_for(
        [tree.station_a, tree.station_b],
        unit=tree.district,
        start=dt.date(today.year, 1, 1),
        end=dt.date(today.year, 12, 31),
    )
    target(contract, tree.station_a, "volunteer_hours", 365)
    target(contract, tree.station_b, "volunteer_hours", 365)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("page", [DESKTOP], indirect=True)
def test_it_drills_from_a_lagging_station_to_records_and_downloads_the_quarterly_report(
    page: Any, tree: Any, admin: Any, tmp_path: Path
) -> None:
    _setup(tree)
    with override_settings(MEDIA_ROOT=tmp_path / "media"):
        login_as(page, "admin_d", PASSWORD)
        page.goto("/reports/dashboard/")
        page.locator("[data-chart][data-ready='1']").first.wait_for()
        assert page.locator("[data-chart]").count() >= 4
        lagging = page.get_by_test_id("lagging")
        assert lagging.count() == 1 and lagging.inner_text() == tree.station_a.name
        lagging.click()
        table = page.get_by_test_id("kpi-table")
        table.wait_for()
        row = table.locator("tr.behind")
        assert tree.station_a.name in row.inner_text()
        row.locator("a[data-kpi=volunteer_hours]").click()
        page.locator("#contracts-records-results").wait_for()  # the toolkit's results of the records list
        assert page.get_by_test_id("actual").inner_text() == "2"
        records = page.locator("#contracts-records-results").inner_text()
        assert "助老送餐" in records and "张志愿" in records and "乙站义诊" not in records

        page.goto("/reports/")
        page.select_option("select[name=unit]", str(tree.station_a.pk))
        page.select_option("select[name=period_kind]", "quarter")
        page.fill("input[name=day]", timezone.localdate().isoformat())
        page.select_option("select[name=fmt]", "pdf")
        page.get_by_test_id("generate").click()
        link = page.get_by_test_id("download")
        link.wait_for(timeout=20_000)
        with page.expect_download() as info:
            link.click()
        pdf = tmp_path / "report.pdf"
        info.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    subprocess.run(["pdftoppm", "-r", "50", "-png", str(pdf), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page*.png"))
    assert 1 <= len(pages) <= 3
    from PIL import Image

    img = Image.open(pages[0]).convert("L")
    assert img.width == 585 and 412 <= img.height <= 414  # A4 landscape at 50 dpi
    dark = sum(img.histogram()[:128])
    assert dark > img.width * img.height * 0.005  # text and table lines, not a blank page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("page", [PHONE], indirect=True)
def test_it_fits_the_station_dashboard_on_a_phone(page: Any, tree: Any, lead: Any) -> None:
    from contracts.models import Contract
    from reports.dashboards import PROGRESS_KPIS

    _setup(tree)
    contract = Contract.objects.get()
    for code in PROGRESS_KPIS[:-1]:  # every progress column: the widest table beside a chart
        target(contract, tree.station_a, code, 10)
    login_as(page, "lead_a", PASSWORD)
    page.goto("/reports/dashboard/")
    page.locator("[data-chart][data-ready='1']").first.wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert page.get_by_test_id("own-level").inner_text().startswith("站本级")
    assert tree.station_b.name not in page.locator("main").inner_text()
