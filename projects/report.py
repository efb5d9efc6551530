"""A project's report (xlsx and PDF) and the pieces the project page and the
station/district reports share: figures against targets, the trend chart's
data, the per-project section."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.actions import Action
from audit.services import audit_record
from core.access import Perm, require, require_unit_in_scope, within
from core.excel import XLSX
from projects import figures
from projects.figures import Figures, Money
from projects.linked import linked_records
from projects.models import Project

FORMATS = {"xlsx": XLSX, "pdf": "application/pdf"}


def target_rows(project: Project, figs: Figures) -> list[dict[str, Any]]:
    """(label, actual, target, per cent) for each of the project's four figures."""
    rows: list[tuple[Any, Any, Any]] = [
        (_("Person-times served (服务人次)"), figs.person_times, project.target_person_times),
        (_("Activities held"), figs.activities, project.target_activities),
        (_("Households reached"), figs.households, project.target_households),
        (_("Money raised (RMB)"), figs.raised, project.target_raised),
    ]
    return [
        {"label": label, "actual": actual, "target": target, "pct": figures.progress(actual, target)}
        for label, actual, target in rows
    ]


def chart_spec(trend: dict[str, Any]) -> dict[str, Any]:
    """The two trend charts for reports/static/reports/dashboard.js: the
    counts, and the money (kept apart: their scales differ)."""
    months = list(trend["months"])
    return {
        "counts": {
            "kind": "bar",
            "categories": months,
            "series": [
                {"name": _("Person-times served (服务人次)"), "data": trend["person_times"]},
                {"name": _("Activities held"), "data": trend["activities"]},
            ],
        },
        "money": {
            "kind": "bar",
            "categories": months,
            "series": [
                {"name": _("Money raised (RMB)"), "data": trend["raised"], "colour": "#2e8b57"},
                {"name": _("Spent (RMB)"), "data": trend["spent"], "colour": "#c0392b"},
            ],
        },
    }


@dataclass
class ProjectReport:
    project: Project
    start: dt.date
    end: dt.date
    figures: Figures
    targets: list[dict[str, Any]]
    money: Money
    trend: dict[str, Any]
    linked: list[Any]
    generated_at: dt.datetime

    @property
    def title(self) -> str:
        return _("%(name)s · project report") % {"name": self.project.name}


def collect(user: Any, project: Project) -> ProjectReport:
    """Gather the report of a project the user may see (checked by the caller)."""
    start, end = figures.period_of(project)
    figs = figures.figures(project, start, end)
    return ProjectReport(
        project=project,
        start=start,
        end=end,
        figures=figs,
        targets=target_rows(project, figs),
        money=figures.money(project),
        trend=figures.trend(project, start, end),
        linked=linked_records(user, project),
        generated_at=timezone.now(),
    )


def _n(v: Any) -> Any:
    if isinstance(v, Decimal):
        return int(v) if v == v.to_integral_value() else float(v)
    return v


def to_xlsx(data: ProjectReport) -> bytes:
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Font

    p = data.project
    wb = Workbook()
    ws = wb.active
    ws.title = str(_("Project"))[:31]
    ws.append([data.title])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([str(_("Unit")), p.unit.name])
    ws.append([str(_("Period")), f"{p.starts_on:%Y-%m-%d} – {p.ends_on:%Y-%m-%d}"])
    ws.append([str(_("Counted")), f"{data.start:%Y-%m-%d} – {data.end:%Y-%m-%d}"])
    ws.append([])
    ws.append([str(_("Figure")), str(_("Actual")), str(_("Target")), "%"])
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    for r in data.targets:
        ws.append([str(r["label"]), _n(r["actual"]), _n(r["target"]), r["pct"]])
    ws.column_dimensions["A"].width = 28
    money = wb.create_sheet(str(_("Budget"))[:31])
    money.append(
        [str(_("Budget line")), str(_("Budget")), str(_("Spent")), str(_("Waiting for approval")), str(_("Left"))]
    )
    for r in data.money.lines:
        money.append([r["line"].name, _n(r["budget"]), _n(r["spent"]), _n(r["pending"]), _n(r["left"])])
    money.append([str(_("Total")), _n(data.money.budget), _n(data.money.spent), _n(data.money.pending)])
    money.append([str(_("Money raised (RMB)")), _n(data.figures.raised)])
    trend = wb.create_sheet(str(_("By month"))[:31])
    trend.append([str(_("Month")), str(_("Person-times")), str(_("Activities")), str(_("Raised")), str(_("Spent"))])
    t = data.trend
    for i, month in enumerate(t["months"]):
        trend.append([month, t["person_times"][i], t["activities"][i], t["raised"][i], t["spent"][i]])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def to_html(data: ProjectReport) -> str:
    return render_to_string("projects/report_print.html", {"data": data})


def to_pdf(data: ProjectReport) -> bytes:
    """The PDF path of reports/builder.py: weasyprint, Noto Sans CJK SC."""
    from django.conf import settings
    from weasyprint import HTML

    return bytes(HTML(string=to_html(data), base_url=str(settings.BASE_DIR)).write_pdf())


@transaction.atomic
def project_report(*, actor: Any, project: Project, fmt: str) -> bytes:
    """The project's report as `fmt` (xlsx or pdf), audited."""
    require(actor, Perm.VIEW)
    require_unit_in_scope(actor, project.unit)
    if fmt not in FORMATS:
        raise ValueError(fmt)
    data = collect(actor, project)
    body = to_pdf(data) if fmt == "pdf" else to_xlsx(data)
    audit_record(actor=actor, action=Action.PROJECT_REPORT, target=project, unit=project.unit, changes={"format": fmt})
    return body


# ---------------------------------------------------------------- station and district reports


def section(unit: Any, start: dt.date, end: dt.date) -> list[dict[str, Any]]:
    """The per-project section of a station's or the district's report: the
    projects filed in the unit's subtree that ran in the period, with their
    figures counted over the period (the unit is checked by the caller)."""
    projects = list(
        Project.objects.filter(within(unit))
        .filter(Q(starts_on__lte=end) & Q(ends_on__gte=start))
        .select_related("unit")
        .order_by("unit__path", "-is_brand", "name")
    )
    rows = []
    for p in projects:
        lo, hi = max(start, p.starts_on), min(end, p.ends_on)
        figs = figures.figures(p, lo, hi)
        rows.append(
            {
                "project": p,
                "figures": figs,
                "budget": figures.money(p).budget,
                "targets": target_rows(p, figs),
            }
        )
    return rows


def section_sheet(wb: Any, rows: list[dict[str, Any]]) -> None:
    """The per-project sheet of a station's or the district's xlsx report."""
    if not rows:
        return
    ws = wb.create_sheet(str(_("Service projects"))[:31])
    ws.append(
        [
            str(_("Project")),
            str(_("Unit")),
            str(_("Brand project")),
            str(_("Person-times")),
            str(_("Activities")),
            str(_("Households reached")),
            str(_("Raised")),
            str(_("Budget")),
            str(_("Spent")),
        ]
    )
    for r in rows:
        p, f = r["project"], r["figures"]
        ws.append(
            [
                p.name,
                p.unit.name,
                "★" if p.is_brand else "",
                f.person_times,
                f.activities,
                f.households,
                _n(f.raised),
                _n(r["budget"]),
                _n(f.spent),
            ]
        )
    ws.column_dimensions["A"].width = 24
