"""The richer visit record (issue 13): photos, co-visitors, and each
district's choices about location. Imported by grading.models, so these are
ordinary models of the grading app."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from grading.storage import photo_upload_to

if TYPE_CHECKING:
    from grading.models import Visit


class VisitPhoto(models.Model):
    """A photo of a visit, re-encoded by the server (grading/photos.py): at
    most the configured size, location metadata kept only when the district
    says so (`has_location` records whether it was kept)."""

    visit: models.ForeignKey[Visit, Visit] = models.ForeignKey(
        "grading.Visit", on_delete=models.CASCADE, related_name="photos"
    )
    file = models.FileField(upload_to=photo_upload_to, max_length=200)  # the configured storage (core/files.py)
    content_type = models.CharField(max_length=100, default="image/jpeg")
    size = models.PositiveIntegerField()
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    has_location = models.BooleanField(_("location kept"), default=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("visit photo")
        verbose_name_plural = _("visit photos")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.visit_id}:{self.pk}"


class CompanionKind(models.TextChoices):
    STAFF = "staff", _("community or station staff")
    VOLUNTEER = "volunteer", _("volunteer")
    ORGANISATION = "organisation", _("partner organisation")
    OTHER = "other", _("someone else")


class Companion(models.Model):
    """Who came along on a visit (共同开展家庭走访): a staff account, a
    volunteer of the registry, a community organisation of the partners'
    registry, or a name typed in. `name` keeps the name as it was."""

    visit = models.ForeignKey("grading.Visit", on_delete=models.CASCADE, related_name="companions")
    kind = models.CharField(_("kind"), max_length=12, choices=CompanionKind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    volunteer = models.ForeignKey(
        "volunteers.Volunteer", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    organisation = models.ForeignKey(
        "partners.CommunityOrganisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("co-visitor")
        verbose_name_plural = _("co-visitors")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class VisitSettings(models.Model):
    """A district's choices about location on visits. A district without a
    row uses the defaults of grading/conf.py (settings or environment)."""

    district = models.OneToOneField(
        "orgs.OrgUnit", on_delete=models.CASCADE, related_name="+", verbose_name=_("district")
    )
    location_checkin = models.BooleanField(_("offer the location check-in at the door"))
    keep_photo_location = models.BooleanField(_("keep the location stored in photos"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("visit settings")
        verbose_name_plural = _("visit settings")

    def __str__(self) -> str:
        return str(self.district_id)
