"""A report is offered for download from the job itself (downloadable), the
same rule the download service applies."""

from __future__ import annotations

import pytest

from reports.models import JobStatus, ReportJob


@pytest.mark.parametrize(
    ("status", "file", "offered"),
    [
        (JobStatus.DONE, "/tmp/r.xlsx", True),
        (JobStatus.DONE, "", False),
        (JobStatus.QUEUED, "", False),
        (JobStatus.RUNNING, "/tmp/r.xlsx", False),
        (JobStatus.FAILED, "/tmp/r.xlsx", False),
    ],
)
def test_it_offers_a_download_only_for_a_built_report(status, file, offered):
    assert ReportJob(status=status, file=file).downloadable is offered
