from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class NeedSource(models.TextChoices):
    VISIT = "visit", _("visit")
    ASSESSMENT = "assessment", _("assessment")
    REQUEST = "request", _("resident's request")
    WISH = "wish", _("micro-wish")


class NeedStatus(models.TextChoices):
    OPEN = "open", _("open")
    PROPOSED = "proposed", _("proposed")
    MATCHED = "matched", _("matched")
    IN_SERVICE = "in_service", _("in service")
    DONE = "done", _("done")
    CLOSED_UNMET = "closed_unmet", _("closed unmet")


class Need(models.Model):
    """需求: one thing a resident needs, from a visit, an assessment, a request
    or a micro-wish; the matching engine pairs it with a resource."""

    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("community"))
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="needs", verbose_name=_("resident")
    )
    domain = models.ForeignKey(
        "core.ServiceDomain", on_delete=models.PROTECT, related_name="+", verbose_name=_("service domain")
    )
    need_type = models.CharField(_("type"), max_length=40)
    description = models.TextField(_("description"), blank=True)
    quantity = models.PositiveIntegerField(_("quantity"), default=1)
    window_start = models.DateField(_("from"), null=True, blank=True)
    window_end = models.DateField(_("until"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=20, choices=NeedSource.choices, default=NeedSource.REQUEST)
    visit = models.ForeignKey(
        "grading.Visit",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="needs_found",
        verbose_name=_("visit"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=NeedStatus.choices, default=NeedStatus.OPEN, db_index=True
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("need (需求)")
        verbose_name_plural = _("needs")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.need_type}"


class NeedKind(models.TextChoices):
    SERVICE = "service", _("service")
    GOODS = "goods", _("goods")
    VENUE = "venue", _("venue")


class NeedType(models.Model):
    """A matchable category of need and offer (陪诊, 家政保洁, 粮油 …). Rows, not
    constants: the defaults come from a data migration. A need whose type is
    not a row here can be recorded but not matched until its type is set."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=40)
    domain = models.ForeignKey(
        "core.ServiceDomain", on_delete=models.PROTECT, related_name="+", verbose_name=_("service domain")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=NeedKind.choices, default=NeedKind.SERVICE)
    skill_code = models.CharField(_("volunteer skill code"), max_length=40, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    active = models.BooleanField(_("active"), default=True)
    # Other words workers write for this type (助餐 → 助餐送餐); the mapping
    # rule in matching.needtypes reads them.
    aliases = models.JSONField(_("other names"), default=list, blank=True)

    class Meta:
        verbose_name = _("need type")
        verbose_name_plural = _("need types")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class NeedStatusChange(models.Model):
    """One step in a need's history (open → proposed → matched → …)."""

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(
        pgettext_lazy("status change", "from"), max_length=20, choices=NeedStatus.choices, blank=True
    )
    to_status = models.CharField(pgettext_lazy("status change", "to"), max_length=20, choices=NeedStatus.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("need status change")
        verbose_name_plural = _("need status changes")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status}→{self.to_status}"


class OfferKind(models.TextChoices):
    VOLUNTEER = "volunteer", _("volunteer's time")
    GOODS = "goods", _("enterprise goods")
    SERVICE = "service", _("enterprise or organisation service")
    VENUE = "venue", _("venue")


class ResourceOffer(models.Model):
    """资源: what a volunteer, an enterprise, an organisation or a venue offers."""

    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    kind = models.CharField(_("kind"), max_length=10, choices=OfferKind.choices)
    name = models.CharField(_("what is offered"), max_length=100)
    volunteer = models.ForeignKey(
        "volunteers.Volunteer",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="offers",
        verbose_name=_("volunteer"),
    )
    enterprise = models.ForeignKey(
        "partners.Enterprise",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("enterprise"),
    )
    organisation = models.ForeignKey(
        "partners.CommunityOrganisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisation"),
    )
    need_types = models.ManyToManyField(NeedType, related_name="offers", verbose_name=_("categories served"))
    capacity = models.IntegerField(_("tasks per week or stock"), default=1)
    available_from = models.DateField(_("available from"), null=True, blank=True)
    available_until = models.DateField(_("available until"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("resource offer (资源)")
        verbose_name_plural = _("resource offers")
        ordering = ["kind", "name", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def provider(self) -> str:
        for p in (self.volunteer, self.enterprise, self.organisation):
            if p is not None:
                return str(p)
        return ""


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


class MatchRun(models.Model):
    """One run of the matching engine over the needs and offers of a unit."""

    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("scope"))
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    params = models.JSONField(_("parameters"), default=dict)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    counts = models.JSONField(_("counts"), default=dict)
    unmet = models.JSONField(_("unmet needs and why"), default=dict)
    error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("matching run")
        verbose_name_plural = _("matching runs")
        ordering = ["-started_at", "-id"]
        constraints = [
            # Two app servers starting a run for one unit at once: the database lets one through.
            models.UniqueConstraint(
                fields=["unit"],
                condition=models.Q(status__in=["queued", "running"]),
                name="matching_one_open_run_per_unit",
            )
        ]

    def __str__(self) -> str:
        return f"#{self.pk}"


class ProposalStatus(models.TextChoices):
    PROPOSED = "proposed", _("proposed")
    CONFIRMED = "confirmed", _("confirmed")
    REJECTED = "rejected", _("rejected")


class Proposal(models.Model):
    """An assignment the engine proposes; nothing happens until a worker confirms it."""

    run = models.ForeignKey(MatchRun, on_delete=models.CASCADE, related_name="proposals")
    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("community"))
    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="proposals", verbose_name=_("need"))
    resource = models.ForeignKey(
        ResourceOffer, on_delete=models.CASCADE, related_name="proposals", verbose_name=_("resource")
    )
    units = models.PositiveIntegerField(_("units"), default=1)
    distance_m = models.PositiveIntegerField(_("distance (m)"))
    priority = models.CharField(_("priority"), max_length=10)
    explanation = models.JSONField(_("explanation"), default=dict)
    status = models.CharField(
        _("status"), max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.PROPOSED, db_index=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["run", "id"]

    def __str__(self) -> str:
        return f"{self.need_id}→{self.resource_id}"

    @property
    def available_actions(self) -> list[str]:
        """A proposal is confirmed or rejected once, while it is proposed."""
        return ["confirm", "reject"] if self.status == ProposalStatus.PROPOSED else []

    @property
    def priority_label(self) -> str:
        """The card the need's resident held when the run ranked it."""
        labels = {"red": _("red card"), "blue": _("blue card"), "green": _("green card")}
        return str(labels.get(self.priority, _("not graded")))

    @property
    def rule_label(self) -> str:
        """Why the engine admitted the resource (its explanation's rule)."""
        rule = self.explanation.get("rule", "")
        labels = {
            "skill": _("the volunteer's skill matches the category"),
            "stock": _("the enterprise has stock of this category"),
            "service": _("the organisation or venue offers this category"),
        }
        return str(labels.get(rule, rule))


class TaskStatus(models.TextChoices):
    ASSIGNED = "assigned", _("assigned")
    IN_PROGRESS = "in_progress", _("in progress")
    DONE = "done", _("done")
    CANCELLED = "cancelled", _("cancelled")


class ServiceTask(models.Model):
    """服务任务: a confirmed match, carried out by a volunteer or an enterprise."""

    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("community"))
    need = models.ForeignKey(Need, on_delete=models.PROTECT, related_name="tasks", verbose_name=_("need"))
    proposal = models.OneToOneField(
        Proposal, null=True, blank=True, on_delete=models.SET_NULL, related_name="task", verbose_name=_("proposal")
    )
    resource = models.ForeignKey(
        ResourceOffer, on_delete=models.PROTECT, related_name="tasks", verbose_name=_("resource")
    )
    volunteer = models.ForeignKey(
        "volunteers.Volunteer",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("volunteer"),
    )
    enterprise = models.ForeignKey(
        "partners.Enterprise", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    units = models.PositiveIntegerField(_("units"), default=1)
    due_date = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=12, choices=TaskStatus.choices, default=TaskStatus.ASSIGNED, db_index=True
    )
    satisfaction = models.PositiveSmallIntegerField(_("satisfaction (1–5)"), null=True, blank=True)
    feedback = models.TextField(_("feedback"), blank=True)
    hours = models.DecimalField(_("hours served"), max_digits=5, decimal_places=1, null=True, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    service_record = models.ForeignKey(
        "volunteering.ServiceRecord", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    project = models.ForeignKey(
        "projects.Project",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("service project"),
    )

    class Meta:
        verbose_name = _("service task")
        verbose_name_plural = _("service tasks")
        ordering = ["status", "due_date", "id"]

    def __str__(self) -> str:
        return f"{self.need}"

    @property
    def available_actions(self) -> list[str]:
        """What may be done to the task now (the services refuse the rest):
        an assigned task is started; an open one is cancelled or completed."""
        if self.status == TaskStatus.ASSIGNED:
            return ["start", "cancel", "complete"]
        if self.status == TaskStatus.IN_PROGRESS:
            return ["cancel", "complete"]
        return []


class WishStatus(models.TextChoices):
    PUBLISHED = "published", _("published")
    CLAIMED = "claimed", _("claimed")
    FULFILLED = "fulfilled", _("fulfilled")
    CANCELLED = "cancelled", _("cancelled")


class Wish(models.Model):
    """微心愿: a small concrete wish published for donors to claim and fulfil."""

    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("community"))
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="wishes", verbose_name=_("recipient")
    )
    need = models.OneToOneField(Need, on_delete=models.PROTECT, related_name="wish")
    title = models.CharField(_("the wish"), max_length=100)
    value = models.DecimalField(_("value (RMB)"), max_digits=9, decimal_places=2)
    deadline = models.DateField(_("deadline"))
    status = models.CharField(
        _("status"), max_length=10, choices=WishStatus.choices, default=WishStatus.PUBLISHED, db_index=True
    )
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    published_on = models.DateField(_("published on"))
    claimant_enterprise = models.ForeignKey(
        "partners.Enterprise", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    claimant_volunteer = models.ForeignKey(
        "volunteers.Volunteer", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # A donor who claimed online through the portal, as staff see them until
    # they confirm which enterprise it is (then claimant_enterprise is set).
    claimant_name = models.CharField(_("claimed online by"), max_length=50, blank=True)
    claimed_on = models.DateField(_("claimed on"), null=True, blank=True)
    fulfilled_on = models.DateField(_("fulfilled on"), null=True, blank=True)
    photo = models.FileField(_("photo"), upload_to="wishes/%Y/%m/", blank=True)

    project = models.ForeignKey(
        "projects.Project",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("service project"),
    )

    class Meta:
        verbose_name = _("micro-wish (微心愿)")
        verbose_name_plural = _("micro-wishes")
        ordering = ["-published_on", "-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def claimant(self) -> str:
        return str(self.claimant_enterprise or self.claimant_volunteer or self.claimant_name)

    @property
    def available_actions(self) -> list[str]:
        """A published wish is claimed, a claimed one fulfilled."""
        actions: dict[str, list[str]] = {WishStatus.PUBLISHED: ["claim"], WishStatus.CLAIMED: ["fulfil"]}
        return actions.get(self.status, [])

    @property
    def masked_name(self) -> str:
        name = self.person.name
        return (name[:1] + "*" * max(1, len(name) - 1)) if name else "*"
