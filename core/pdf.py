"""The one way the project writes a PDF: a template rendered in Chinese (the
language of the paper forms stations keep) and laid out by weasyprint with
the Noto CJK fonts the system provides (fonts-noto-cjk). Relative URLs in the
template resolve against the project directory; nothing is fetched from the
network."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation


def render_html(template: str, context: dict[str, Any]) -> str:
    with translation.override("zh-hans"):
        return render_to_string(template, context)


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML

    return bytes(HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf())


def render_pdf(template: str, context: dict[str, Any]) -> bytes:
    return html_to_pdf(render_html(template, context))


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    """Shown in the browser's viewer, never kept in a shared cache."""
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
