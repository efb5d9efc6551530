"""Every page of the URL walk has its content in its place.

The walk reuses tests/test_scoping_walk.py: every URL pattern of the project
(id-less and with the station-B objects of tests/leakwalk.py), loaded by the
insiders who may see it. Each HTML answer is checked by tests/htmlcheck.py:
nothing of the body inside <head>, nothing in <body> outside the top bar and
the layout (menu and <main>), every element closed in order, no duplicate ids,
no input value that a browser would show and send as empty (a date written
2026/12/01: the default day of a new form would be lost). The fragment the
page sends to an htmx request is checked the same way.
"""

from __future__ import annotations

import pytest
from django.urls import get_resolver, reverse

from tests.htmlcheck import structure_problems
from tests.leakwalk import Walk
from tests.test_scoping_walk import _client, _kwargs_for, _patterns, walk  # noqa: F401 (walk: the fixture)


def test_it_finds_every_page_in_shape(walk: Walk) -> None:
    broken, checked = {}, 0
    for name, pattern in _patterns(get_resolver()):
        url = reverse(name, kwargs=_kwargs_for(name, pattern, walk))
        for user in walk.insiders:
            client = _client(user)
            response = client.get(url)
            if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
                problems = structure_problems(response.content.decode())
                # The fragment an htmx request gets (search results, rows).
                fragment = client.get(url, headers={"HX-Request": "true"})
                if fragment.status_code == 200 and fragment.content != response.content:
                    problems += [f"as htmx fragment: {p}" for p in structure_problems(fragment.content.decode())]
                if problems:
                    broken[f"{url} ({name})"] = problems
                checked += 1
                break
    assert checked >= 50, f"only {checked} pages were checked"
    assert not broken, "pages out of shape:\n" + "\n".join(f"{url}: {p}" for url, p in broken.items())


LAYOUT = (
    '<!DOCTYPE html><html><head><title>t</title></head><body><header class="topbar"></header>'
    '<div class="layout"><nav class="sidebar"></nav><main class="content">{}</main></div></body></html>'
)


@pytest.mark.parametrize(
    "html, problem",
    [
        (LAYOUT.format("<p>ok<ul><li>a<li>b</ul><table><tr><td>1<td>2</table>"), None),
        (LAYOUT.replace("<title>t</title>", "<title>t</title><table></table>"), "inside <head>"),
        (LAYOUT.replace("<body>", "<body><h2>x</h2>"), "directly in <body>"),
        (LAYOUT.replace('<main class="content">', 'stray<main class="content">'), "outside the menu and <main>"),
        (LAYOUT.format("<div><span></div>"), "<span> not closed"),
        (LAYOUT.format("</section>"), "stray </section>"),
        (LAYOUT.format("<div>"), "<div> not closed before </main>"),
        ("<div><p>a fragment", "never closed: <div>"),
        (LAYOUT.format('<i id="a"></i><b id="a"></b>'), "duplicate id(s): a"),
        (LAYOUT.format('<input type="date" name="day" value="2026/12/01">'), "which a browser shows and sends as empty"),
        (LAYOUT.format('<input type="date" name="day" value="2026-12-01">'), None),
        ('<tr id="row-1"><td>a</td></tr>', None),  # an htmx fragment
        ("<td>2026-12-01 17:10:58.834290+00:00</td>", "a time drawn raw"),
        ("<td>2026-12-02 01:10</td>", None),
    ],
)  # fmt: skip
def test_it_tells_a_page_out_of_shape(html: str, problem: str | None) -> None:
    problems = structure_problems(html)
    if problem is None:
        assert problems == []
    else:
        assert any(problem in p for p in problems), problems
