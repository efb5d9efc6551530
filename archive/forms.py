from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from archive.models import Document
from archive.selectors import categories
from archive.storage import ARCHIVE_FILE
from core.uploads import CheckedFileField
from linli.env import env_list
from orgs.models import OrgUnit
from orgs.selectors import units_visible
from workrecords.models import SelfEvaluationScore

PERMANENT = "permanent"


def retention_choices() -> list[tuple[str, str]]:
    """The retention periods offered (LINLI_ARCHIVE_RETENTION_YEARS), then permanent (永久)."""
    years = getattr(settings, "LINLI_ARCHIVE_RETENTION_YEARS", None) or [
        int(v) for v in env_list("LINLI_ARCHIVE_RETENTION_YEARS", ["10", "30"]) if v.isdigit() and int(v) > 0
    ]
    return [(str(n), _("%(n)s years") % {"n": n}) for n in years] + [(PERMANENT, str(_("permanent")))]


def _retention(value: str) -> int | None:
    return None if value == PERMANENT else int(value)


class DocumentFields(forms.Form):
    keeps_draft = True
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=OrgUnit.objects.none())
    category = forms.ModelChoiceField(label=_("Category"), queryset=categories())
    title = forms.CharField(label=_("Title"), max_length=200)
    year = forms.IntegerField(label=_("Year"), min_value=1949)
    retention_years = forms.TypedChoiceField(label=_("Retention period"), choices=(), coerce=_retention)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["unit"]).queryset = units_visible(user)
        field = cast(forms.TypedChoiceField, self.fields["retention_years"])
        field.choices = retention_choices()
        self.initial = {
            "unit": user.unit.pk,
            "year": timezone.localdate().year,
            "retention_years": "10",
            **self.initial,
        }

    @staticmethod
    def initial_from(document: Document) -> dict[str, Any]:
        return {
            "unit": document.unit_id,
            "category": document.category_id,
            "title": document.title,
            "year": document.year,
            "retention_years": PERMANENT if document.retention_years is None else str(document.retention_years),
            "description": document.description,
        }


class DocumentForm(DocumentFields):
    file = CheckedFileField(label=_("File (PDF, Word, Excel or a photo)"), kind=ARCHIVE_FILE)


class ReplaceForm(forms.Form):
    file = CheckedFileField(label=_("New file"), kind=ARCHIVE_FILE)
    note = forms.CharField(label=_("Why replaced"), max_length=200, required=False)


class RetireForm(forms.Form):
    reason = forms.CharField(label=_("Why retired"), max_length=200)


class _ScoreChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.item.module} · {obj.item.name}"


class _DocumentChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.title}（{obj.year}，{obj.category.name}）"


class EvidenceForm(forms.Form):
    score = _ScoreChoice(label=_("Self-evaluation item"), queryset=SelfEvaluationScore.objects.none())
    document = _DocumentChoice(label=_("Document"), queryset=Document.objects.none())

    def __init__(self, *args: Any, scores: Any, documents: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["score"]).queryset = scores
        cast(forms.ModelChoiceField, self.fields["document"]).queryset = documents
