from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ServiceDomain(models.Model):
    """A service domain of the "4+N" model: 救助, 养老, 儿童, 社会治理 built in,
    plus local N domains an administrator adds."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=30)
    builtin = models.BooleanField(_("built in"), default=False)
    active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        verbose_name = _("service domain (服务领域)")
        verbose_name_plural = _("service domains")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name
