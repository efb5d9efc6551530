"""A station's own volunteer roster imports as it is kept (core/ledger.py):
38 of its 40 rows judged right, the 2 refused imported once fixed."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from core import identity
from core.models import ImportStatus
from tests import ledgers
from volunteers.models import Volunteer

pytestmark = pytest.mark.django_db
HEAD = ["序号", "姓名", "性别", "身份证号码", "出生年月", "所属社区", "联系电话", "服务意向", "可服务时间"]


@pytest.fixture
def media(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def run(django_capture_on_commit_callbacks: Any) -> Any:
    def go(method: Any, *args: Any, **kwargs: Any) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return method(*args, **kwargs)

    return go


def roster(communities: tuple[str, str]) -> list[list[list[Any]]]:
    blocks: list[list[list[Any]]] = [[], []]
    for i in range(40):
        born = dt.date(1960 + i % 30, 1 + i % 12, 1 + i % 27)
        sex = "M" if i % 2 else "F"
        blocks[i // 20].append(
            [
                i % 20 + 1,
                ledgers.SURNAMES[i % 20] + ledgers.GIVEN[(i + i // 20) % 16] + "志",
                "男" if sex == "M" else "女",
                identity.make_resident_id("330106", born, 300 + i, sex),
                f"{born.year}.{born.month:02d}" if i % 2 else born,
                communities[i // 20],
                13700000000 + i,
                ["养老", "儿童", None][i % 3],
                ["周六上午", "周日全天", "周三下午、周六上午", None][i % 4],
            ]
        )
    blocks[0][7][6] = "1370013"  # sheet row 11: a phone too short
    blocks[1][5][5] = "丙三社区"  # sheet row 30: outside the station
    return blocks


def test_a_stations_volunteer_roster_imports_as_kept(
    tree: Any, worker: Any, as_user: Any, media: Any, run: Any
) -> None:
    blocks = roster((tree.a1.name, tree.a2.name))
    content = ledgers.workbook("西湖路街道2026年志愿者花名册", HEAD, blocks, merge_col=5)
    c = as_user(worker)
    job = ledgers.upload(run, c, content, "volunteers")
    job.refresh_from_db()
    assert job.status == ImportStatus.CHECKED, job.message
    assert (job.total, job.good, job.bad_rows) == (40, 38, 2)
    assert [(r, col) for r, col, _m in job.errors] == [(11, "联系电话（G列）"), (30, "所属社区（F列）")]
    assert ledgers.confirm(run, c, job).status_code == 200 and Volunteer.objects.count() == 0
    assert ledgers.confirm(run, c, job, valid_only="on").status_code == 302
    assert Volunteer.objects.count() == 38
    first = Volunteer.objects.get(name=blocks[0][2][1])
    assert first.unit == tree.a1 and first.phone == "13700000002"
    assert first.availability == {"wed": ["pm"], "sat": ["am"]} and first.birth_date == blocks[0][2][4]
    assert list(Volunteer.objects.get(name=blocks[0][3][1]).domains.values_list("name", flat=True)) == ["养老"]
    assert Volunteer.objects.get(name=blocks[0][12][1]).unit == tree.a1  # the merged community cell

    data = ledgers.refused(c, job)
    rows = ledgers.sheet_rows(data)
    assert rows[0] == [*HEAD, "错误原因"] and len(rows) == 3
    fixed = ledgers.rewrite(data, {(2, "联系电话"): "13700000007", (3, "所属社区"): tree.a2.name})
    again = ledgers.upload(run, c, fixed, "volunteers")
    again.refresh_from_db()
    assert (again.good, again.bad_rows) == (2, 0), again.errors
    assert ledgers.confirm(run, c, again).status_code == 302
    assert Volunteer.objects.count() == 40
