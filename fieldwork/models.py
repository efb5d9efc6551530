"""What field work keeps as configuration: a district's choice of how long a
worker's phone keeps its recipients' data without a refresh."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class FieldPolicy(models.Model):
    """One row per district that changed the default (fieldwork.conf)."""

    unit = models.OneToOneField("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("district"))
    keep_days = models.PositiveSmallIntegerField(_("days a phone keeps the visit list"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("field app policy")
        verbose_name_plural = _("field app policies")

    def __str__(self) -> str:
        return f"{self.unit_id}: {self.keep_days}"
