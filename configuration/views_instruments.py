"""The assessment-instrument editor page: dimensions → items → options with
their scores, and the levels' score bands, as rows of inputs. Buttons add,
remove and move rows (the page comes back with everything typed, nothing
saved); "Save draft" keeps the work, "Publish" makes a new version."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from configuration import instrument_services, instruments, services
from configuration.models import InstrumentDraft
from core.access import Perm, requires
from core.forms import form_page, with_tokens
from grading.models import Instrument

if TYPE_CHECKING:
    from accounts.models import User

ACTIONS = ("draft", "publish", "discard")


class InstrumentEditorForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("What changed"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("Needed to publish; the list of versions shows it."),
    )

    def __init__(self, *args: Any, state: instruments.State, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.state = instruments.state_from_post(self.data) if self.is_bound else state
        self.row_errors: instruments.Errors = {}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        action = self.data.get("_action") or "draft"
        cleaned["action"] = action if action in ACTIONS else "draft"
        cleaned["content"] = self.state
        if cleaned["action"] == "publish":
            schema, self.row_errors, general = instruments.check(self.state)
            if schema is None:
                self.add_error(None, general or _("Some rows need correcting: see the messages beside them."))
            if not (cleaned.get("note") or "").strip():
                self.add_error("note", _("Say in a few words what changed: the list of versions shows it."))
        return cleaned


def _rows(state: instruments.State, errors: instruments.Errors) -> dict[str, Any]:
    """The page's rows: each input's name, value and message."""

    def cell(name: str, value: str) -> dict[str, str]:
        return {"name": name, "value": value, "error": errors.get(name, "")}

    dims = []
    for d, dim in enumerate(state["dimensions"]):
        items = []
        for i, item in enumerate(dim["items"]):
            ip = f"d-{d}-i-{i}"
            options = [
                {
                    "at": f"{d}-{i}-{o}",
                    "label": cell(f"{ip}-o-{o}-label", opt["label"]),
                    "score": cell(f"{ip}-o-{o}-score", opt["score"]),
                }
                for o, opt in enumerate(item["options"])
            ]
            items.append(
                {
                    "at": f"{d}-{i}",
                    "n": i + 1,
                    "code": cell(f"{ip}-code", item["code"]),
                    "text": cell(f"{ip}-text", item["text"]),
                    "options": options,
                }
            )
        dims.append(
            {
                "at": str(d),
                "n": d + 1,
                "code": cell(f"d-{d}-code", dim["code"]),
                "name": cell(f"d-{d}-name", dim["name"]),
                "items": items,
            }
        )
    levels = [
        {"at": str(n), **{k: cell(f"l-{n}-{k}", band[k]) for k in ("level", "name", "min", "max")}}
        for n, band in enumerate(state["levels"])
    ]
    return {"dimensions": dims, "levels": levels}


def _context(instrument: Instrument, form: InstrumentEditorForm, draft: InstrumentDraft | None) -> dict[str, Any]:
    return {
        "instrument": instrument,
        "rows": _rows(form.state, form.row_errors),
        "draft": draft,
        "current": instrument.current_version(),
        "versions": list(instrument.versions.annotate(n_assessments=Count("assessments")).order_by("-number")),
    }


@requires(Perm.CONFIG_MANAGE)
def instrument_edit(request: HttpRequest, instrument_id: int) -> HttpResponse:
    if not services.may_edit(request.user):
        raise PermissionDenied
    user = cast("User", request.user)
    instrument = Instrument.objects.filter(pk=instrument_id).first()
    if instrument is None:
        raise Http404
    draft = InstrumentDraft.objects.filter(instrument=instrument).first()
    start = draft.content if draft is not None else instrument_services.published_state(instrument)
    initial = {"note": draft.note if draft is not None else ""}
    key = f"configuration.instrument:{instrument.pk}"
    title = _("Edit instrument: %(name)s") % {"name": instrument.name}
    crumbs = [(_("Assessment instruments"), reverse("grading:instruments"))]
    op = request.POST.get("_op", "")
    if op:
        # A row added, removed or moved: the page again, nothing saved.
        form = InstrumentEditorForm(request.POST, initial=initial, state=start)
        form.state = instruments.apply(form.state, op)
        with_tokens(form, edits=key)
        return render(
            request,
            "configuration/instrument_form.html",
            {
                "title": title,
                "form": form,
                "cancel_url": reverse("grading:instruments"),
                "breadcrumbs": [*crumbs, (title, "")],
                **_context(instrument, form, draft),
            },
        )
    form = InstrumentEditorForm(request.POST or None, initial=initial, state=start)
    here = reverse("configuration:instrument_edit", args=[instrument.pk])

    def act(d: dict[str, Any]) -> Any:
        if d["action"] == "publish":
            return instrument_services.instrument_publish(
                actor=user, instrument=instrument, content=d["content"], note=d["note"]
            )
        if d["action"] == "discard":
            return instrument_services.instrument_draft_discard(actor=user, instrument=instrument)
        return instrument_services.instrument_draft_save(
            actor=user, instrument=instrument, content=d["content"], note=d["note"]
        )

    def done(result: Any) -> str:
        action = form.cleaned_data["action"]
        if action == "publish":
            return _("Version %(n)s published: new assessments use it, past ones keep theirs.") % {"n": result.number}
        if action == "discard":
            return _("Draft discarded.")
        return _("Draft saved. Assessments go on using the published version until you publish.")

    return form_page(
        request,
        form=form,
        act=act,
        success=lambda result: reverse("grading:instruments") if form.cleaned_data["action"] == "publish" else here,
        done_message=done,
        title=title,
        cancel_url=reverse("grading:instruments"),
        breadcrumbs=crumbs,
        template="configuration/instrument_form.html",
        extra=lambda: _context(instrument, form, draft),
        edits=key,
    )
