from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
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
    done_message: str,
    title: str,
    cancel_url: str,
    breadcrumbs: list[tuple[str, str]],
    intro: str = "",
    submit_label: str | None = None,
    template: str = "core/form.html",
    extra: Callable[[], dict[str, Any]] | None = None,
) -> HttpResponse:
    """GET shows the form; POST validates, calls the service, maps its errors.

    A page that draws its own form (a grid of rows, say) names its `template`;
    `extra()` adds its context, computed after the POST so that it can show
    what was sent."""
    if request.method == "POST" and form.is_valid():
        try:
            result = act(form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, done_message)
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
    if extra is not None:
        context.update(extra())
    return render(request, template, context)
