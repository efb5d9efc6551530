"""Monthly, quarterly and annual station reports and the district roll-up,
as xlsx (openpyxl) and as a printable PDF (weasyprint, Noto Sans CJK SC)."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from contracts.progress import period_for
from core.access import within
from core.roles import Level
from orgs.models import OrgUnit
from partybuilding.figures import report_lines as party_lines
from projects.report import section as project_section
from projects.report import section_sheet as project_sheet
from reports.figures import FigureTable, figure_table
from reports.models import ReportNarrative
from reports.room_usage import section as room_section
from reports.room_usage import section_sheet as room_sheet

Progress = Callable[[int, str], None]


@dataclass
class ReportData:
    unit: Any
    kind: str
    start: dt.date
    end: dt.date
    table: FigureTable  # the unit's own level, then one row per child unit
    narratives: list[Any]
    work: list[tuple[str, int | Decimal]]  # 1+1+1 and five-level counts, Party-building figures
    generated_at: dt.datetime
    projects: list[Any] = field(default_factory=list)  # projects.report.section
    rooms: list[Any] = field(default_factory=list)  # reports.room_usage.section

    @property
    def title(self) -> str:
        kinds = {"month": _("Monthly report"), "quarter": _("Quarterly report"), "year": _("Annual report")}
        if self.unit.level == Level.DISTRICT:
            kinds = {
                "month": _("Monthly district roll-up"),
                "quarter": _("Quarterly district roll-up"),
                "year": _("Annual district roll-up"),
            }
        return f"{self.unit.name} · {kinds[self.kind]} · {period_label(self.kind, self.start)}"


def period_label(kind: str, start: dt.date) -> str:
    if kind == "month":
        return f"{start:%Y-%m}"
    if kind == "quarter":
        return f"{start.year} Q{(start.month - 1) // 3 + 1}"
    return str(start.year)


def _work_counts(unit: Any, start: dt.date, end: dt.date) -> list[tuple[str, int]]:
    from workrecords.models import JointMeeting, ReportingEntry, Supervision, TeamMeeting, WeeklySummary

    out = []
    for label, model in [
        (_("Team meetings"), TeamMeeting),
        (_("Weekly summaries"), WeeklySummary),
        (_("Supervisions"), Supervision),
        (_("Five-level reporting entries"), ReportingEntry),
        (_("Joint meetings"), JointMeeting),
    ]:
        n = model._default_manager.filter(within(unit), date__gte=start, date__lte=end).count()
        out.append((str(label), n))
    return out  # the adopted proposals are among the Party-building lines (partybuilding.figures)


def collect(unit: Any, kind: str, day: dt.date, progress: Progress | None = None) -> ReportData:
    """Gather a report's figures. `unit` is already checked to be in scope."""
    progress = progress or (lambda pct, step: None)
    period = period_for(kind, day)
    today = timezone.localdate()
    end = min(period.end, today) if period.start <= today else period.end
    children = list(OrgUnit.objects.filter(parent=unit).order_by("path")) if unit.level != Level.COMMUNITY else []
    progress(10, _("Counting the figures"))
    table = figure_table(unit, children, period.start, end)
    progress(60, _("Collecting the narrative"))
    narrative_units = [unit] if unit.level != Level.DISTRICT else [unit, *children]
    narratives = list(
        ReportNarrative.objects.filter(
            unit__in=[u.pk for u in narrative_units], period_kind=kind, period_start=period.start
        ).select_related("unit")
    )
    work = [*_work_counts(unit, period.start, end), *party_lines(unit, period.start, end, children)]
    return ReportData(
        unit=unit,
        kind=kind,
        start=period.start,
        end=end,
        table=table,
        narratives=narratives,
        work=work,
        generated_at=timezone.now(),
        projects=project_section(unit, period.start, end),
        rooms=room_section(unit, period.start, end),
    )


def _cell(v: Decimal | None) -> Any:
    if v is None:
        return "—"
    return int(v) if v == v.to_integral_value() else float(v)


def to_xlsx(data: ReportData) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = str(_("Figures"))[:31]
    ws.append([data.title])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([f"{data.start:%Y-%m-%d} – {data.end:%Y-%m-%d}"])
    ws.append([])
    ws.append([str(_("Unit")), *[str(label) for _c, label in data.table.headers]])
    for cell in ws[4]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True)
    for row in data.table.as_rows():
        ws.append([row["label"], *[_cell(v) for v in row["values"]]])
    ws.append([str(_("Total")), *[_cell(v) for v in data.table.total_values]])
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    ws.column_dimensions["A"].width = 22
    work = wb.create_sheet(str(_("Work records"))[:31])
    work.append([str(_("Item")), str(_("Count"))])
    for label, n in data.work:
        work.append([label, n])
    text = wb.create_sheet(str(_("Narrative"))[:31])
    text.append([str(_("Unit")), str(_("Highlights")), str(_("Problems and difficulties")), str(_("Next period"))])
    for n in data.narratives:
        text.append([n.unit.name, n.highlights, n.problems, n.next_steps])
    project_sheet(wb, data.projects)
    room_sheet(wb, data.rooms)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def to_html(data: ReportData) -> str:
    return render_to_string(
        "reports/report_print.html",
        {
            "data": data,
            "columns": [(r.label, r.own) for r in data.table.rows],
            "figure_rows": [
                (label, [r.values.get(code) for r in data.table.rows], data.table.totals.get(code))
                for code, label in data.table.headers
            ],
        },
    )


def to_pdf(data: ReportData) -> bytes:
    from django.conf import settings
    from weasyprint import HTML

    return HTML(string=to_html(data), base_url=str(settings.BASE_DIR)).write_pdf()
