"""项目: a service project of a station or the district."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Project(models.Model):
    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    name = models.CharField(_("name"), max_length=120)
    domain = models.ForeignKey(
        "core.ServiceDomain",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("service domain"),
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    is_brand = models.BooleanField(_("brand project (一站一品)"), default=False)
    description = models.TextField(_("description for publicity"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("service project (项目)")
        verbose_name_plural = _("service projects")
        ordering = ["-starts_on", "name"]

    def __str__(self) -> str:
        return self.name
