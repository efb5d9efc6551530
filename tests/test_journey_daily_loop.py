"""End-to-end guard of the daily loop on a 375 px phone, as the social worker
of one station: register a household of two through the people pages, see
both graded at once and on "my follow-ups", log a visit with a catalogue
need (助餐送餐), let a matching run propose the nearby meals volunteer,
confirm it and complete the task, then check that the station's monthly
report, its dashboard and the district roll-up show the same figures for
that station, and the ones the journey produced."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings
from django.utils import timezone

from core.access import under
from matching.models import Need, NeedStatus
from matching.tests.factories import volunteer_offer
from people.models import Person
from tests.browser import PHONE, login_as
from tests.factories import PASSWORD
from volunteers.tests.factories import VolunteerFactory

# What one visit and one completed 2.5-hour task must add up to.
EXPECTED = {"key_visits": Decimal(1), "person_times": Decimal(2), "volunteer_hours": Decimal("2.5")}


def _fits(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def _submit(page: Any) -> None:
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state("networkidle")


def _add_member(page: Any, household_id: int, name: str, sex: str, born: dt.date, relation: str) -> Person:
    page.goto(f"/people/new/?household={household_id}")
    page.fill("input[name=name]", name)
    page.select_option("select[name=sex]", sex)
    page.fill("input[name=birth_date]", born.isoformat())
    page.select_option("select[name=household]", str(household_id))
    page.select_option("select[name=relation]", relation)
    _fits(page)
    _submit(page)
    person = Person.objects.get(name=name)
    assert page.url.endswith(f"/people/{person.pk}/")
    return person


def _add_category(page: Any, person: Person, label: str, *, subtype: str = "", grade: int | None = None) -> None:
    page.goto(f"/people/{person.pk}/categories/new/")
    page.select_option("select[name=category]", label=label)
    if subtype:
        page.select_option("select[name=subtype]", subtype)
    if grade is not None:
        page.fill("input[name=grade]", str(grade))
    page.fill("input[name=start_date]", (timezone.localdate() - dt.timedelta(days=30)).isoformat())
    _fits(page)
    _submit(page)
    assert page.url.endswith(f"/people/{person.pk}/"), page.locator("main").inner_text()


def _table(page: Any, selector: str) -> tuple[list[str], dict[str, list[str]]]:
    """A figures table as (header labels, {row label: cells})."""
    table = page.locator(selector)
    header = [h.strip() for h in table.locator("thead th").all_inner_texts()][1:]
    rows = {}
    for tr in table.locator("tbody tr, tfoot tr").all():
        cells = [c.strip() for c in tr.locator("th, td").all_inner_texts()]
        rows[cells[0]] = cells[1:]
    return header, rows


def _pick(header: list[str], cells: list[Any], labels: dict[str, str]) -> dict[str, Decimal]:
    return {code: Decimal(str(cells[header.index(label)])) for code, label in labels.items()}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("page", [PHONE], indirect=True)
def test_it_runs_the_daily_loop_and_every_view_agrees_on_a_phone(
    page: Any, tree: Any, worker: Any, admin: Any, tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    from reports.figures import LABELS

    labels = {code: str(LABELS[code]) for code in EXPECTED}
    vol = VolunteerFactory(unit=tree.a1, name="王送餐", latitude=Decimal("24.481000"), longitude=Decimal("118.090000"))
    volunteer_offer(tree.a1, code="meals", capacity=1, volunteer=vol, name="午间送餐")
    today = timezone.localdate()
    login_as(page, "worker_a", PASSWORD)

    # 1. a household of two, each with categories, through the people pages
    page.goto("/people/households/new/")
    page.select_option("select[name=unit]", str(tree.a1.pk))
    page.fill("input[name=address]", "幸福路 8 号 302 室")
    _fits(page)
    _submit(page)
    household_id = int(page.url.rstrip("/").rsplit("/", 1)[1])
    elder = _add_member(page, household_id, "陈秀英", "F", today.replace(year=today.year - 82), "head")
    son = _add_member(page, household_id, "林建国", "M", today.replace(year=today.year - 50), "child")
    # the people pages take no map position; the matching run needs one
    Person.objects.filter(pk__in=[elder.pk, son.pk]).update(
        latitude=Decimal("24.480000"), longitude=Decimal("118.090000")
    )
    _add_category(page, elder, "独居老人")
    _add_category(page, elder, "低保")
    _add_category(page, son, "残疾", subtype="physical", grade=2)

    # 2. both graded at once: a card on each file and a row on my follow-ups
    cards = {}
    for person in (elder, son):
        page.goto(f"/people/{person.pk}/")
        card = page.get_by_test_id("hub-card")
        cards[person.pk] = card.inner_text().strip()
        assert cards[person.pk], person.name
        _fits(page)
    page.goto("/grading/followups/")
    listed = page.get_by_test_id("followups").inner_text()
    assert "陈秀英" in listed and "林建国" in listed
    assert cards[elder.pk] in ("红卡", "蓝卡")

    # 3. a home visit for the elder with a catalogue need
    page.get_by_test_id(f"log-{elder.pk}").click()
    form = page.get_by_test_id("visit-form")
    form.wait_for()
    form.get_by_label("助餐送餐").check()
    form.locator("textarea[name=needs]").fill("助餐，每天中午一顿，少盐")
    _fits(page)
    form.locator("button[type=submit]").click()
    page.locator(f"#row-{elder.pk} .fu-logged").wait_for()
    need = Need.objects.get(person=elder)
    assert need.need_type == "meals" and need.visit is not None

    # 4. the matching run proposes the meals volunteer; confirm and complete
    page.goto("/matching/runs/")
    page.select_option("select[name=unit]", str(tree.station_a.pk))
    page.click("button.primary")
    page.wait_for_load_state("networkidle")
    proposals = page.locator("#matching-proposals-results tbody tr")
    assert proposals.count() == 1
    proposal = proposals.first
    text = proposal.inner_text()
    assert "陈秀英" in text and "午间送餐" in text and "助餐送餐" in text
    proposal.locator("input[name=ids]").check()
    page.click("button[name=bulk][value=confirm]")
    page.wait_for_load_state("networkidle")
    assert "已派出 1 个任务" in page.content()
    page.click("#matching-proposals-results tbody tr a[href*='/tasks/']")
    page.wait_for_load_state("networkidle")
    page.select_option("select[name=satisfaction]", "5")
    page.fill("input[name=hours]", "2.5")
    page.fill("textarea[name=feedback]", "老人很满意")
    page.click("form.form button.primary")
    page.wait_for_load_state("networkidle")
    assert "任务已完成" in page.content()
    assert page.locator(".hours-total").inner_text().strip() == "2.5"
    _fits(page)
    need.refresh_from_db()
    assert need.status == NeedStatus.DONE

    # 5. the monthly report, the station dashboard and the district roll-up
    with override_settings(MEDIA_ROOT=tmp_path / "media"):
        page.goto("/reports/")
        page.select_option("select[name=unit]", str(tree.station_a.pk))
        page.select_option("select[name=period_kind]", "month")
        page.fill("input[name=day]", today.isoformat())
        page.select_option("select[name=fmt]", "xlsx")
        page.get_by_test_id("generate").click()
        link = page.get_by_test_id("download")
        link.wait_for(timeout=20_000)
        with page.expect_download() as info:
            link.click()
        xlsx = tmp_path / "report.xlsx"
        info.value.save_as(xlsx)
    sheet = load_workbook(io.BytesIO(xlsx.read_bytes())).worksheets[0]
    lines = [list(row) for row in sheet.iter_rows(min_row=4, values_only=True)]
    report = _pick([str(h) for h in lines[0][1:]], lines[-1][1:], labels)  # the Total line

    page.goto("/reports/dashboard/")
    page.get_by_test_id("figures").wait_for()
    _fits(page)
    header, rows = _table(page, "[data-testid=figures]")
    station_total = rows["合计"]  # the station's own level and its communities
    station = _pick(header, station_total, labels)

    page.context.clear_cookies()
    login_as(page, "admin_d", PASSWORD)
    page.goto("/reports/dashboard/")
    page.get_by_test_id("figures").wait_for()
    header, rows = _table(page, "[data-testid=figures]")
    district = _pick(header, rows[tree.station_a.name], labels)

    api = page.request.get(f"/api/v1/dashboard/{tree.district.pk}").json()
    api_row = next(r for r in api["rows"] if r["unit_id"] == tree.station_a.pk and not r["own_level"])
    by_api = {code: Decimal(str(api_row["figures"][code])) for code in EXPECTED}

    assert report == station == district == by_api == EXPECTED, (report, station, district, by_api)
    assert under(Need.objects.filter(status=NeedStatus.DONE), tree.station_a).count() == 1
