"""The guard: every target (residents, visits, cases) supports every kind of
custom field end to end: the form draws it, a save through the form stores
it, the detail page shows it, the list filters by it, the export carries it
and the API reads and writes it. A target added to customfields.models.Target
without a line in TARGETS below fails here."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from casework.models import Case
from casework.tests.factories import domain
from customfields.models import Kind, Target
from customfields.tests.helpers import OTHER, SAMPLES, define
from grading.models import Visit
from grading.visit_pdf import visits_html
from people.models import Person
from people.tests.factories import PersonFactory


def _xlsx(content: bytes) -> list[str]:
    wb = load_workbook(io.BytesIO(content), read_only=True)
    return [str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row if v is not None]


@dataclass
class Surface:
    """How one target's record is made and read: `form_url(ctx)`, the form's
    own data, the record made, its detail page, its list (page or API) and
    its export's text."""

    form_url: Callable[[Any], str]
    data: Callable[[Any], dict[str, Any]]
    made: Callable[[Any], Any]
    detail: Callable[[Any], str]
    list_url: str
    listed: Callable[[Any, Any], bool]  # (response, record): is the record in the answer
    export: Callable[[Any, Any], list[str]]  # (client, record): the export's cells
    api_create: str
    api_data: Callable[[Any], dict[str, Any]]
    api_read: Callable[[Any], str]


def _listed_page(response: Any, record: Any, text: str) -> bool:
    return text in response.content.decode()


TARGETS: dict[str, Surface] = {
    Target.PERSON: Surface(
        form_url=lambda ctx: reverse("people:person_create"),
        data=lambda ctx: {"unit": ctx.tree.a1.pk, "name": ctx.name, "birth_date": "1950-03-01", "sex": "F"},
        made=lambda ctx: Person.objects.get(name=ctx.name),
        detail=lambda p: reverse("people:person_detail", args=[p.pk]),
        list_url=reverse("people:person_list"),
        listed=lambda response, p: p.name in response.content.decode(),
        export=lambda c, p: _xlsx(c.get(reverse("people:person_list") + "?export=masked").content),
        api_create="/api/v1/people",
        api_data=lambda ctx: {
            "unit_id": ctx.tree.a1.pk,
            "name": ctx.name + "乙",
            "birth_date": "1950-03-01",
            "sex": "F",
        },
        api_read=lambda p: f"/api/v1/people/{p.pk}",
    ),
    Target.VISIT: Surface(
        form_url=lambda ctx: reverse("grading:visit_new", args=[ctx.person.pk]),
        data=lambda ctx: {"mode": "home", "visited_on": dt.date.today().isoformat(), "findings": ctx.name},
        made=lambda ctx: Visit.objects.get(findings=ctx.name),
        detail=lambda v: reverse("grading:visit_detail", args=[v.pk]),
        list_url="/api/v1/grading/visits",
        listed=lambda response, v: v.pk in [row["id"] for row in response.json()],
        export=lambda c, v: [visits_html([v], title="t")],
        api_create="/api/v1/grading/visits",
        api_data=lambda ctx: {"person_id": ctx.person.pk, "visited_on": dt.date.today().isoformat()},
        api_read=lambda v: f"/api/v1/grading/visits?person_id={v.person_id}",
    ),
    Target.CASE: Surface(
        form_url=lambda ctx: reverse("casework:case_create"),
        data=lambda ctx: {
            "person": ctx.person.pk,
            "domain": domain().pk,
            "title": ctx.name,
            "opened_on": dt.date.today().isoformat(),
            "worker": ctx.worker.pk,
        },
        made=lambda ctx: Case.objects.get(title=ctx.name),
        detail=lambda c: reverse("casework:case_detail", args=[c.pk]),
        list_url=reverse("casework:case_list"),
        listed=lambda response, c: c.number in response.content.decode(),
        export=lambda c, case: _xlsx(c.get(reverse("casework:case_list") + "?export=masked").content),
        api_create="/api/v1/cases",
        api_data=lambda ctx: {"person_id": ctx.person.pk, "domain": "elderly", "title": ctx.name + "乙"},
        api_read=lambda c: f"/api/v1/cases/{c.pk}",
    ),
}


def test_it_knows_every_target() -> None:
    assert set(TARGETS) == set(Target.values)


@dataclass
class Ctx:
    tree: Any
    worker: Any
    person: Any
    name: str


def _api_value(answer: Any, code: str) -> Any:
    data = answer.json()
    row = data[0] if isinstance(data, list) else data
    return row["custom"].get(code)


@pytest.mark.parametrize("kind", Kind.values)
@pytest.mark.parametrize("target", Target.values)
def test_it_supports_every_kind_on_every_target_end_to_end(
    target: str, kind: str, tree: Any, admin: Any, worker: Any, as_user: Any
) -> None:
    surface = TARGETS[target]
    field = define(admin, target, kind)
    sent, stored, shown, params = SAMPLES[kind]
    ctx = Ctx(tree=tree, worker=worker, person=PersonFactory(unit=tree.a1, name="王秀英"), name="自定义测试")
    client = as_user(worker)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "zh-hans"

    # the form draws it …
    page = client.get(surface.form_url(ctx)).content.decode()
    assert f'name="{field.form_name}"' in page, f"{target}'s form lacks the {kind} field"
    if kind == Kind.DATE:
        assert f'type="date" name="{field.form_name}"' in page
    # … and a save through it stores the value
    response = client.post(surface.form_url(ctx), {**surface.data(ctx), field.form_name: sent})
    assert response.status_code == 302, re.findall(r"errorlist[^>]*>(.*?)</ul>", response.content.decode(), re.S)
    record = surface.made(ctx)
    assert record.custom == {field.code: stored}

    # the detail page shows it
    detail = client.get(surface.detail(record)).content.decode()
    assert field.label in detail and shown in detail

    # the list filters by it: this record in, another record's value out
    query = "&".join(f"{field.form_name}{suffix}={value}" for suffix, value in params.items())
    assert surface.listed(client.get(f"{surface.list_url}?{query}"), record)
    record.custom = {field.code: _stored(kind, OTHER[kind])}
    record.save(update_fields=["custom"])
    assert not surface.listed(client.get(f"{surface.list_url}?{query}"), record)
    record.custom = {field.code: stored}
    record.save(update_fields=["custom"])

    # the export carries it, headed by its label
    cells = surface.export(client, record)
    assert any(field.label in c for c in cells) and any(shown in c for c in cells)

    # the API reads it and writes it with the same rule
    assert _api_value(client.get(surface.api_read(record)), field.code) == stored
    made = client.post(
        surface.api_create, {**surface.api_data(ctx), "custom": {field.code: sent}}, content_type="application/json"
    )
    assert made.status_code == 201, made.content
    assert made.json()["custom"] == {field.code: stored}


def _stored(kind: str, text: str) -> Any:
    from customfields.values import convert

    class _F:
        pass

    f: Any = _F()
    f.kind, f.label, f.choices = kind, "x", ["甲", "乙", "丙"]
    return convert(f, text)
