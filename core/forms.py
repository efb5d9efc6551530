from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.forms.formsets import BaseFormSet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core import concurrency


def apply_errors(form: forms.Form, error: ValidationError) -> None:
    """Attach a service's ValidationError to the form, field by field where it
    names fields the form has, otherwise as a form-wide error."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


F = TypeVar("F", bound=forms.BaseForm)


def with_tokens(form: F, *, edits: models.Model | str | None = None) -> F:
    """Give a form its hidden version (an edit form) or one-time token (any
    other). form_page does it; a page that draws a form posting to a
    form_page view elsewhere (a list with its create form) calls it too."""
    if edits is not None:
        concurrency.add_edit_field(form, concurrency.key_of(edits))
    elif concurrency.ONCE not in form.fields:
        concurrency.add_once_field(form)
    return form


def form_page(
    request: HttpRequest,
    *,
    form: forms.Form,
    act: Callable[[dict[str, Any]], Any],
    success: Callable[[Any], str],
    done_message: str | Callable[[Any], str],
    title: str,
    cancel_url: str,
    breadcrumbs: list[tuple[str, str]],
    intro: str = "",
    submit_label: str | None = None,
    template: str = "core/form.html",
    extra: Callable[[], dict[str, Any]] | None = None,
    formset: BaseFormSet | None = None,
    respond: Callable[[Any], HttpResponse | None] | None = None,
    headers: dict[str, str] | None = None,
    edits: models.Model | str | None = None,
    attempt: bool = False,
) -> HttpResponse:
    """GET shows the form; POST validates, calls the service, maps its errors.

    A page that draws its own form (a grid of rows, say) names its `template`;
    `extra()` adds its context, computed after the POST so that it can show
    what was sent.

    `formset` is validated beside the form (the page draws it as `formset`);
    `respond(result)` may answer a success itself (an htmx fragment, a file)
    instead of the message and redirect, by returning a response;
    `done_message` may be a function of the result (an empty one shows none); `headers` go on the page drawing the form (an
    htmx fragment re-targeted into its slot).

    An edit form names the record it `edits` (a model instance, or a key of
    its own for what is not one row): a save based on an older version is
    refused with what changed. Every other form carries a one-time token, so
    the same form sent twice acts once (core/concurrency.py, docs/forms.md).

    `attempt` marks a sign-in step (a password, a two-factor code): it acts
    outside a transaction and without a one-time token, so that a refused
    attempt stays recorded (the audit event, the lock-out count) and the same
    form may be sent again."""
    key = concurrency.key_of(edits) if edits is not None else None
    if not attempt:
        with_tokens(form, edits=edits)
    valid = request.method == "POST" and form.is_valid()
    if formset is not None and request.method == "POST":
        valid = formset.is_valid() and valid
    if valid:
        saved = _attempt(form, act, success) if attempt else _save(request, form, key, act, success)
        if saved is not None:
            result, url, again = saved
            answer = respond(result) if respond is not None and result is not None else None
            if answer is not None:
                return answer
            if again:
                text = _("This form had already been sent; it was saved once.")
            else:
                text = done_message(result) if callable(done_message) else done_message
            if text:
                messages.success(request, text)
            return redirect(url)
    context = {
        "title": title,
        "form": form,
        "cancel_url": cancel_url,
        "intro": intro,
        "breadcrumbs": [*breadcrumbs, (title, "")],
    }
    if submit_label:
        context["submit_label"] = submit_label
    if formset is not None:
        context["formset"] = formset
    if extra is not None:
        context.update(extra())
    response = render(request, template, context)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def _attempt(
    form: forms.Form, act: Callable[[dict[str, Any]], Any], success: Callable[[Any], str]
) -> tuple[Any, str, bool] | None:
    try:
        result = act(form.cleaned_data)
    except ValidationError as exc:
        apply_errors(form, exc)
        return None
    return result, success(result), False


def _save(
    request: HttpRequest,
    form: forms.Form,
    key: str | None,
    act: Callable[[dict[str, Any]], Any],
    success: Callable[[Any], str],
) -> tuple[Any, str, bool] | None:
    """Act once, in one transaction with the version claim or the one-time
    token: (result, URL to go to, whether an earlier post already acted), or
    None when the form is to be shown again with the refusal."""
    try:
        once = None if key is not None else concurrency.once_token(form.cleaned_data.get(concurrency.ONCE))
    except concurrency.Expired as exc:
        form.add_error(None, exc.message)
        concurrency.renew(form, concurrency.ONCE, concurrency.new_once())
        return None
    data = concurrency.strip(form.cleaned_data)
    user_id = getattr(request.user, "pk", None) or 0
    try:
        with transaction.atomic():
            earlier = concurrency.take_once(once, user_id=user_id, path=request.path) if once else None
            if earlier is None:
                if key is not None:
                    concurrency.check_edit(form, key)
                result = act(data)
                url = success(result)
                if once:
                    concurrency.record_result(once, result, url)
    except ValidationError as exc:
        apply_errors(form, exc)
        return None
    except concurrency.Stale as exc:
        assert key is not None
        form.add_error(None, exc.messages)
        concurrency.renew(form, concurrency.BASED_ON, concurrency.edit_token(form, concurrency.version_of(key)))
        return None
    if earlier is not None:
        result = concurrency.earlier_result(earlier)
        return result, earlier.result_url or request.path, True
    return result, url, False
