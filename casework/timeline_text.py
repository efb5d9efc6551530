"""User-facing text of the person timeline (casework/timeline.py), kept in the
services area's catalogue."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

KINDS = {
    "visit": _("Visit"),
    "card": _("Card"),
    "case": _("Case"),
    "service": _("Intervention"),
    "referral": _("Referral"),
    "conference": _("Case conference"),
    "group": _("Group"),
    "activity": _("Activity"),
    "donation": _("Donation"),
    "task": _("Matched service"),
}

CASE_OPENED = _("Case opened: %(number)s")
CASE_CLOSED = _("Case closed: %(number)s")
MINUTES = _("%(n)s min")
REFERRED = _("Referred to %(org)s")
CONFERENCE = _("Case conference on %(number)s")
WISH = _("micro-wish fulfilled, ¥%(value)s")
TITLE = _("Timeline of %(name)s")
RESIDENTS = _("Residents")
TIMELINE = _("Timeline")
