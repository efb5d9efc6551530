from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from people.models import Sex


class Skill(models.Model):
    """Controlled list of volunteer skills (e.g. 陪诊, 家政保洁, 课业辅导)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=40)
    domain = models.ForeignKey("core.ServiceDomain", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("skill")
        verbose_name_plural = _("skills")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class VolunteerTeam(models.Model):
    """志愿服务队, led by a social worker."""

    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    name = models.CharField(_("name"), max_length=60)
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("leading social worker"),
    )

    class Meta:
        verbose_name = _("volunteer team (志愿服务队)")
        verbose_name_plural = _("volunteer teams")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Volunteer(models.Model):
    """志愿者, with the fields of the 2021 volunteer-records rules."""

    unit = models.ForeignKey(
        "orgs.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("area of residence")
    )
    name = models.CharField(_("name"), max_length=50)
    name_pinyin = models.CharField(max_length=200, blank=True, db_index=True, editable=False)
    name_initials = models.CharField(max_length=50, blank=True, db_index=True, editable=False)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("birth date"))
    id_cipher = models.TextField(blank=True, editable=False)
    id_hash = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    id_tail = models.CharField(max_length=4, blank=True, editable=False)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    skills = models.ManyToManyField(Skill, blank=True, related_name="volunteers", verbose_name=_("skills"))
    skills_note = models.CharField(_("other skills"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    domains = models.ManyToManyField(
        "core.ServiceDomain", blank=True, related_name="+", verbose_name=_("service categories")
    )
    teams = models.ManyToManyField(VolunteerTeam, blank=True, related_name="members", verbose_name=_("teams"))
    # {"mon": ["am", "pm"], "sat": ["am"], ...}
    availability = models.JSONField(_("weekly availability"), default=dict, blank=True)
    max_tasks_per_week = models.PositiveSmallIntegerField(_("tasks per week at most"), default=2)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    consent_at = models.DateField(_("consent given on"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    # 党员志愿者: their hours count among the Party-building figures (partybuilding/figures.py).
    is_party_member = models.BooleanField(_("Party member"), default=False, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, null=True)

    class Meta:
        verbose_name = _("volunteer (志愿者)")
        verbose_name_plural = _("volunteers")
        ordering = ["name_pinyin", "id"]

    def __str__(self) -> str:
        return self.name
