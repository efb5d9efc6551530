"""Browser journey of the issue: the station lead creates 乐童公社 as the
station's brand project with a budget, books its weekly room for a term,
runs two of its activities, spends against the budget (once too much), the
spending is approved, and the project report PDF is read."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from casework.models import Activity
from casework.services import activity_create, activity_signup_add
from casework.tests.factories import domain
from people.tests.factories import PersonFactory
from projects.models import Expenditure, ExpenditureStatus, Project
from tests.browser import DESKTOP, PHONE, login_as
from tests.factories import PASSWORD
from venues.tests.factories import room_at

SH = ZoneInfo("Asia/Shanghai")
SHOTS = Path(os.environ.get("LINLI_JOURNEY_SHOTS", "")) if os.environ.get("LINLI_JOURNEY_SHOTS") else None


def _shot(page: Any, name: str) -> None:
    if SHOTS is not None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _submit(page: Any) -> None:
    page.click("form.form button.primary")
    page.wait_for_load_state("networkidle")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_lead_runs_the_childrens_club_project(
    page: Any, tree: Any, lead: Any, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    today = timezone.localdate()
    start, end = today - dt.timedelta(days=60), today + dt.timedelta(days=60)
    room = room_at(tree.station_a, name="儿童活动室")
    login_as(page, "lead_a", PASSWORD)

    # the project, as the station's brand project, with its targets
    page.goto(reverse("projects:project_create"))
    page.select_option("select[name=unit]", str(tree.station_a.pk))
    page.fill("input[name=name]", "乐童公社")
    page.select_option("select[name=domain]", str(domain("children").pk))
    page.fill("input[name=starts_on]", start.isoformat())
    page.fill("input[name=ends_on]", end.isoformat())
    page.check("input[name=is_brand]")
    page.fill("input[name=target_person_times]", "100")
    page.fill("input[name=target_activities]", "10")
    _submit(page)
    project = Project.objects.get(name="乐童公社")
    assert project.is_brand and page.url.endswith(f"/projects/{project.pk}/")
    assert "品牌项目" in page.locator("main").inner_text()

    # its budget
    page.click("[data-testid=budget-line-new]")
    page.fill("input[name=name]", "场地与物料")
    page.fill("input[name=amount]", "2000")
    _submit(page)
    assert "2000.00" in page.locator("[data-testid=budget-total]").inner_text()

    # its weekly room for the term (the venues area's season booking)
    page.goto(reverse("venues:season_create") + f"?room={room.pk}")
    page.fill("input[name=purpose]", "乐童公社每周四点半课堂")
    page.select_option("select[name=weekday]", "2")
    page.fill("input[name=starts]", "16:30")
    page.fill("input[name=ends]", "17:30")
    page.fill("input[name=first_day]", (today + dt.timedelta(days=1)).isoformat())
    page.fill("input[name=last_day]", end.isoformat())
    _submit(page)
    assert "/venues/seasons/" in page.url and room.bookings.count() >= 7

    # two of its activities, held last week and the week before: attendance recorded
    children = [PersonFactory(unit=tree.a1) for _ in range(3)]
    for weeks, title in ((2, "绘本共读"), (1, "手工课")):
        when = dt.datetime.combine(today - dt.timedelta(weeks=weeks), dt.time(16, 30), tzinfo=SH)
        a = activity_create(
            actor=lead,
            unit=tree.station_a,
            title=title,
            domain=domain("children"),
            venue="儿童活动室",
            starts_at=when,
            ends_at=when + dt.timedelta(hours=1),
            organiser="甲街道社工站",
        )
        Activity.objects.filter(pk=a.pk).update(project=project)
        for child in children:
            activity_signup_add(actor=lead, activity=a, person=child)
        page.goto(reverse("casework:activity_complete", args=[a.pk]))
        for box in page.locator("input[name=attended]").all():
            box.check()
        page.fill("input[name=head_count]", "4")
        page.fill("textarea[name=summary]", "孩子们积极参与")
        page.click("form.attendance button.primary")
        page.wait_for_load_state("networkidle")

    # spending against the budget: too much first, then the receipt's amount
    page.goto(f"/projects/{project.pk}/")
    page.click("[data-testid=expenditure-new]")
    page.select_option("select[name=line]", label="场地与物料")
    page.fill("input[name=spent_on]", (today - dt.timedelta(days=3)).isoformat())
    page.fill("input[name=amount]", "2500")
    page.fill("input[name=payee]", "文具店")
    page.fill("input[name=purpose]", "绘本与手工材料")
    receipt = tmp_path / "发票.pdf"
    receipt.write_bytes(b"%PDF-1.4\n%receipt\n")
    page.set_input_files("input[name=receipt]", str(receipt))
    _submit(page)
    error = page.locator(".error, .errorlist").first.inner_text()
    assert "超出预算科目" in error and "¥2,000.00" in error
    page.fill("input[name=amount]", "1280.50")
    page.set_input_files("input[name=receipt]", str(receipt))
    _submit(page)
    expenditure = Expenditure.objects.get()
    assert expenditure.status == ExpenditureStatus.PENDING
    # the lead approves it from the project page
    page.click(f"[data-testid=decide-{expenditure.pk}]")
    page.check("input[name=approve][value='1']")
    _submit(page)
    expenditure.refresh_from_db()
    assert expenditure.status == ExpenditureStatus.APPROVED
    main = page.locator("main").inner_text()
    assert "1280.50" in page.locator("[data-testid=spent-total]").inner_text()
    # 2 activities × (3 named + 4 unnamed) = 14 person-times, against 100
    assert page.locator("[data-testid=figure-1]").inner_text().strip() == "14"
    assert page.locator("[data-testid=figure-2]").inner_text().strip() == "2"
    assert "绘本共读" in main and "手工课" in main
    page.wait_for_selector("#project-trend[data-ready='1']")
    _shot(page, "project-desktop")

    # the project report PDF
    with page.expect_download() as info:
        page.click("[data-testid=report-pdf]")
    pdf = tmp_path / "report.pdf"
    info.value.save_as(str(pdf))
    assert pdf.read_bytes().startswith(b"%PDF")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "乐童公社" in text and "场地与物料" in text and "1280.50" in text
    if SHOTS is not None:
        subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(SHOTS / "report")], check=True)

    # the same page on a phone fits the screen
    page.set_viewport_size(PHONE)
    page.goto(f"/projects/{project.pk}/")
    page.wait_for_load_state("networkidle")
    _shot(page, "project-phone")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.set_viewport_size(DESKTOP)
