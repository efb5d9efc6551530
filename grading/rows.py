"""One row of "my follow-ups", written in Python: the list draws thirty of
them per page, and a template of a dozen tags per row cost more than the rest
of the page. The list (grading/_followup_results.html, through the
`followup_row` tag) and the row's own answers after a visit is logged or a
form cancelled (grading.views) draw it here alike."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.dateformat import format as date_format
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString
from django.utils.translation import gettext, ngettext

from core.widget_render import text_html


def _day(value: Any) -> str:
    return date_format(value, "Y-m-d") if value else ""


def followup_row_html(g: Any, *, can_edit: bool, logged: bool = False) -> SafeString:
    """The row of a PersonGrade from grading.selectors.followup_rows."""
    pid = text_html(g.person_id)
    card = text_html(g.card)
    if g.overdue:
        d = g.overdue_days
        late = ngettext("%(d)s day overdue", "%(d)s days overdue", d) % {"d": text_html(d)}
        due = f'<strong class="fu-late" data-testid="overdue">{late}</strong>\n    '
        if g.escalation == 2:
            due += f'<span class="badge red">{text_html(gettext("escalated to district"))}</span>'
        elif g.escalation == 1:
            due += f'<span class="badge blue">{text_html(gettext("escalated to lead"))}</span>'
        due += "\n    "
    else:
        due = f"{text_html(gettext('due'))} {conditional_escape(_day(g.next_due))}"
    last = _day(g.last_visit_on) or gettext("never")
    responsible = f'<span class="muted">· {text_html(g.responsible)}</span>' if g.responsible else ""
    parts = [
        f'<li class="fu-row fu-{card}{" fu-overdue" if g.overdue else ""}" id="row-{pid}" data-testid="row-{pid}">\n',
        '  <div class="fu-main">\n',
        f'    <span class="badge {card}">{text_html(g.get_card_display())}</span>\n',
        f'    <a class="fu-name" href="{conditional_escape(reverse("grading:person", args=[g.person_id]))}">'
        f"{text_html(g.person.name)}</a>\n",
        f'    <span class="muted">{text_html(g.unit.name)}</span>\n',
        "  </div>\n",
        '  <div class="fu-due">\n',
        f"    {due}\n",
        f'    <span class="muted">{text_html(gettext("last visit"))} {conditional_escape(last)}</span>\n',
        f"    {responsible}\n",
        "  </div>\n",
        "  "
        + (f'<div class="fu-logged" role="status">✓ {text_html(gettext("Visit logged."))}</div>' if logged else "")
        + "\n",
    ]
    if can_edit:
        visit = conditional_escape(reverse("grading:visit_new", args=[g.person_id]))
        parts.append(
            f'  <div class="fu-actions"><button type="button" class="primary" hx-get="{visit}" '
            f'hx-target="#form-{pid}" data-draft-opener="{visit}" data-testid="log-{pid}">'
            f"{text_html(gettext('Log visit'))}</button></div>\n"
            f'  <div id="form-{pid}"></div>'
        )
    else:
        parts.append("  ")
    parts.append("\n</li>\n")
    return SafeString("".join(parts))
