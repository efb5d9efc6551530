"""房间: the rooms of a venue (workrecords.Venue), which activities and groups book."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Room(models.Model):
    venue = models.ForeignKey(
        "workrecords.Venue", on_delete=models.PROTECT, related_name="rooms", verbose_name=_("venue")
    )
    name = models.CharField(_("name"), max_length=100)
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)

    class Meta:
        verbose_name = _("room (房间)")
        verbose_name_plural = _("rooms")
        ordering = ["venue", "name"]

    def __str__(self) -> str:
        return f"{self.venue} · {self.name}"
