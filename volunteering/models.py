from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ServiceRecord(models.Model):
    """志愿服务记录: one volunteer's service in one activity or task, with the
    fields of the 2021 volunteer-records rules."""

    volunteer = models.ForeignKey("volunteers.Volunteer", on_delete=models.PROTECT, related_name="service_records")
    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    activity_name = models.CharField(_("activity"), max_length=100)
    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=100, blank=True)
    content = models.TextField(_("content"), blank=True)
    hours = models.DecimalField(_("hours served"), max_digits=6, decimal_places=1)
    organiser = models.CharField(_("organiser"), max_length=100, blank=True)
    person_in_charge = models.CharField(_("person in charge"), max_length=50, blank=True)
    # Where the record came from (an activity, a matched task …), for links.
    source_type = models.CharField(max_length=40, blank=True)
    source_id = models.CharField(max_length=40, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    # Entered more than N working days after the activity (accepted, flagged).
    late = models.BooleanField(_("entered late"), default=False)
    # Proposed by a volunteer's own sign-in (an activity's QR code): it counts
    # towards hours, stars and certificates only once staff confirm it.
    pending = models.BooleanField(_("awaiting confirmation"), default=False, db_index=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("volunteer service record (志愿服务记录)")
        verbose_name_plural = _("volunteer service records")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.activity_name} {self.date}"


class Training(models.Model):
    """志愿者培训: name, content, hours, organiser, date (2021 rules)."""

    volunteer = models.ForeignKey("volunteers.Volunteer", on_delete=models.PROTECT, related_name="trainings")
    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    name = models.CharField(_("training"), max_length=100)
    content = models.TextField(_("content"), blank=True)
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1)
    organiser = models.CharField(_("organiser"), max_length=100)
    date = models.DateField(_("date"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("volunteer training")
        verbose_name_plural = _("volunteer trainings")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return self.name


class Award(models.Model):
    """表彰奖励: name, date, issuer."""

    volunteer = models.ForeignKey("volunteers.Volunteer", on_delete=models.PROTECT, related_name="awards")
    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    name = models.CharField(_("award"), max_length=100)
    date = models.DateField(_("date"))
    issuer = models.CharField(_("issued by"), max_length=100)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("volunteer award")
        verbose_name_plural = _("volunteer awards")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return self.name


class Rating(models.TextChoices):
    EXCELLENT = "excellent", _("excellent")
    GOOD = "good", _("good")
    FAIR = "fair", _("fair")
    POOR = "poor", _("needs improvement")


class Evaluation(models.Model):
    """服务评价: rating and date."""

    volunteer = models.ForeignKey("volunteers.Volunteer", on_delete=models.PROTECT, related_name="evaluations")
    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    rating = models.CharField(_("rating"), max_length=10, choices=Rating.choices)
    date = models.DateField(_("date"))
    comment = models.TextField(_("comment"), blank=True)
    evaluator = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("volunteer evaluation")
        verbose_name_plural = _("volunteer evaluations")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.volunteer_id}:{self.rating}"


class Certificate(models.Model):
    """志愿服务证明: a numbered certificate of the hours served up to its date."""

    volunteer = models.ForeignKey("volunteers.Volunteer", on_delete=models.PROTECT, related_name="certificates")
    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    number = models.CharField(_("certificate number"), max_length=40, unique=True)
    issued_on = models.DateField(_("issued on"))
    issuing_unit = models.CharField(_("issuing unit"), max_length=100)
    hours = models.DecimalField(_("hours certified"), max_digits=8, decimal_places=1)
    records = models.PositiveIntegerField(_("service records"))
    content = models.TextField(_("service content"), blank=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("volunteer service certificate (志愿服务证明)")
        verbose_name_plural = _("volunteer service certificates")
        ordering = ["-issued_on", "-id"]

    def __str__(self) -> str:
        return self.number
