from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Card(models.TextChoices):
    """一分三卡."""

    RED = "red", _("red card")
    BLUE = "blue", _("blue card")
    GREEN = "green", _("green card")


# Red first: matching priority, follow-up urgency and list ordering use this.
CARD_RANK = {Card.RED: 0, Card.BLUE: 1, Card.GREEN: 2}


class PersonGrade(models.Model):
    """A person's current card and follow-up state (one row per person)."""

    person = models.OneToOneField("people.Person", on_delete=models.CASCADE, related_name="grade")
    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("community"))
    card = models.CharField(_("card"), max_length=5, choices=Card.choices, db_index=True)
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    overridden = models.BooleanField(_("set by hand"), default=False)
    graded_at = models.DateTimeField(_("graded at"))
    last_visit_on = models.DateField(_("last visit"), null=True, blank=True)
    next_due = models.DateField(_("next follow-up due"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("current card")
        verbose_name_plural = _("current cards")

    def __str__(self) -> str:
        return f"{self.person_id}:{self.card}"
