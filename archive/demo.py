"""Demo archive: the first station's rule books (站点管理制度, 建站运营指引手册)
written from the Xihu Road station's own, as small Word files made at load
time, a contract and an old set of minutes past its retention, and a 2026
self-evaluation with the rule book as evidence."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape

from django.core.files.base import ContentFile

from core.demo import DemoContext

RULES = [
    "第一章 总则：为推动站点规范化、标准化发展，根据省、市两级关于社工站建设的要求，制定本制度。",
    "第二章 项目运营管理：站长由民政负责领导担任，副站长由机构派驻的项目主管担任；配置督导专业社工2名，项目督导2名。",
    "第三章 人员管理：明确各级岗位职责，实行周例会、周总结、月督导（1+1+1）制度。",
    "第四章 财务管理：项目经费专款专用，支出经站长审批，票据按月归档。",
    "第五章 档案管理：服务档案、会议纪要、活动照片按类别和年度立卷，明确保管期限，到期经审核方可处置。",
    "第六章 场所管理：场地开放时间、功能分区和安全检查按月登记。",
    "第七章 人员分工：社工按社区分片负责，志愿者按技能编组。",
]
MANUAL = [
    "上篇 运营管理：站点定位、团队配置、项目管理制度、服务场地与标识。",
    "下篇 服务机制：服务对象分级管理、个案管理、资源整合、五级汇报与服务联席会议。",
    "附：1+7+N 多元协同——以社工站为中心，协同社区党群服务中心和域内社会组织、企业、学校等服务力量。",
]
MINUTES = ["2014年第三季度服务联席会议纪要：参会单位、议题与决议。"]
CONTRACT = ["政府购买社会工作服务合同（2026年度）：服务内容、指标与付款节点。"]


def docx(paragraphs: list[str]) -> bytes:
    """A minimal Word document: what archive/extract.py and Word both read."""
    body = "".join(f"<w:p><w:r><w:t>{escape(p)}</w:t></w:r></w:p>" for p in paragraphs)
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/'
            'document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.'
            'main+xml"/></Types>'
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>'
        ),
        "word/document.xml": (
            '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
            f'wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>'
        ),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return out.getvalue()


def seed(ctx: DemoContext) -> None:
    from accounts.models import User
    from archive import services
    from archive.models import Category, Document
    from core.roles import Role
    from workrecords import services as work
    from workrecords.models import ScoringSheet, SelfEvaluation

    station = ctx.data["stations"][0]
    lead = User.objects.filter(role=Role.STATION_LEAD, unit=station).first()
    if lead is None or Document.objects.filter(unit=station).exists():
        return
    name = station.name.removesuffix("社工站")
    cats = {c.name: c for c in Category.objects.all()}
    made = {}
    for key, title, category, year, years, text, description in [
        ("rules", f"{name}社会工作和志愿服务站站点管理制度", "规章制度", 2026, None, RULES, "印制成册，上墙执行。"),
        ("manual", f"{name}社会工作和志愿服务站建站运营指引手册", "运营指引手册", 2026, None, MANUAL, ""),
        ("contract", "政府购买社会工作服务合同（2026年度）", "合同协议", 2026, 30, CONTRACT, ""),
        ("minutes", "2014年第三季度服务联席会议纪要", "会议纪要", 2014, 10, MINUTES, "扫描件已整理。"),
    ]:
        made[key] = services.document_create(
            actor=lead,
            unit=station,
            category=cats[category],
            title=title,
            year=year,
            retention_years=years,
            description=description,
            file=ContentFile(docx([title, *text]), name=f"{title}.docx"),
        )
    sheet = ScoringSheet.objects.filter(is_default=True).first()
    if sheet is None or SelfEvaluation.objects.filter(unit=station).exists():
        return
    items = list(sheet.items.all())
    evaluation = work.selfeval_create(
        actor=lead,
        unit=station,
        date=dt.date(2026, 11, 20),
        sheet=sheet,
        period="2026",
        scores={i.pk: (Decimal(i.max_points) * Decimal("0.9"), "") for i in items},
    )
    scores: dict[str, Any] = {s.item.name: s for s in evaluation.scores.select_related("item")}
    for item_name, key in [("工作制度上墙与执行", "rules"), ("档案台账规范", "rules"), ("档案台账规范", "manual")]:
        if item_name in scores:
            services.evidence_link(actor=lead, score=scores[item_name], document=made[key])
