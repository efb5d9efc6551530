"""Custom fields a district defines on residents, visits and cases: their
definitions here, their values in each record's `custom` JSON field
({code: value}, values JSON-ready: text, a number, an ISO date, a choice,
true/false)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from orgs.models import OrgUnit


class Target(models.TextChoices):
    PERSON = "person", _("Residents")
    VISIT = "visit", _("Visits")
    CASE = "case", _("Cases")


# The record each target's values live on (app label and model): a table, not
# an import, since this platform app sits below the areas that hold them.
TARGET_MODELS: dict[str, str] = {
    Target.PERSON: "people.Person",
    Target.VISIT: "grading.Visit",
    Target.CASE: "casework.Case",
}


class Kind(models.TextChoices):
    TEXT = "text", _("Text")
    NUMBER = "number", _("Number")
    DATE = "date", pgettext_lazy("custom field kind", "Date")
    CHOICE = "choice", _("Choice from a list")
    YESNO = "yesno", _("Yes / no")


class CustomField(models.Model):
    """One field of a district's records of one target. It applies to the
    records in the district's subtree; `code` names its value in `custom`."""

    district = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="custom_fields", verbose_name=_("district")
    )
    target = models.CharField(_("records"), max_length=10, choices=Target.choices)
    code = models.SlugField(_("code"), max_length=40)
    label = models.CharField(_("label"), max_length=60)
    help_text = models.CharField(_("help text"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    choices = models.JSONField(_("choices"), default=list, blank=True)
    required = models.BooleanField(_("required"), default=False)
    sensitive = models.BooleanField(_("sensitive"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=10)
    active = models.BooleanField(_("in use"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("custom field")
        verbose_name_plural = _("custom fields")
        ordering = ["target", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["district", "target", "code"], name="customfields_one_code_per_target")
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def form_name(self) -> str:
        """The name of its input in a record's form (and of its errors)."""
        return f"custom_{self.code}"
