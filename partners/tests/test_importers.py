"""The partner ledgers import as stations keep them (core/ledger.py): the
charitable-resources ledger, 38 of 40 rows judged right and the 2 refused
imported once fixed; enterprises and community organisations by the rules
of their forms."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from audit.models import AuditEvent
from core import identity
from core.models import ImportStatus
from partners.models import CommunityOrganisation, Enterprise, ResourceEntry
from tests import ledgers

pytestmark = pytest.mark.django_db
HEAD = ["序号", "日期", "收/支", "形式", "捐赠单位", "受助对象", "用途", "物资名称", "金额（元）", "所属社区"]


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


def resources(communities: tuple[str, str]) -> list[list[list[Any]]]:
    blocks: list[list[list[Any]]] = [[], []]
    for i in range(40):
        given = i % 3 == 2
        blocks[i // 20].append(
            [
                i % 20 + 1,
                dt.datetime(2026, 1 + i % 10, 1 + i % 28) if i % 2 else f"2026年{1 + i % 10}月{1 + i % 28}日",
                "支出" if given else "收入",
                "物资" if i % 4 else "资金",
                None if given else f"爱心企业{i}号",
                f"困难家庭{i}户" if given else None,
                "春节慰问" if i < 20 else "助学",
                "米面油" if i % 4 else None,
                1000 + i * 10 if i % 5 else f"{200 + i}.50",
                communities[i // 20],
            ]
        )
    blocks[0][7][8] = 0  # sheet row 11: no value
    blocks[1][5][1] = "2099-01-01"  # sheet row 30: a date ahead
    return blocks


def test_a_stations_resources_ledger_imports_as_kept(
    tree: Any, worker: Any, as_user: Any, media: Any, run: Any
) -> None:
    blocks = resources((tree.a1.name, tree.a2.name))
    content = ledgers.workbook("西湖路街道社工站公益慈善资源台账（2026年）", HEAD, blocks, merge_col=9)
    c = as_user(worker)
    job = ledgers.upload(run, c, content, "resources")
    job.refresh_from_db()
    assert job.status == ImportStatus.CHECKED, job.message
    assert (job.total, job.good, job.bad_rows) == (40, 38, 2), job.errors
    assert [(r, col) for r, col, _m in job.errors] == [(11, "金额（元）（I列）"), (30, "日期（B列）")]
    assert ledgers.confirm(run, c, job).status_code == 200 and not ResourceEntry.objects.exists()
    assert ledgers.confirm(run, c, job, valid_only="on").status_code == 302
    assert ResourceEntry.objects.count() == 38
    e = ResourceEntry.objects.get(donor="爱心企业10号")
    assert (e.unit, e.direction, e.kind, e.value, e.date) == (
        tree.a1,
        "in",
        "in_kind",
        Decimal("210.50"),
        dt.date(2026, 1, 11),
    )
    assert ResourceEntry.objects.get(recipient="困难家庭2户").direction == "out"
    assert AuditEvent.objects.filter(action="resource_entry.import").get().changes == {"rows": 38, "skipped": 0}

    data = ledgers.refused(c, job)
    rows = ledgers.sheet_rows(data)
    assert rows[0] == [*HEAD, "错误原因"] and "金额（元）（I列）" in rows[1][-1]
    fixed = ledgers.rewrite(data, {(2, "金额（元）"): 1070, (3, "日期"): "2026-06-06"})
    again = ledgers.upload(run, c, fixed, "resources")
    again.refresh_from_db()
    assert (again.good, again.bad_rows) == (2, 0), again.errors
    assert ledgers.confirm(run, c, again).status_code == 302
    assert ResourceEntry.objects.count() == 40
    # the same ledger again: every row is in the ledger already
    third = ledgers.upload(run, c, content, "resources")
    third.refresh_from_db()
    assert (third.good, third.duplicate_count) == (0, 38)


def test_enterprises_and_organisations_import_by_their_forms_rules(
    tree: Any, worker: Any, as_user: Any, media: Any, run: Any
) -> None:
    code = "91350502" + "MA2XYK123"
    code += identity.credit_check_char(code)
    head = ["序号", "企业名称", "统一社会信用代码", "联系人", "联系电话", "企业地址", "所属社区"]
    content = ledgers.workbook(
        "爱心企业名录",
        head,
        [
            [
                [1, "闽南食品有限公司", code, "陈经理", 13912345678, "西湖路8号", tree.a1.name],
                [2, "好邻居超市", None, "林店长", "0595-22345678", None, None],
                [3, "错码公司", code[:-1] + ("0" if code[-1] != "0" else "1"), None, None, None, None],
            ]
        ],
    )
    c = as_user(worker)
    job = ledgers.upload(run, c, content, "enterprises")
    job.refresh_from_db()
    assert (job.status, job.good, job.bad_rows) == (ImportStatus.CHECKED, 2, 1), job.message
    assert [(r, col) for r, col, _m in job.errors] == [(6, "统一社会信用代码（C列）")]
    assert ledgers.confirm(run, c, job, valid_only="on").status_code == 302
    assert Enterprise.objects.get(credit_code=code).unit == tree.a1
    assert Enterprise.objects.get(name="好邻居超市").unit == tree.station_a

    head = ["序号", "组织名称", "服务领域", "负责人", "联系电话", "成员人数", "其中党员", "成立时间", "备案情况"]
    content = ledgers.workbook(
        "社区社会组织台账",
        head,
        [
            [
                [1, "夕阳红合唱队", "养老", "黄阿姨", None, 20, 5, "2020-05-01", "已备案"],
                [2, "护苗队", "儿童", None, None, 3, 5],
            ]
        ],
    )
    job = ledgers.upload(run, c, content, "organisations")
    job.refresh_from_db()
    assert (job.good, job.bad_rows) == (1, 1), job.errors
    assert job.errors[0][:2] == [5, "其中党员（G列）"]
    assert ledgers.confirm(run, c, job, valid_only="on").status_code == 302
    org = CommunityOrganisation.objects.get()
    assert (org.members, org.party_members, org.filing) == (20, 5, "filed")
    assert org.domain is not None and org.domain.name == "养老"
