"""A queued job that no background worker picks up says so on its page
instead of "queued" forever."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.urls import reverse

from reports import services as report_services
from reports.models import JobStatus, ReportJob

pytestmark = pytest.mark.django_db

MISSING = "后台任务程序似乎没有运行：请确认已用 make run 启动，或联系系统管理员"


@pytest.fixture
def job(lead: Any, tree: Any) -> ReportJob:
    # In tests the huey queue runs on commit, which never comes: the job stays queued.
    return report_services.report_request(
        actor=lead, unit=tree.station_a, period_kind="month", day=dt.date(2026, 5, 1), fmt="xlsx"
    )


def _page(client: Any, url: str, at: dt.datetime) -> str:
    with time_machine.travel(at, tick=False):
        return client.get(url, HTTP_HX_REQUEST="true", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()


def test_it_says_queued_while_a_worker_could_still_pick_the_report_up(job: ReportJob, lead: Any, as_user: Any) -> None:
    page = _page(as_user(lead), reverse("reports:job_detail", args=[job.pk]), job.created_at + dt.timedelta(seconds=29))
    assert "排队中" in page and MISSING not in page


def test_it_says_the_worker_is_missing_when_a_report_waits_too_long(job: ReportJob, lead: Any, as_user: Any) -> None:
    page = _page(as_user(lead), reverse("reports:job_detail", args=[job.pk]), job.created_at + dt.timedelta(seconds=31))
    assert MISSING in page and "排队中" not in page
    assert 'hx-trigger="every 1s"' in page  # still polling: a worker started now is noticed


def test_it_reads_the_wait_from_the_settings(job: ReportJob, lead: Any, as_user: Any, settings: Any) -> None:
    settings.LINLI_WORKER_WAIT_SECONDS = 120
    url = reverse("reports:job_detail", args=[job.pk])
    assert MISSING not in _page(as_user(lead), url, job.created_at + dt.timedelta(seconds=100))
    assert MISSING in _page(as_user(lead), url, job.created_at + dt.timedelta(seconds=121))


def test_it_does_not_blame_the_worker_for_a_job_it_is_running(job: ReportJob, lead: Any, as_user: Any) -> None:
    ReportJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, progress=40)
    page = _page(as_user(lead), reverse("reports:job_detail", args=[job.pk]), job.created_at + dt.timedelta(minutes=20))
    assert MISSING not in page and "进行中" in page


def test_it_says_the_worker_is_missing_for_a_background_matching_run(
    tree: Any, worker: Any, as_user: Any, settings: Any
) -> None:
    from matching import services as matching_services
    from matching.tests.factories import need_for, volunteer_offer

    settings.LINLI_MATCH_BACKGROUND_NEEDS = 1
    volunteer_offer(tree.a1, capacity=5)
    need_for(tree.a1)
    need_for(tree.a2)
    run = matching_services.match_run_start(actor=worker, unit=tree.station_a)
    assert run.status == "queued"
    c = as_user(worker)
    progress = reverse("matching:run_progress", args=[run.pk])
    assert MISSING not in _page(c, progress, run.started_at + dt.timedelta(seconds=5))
    assert MISSING in _page(c, progress, run.started_at + dt.timedelta(seconds=31))
    detail = reverse("matching:run_detail", args=[run.pk])
    with time_machine.travel(run.started_at + dt.timedelta(seconds=31), tick=False):
        assert MISSING in c.get(detail, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
