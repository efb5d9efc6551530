from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


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
