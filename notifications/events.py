"""The events a person can be told about: one named constant each."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Event(models.TextChoices):
    PLAN_SUBMITTED = "plan_submitted", _("A service plan awaits my approval")
    PLAN_APPROVED = "plan_approved", _("My service plan was approved")
    PLAN_RETURNED = "plan_returned", _("My service plan was returned")
    CLOSURE_REQUESTED = "closure_requested", _("A case closure awaits my approval")
    CLOSURE_APPROVED = "closure_approved", _("My case closure was approved")
    CLOSURE_RETURNED = "closure_returned", _("My case closure was refused")
    CASE_ASSIGNED = "case_assigned", _("A case was assigned to me")
    REFERRAL_OVERDUE = "referral_overdue", _("A partner has not answered my referral in time")
    RECIPIENT_ASSIGNED = "recipient_assigned", _("A recipient was assigned to me")
    TASK_ASSIGNED = "task_assigned", _("A service task was assigned to me")
    FOLLOWUP_DUE = "followup_due", _("A follow-up visit is due")
    FOLLOWUP_ESCALATED = "followup_escalated", _("An overdue follow-up was escalated to me")
    MAJOR_EVENT = "major_event", _("A major event on a recipient of mine")
    WISH_CLAIMED = "wish_claimed", _("A micro-wish I published was claimed")
    SUMMARY_SENT = "summary_sent", _("A weekly summary was sent to me")
    SUMMARY_MISSING = "summary_missing", _("My station's weekly summary is missing")
    SUPERVISION_MISSING = "supervision_missing", _("A monthly supervision is missing")
    JOINT_MEETING = "joint_meeting", _("The quarterly joint meeting is due")
    REPORT_READY = "report_ready", _("A report is ready")


# Sent outside the system unless the person turns them off.
CHANNELS: tuple[tuple[str, object], ...] = (
    ("email", _("E-mail")),
    ("sms", _("SMS")),
    ("webpush", _("Browser push")),
)
