"""个案: cases, their stage history, goals, services, notes, files, referrals."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from casework.storage import case_upload_to


class Stage(models.TextChoices):
    INTAKE = "intake", _("intake (接案)")
    ASSESSMENT = "assessment", _("assessment (预估)")
    PLAN = "plan", _("plan (计划)")
    INTERVENTION = "intervention", _("intervention (介入)")
    EVALUATION = "evaluation", _("evaluation (评估)")
    CLOSED = "closed", _("closed (结案)")


class Pending(models.TextChoices):
    NONE = "", _("nothing pending")
    PLAN = "plan", _("plan awaiting approval")
    CLOSURE = "closure", _("closure awaiting approval")


class CaseCounter(models.Model):
    """The running case sequence of one station (locked while numbering)."""

    station = models.OneToOneField("orgs.OrgUnit", on_delete=models.CASCADE, related_name="+")
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.station_id}:{self.last}"


class Case(models.Model):
    """个案: one person's case, worked by one or more social workers."""

    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("community"))
    number = models.CharField(_("case number"), max_length=60, unique=True)
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="cases", verbose_name=_("resident")
    )
    domain = models.ForeignKey(
        "core.ServiceDomain", on_delete=models.PROTECT, related_name="+", verbose_name=_("service domain")
    )
    title = models.CharField(_("presenting problem"), max_length=120)
    intake_summary = models.TextField(_("intake summary"), blank=True)
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, default=Stage.INTAKE, db_index=True)
    pending = models.CharField(_("awaiting"), max_length=10, choices=Pending.choices, default="", blank=True)
    opened_on = models.DateField(_("opened on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closure_reason = models.TextField(_("closure reason"), blank=True)
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("case worker")
    )
    co_workers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("co-workers")
    )
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("case supervisor (督导)"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Values of the district's custom fields (customfields/): {field code: value}.
    custom = models.JSONField(_("custom fields"), default=dict, blank=True)
    # 共商帮扶方案: who agreed to the service plan (the resident, family, partners), and when.
    plan_agreed_by = models.CharField(_("plan agreed by"), max_length=300, blank=True)
    plan_agreed_on = models.DateField(_("plan agreed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("case (个案)")
        verbose_name_plural = _("cases")
        ordering = ["-opened_on", "-id"]
        indexes = [models.Index(fields=["unit", "stage"], name="casework_case_unit_stage")]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def is_open(self) -> bool:
        return self.stage != Stage.CLOSED


class CaseTransition(models.Model):
    """One move of a case (or an approval decision), with the comment given."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="transitions")
    action = models.CharField(_("action"), max_length=30)
    from_stage = models.CharField(max_length=20, choices=Stage.choices)
    to_stage = models.CharField(max_length=20, choices=Stage.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    comment = models.TextField(_("comment"), blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("case stage change")
        verbose_name_plural = _("case stage changes")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.action}"


class ResponsibleKind(models.TextChoices):
    STAFF = "staff", _("staff")
    PARTNER = "partner", _("partner organisation or enterprise")
    VOLUNTEER = "volunteer", _("volunteer")
    FAMILY = "family", _("family")


class Responsibility(models.Model):
    """Who carries out a goal or a planned service of a multi-party plan, by
    when, and the case conference (个案研讨) it was decided at."""

    responsible_kind = models.CharField(_("responsible"), max_length=10, choices=ResponsibleKind.choices, blank=True)
    responsible_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    responsible_organisation = models.ForeignKey(
        "partners.CommunityOrganisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    responsible_enterprise = models.ForeignKey(
        "partners.Enterprise", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    responsible_volunteer = models.ForeignKey(
        "volunteers.Volunteer", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    responsible_name = models.CharField(_("family member responsible"), max_length=60, blank=True)
    due_on = models.DateField(_("to be done by"), null=True, blank=True)
    conference = models.ForeignKey(
        "casework.CaseConference",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided at"),
    )

    class Meta:
        abstract = True

    @property
    def responsible(self) -> str:
        party = (
            self.responsible_user
            or self.responsible_organisation
            or self.responsible_enterprise
            or self.responsible_volunteer
        )
        return str(party) if party is not None else self.responsible_name


class CaseGoal(Responsibility):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="goals")
    text = models.CharField(_("goal"), max_length=300)
    achieved = models.BooleanField(_("achieved"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("case goal")
        verbose_name_plural = _("case goals")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.text


class PlannedService(Responsibility):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="planned_services")
    description = models.CharField(_("service"), max_length=200)
    frequency = models.CharField(_("frequency"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("planned service")
        verbose_name_plural = _("planned services")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.description


class DeliveredService(models.Model):
    """One intervention delivered to the person (counts as one person-time)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="delivered_services")
    planned = models.ForeignKey(
        PlannedService, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("planned as")
    )
    date = models.DateField(_("date"), db_index=True)
    description = models.CharField(_("what was done"), max_length=300)
    minutes = models.PositiveIntegerField(_("minutes"), default=60)
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("delivered service (介入)")
        verbose_name_plural = _("delivered services")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return self.description


class CaseNote(models.Model):
    """Confidential: only the case's workers and supervisors read these."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    date = models.DateField(_("date"))
    text = models.TextField(pgettext_lazy("case note", "note"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("case note")
        verbose_name_plural = _("case notes")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.date}"


class CaseAttachment(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=case_upload_to, max_length=200)  # the configured storage (core/files.py)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    description = models.CharField(_("description"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("case attachment")
        verbose_name_plural = _("case attachments")
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return self.original_name


class ReferralStatus(models.TextChoices):
    SENT = "sent", _("sent")
    ACCEPTED = "accepted", _("accepted")
    DECLINED = "declined", _("declined")
    COMPLETED = "completed", _("completed")


class ConsentMethod(models.TextChoices):
    WRITTEN = "written", _("signed form")
    VERBAL = "verbal", _("verbal, witnessed")
    GUARDIAN = "guardian", _("guardian's signature")


class Referral(models.Model):
    """转介: passing the person to an outside organisation, with consent on record.

    The receiving party is a partner of the registry; `organisation` keeps its
    name as it was when referred (and the free text of referrals made before
    the registry was linked). It answers through a one-time link
    (casework/referral_link.py) of which only the digest is kept."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="referrals")
    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("community"))
    organisation = models.CharField(_("receiving organisation"), max_length=120)
    partner_organisation = models.ForeignKey(
        "partners.CommunityOrganisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    partner_enterprise = models.ForeignKey(
        "partners.Enterprise", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    asked = models.TextField(_("what is asked of them"), blank=True)
    link_digest = models.CharField(max_length=64, blank=True, db_index=True)
    link_issued_at = models.DateTimeField(_("link issued at"), null=True, blank=True)
    link_expires_at = models.DateTimeField(_("link expires at"), null=True, blank=True)
    link_used_at = models.DateTimeField(null=True, blank=True)  # a link answers once
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.CharField(_("answered by"), max_length=60, blank=True)
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    feedback = models.TextField(_("what was done"), blank=True)
    contact = models.CharField(_("contact at the organisation"), max_length=120, blank=True)
    reason = models.TextField(_("reason for referral"))
    referred_on = models.DateField(_("referred on"))
    consent_on = models.DateField(_("consent given on"))
    consent_method = models.CharField(_("consent recorded as"), max_length=10, choices=ConsentMethod.choices)
    status = models.CharField(_("status"), max_length=10, choices=ReferralStatus.choices, default=ReferralStatus.SENT)
    outcome = models.TextField(_("outcome"), blank=True)
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("referral (转介)")
        verbose_name_plural = _("referrals")
        ordering = ["-referred_on", "-id"]

    def __str__(self) -> str:
        return self.organisation
