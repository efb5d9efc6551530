"""Reading rendered pages the way a browser does, with the standard library.

`post_forms` lists each POST form of a page with exactly the values a browser
would submit untouched (tests/test_form_walk.py posts them back);
`structure_problems` is a strict check of the page's shape and of the input
values it shows (tests/test_page_structure.py).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
# Elements whose end tag HTML lets you leave out: the parent's end closes them.
OPTIONAL_END = {"p", "li", "option", "optgroup", "td", "th", "tr", "thead", "tbody", "tfoot", "dt", "dd", "colgroup"}
# A start tag of the key closes an open element of the listed kinds on top.
IMPLIED_CLOSE = {
    "li": {"li"},
    "dt": {"dt", "dd"},
    "dd": {"dt", "dd"},
    "option": {"option"},
    "optgroup": {"option", "optgroup"},
    "tr": {"tr", "td", "th"},
    "td": {"td", "th"},
    "th": {"td", "th"},
    "tbody": {"thead", "tbody", "tr", "td", "th"},
    "tfoot": {"thead", "tbody", "tr", "td", "th"},
}
# Block starts close an open <p>.
CLOSES_P = {
    "address", "article", "aside", "blockquote", "details", "div", "dl", "fieldset", "figure", "footer",
    "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "main", "menu", "nav", "ol", "p", "pre",
    "section", "table", "ul",
}  # fmt: skip
HEAD_ONLY = {"meta", "title", "link", "script", "style", "base", "noscript", "template"}
RAW_TEXT = {"script", "style", "title", "textarea"}


@dataclass
class HtmlForm:
    action: str  # as written; "" means the page's own URL
    fields: list[tuple[str, str]] = field(default_factory=list)
    has_file: bool = False
    classes: tuple[str, ...] = ()
    blank_dates: dict[str, str] = field(default_factory=dict)  # name → "date" or "datetime-local"


# What a browser keeps of an input's value (HTML's value sanitisation): it
# shows and submits anything else as empty, e.g. a date written 2026/12/01.
_VALID = {
    "date": re.compile(r"\d{4,}-\d\d-\d\d"),
    "datetime-local": re.compile(r"\d{4,}-\d\d-\d\d[T ]\d\d:\d\d(:\d\d(\.\d{1,3})?)?"),
    "time": re.compile(r"\d\d:\d\d(:\d\d(\.\d{1,3})?)?"),
    "month": re.compile(r"\d{4,}-\d\d"),
    "number": re.compile(r"-?(\d+(\.\d+)?|\.\d+)([eE][-+]?\d+)?"),
}


def sanitise(kind: str, value: str) -> str:
    pattern = _VALID.get(kind)
    if pattern is None:
        return value
    if not pattern.fullmatch(value):
        return ""
    if kind in ("date", "datetime-local"):
        try:
            dt.datetime.strptime(value[:10], "%Y-%m-%d")
        except ValueError:
            return ""  # 2026-02-30
        return value.replace(" ", "T")
    return value


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[HtmlForm] = []
        self.form: HtmlForm | None = None
        self.submit: tuple[str, str] | None = None
        self.select: dict | None = None
        self.option: dict | None = None
        self.textarea: dict | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            method = a.get("method", "get").lower()
            classes = tuple(a.get("class", "").split())
            if "hx-post" in a:
                self.form = HtmlForm(action=a["hx-post"], classes=classes)
            elif method == "post":
                self.form = HtmlForm(action=a.get("action", ""), classes=classes)
            else:
                self.form = None
            self.submit = None
            return
        if self.form is None or "disabled" in a:
            return
        name = a.get("name", "")
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind in ("submit", "image"):
                if name and self.submit is None:
                    self.submit = (name, a.get("value", ""))
            elif kind == "file":
                self.form.has_file = True
            elif kind in ("checkbox", "radio"):
                if name and "checked" in a:
                    self.form.fields.append((name, a.get("value", "on")))
            elif kind not in ("button", "reset") and name:
                value = sanitise(kind, a.get("value", ""))
                self.form.fields.append((name, value))
                if kind in ("date", "datetime-local") and not value:
                    self.form.blank_dates[name] = kind
        elif tag == "button":
            if name and a.get("type", "submit").lower() == "submit" and self.submit is None:
                self.submit = (name, a.get("value", ""))
        elif tag == "select":
            self.select = {"name": name, "multiple": "multiple" in a, "options": []}
        elif tag == "option" and self.select is not None:
            self._end_option()
            self.option = {"value": a.get("value"), "text": "", "selected": "selected" in a}
        elif tag == "textarea":
            self.textarea = {"name": name, "text": ""}

    def _end_option(self) -> None:
        if self.option is not None and self.select is not None:
            value = self.option["value"] if self.option["value"] is not None else self.option["text"].strip()
            self.select["options"].append((value, self.option["selected"]))
        self.option = None

    def handle_data(self, data: str) -> None:
        if self.option is not None:
            self.option["text"] += data
        if self.textarea is not None:
            self.textarea["text"] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "option":
            self._end_option()
        elif tag == "select" and self.select is not None:
            self._end_option()
            s, self.select = self.select, None
            chosen = [v for v, selected in s["options"] if selected]
            if not chosen and not s["multiple"] and s["options"]:
                chosen = [s["options"][0][0]]  # a browser submits the first option
            if self.form is not None and s["name"]:
                self.form.fields += [(s["name"], v) for v in (chosen if s["multiple"] else chosen[-1:])]
        elif tag == "textarea" and self.textarea is not None:
            t, self.textarea = self.textarea, None
            text = t["text"][1:] if t["text"].startswith("\n") else t["text"]  # the parser drops one newline
            if self.form is not None and t["name"]:
                self.form.fields.append((t["name"], text))
        elif tag == "form" and self.form is not None:
            if self.submit:
                self.form.fields.append(self.submit)
            self.forms.append(self.form)
            self.form = None


def post_forms(html: str) -> list[HtmlForm]:
    parser = _FormParser()
    parser.feed(html)
    parser.close()
    return parser.forms


def as_post_data(form: HtmlForm) -> dict[str, list[str]]:
    data: dict[str, list[str]] = {}
    for name, value in form.fields:
        data.setdefault(name, []).append(value)
    return data


class _StructureParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, dict[str, str]]] = []
        self.problems: list[str] = []
        self.ids: Counter[str] = Counter()
        self.full_page = False
        self.layout = False  # the page extends base.html

    def _where(self) -> str:
        line, _col = self.getpos()
        return f"line {line}"

    def _parent(self) -> tuple[str, dict[str, str]] | None:
        return self.stack[-1] if self.stack else None

    def _check_place(self, what: str, tag: str | None, attrs: dict[str, str]) -> None:
        """Content must sit in its place in the layout of base.html."""
        parent = self._parent()
        if parent is None:
            if self.full_page and tag != "html":
                self.problems.append(f"{what} outside <html> ({self._where()})")
            return
        ptag, pattrs = parent
        classes = set(attrs.get("class", "").split())
        if ptag == "html" and tag not in ("head", "body"):
            self.problems.append(f"{what} directly in <html> ({self._where()})")
        elif ptag == "head" and tag not in HEAD_ONLY:
            self.problems.append(f"{what} inside <head>: it belongs in the body ({self._where()})")
        elif ptag == "body" and self.layout:
            allowed = (tag == "header" and "topbar" in classes) or (tag == "div" and "layout" in classes)
            if not allowed and tag not in ("script", "template"):
                self.problems.append(f"{what} directly in <body>, outside the top bar and the layout ({self._where()})")
        elif ptag == "div" and "layout" in set(pattrs.get("class", "").split()):
            allowed = (tag == "nav" and "sidebar" in classes) or (tag == "main")
            if not allowed:
                self.problems.append(f"{what} in the layout but outside the menu and <main> ({self._where()})")

    def handle_decl(self, decl: str) -> None:
        if decl.lower().startswith("doctype"):
            self.full_page = True

    def handle_starttag(self, tag: str, attrs_list: list[tuple[str, str | None]]) -> None:
        attrs = {k: (v if v is not None else "") for k, v in attrs_list}
        if "id" in attrs:
            self.ids[attrs["id"]] += 1
        kind, value = attrs.get("type", "text").lower(), attrs.get("value", "")
        if tag == "input" and value and not sanitise(kind, value):
            self.problems.append(
                f"<input type={kind} name={attrs.get('name')}> holds {value!r}, which a browser shows and sends "
                f"as empty: use core.widgets ({self._where()})"
            )
        while self.stack and (
            self.stack[-1][0] in IMPLIED_CLOSE.get(tag, ()) or (self.stack[-1][0] == "p" and tag in CLOSES_P)
        ):
            self.stack.pop()
        self._check_place(f"<{tag}>", tag, attrs)
        if tag not in VOID:
            self.stack.append((tag, attrs))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID and self.stack and self.stack[-1][0] == tag:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            self.problems.append(f"end tag </{tag}> of a void element ({self._where()})")
            return
        open_tags = [t for t, _ in self.stack]
        if tag not in open_tags:
            self.problems.append(f"stray </{tag}> with no open <{tag}> ({self._where()})")
            return
        while self.stack[-1][0] != tag:
            unclosed = self.stack.pop()[0]
            if unclosed not in OPTIONAL_END:
                self.problems.append(f"<{unclosed}> not closed before </{tag}> ({self._where()})")
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        if data.strip() and (not self.stack or self.stack[-1][0] not in RAW_TEXT):
            self._check_place(f"text {data.strip()[:40]!r}", None, {})

    def close(self) -> None:
        super().close()
        left = [t for t, _ in self.stack if t not in OPTIONAL_END and t not in ("html", "body", "head")]
        if left:
            self.problems.append(f"never closed: {', '.join(f'<{t}>' for t in left)}")
        dupes = sorted(i for i, n in self.ids.items() if n > 1)
        if dupes:
            self.problems.append(f"duplicate id(s): {', '.join(dupes)}")


def structure_problems(html: str) -> list[str]:
    """What is out of place in a page: body content in <head>, anything in
    <body> outside the top bar and layout, unclosed or stray tags, duplicate
    ids, and input values a browser would blank (a date as 2026/12/01)."""
    parser = _StructureParser()
    parser.layout = 'class="topbar"' in html
    parser.feed(html)
    parser.close()
    raw = RAW_DATETIME.search(html)
    if raw:
        parser.problems.append(f"a time drawn raw (UTC, not local, not formatted): {raw.group(0)}")
    return parser.problems


# str() of an aware datetime: what a cell shows when nothing formats it.
RAW_DATETIME = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?[+-]\d\d:\d\d")
