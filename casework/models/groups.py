"""小组: group work with planned sessions, members, attendance and scale scores."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class GroupStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    RUNNING = "running", _("running")
    DONE = "done", _("finished")


class Group(models.Model):
    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    name = models.CharField(_("name"), max_length=100)
    domain = models.ForeignKey(
        "core.ServiceDomain", on_delete=models.PROTECT, related_name="+", verbose_name=_("service domain")
    )
    goals = models.TextField(_("goals"))
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("group worker")
    )
    planned_sessions = models.PositiveSmallIntegerField(_("planned sessions"), default=6)
    start_on = models.DateField(_("starts on"))
    scale_name = models.CharField(_("outcome scale"), max_length=80, blank=True)
    project = models.ForeignKey(
        "projects.Project",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("service project"),
    )
    higher_is_better = models.BooleanField(_("a higher score is better"), default=True)
    status = models.CharField(_("status"), max_length=10, choices=GroupStatus.choices, default=GroupStatus.PLANNED)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("group (小组)")
        verbose_name_plural = _("groups")
        ordering = ["-start_on", "-id"]

    def __str__(self) -> str:
        return self.name


class GroupMember(models.Model):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="group_memberships", verbose_name=_("resident")
    )
    joined_on = models.DateField(_("joined on"))
    pre_score = models.DecimalField(_("pre-test score"), max_digits=6, decimal_places=1, null=True, blank=True)
    post_score = models.DecimalField(_("post-test score"), max_digits=6, decimal_places=1, null=True, blank=True)

    class Meta:
        verbose_name = _("group member")
        verbose_name_plural = _("group members")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["group", "person"], name="casework_member_once")]

    def __str__(self) -> str:
        return f"{self.group_id}:{self.person_id}"

    @property
    def change(self) -> Decimal | None:
        if self.pre_score is None or self.post_score is None:
            return None
        return self.post_score - self.pre_score


class GroupSession(models.Model):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="sessions")
    number = models.PositiveSmallIntegerField(_("session"))
    date = models.DateField(_("date"), db_index=True)
    topic = models.CharField(_("topic"), max_length=120)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("group session")
        verbose_name_plural = _("group sessions")
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["group", "number"], name="casework_session_number_once")]

    def __str__(self) -> str:
        return f"{self.number}. {self.topic}"


class GroupAttendance(models.Model):
    session = models.ForeignKey(GroupSession, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(GroupMember, on_delete=models.CASCADE, related_name="attendance")

    class Meta:
        verbose_name = _("session attendance")
        verbose_name_plural = _("session attendance")
        constraints = [models.UniqueConstraint(fields=["session", "member"], name="casework_attend_once")]

    def __str__(self) -> str:
        return f"{self.session_id}:{self.member_id}"
