"""A station's own work records: 1+1+1 (weekly meeting, weekly summary,
monthly supervision), the five-level reporting log, quarterly joint meetings,
needs surveys, satisfaction surveys, self-evaluation and venues for the
resource map. Every row names the unit it belongs to (usually the station)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

_UNIT: dict[str, Any] = {"on_delete": models.PROTECT, "related_name": "+", "verbose_name": _("unit")}


class _Record(models.Model):
    unit = models.ForeignKey("orgs.OrgUnit", **_UNIT)
    date = models.DateField(_("date"), db_index=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Set by a correction after saving (workrecords/corrections.py); the audit log keeps each change.
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-date", "-id"]


class TeamMeeting(_Record):
    attendees = models.TextField(_("attendees"))
    minutes = models.TextField(pgettext_lazy("meeting", "minutes"))
    decisions = models.TextField(_("decisions"), blank=True)

    class Meta(_Record.Meta):
        verbose_name = _("weekly team meeting (周例会)")
        verbose_name_plural = _("weekly team meetings")

    def __str__(self) -> str:
        return _("%(date)s weekly meeting") % {"date": self.date}


class WeeklySummary(_Record):
    """周总结 + next week's plan; `date` is the Monday of the week summarised."""

    summary = models.TextField(_("this week's work"))
    next_week_plan = models.TextField(_("next week's plan"))

    class Meta(_Record.Meta):
        verbose_name = _("weekly summary (周总结)")
        verbose_name_plural = _("weekly summaries")
        constraints = [models.UniqueConstraint(fields=["unit", "date"], name="weekly_summary_one_per_week")]

    def __str__(self) -> str:
        return _("%(date)s weekly summary") % {"date": self.date}


class SummaryRead(models.Model):
    """A read receipt: the station lead or the guidance centre has read it."""

    summary = models.ForeignKey(WeeklySummary, on_delete=models.CASCADE, related_name="reads")
    reader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("read receipt")
        verbose_name_plural = _("read receipts")
        ordering = ["read_at"]
        constraints = [models.UniqueConstraint(fields=["summary", "reader"], name="summary_read_once")]

    def __str__(self) -> str:
        return f"{self.summary_id}:{self.reader_id}"


class Supervision(_Record):
    supervisor = models.CharField(_("supervisor"), max_length=50)
    topics = models.TextField(_("topics"))
    follow_ups = models.TextField(_("follow-ups"), blank=True)

    class Meta(_Record.Meta):
        verbose_name = _("supervision (督导)")
        verbose_name_plural = _("supervisions")

    def __str__(self) -> str:
        return f"{self.date} {self.supervisor}"


class ReportingKind(models.TextChoices):
    """五级汇报."""

    STREET_MEETING = "street_meeting", _("attended a street meeting")
    LEADER_REPORT = "leader_report", _("reported to street leaders")
    COMMUNITY_VISIT = "community_visit", _("visited a community")
    ACTIVITY_CONSULTATION = "activity_consultation", _("consulted on an activity")
    PROPOSAL = "proposal", _("made a proposal")


class ReportingEntry(_Record):
    kind = models.CharField(_("kind"), max_length=30, choices=ReportingKind.choices, db_index=True)
    subject = models.CharField(_("subject"), max_length=200)
    notes = models.TextField(_("notes"), blank=True)
    adopted = models.BooleanField(_("proposal adopted"), null=True, blank=True)

    class Meta(_Record.Meta):
        verbose_name = _("five-level reporting entry (五级汇报)")
        verbose_name_plural = _("five-level reporting log")

    def __str__(self) -> str:
        return self.subject


class JointMeeting(_Record):
    """联席会议 (quarterly)."""

    participants = models.TextField(_("participants"))
    topics = models.TextField(_("topics"))
    resolutions = models.TextField(_("resolutions"), blank=True)

    class Meta(_Record.Meta):
        verbose_name = _("joint meeting (联席会议)")
        verbose_name_plural = _("joint meetings")

    def __str__(self) -> str:
        return _("%(date)s joint meeting") % {"date": self.date}


class SurveyKind(models.TextChoices):
    QUESTIONNAIRE = "questionnaire", _("questionnaire")
    INTERVIEW = "interview", _("interview")
    FOCUS_GROUP = "focus_group", _("focus group")


class NeedsSurvey(_Record):
    """需求调研: a questionnaire (questions, then answers per respondent) or the
    notes of an interview or focus group."""

    kind = models.CharField(_("kind"), max_length=20, choices=SurveyKind.choices)
    title = models.CharField(_("title"), max_length=200)
    questions = models.JSONField(_("questions"), default=list, blank=True)
    participants = models.PositiveIntegerField(_("participants"), default=0)
    notes = models.TextField(_("notes / findings"), blank=True)

    class Meta(_Record.Meta):
        verbose_name = _("needs survey (需求调研)")
        verbose_name_plural = _("needs surveys")

    def __str__(self) -> str:
        return self.title


class SurveyResponse(models.Model):
    survey = models.ForeignKey(NeedsSurvey, on_delete=models.CASCADE, related_name="responses")
    respondent = models.CharField(_("respondent (no names needed)"), max_length=60, blank=True)
    answers = models.JSONField(_("answers"), default=list)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("questionnaire answers")
        verbose_name_plural = _("questionnaire answers")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.survey_id}:{self.respondent}"


class SatisfactionSubject(models.TextChoices):
    SERVICE = "service", _("service")
    ACTIVITY = "activity", _("activity")
    CASE = "case", _("case")


class SatisfactionSurvey(_Record):
    """满意度: one respondent's score (1–5) after a service, activity or case."""

    subject_type = models.CharField(_("after"), max_length=20, choices=SatisfactionSubject.choices)
    subject = models.CharField(_("which service, activity or case"), max_length=200)
    score = models.PositiveSmallIntegerField(_("score (1–5)"), validators=[MinValueValidator(1), MaxValueValidator(5)])
    comment = models.TextField(_("comment"), blank=True)
    source_type = models.CharField(max_length=40, blank=True)
    source_id = models.CharField(max_length=40, blank=True)

    class Meta(_Record.Meta):
        verbose_name = _("satisfaction survey (满意度)")
        verbose_name_plural = _("satisfaction surveys")
        constraints = [models.CheckConstraint(condition=models.Q(score__gte=1, score__lte=5), name="satisfaction_1_5")]

    def __str__(self) -> str:
        return f"{self.subject} {self.score}"


class Venue(models.Model):
    """场地: a venue for the resource map (activity rooms, halls, courts)."""

    unit = models.ForeignKey("orgs.OrgUnit", **_UNIT)
    name = models.CharField(_("name"), max_length=100)
    address = models.CharField(_("address"), max_length=200, blank=True)
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("venue (场地)")
        verbose_name_plural = _("venues")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


# --- self-evaluation -------------------------------------------------------


class ScoringSheet(models.Model):
    """A configurable evaluation sheet; the default (six modules, 1,000
    points) is loaded by a data migration and can be edited or replaced."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    is_default = models.BooleanField(_("default"), default=False)

    class Meta:
        verbose_name = _("scoring sheet")
        verbose_name_plural = _("scoring sheets")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ScoringItem(models.Model):
    sheet = models.ForeignKey(ScoringSheet, on_delete=models.CASCADE, related_name="items")
    module = models.CharField(_("module"), max_length=40)
    name = models.CharField(_("item"), max_length=200)
    max_points = models.PositiveIntegerField(_("points available"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("scoring item")
        verbose_name_plural = _("scoring items")
        ordering = ["sheet", "order", "id"]

    def __str__(self) -> str:
        return f"{self.module} · {self.name}"


class SelfEvaluation(_Record):
    """站点自评: a station scores itself on a sheet, item by item with evidence."""

    sheet = models.ForeignKey(ScoringSheet, on_delete=models.PROTECT, related_name="+", verbose_name=_("sheet"))
    period = models.CharField(_("period"), max_length=20)
    total = models.DecimalField(_("total"), max_digits=7, decimal_places=1, default=0)

    class Meta(_Record.Meta):
        verbose_name = _("self-evaluation (自评)")
        verbose_name_plural = _("self-evaluations")

    def __str__(self) -> str:
        return f"{self.period} {self.sheet}"


class SelfEvaluationScore(models.Model):
    evaluation = models.ForeignKey(SelfEvaluation, on_delete=models.CASCADE, related_name="scores")
    item = models.ForeignKey(ScoringItem, on_delete=models.PROTECT, related_name="+")
    points = models.DecimalField(_("points"), max_digits=6, decimal_places=1)
    evidence = models.CharField(_("evidence (link or file reference)"), max_length=300, blank=True)

    class Meta:
        ordering = ["item__order", "item_id"]
        constraints = [models.UniqueConstraint(fields=["evaluation", "item"], name="selfeval_item_once")]

    def __str__(self) -> str:
        return f"{self.item_id}:{self.points}"
