"""一分三卡: assessments, grading rules, cards and the follow-up they drive.

Configuration is data: instruments (versioned), rule sets (versioned) and
follow-up policies are rows an administrator edits; the defaults of
domain.md come from data migrations.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from grading.storage import signature_upload_to


class Card(models.TextChoices):
    """一分三卡."""

    RED = "red", _("red card")
    BLUE = "blue", _("blue card")
    GREEN = "green", _("green card")


# Red first: matching priority, follow-up urgency and list ordering use this.
# Keyed by the cards, which are strings: a stored value indexes it as it is.
CARD_RANK: dict[str, int] = {Card.RED: 0, Card.BLUE: 1, Card.GREEN: 2}


class PersonGrade(models.Model):
    """A person's current card and follow-up state (one row per person)."""

    # Set for display on the follow-up list (grading.selectors.followup_rows);
    # `overdue` and `escalation` are annotations of grading.selectors.followups.
    overdue_days: int

    person = models.OneToOneField("people.Person", on_delete=models.CASCADE, related_name="grade")
    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("community"))
    card = models.CharField(_("card"), max_length=5, choices=Card.choices, db_index=True)
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    overridden = models.BooleanField(_("set by hand"), default=False)
    graded_at = models.DateTimeField(_("graded at"))
    last_visit_on = models.DateField(_("last visit"), null=True, blank=True)
    next_due = models.DateField(_("next follow-up due"), null=True, blank=True, db_index=True)
    # Added by the grading area (issue 4).
    card_rank = models.PositiveSmallIntegerField(_("urgency rank"), default=2, editable=False)
    first_graded_on = models.DateField(_("first graded on"), null=True, blank=True)
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("responsible worker"),
    )
    rule_set = models.ForeignKey(
        "grading.GradingRuleSet", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The categories held, remembered for counting cards per domain (grading/category_keys.py).
    categories_key = models.TextField(default="", blank=True, editable=False)
    categories_as_of = models.DateField(null=True, blank=True, editable=False)
    categories_until = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("current card")
        verbose_name_plural = _("current cards")
        indexes = [
            models.Index(fields=["unit", "next_due", "card_rank"], name="grading_due_idx"),
            # cards by domain (and community): one pass over this index, in its order (grading/category_keys.py)
            models.Index(
                fields=["card", "categories_key", "unit", "categories_as_of", "categories_until", "person"],
                name="grading_card_unit_keys_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id}:{self.card}"


class InstrumentKind(models.TextChoices):
    ABILITY = "ability", _("ability assessment")
    CHECKLIST = "checklist", _("risk checklist")


class Instrument(models.Model):
    """An assessment instrument (评估工具); its content lives in versions."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=80)
    kind = models.CharField(_("kind"), max_length=20, choices=InstrumentKind.choices)
    domain = models.ForeignKey("core.ServiceDomain", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    builtin = models.BooleanField(_("built in"), default=False)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("assessment instrument")
        verbose_name_plural = _("assessment instruments")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def current_version(self) -> InstrumentVersion | None:
        return self.versions.order_by("-number").first()


class InstrumentVersion(models.Model):
    """One frozen version of an instrument. `schema` is
    {"dimensions": [{"code", "name", "items": [{"code", "text", "options": [{"label", "score"}]}]}],
     "levels": [{"level", "name", "min", "max"}]}. Assessments point here, so
    editing an instrument means publishing a new version."""

    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    schema = models.JSONField(_("items, options, scores and levels"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("instrument version")
        verbose_name_plural = _("instrument versions")
        constraints = [models.UniqueConstraint(fields=["instrument", "number"], name="grading_instrument_version")]

    def __str__(self) -> str:
        return f"{self.instrument} v{self.number}"

    def items(self) -> list[dict]:
        return [item for dim in self.schema["dimensions"] for item in dim["items"]]

    @property
    def max_total(self) -> int:
        return sum(max(o["score"] for o in item["options"]) for item in self.items())


class Assessment(models.Model):
    """One assessment of a person with one instrument version (评估记录)."""

    dimension_rows: list[tuple[str, Any]]  # (dimension name, score), set for the person page

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="assessments")
    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("community"))
    version = models.ForeignKey(InstrumentVersion, on_delete=models.PROTECT, related_name="assessments")
    assessed_on = models.DateField(_("assessed on"))
    answers = models.JSONField(_("answers"))  # {item_code: option index}
    dimension_scores = models.JSONField(_("dimension scores"))  # {dimension_code: score}
    total = models.IntegerField(_("total score"))
    level = models.PositiveSmallIntegerField(pgettext_lazy("assessment", "level"))
    level_name = models.CharField(_("level name"), max_length=40)
    notes = models.TextField(_("notes"), blank=True)
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("assessor")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("assessment (评估)")
        verbose_name_plural = _("assessments")
        ordering = ["-assessed_on", "-id"]
        indexes = [models.Index(fields=["person", "assessed_on"], name="grading_assess_person_idx")]

    def __str__(self) -> str:
        return f"{self.version} {self.total}"


class GradingRuleSet(models.Model):
    """A versioned set of grading rules. Exactly one is active; activating
    another changes nothing until someone re-grades on request."""

    number = models.PositiveIntegerField(_("version"), unique=True)
    name = models.CharField(_("name"), max_length=80)
    note = models.CharField(_("note"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("grading rule set")
        verbose_name_plural = _("grading rule sets")
        ordering = ["-number"]

    def __str__(self) -> str:
        return f"v{self.number} {self.name}"


class GradingRule(models.Model):
    """One rule: when every condition that is set holds, the card applies
    with the reason text. A rule with no condition is the catch-all. The
    person's card is the most urgent card among the rules that fire."""

    category_names: list[str]  # the categories' names, set for the rule-set list

    rule_set = models.ForeignKey(GradingRuleSet, on_delete=models.CASCADE, related_name="rules")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    card = models.CharField(_("card"), max_length=5, choices=Card.choices)
    reason = models.CharField(_("reason"), max_length=120)
    categories = models.JSONField(_("holds any of these categories"), default=list, blank=True)
    min_age = models.PositiveSmallIntegerField(_("aged at least"), null=True, blank=True)
    instrument = models.ForeignKey(
        Instrument, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("instrument")
    )
    min_level = models.PositiveSmallIntegerField(_("assessment level at least"), null=True, blank=True)
    min_score = models.PositiveSmallIntegerField(_("assessment score at least"), null=True, blank=True)

    class Meta:
        verbose_name = _("grading rule")
        verbose_name_plural = _("grading rules")
        ordering = ["rule_set", "order", "id"]

    def __str__(self) -> str:
        return f"{self.card}: {self.reason}"

    @property
    def is_catch_all(self) -> bool:
        return not self.categories and self.min_age is None and self.instrument_id is None


class CardChange(models.Model):
    """History of a person's card: who, when, why, which scores."""

    score_rows: list[tuple[str, Any]]  # (instrument name, scores), set for the person page

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="card_changes")
    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("community"))
    from_card = models.CharField(pgettext_lazy("card change", "from"), max_length=5, choices=Card.choices, blank=True)
    to_card = models.CharField(pgettext_lazy("card change", "to"), max_length=5, choices=Card.choices)
    changed_at = models.DateTimeField(_("changed at"), db_index=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("changed by")
    )
    why = models.TextField(_("why"), blank=True)
    reasons = models.JSONField(_("rule reasons"), default=list, blank=True)
    scores = models.JSONField(_("scores"), default=dict, blank=True)
    overridden = models.BooleanField(_("set by hand"), default=False)
    rule_set = models.ForeignKey(GradingRuleSet, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("card change")
        verbose_name_plural = _("card changes")
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.person_id}: {self.from_card}→{self.to_card}"


class FollowUpPolicy(models.Model):
    """Minimum follow-up intervals and escalation delays. One row per
    district; the row without a district is the default."""

    district = models.OneToOneField(
        "orgs.OrgUnit", null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("district")
    )
    red_days = models.PositiveSmallIntegerField(_("red card interval (days)"), default=7)
    blue_days = models.PositiveSmallIntegerField(_("blue card interval (days)"), default=30)
    green_days = models.PositiveSmallIntegerField(_("green card interval (days)"), default=90)
    major_event_hours = models.PositiveSmallIntegerField(_("visit after a major event within (hours)"), default=24)
    escalate_lead_days = models.PositiveSmallIntegerField(_("overdue days before the station lead sees it"), default=3)
    escalate_district_days = models.PositiveSmallIntegerField(_("overdue days before the district sees it"), default=7)
    rate_categories = models.JSONField(
        _("categories counted in the monthly visit rate"),
        default=list,
        blank=True,
    )

    class Meta:
        verbose_name = _("follow-up policy")
        verbose_name_plural = _("follow-up policies")

    def __str__(self) -> str:
        return str(self.district or _("default"))

    def interval(self, card: str) -> int:
        intervals: dict[str, int] = {Card.RED: self.red_days, Card.BLUE: self.blue_days}
        return intervals.get(card, self.green_days)


class VisitMode(models.TextChoices):
    HOME = "home", _("home visit")
    PHONE = "phone", _("phone call")
    IM = "im", _("instant message")
    PAIR = "pair", _("volunteer or Party-member pair")
    NEIGHBOUR = "neighbour", _("via neighbours")
    DEVICE = "device", _("alert device")
    HOTLINE = "hotline", _("hotline")


# The notes on the needs found on one visit (form, API and service agree).
VISIT_NEED_NOTES_MAX = 1000


class SignedBy(models.TextChoices):
    RESIDENT = "resident", _("the resident")
    GUARDIAN = "guardian", pgettext_lazy("who signed", "guardian or family member")


class Visit(models.Model):
    """探访: one follow-up contact with a recipient."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="visits")
    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("community"))
    mode = models.CharField(_("mode"), max_length=12, choices=VisitMode.choices, default=VisitMode.HOME)
    visited_on = models.DateField(_("date"))
    visitor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("recorded by")
    )
    visitor_name = models.CharField(_("who visited"), max_length=50, blank=True)
    findings = models.TextField(_("what was found"), blank=True)
    needs = models.TextField(_("needs spotted"), blank=True)
    suggested_card = models.CharField(_("suggested card"), max_length=5, choices=Card.choices, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # The richer record (issue 13): grading/models_visit.py holds its photos,
    # co-visitors and the district's settings.
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), null=True, blank=True)
    location_consent = models.BooleanField(_("resident agreed to the location check-in"), default=False)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    location_accuracy = models.PositiveIntegerField(_("location accuracy (metres)"), null=True, blank=True)
    signature = models.FileField(_("signature"), upload_to=signature_upload_to, max_length=200, blank=True)
    signed_by = models.CharField(_("signed by"), max_length=10, choices=SignedBy.choices, blank=True)
    signer_name = models.CharField(_("name of who signed"), max_length=50, blank=True)
    # Values of the district's custom fields (customfields/): {field code: value}.
    custom = models.JSONField(_("custom fields"), default=dict, blank=True)

    class Meta:
        verbose_name = _("visit (探访)")
        verbose_name_plural = _("visits")
        ordering = ["-visited_on", "-id"]
        indexes = [
            models.Index(fields=["person", "visited_on"], name="grading_visit_person_idx"),
            models.Index(fields=["unit", "visited_on"], name="grading_visit_unit_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.visited_on}"


class EventKind(models.TextChoices):
    HOSPITAL = "hospital", _("hospitalisation")
    BEREAVEMENT = "bereavement", _("bereavement")
    DISASTER = "disaster", _("disaster")
    NEW_RED = "new_red", _("new red card")
    OTHER = "other", _("other major change")


class MajorEvent(models.Model):
    """A major change that needs a visit within the policy window (24 h)."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="major_events")
    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("community"))
    kind = models.CharField(_("kind"), max_length=12, choices=EventKind.choices)
    occurred_at = models.DateTimeField(_("occurred at"))
    due_at = models.DateTimeField(_("visit due by"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    resolved_by = models.ForeignKey(Visit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("major event")
        verbose_name_plural = _("major events")
        ordering = ["-occurred_at"]

    def __str__(self) -> str:
        return f"{self.person_id} {self.kind}"


class CategoryDomain(models.Model):
    """Which service domain a recipient category counts under on the
    grading board ("4+N": administrators map local categories to N domains)."""

    category = models.OneToOneField("people.CategoryType", on_delete=models.CASCADE, related_name="board_domain")
    domain = models.ForeignKey("core.ServiceDomain", on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("category → service domain")
        verbose_name_plural = _("categories → service domains")

    def __str__(self) -> str:
        return f"{self.category_id}→{self.domain_id}"


class ResponsibleMode(models.TextChoices):
    CREATOR = "creator", _("the worker who created the file")
    COMMUNITY = "community", _("the community's designated worker")
    STATION = "station", _("the station's designated worker")


class ResponsibleRule(models.Model):
    """How a station names the responsible worker of a newly graded resident.
    One row per station; a station without a row uses "the creator"."""

    unit = models.OneToOneField("orgs.OrgUnit", on_delete=models.CASCADE, related_name="+", verbose_name=_("station"))
    mode = models.CharField(
        _("responsible worker"), max_length=10, choices=ResponsibleMode.choices, default=ResponsibleMode.CREATOR
    )
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("station's designated worker"),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("responsible worker rule")
        verbose_name_plural = _("responsible worker rules")

    def __str__(self) -> str:
        return f"{self.unit_id}:{self.mode}"


class CommunityResponsible(models.Model):
    """The worker a community's residents go to under the "community's
    designated worker" rule."""

    unit = models.OneToOneField("orgs.OrgUnit", on_delete=models.CASCADE, related_name="+", verbose_name=_("community"))
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("designated worker")
    )

    class Meta:
        verbose_name = _("community's designated worker")
        verbose_name_plural = _("communities' designated workers")

    def __str__(self) -> str:
        return f"{self.unit_id}:{self.worker_id}"


# The visit's photos, co-visitors and the district's visit settings.
from grading.models_visit import Companion, CompanionKind, VisitPhoto, VisitSettings  # noqa: E402, F401
