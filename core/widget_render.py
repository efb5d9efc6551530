"""A form renderer that draws selects and plain inputs in Python.

Django renders a select through a template per option (with an include of
the attributes' template for each): a list's filter bar of a few selects over
the staff and the org tree costs a few hundred template renders per page.
`FastRenderer` writes exactly what those templates write (core/templates/
django/forms/widgets/select.html and select_option.html, Django's
input.html and attrs.html) and leaves every other template to the project's
templates; `tests/test_widget_render.py` compares the two outputs widget by
widget. A widget with a template of its own is rendered by its template.
"""

from __future__ import annotations

from html import escape as html_escape
from typing import Any

from django.forms.renderers import TemplatesSetting
from django.utils.formats import localize
from django.utils.functional import Promise
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, SafeString, mark_safe
from django.utils.translation import gettext

SELECT = "django/forms/widgets/select.html"
OPTION = "django/forms/widgets/select_option.html"
INPUT = "django/forms/widgets/input.html"
# Widgets whose template is Django's input.html (the others have their own).
INPUT_TEMPLATES = frozenset(
    f"django/forms/widgets/{name}.html"
    for name in ("text", "number", "email", "url", "password", "hidden", "date", "datetime", "time", "search", "tel")
)
BLANK = "---------"


def text_html(value: Any) -> str:
    """`{{ value }}` in a template: localised, then escaped unless safe."""
    return conditional_escape(localize(value))


def _formatted(value: Any) -> str:
    """`{{ value|stringformat:'s' }}`: the text, escaped unless it is safe."""
    text = str(value)
    return text if isinstance(text, SafeData) else html_escape(text)


def _attrs(attrs: dict[str, Any]) -> str:
    """django/forms/widgets/attrs.html."""
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            out.append(f" {text_html(name)}")
        else:
            out.append(f' {text_html(name)}="{_formatted(value)}"')
    return "".join(out)


def _plain(value: Any) -> str:
    """`text_html` of an option's label: a plain string (most are)
    goes straight to the escape, without the lazy-argument checks around it."""
    return html_escape(value) if type(value) is str else text_html(value)


def _option(option: dict[str, Any], required: bool) -> str:
    label = option["label"]
    if isinstance(label, Promise):  # translated once, not by the comparison and again by the escape
        label = str(label)
    text = text_html(gettext("Choose…") if required else gettext("(none)")) if label == BLANK else _plain(label)
    attrs = _attrs(option["attrs"]) if option["attrs"] else ""
    return f'<option value="{_formatted(option["value"])}"{attrs}>{text}</option>'


def render_select(widget: dict[str, Any]) -> str | None:
    """core/templates/django/forms/widgets/select.html, or None for an option
    template of a widget's own."""
    required = bool(widget["attrs"].get("required", False))
    parts = [f'<select name="{text_html(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{text_html(group_name)}">')
        for option in group_choices:
            if option["template_name"] != OPTION:
                return None
            parts.append(f"\n  {_option(option, required)}\n")  # the option template ends in a newline
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def render_input(widget: dict[str, Any]) -> str:
    """Django's input.html."""
    value = "" if widget["value"] is None else f' value="{_formatted(widget["value"])}"'
    return (
        f'<input type="{text_html(widget["type"])}" name="{text_html(widget["name"])}"{value}{_attrs(widget["attrs"])}>'
    )


class FastRenderer(TemplatesSetting):
    """The project's renderer (templates from TEMPLATES) with selects and
    plain inputs drawn in Python."""

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> SafeString | str:
        widget = context.get("widget")
        html: str | None = None
        if isinstance(widget, dict):
            if template_name == SELECT:
                html = render_select(widget)
            elif template_name in INPUT_TEMPLATES:
                html = render_input(widget)
        if html is None:
            return super().render(template_name, context, request)
        return mark_safe(html)  # every value above went through conditional_escape


FAST_RENDERER = FastRenderer()
