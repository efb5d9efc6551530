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

    class Meta:
        verbose_name = _("volunteer service record (志愿服务记录)")
        verbose_name_plural = _("volunteer service records")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.activity_name} {self.date}"
