"""Thin views of the archive: forms validate, archive.services act, files are
streamed only through core.uploads.serve after the scope check."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from archive import forms as f
from archive import lists, services
from archive.selectors import documents_visible, evidence_visible, versions_visible
from audit.selectors import record_history
from core import uploads
from core.access import Perm, can, get_in_scope_or_404, requires, under
from core.forms import form_page
from core.lists import list_page
from workrecords.models import SelfEvaluation, SelfEvaluationScore
from workrecords.selectors import records_visible


def _crumbs(*extra: tuple[str, str]) -> list[tuple[str, str]]:
    return [(_("Archive"), reverse("archive:documents")), *extra]


def _document(request: HttpRequest, pk: int) -> Any:
    return get_in_scope_or_404(documents_visible(request.user), request.user, pk=pk)


@requires(Perm.VIEW)
def documents(request: HttpRequest) -> HttpResponse:
    return list_page(
        request,
        lists.DOCUMENTS,
        template="archive/document_list.html",
        context={
            "title": _("Archive"),
            "can_edit": can(request.user, Perm.RECORD_EDIT),
            "breadcrumbs": [(_("Archive"), "")],
        },
    )


@requires(Perm.VIEW)
def retention_due(request: HttpRequest) -> HttpResponse:
    return list_page(
        request,
        lists.RETENTION_DUE,
        template="archive/retention_list.html",
        context={"title": _("Retention ended: to review"), "breadcrumbs": _crumbs((_("Retention ended"), ""))},
    )


@requires(Perm.RECORD_EDIT)
def document_create(request: HttpRequest) -> HttpResponse:
    form = f.DocumentForm(request.POST or None, request.FILES or None, user=request.user)
    return form_page(
        request,
        form=form,
        act=lambda d: services.document_create(actor=request.user, **d),
        success=lambda doc: reverse("archive:document_detail", args=[doc.pk]),
        done_message=_("Filed in the archive."),
        title=_("File a document"),
        cancel_url=reverse("archive:documents"),
        breadcrumbs=_crumbs(),
    )


@requires(Perm.VIEW)
def document_detail(request: HttpRequest, archive_document_id: int) -> HttpResponse:
    document = _document(request, archive_document_id)
    return render(
        request,
        "archive/document_detail.html",
        {
            "title": document.title,
            "document": document,
            "versions": list(versions_visible(request.user).filter(document=document)),
            "evidence": list(evidence_visible(request.user).filter(document=document)),
            "can_edit": services.may_edit(request.user, document),
            "can_remove": services.may_remove(request.user, document),
            "retire_form": f.RetireForm(),
            "history": record_history(request.user, document),
            "breadcrumbs": _crumbs((document.title, "")),
        },
    )


@requires(Perm.RECORD_EDIT)
def document_edit(request: HttpRequest, archive_document_id: int) -> HttpResponse:
    document = _document(request, archive_document_id)
    form = f.DocumentFields(request.POST or None, user=request.user, initial=f.DocumentFields.initial_from(document))
    url = reverse("archive:document_detail", args=[document.pk])
    return form_page(
        request,
        form=form,
        edits=document,
        act=lambda d: services.document_update(actor=request.user, document=document, **d),
        success=lambda _d: url,
        done_message=_("Saved."),
        title=_("Change: %(title)s") % {"title": document.title},
        cancel_url=url,
        breadcrumbs=_crumbs((document.title, url)),
    )


@requires(Perm.RECORD_EDIT)
def document_replace(request: HttpRequest, archive_document_id: int) -> HttpResponse:
    document = _document(request, archive_document_id)
    url = reverse("archive:document_detail", args=[document.pk])
    return form_page(
        request,
        form=f.ReplaceForm(request.POST or None, request.FILES or None),
        act=lambda d: services.document_replace(actor=request.user, document=document, **d),
        success=lambda _d: url,
        done_message=_("New file filed; the old one is kept as an earlier version."),
        title=_("Replace the file of %(title)s") % {"title": document.title},
        intro=_("The file filed now is kept as an earlier version."),
        cancel_url=url,
        breadcrumbs=_crumbs((document.title, url)),
    )


def _post_action(request: HttpRequest, url: str, act: Any, done: str) -> HttpResponse:
    if request.method != "POST":
        return redirect(url)
    try:
        act()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done)
    return redirect(url)


@requires(Perm.RECORD_EDIT)
def document_retire(request: HttpRequest, archive_document_id: int) -> HttpResponse:
    document = _document(request, archive_document_id)
    reason = request.POST.get("reason", "")
    return _post_action(
        request,
        reverse("archive:document_detail", args=[document.pk]),
        lambda: services.document_retire(actor=request.user, document=document, reason=reason),
        _("Retired: kept in the archive, marked out of use."),
    )


@requires(Perm.RECORD_EDIT)
def document_delete(request: HttpRequest, archive_document_id: int) -> HttpResponse:
    document = _document(request, archive_document_id)
    detail = reverse("archive:document_detail", args=[document.pk])
    if request.method != "POST":
        return redirect(detail)
    try:
        services.document_delete(actor=request.user, document=document)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(detail)
    messages.success(request, _("Deleted."))
    return redirect("archive:documents")


@requires(Perm.VIEW)
def document_file(request: HttpRequest, archive_document_id: int) -> FileResponse:
    document = _document(request, archive_document_id)
    services.document_downloaded(actor=request.user, document=document, name=document.file_name)
    return uploads.serve(document.file.open("rb"), document.file_type, filename=document.file_name)


@requires(Perm.VIEW)
def version_file(request: HttpRequest, archive_version_id: int) -> FileResponse:
    version = get_in_scope_or_404(versions_visible(request.user), request.user, "document__unit", pk=archive_version_id)
    services.document_downloaded(actor=request.user, document=version.document, name=version.file_name)
    return uploads.serve(version.file.open("rb"), version.file_type, filename=version.file_name)


@requires(Perm.RECORD_EDIT)
def evidence_add(request: HttpRequest, evaluation_id: int) -> HttpResponse:
    evaluation = get_in_scope_or_404(records_visible(request.user, SelfEvaluation), request.user, pk=evaluation_id)
    url = reverse("workrecords:selfeval_detail", args=[evaluation.pk])
    scores = SelfEvaluationScore.objects.filter(evaluation=evaluation).select_related("item")
    # The documents of the evaluation's own unit and below, in the user's scope, in use.
    candidates = under(documents_visible(request.user), evaluation.unit).filter(retired_at__isnull=True)
    initial = {"score": request.GET.get("score")} if request.GET.get("score", "").isdigit() else {}
    form = f.EvidenceForm(request.POST or None, scores=scores, documents=candidates, initial=initial)
    return form_page(
        request,
        form=form,
        act=lambda d: services.evidence_link(actor=request.user, **d),
        success=lambda _e: url,
        done_message=_("Document linked as evidence."),
        title=_("Evidence for %(evaluation)s") % {"evaluation": f"{evaluation.unit.name} · {evaluation.period}"},
        cancel_url=url,
        breadcrumbs=[(_("Self-evaluations"), reverse("workrecords:selfeval_list")), (str(evaluation), url)],
    )


@requires(Perm.RECORD_EDIT)
def evidence_remove(request: HttpRequest, archive_evidence_id: int) -> HttpResponse:
    evidence = get_in_scope_or_404(
        evidence_visible(request.user), request.user, "document__unit", pk=archive_evidence_id
    )
    url = reverse("workrecords:selfeval_detail", args=[evidence.score.evaluation_id])
    return _post_action(
        request, url, lambda: services.evidence_unlink(actor=request.user, evidence=evidence), _("Link removed.")
    )
