from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms.formsets import BaseFormSet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render


def apply_errors(form: forms.Form, error: ValidationError) -> None:
    """Attach a service's ValidationError to the form, field by field where it
    names fields the form has, otherwise as a form-wide error."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


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
) -> HttpResponse:
    """GET shows the form; POST validates, calls the service, maps its errors.

    A page that draws its own form (a grid of rows, say) names its `template`;
    `extra()` adds its context, computed after the POST so that it can show
    what was sent.

    `formset` is validated beside the form (the page draws it as `formset`);
    `respond(result)` may answer a success itself (an htmx fragment, a file)
    instead of the message and redirect, by returning a response;
    `done_message` may be a function of the result (an empty one shows none); `headers` go on the page drawing the form (an
    htmx fragment re-targeted into its slot)."""
    valid = request.method == "POST" and form.is_valid()
    if formset is not None and request.method == "POST":
        valid = formset.is_valid() and valid
    if valid:
        try:
            result = act(form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            answer = respond(result) if respond is not None else None
            if answer is not None:
                return answer
            text = done_message(result) if callable(done_message) else done_message
            if text:
                messages.success(request, text)
            return redirect(success(result))
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
