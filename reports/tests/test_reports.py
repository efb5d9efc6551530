from __future__ import annotations

import datetime as dt
import io
import subprocess
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import Http404
from django.test import override_settings
from django.urls import reverse

from reports import services
from reports.figures import figure_table
from reports.models import ReportJob

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 5, 20, 4, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _media(tmp_path):
    with override_settings(MEDIA_ROOT=tmp_path):
        yield


def _records(tree):
    from partners.tests.factories import CommunityOrganisationFactory
    from volunteering.models import ServiceRecord
    from volunteers.tests.factories import VolunteerFactory

    va, vb = VolunteerFactory(unit=tree.a1), VolunteerFactory(unit=tree.b1)
    for vol, unit, day, hours in [
        (va, tree.a1, dt.date(2026, 4, 2), "3"),
        (va, tree.a2, dt.date(2026, 6, 30), "2"),
        (va, tree.a2, dt.date(2026, 3, 31), "50"),  # previous quarter
        (vb, tree.b1, dt.date(2026, 5, 1), "7"),
    ]:
        ServiceRecord.objects.create(volunteer=vol, unit=unit, activity_name="助老", date=day, hours=Decimal(hours))
    CommunityOrganisationFactory(unit=tree.a1, members=30, party_members=5, name="甲一互助会")
    CommunityOrganisationFactory(unit=tree.b1, members=11, party_members=1, name="乙一互助会")


def test_it_counts_figures_per_child_unit_and_in_total(tree):
    _records(tree)
    q2 = dt.date(2026, 4, 1), dt.date(2026, 6, 30)
    table = figure_table(tree.district, [tree.station_a, tree.station_b], *q2)
    own, a, b = (r.values for r in table.rows)
    assert table.rows[0].own and table.units == [tree.station_a, tree.station_b]
    assert (own["volunteer_hours"], a["volunteer_hours"], b["volunteer_hours"]) == (0, 5, 7)
    assert table.totals["volunteer_hours"] == 12
    assert (a["organisations"], a["organisation_members"], a["party_members"]) == (1, 30, 5)
    assert table.totals["party_members"] == 6
    per_community = figure_table(tree.station_a, [tree.a1, tree.a2], *q2)
    assert [r.values["volunteer_hours"] for r in per_community.rows] == [0, 3, 2]
    assert per_community.rows[0].label == "站本级" and per_community.totals["volunteer_hours"] == 5


def test_it_shows_what_a_station_files_itself_on_its_own_row(tree, as_user, lead):
    """Records filed at the station (not a community) count in its own row,
    so the station's rows add up to the district roll-up's row for it."""
    from partners.models import ResourceEntry

    _records(tree)
    ResourceEntry.objects.create(
        unit=tree.station_a, direction="in", kind="money", date=dt.date(2026, 5, 2), purpose="助学", value=5651
    )
    q2 = dt.date(2026, 4, 1), dt.date(2026, 6, 30)
    station = figure_table(tree.station_a, [tree.a1, tree.a2], *q2)
    district = figure_table(tree.district, [tree.station_a, tree.station_b], *q2)
    assert [r.values["resources_rmb"] for r in station.rows] == [5651, 0, 0]
    assert station.totals["resources_rmb"] == district.rows[1].values["resources_rmb"] == 5651
    with time_machine.travel(NOW):
        page = as_user(lead).get(reverse("reports:dashboard")).content.decode()
    own_row = page.split('data-testid="own-level"')[1].split("</tr>")[0]
    assert "站本级" in own_row and "5651" in own_row


def test_it_scopes_dashboards(as_user, lead, outsider, admin, tree):
    _records(tree)
    with time_machine.travel(NOW):
        assert as_user(outsider).get(reverse("reports:dashboard_unit", args=[tree.station_a.pk])).status_code == 404
        assert as_user(lead).get(reverse("reports:dashboard_unit", args=[tree.district.pk])).status_code == 404
        own = as_user(lead).get(reverse("reports:dashboard")).content.decode()
        assert tree.a1.name in own and tree.station_b.name not in own and "乙一" not in own
        district = as_user(admin).get(reverse("reports:dashboard")).content.decode()
    assert tree.station_a.name in district and tree.station_b.name in district
    assert 'id="chart-cards-data"' in district and 'data-chart="chart-services-data"' in district


def test_it_shows_a_communitys_people_without_leaking_them_upward(as_user, community_worker, lead, tree):
    from grading.models import PersonGrade
    from people.tests.factories import PersonFactory

    p = PersonFactory(unit=tree.a1, name="王秀英")
    PersonGrade.objects.create(person=p, unit=tree.a1, card="red", graded_at=NOW, next_due=dt.date(2026, 5, 1))
    with time_machine.travel(NOW):
        page = as_user(community_worker).get(reverse("reports:dashboard")).content.decode()
        assert "王秀英" in page and "2026-05-01" in page
        station_page = as_user(lead).get(reverse("reports:dashboard")).content.decode()
    assert "王秀英" not in station_page  # charts and tables above a community carry counts only


def test_it_generates_an_xlsx_report_with_the_narrative(as_user, lead, tree, django_capture_on_commit_callbacks):
    from openpyxl import load_workbook

    _records(tree)
    with time_machine.travel(dt.datetime(2026, 7, 5, 4, tzinfo=dt.UTC)):  # the quarter is over
        services.narrative_save(
            actor=lead,
            unit=tree.station_a,
            period_kind="quarter",
            day=dt.date(2026, 5, 1),
            highlights="五社联动成效明显",
        )
        with django_capture_on_commit_callbacks(execute=True):
            resp = as_user(lead).post(
                reverse("reports:report_index"),
                {"unit": tree.station_a.pk, "period_kind": "quarter", "day": "2026-05-01", "fmt": "xlsx"},
            )
    job = ReportJob.objects.get()
    assert resp.status_code == 302 and resp.url == reverse("reports:job_detail", args=[job.pk])
    assert (
        job.status == "done"
        and job.progress == 100
        and (job.period_start, job.period_end)
        == (
            dt.date(2026, 4, 1),
            dt.date(2026, 6, 30),
        )
    )
    status = as_user(lead).get(reverse("reports:job_detail", args=[job.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert 'data-status="done"' in status and "hx-trigger" not in status
    download = as_user(lead).get(reverse("reports:job_download", args=[job.pk]))
    wb = load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    figures = wb.worksheets[0]
    header = [c.value for c in figures[4]]
    hours_col = header.index("志愿服务时长")
    rows = {r[0]: r for r in figures.iter_rows(min_row=5, values_only=True)}
    assert rows[tree.a1.name][hours_col] == 3 and rows[tree.a2.name][hours_col] == 2
    assert rows["合计"][hours_col] == 5
    assert any("五社联动成效明显" in str(c) for row in wb.worksheets[2].iter_rows(values_only=True) for c in row)


def test_it_renders_the_district_roll_up_as_a_pdf(admin, tree, django_capture_on_commit_callbacks, tmp_path):
    _records(tree)
    with time_machine.travel(NOW), django_capture_on_commit_callbacks(execute=True):
        job = services.report_request(
            actor=admin, unit=tree.district, period_kind="quarter", day=dt.date(2026, 4, 1), fmt="pdf"
        )
    job.refresh_from_db()
    pdf = default_storage.open(job.file).read()
    assert job.status == "done" and pdf.startswith(b"%PDF")
    (tmp_path / "report.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(tmp_path / "report.pdf"), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page*.png"))
    assert len(pages) >= 1
    from PIL import Image

    img = Image.open(pages[0]).convert("L")
    assert img.width > img.height  # A4 landscape
    assert img.getextrema()[0] < 100  # some dark ink: not a blank page


def test_it_refuses_a_report_for_a_station_out_of_scope(as_user, lead, tree):
    with pytest.raises(Http404):
        services.report_request(
            actor=lead, unit=tree.station_b, period_kind="quarter", day=dt.date(2026, 4, 1), fmt="pdf"
        )
    resp = as_user(lead).post(
        reverse("reports:report_index"),
        {"unit": tree.station_b.pk, "period_kind": "quarter", "day": "2026-04-01", "fmt": "pdf"},
    )
    assert resp.status_code == 200 and not ReportJob.objects.exists()  # not a choice on the form


def test_it_hides_other_stations_jobs(as_user, outsider, admin, tree, django_capture_on_commit_callbacks):
    with time_machine.travel(NOW), django_capture_on_commit_callbacks(execute=True):
        job = services.report_request(
            actor=admin, unit=tree.station_a, period_kind="month", day=dt.date(2026, 5, 1), fmt="xlsx"
        )
    c = as_user(outsider)
    assert c.get(reverse("reports:job_detail", args=[job.pk])).status_code == 404
    assert c.get(reverse("reports:job_download", args=[job.pk])).status_code == 404


def test_it_refuses_a_period_that_has_not_started_in_chinese(as_user, lead, tree):
    with time_machine.travel(NOW):
        resp = as_user(lead).post(
            reverse("reports:report_index"),
            {"unit": tree.station_a.pk, "period_kind": "year", "day": "2027-03-01", "fmt": "pdf"},
            HTTP_ACCEPT_LANGUAGE="zh-hans",
        )
    assert "该期间尚未开始" in resp.content.decode() and not ReportJob.objects.exists()


def test_it_keeps_narratives_to_stations_and_the_district(lead, community_worker, tree):
    with time_machine.travel(NOW):
        with pytest.raises(ValidationError):
            services.narrative_save(
                actor=community_worker, unit=tree.a1, period_kind="quarter", day=dt.date(2026, 5, 1)
            )
        with pytest.raises(Http404):
            services.narrative_save(actor=lead, unit=tree.station_b, period_kind="quarter", day=dt.date(2026, 5, 1))


def test_it_warns_on_the_station_dashboard_of_months_without_supervision(as_user, lead, worker, tree):
    from workrecords.services import supervision_create

    supervision_create(actor=worker, unit=tree.station_a, date=dt.date(2026, 1, 15), supervisor="林督导", topics="个案")
    supervision_create(actor=worker, unit=tree.station_a, date=dt.date(2026, 3, 15), supervisor="林督导", topics="小组")
    with time_machine.travel(NOW):
        page = as_user(lead).get(reverse("reports:dashboard")).content.decode()
    warning = page.split('data-testid="supervision-warning"')[1].split("</div>")[0]
    assert "2026-02" in warning and "2026-04" in warning and "2026-05" in warning and "2026-01" not in warning
