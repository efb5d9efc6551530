"""The project pages as users meet them: the forms' messages, the lead's
approval and to-do, the receipt and reports in scope, the API."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from audit.models import AuditEvent
from home.inbox import inbox
from projects import services
from projects.models import Expenditure, ExpenditureStatus, Project
from projects.tests.factories import line_for, project_for
from tests import uploads


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _once(client, url):
    return client.get(url).context["form"]["_once"].value()


def _project_data(tree, **kw):
    data = {
        "unit": tree.station_a.pk,
        "name": "乐童公社",
        "starts_on": "2026-01-01",
        "ends_on": "2026-12-31",
        "is_brand": "on",
        "target_person_times": "600",
        "target_raised": "8000",
    }
    data.update(kw)
    return data


def test_the_project_form_says_a_station_has_one_brand_project(tree, lead, as_user):
    c = as_user(lead)
    url = reverse("projects:project_create")
    r = c.post(url, {**_project_data(tree), "_once": _once(c, url)})
    assert r.status_code == 302
    project = Project.objects.get()
    assert project.is_brand and project.target_person_times == 600
    r = c.post(url, {**_project_data(tree, name="公益集市"), "_once": _once(c, url)})
    assert r.status_code == 200
    assert "乐童公社" in r.context["form"].errors["is_brand"][0]
    assert Project.objects.count() == 1


def test_the_expenditure_form_refuses_spending_beyond_the_line(tree, lead, worker, as_user):
    project = project_for(lead, tree.station_a)
    line = line_for(lead, project, 100)
    c = as_user(worker)
    url = reverse("projects:expenditure_add", args=[project.pk])
    data = {"line": line.pk, "spent_on": "2026-03-01", "payee": "店", "purpose": "物料"}
    r = c.post(url, {**data, "amount": "100.50", "receipt": uploads.pdf(), "_once": _once(c, url)})
    assert r.status_code == 200 and "¥100.00" in r.context["form"].errors["amount"][0]
    r = c.post(url, {**data, "amount": "60", "receipt": uploads.pdf("票.pdf"), "_once": _once(c, url)})
    assert r.status_code == 302
    assert Expenditure.objects.get().status == ExpenditureStatus.PENDING


def test_the_lead_sees_spending_to_approve_and_decides_it(tree, lead, worker, outsider, as_user):
    project = project_for(lead, tree.station_a)
    e = services.expenditure_record(
        actor=worker,
        project=project,
        line=line_for(lead, project),
        spent_on=dt.date(2026, 3, 1),
        amount=Decimal(30),
        payee="店",
        purpose="物料",
        receipt=uploads.pdf(),
    )
    rows = [r for r in inbox(lead) if "乐童公社" in r.label]
    assert rows and rows[0].count == 1 and rows[0].url.endswith(f"/projects/{project.pk}/#spending")
    assert not [r for r in inbox(worker) if "乐童公社" in r.label]
    url = reverse("projects:expenditure_decide", args=[e.pk])
    assert as_user(worker).get(url).status_code == 403
    assert as_user(outsider).get(url).status_code == 403
    c = as_user(lead)
    r = c.post(url, {"approve": "1", "note": "", "_once": _once(c, url)})
    assert r.status_code == 302
    e.refresh_from_db()
    assert e.status == ExpenditureStatus.APPROVED
    assert not [r for r in inbox(lead) if "乐童公社" in r.label]


def test_the_receipt_and_reports_stay_in_scope(tree, lead, worker, outsider, as_user):
    project = project_for(lead, tree.station_a, target_person_times=10)
    line = line_for(lead, project, 500, name="场地")
    e = services.expenditure_record(
        actor=worker,
        project=project,
        line=line,
        spent_on=dt.date(2026, 3, 1),
        amount=Decimal(30),
        payee="店",
        purpose="物料",
        receipt=uploads.pdf("发票.pdf"),
    )
    receipt = reverse("projects:receipt_view", args=[e.pk])
    assert as_user(worker).get(receipt)["Content-Type"] == "application/pdf"
    assert as_user(outsider).get(receipt).status_code == 404
    detail = as_user(worker).get(reverse("projects:project_detail", args=[project.pk]))
    assert detail.status_code == 200 and "场地" in detail.content.decode()
    assert as_user(outsider).get(reverse("projects:project_detail", args=[project.pk])).status_code == 404
    xlsx = as_user(worker).get(reverse("projects:project_report", args=[project.pk, "xlsx"]))
    sheets = load_workbook(io.BytesIO(xlsx.content))
    assert sheets.sheetnames[1] in ("Budget", "预算")
    assert [c.value for c in sheets.worksheets[1][2]][:3] == ["场地", 500, 0]
    pdf = as_user(worker).get(reverse("projects:project_report", args=[project.pk, "pdf"]))
    assert pdf.content.startswith(b"%PDF")
    assert as_user(worker).get(reverse("projects:project_report", args=[project.pk, "doc"])).status_code == 404
    assert AuditEvent.objects.filter(action="project.report").count() == 2


def test_the_api_reads_projects_in_scope(tree, lead, worker, outsider, as_user):
    project = project_for(lead, tree.station_a, target_raised=Decimal(100))
    line_for(lead, project, 250)
    body = as_user(worker).get("/api/v1/projects").json()
    assert body["count"] == 1 and body["items"][0]["name"] == "乐童公社"
    assert as_user(outsider).get("/api/v1/projects").json()["count"] == 0
    one = as_user(worker).get(f"/api/v1/projects/{project.pk}").json()
    assert one["figures"]["budget"] in ("250.00", "250", 250) and one["budget_lines"][0]["name"] == "物料"
    assert as_user(outsider).get(f"/api/v1/projects/{project.pk}").status_code == 404


def test_a_community_worker_files_a_wish_under_the_station_project(tree, lead, community_worker, as_user):
    from matching.models import NeedType, Wish
    from people.tests.factories import PersonFactory

    project = project_for(lead, tree.station_a, name="微心愿")
    person = PersonFactory(unit=tree.a1)
    c = as_user(community_worker)
    url = reverse("matching:wish_create")
    form = c.get(url).context["form"]
    assert project in form.fields["project"].queryset
    r = c.post(
        url,
        {
            "person": person.pk,
            "title": "一个书包",
            "need_type": NeedType.objects.filter(active=True).first().pk,
            "value": "80",
            "deadline": (dt.date.today() + dt.timedelta(days=20)).isoformat(),
            "project": project.pk,
            "_once": form["_once"].value(),
        },
    )
    assert r.status_code == 302
    assert Wish.objects.get().project == project


def test_the_station_report_has_a_section_per_project(tree, lead, worker):
    from reports.builder import collect, to_html, to_xlsx

    project = project_for(lead, tree.station_a, starts_on=dt.date(2026, 3, 1), ends_on=dt.date(2026, 5, 31))
    line_for(lead, project, 800)
    project_for(lead, tree.station_a, name="去年的项目", starts_on=dt.date(2025, 1, 1), ends_on=dt.date(2025, 12, 31))
    data = collect(tree.station_a, "quarter", dt.date(2026, 4, 15))
    assert [r["project"].name for r in data.projects] == ["乐童公社"]  # last year's project did not run this quarter
    assert data.projects[0]["budget"] == 800
    assert "乐童公社" in to_html(data)
    sheets = load_workbook(io.BytesIO(to_xlsx(data))).sheetnames
    assert {"Service projects", "服务项目"} & set(sheets)
    district = collect(tree.district, "quarter", dt.date(2026, 4, 15))
    assert [r["project"].name for r in district.projects] == ["乐童公社"]
