"""The guard over every catalogue of CATALOGUES: an entry added in its page
is offered by the form that makes new records; retired, it is offered no
more, while a record that holds it still shows its name; its page shows
both changes. A catalogue added to the table is walked without anyone
remembering (and a retirable one without a probe fails here)."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

import pytest
from django import forms
from django.urls import reverse

from configuration.catalogues import CATALOGUES, Catalogue
from configuration.forms import EntryForm
from configuration.tests.probes import PROBES
from contracts.actuals import COUNTERS

pytestmark = pytest.mark.django_db


class _Choices(HTMLParser):
    """{input name: values offered}: select options, checkboxes, radios and inputs."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: dict[str, set[str]] = {}
        self.select = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "select":
            self.select = a.get("name", "")
        elif tag == "option" and self.select:
            self.found.setdefault(self.select, set()).add(a.get("value", ""))
        elif tag == "input" and a.get("name"):
            self.found.setdefault(a["name"], set()).add(a.get("value", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self.select = ""


def choices_on(client: Any, url: str) -> dict[str, set[str]]:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    parser = _Choices()
    parser.feed(response.content.decode())
    return parser.found


def new_values(catalogue: Catalogue, n: int = 1) -> dict[str, str]:
    """What an administrator types to add an entry: the first choice of each
    list, a fresh code and name."""
    form = EntryForm(catalogue=catalogue)
    data: dict[str, str] = {}
    for name, field in form.fields.items():
        if isinstance(field, forms.ModelChoiceField):
            data[name] = str(field.queryset.order_by("pk").values_list("pk", flat=True)[0])  # type: ignore[union-attr]
        elif isinstance(field, forms.ChoiceField):
            values = [str(v) for v, _label in list(field.choices) if v]  # type: ignore[arg-type]
            data[name] = values[0] if values else ""
        elif isinstance(field, forms.BooleanField):
            continue
        elif isinstance(field, forms.IntegerField):
            data[name] = "5"
        elif name == catalogue.code_field:
            data[name] = f"walk_{catalogue.slug}_{n}"
        elif name == catalogue.name_field:
            data[name] = f"巡查{catalogue.noun}{n}"
        else:
            data[name] = ""
    return data


def make_room(catalogue: Catalogue) -> None:
    """A KPI's code names a counting rule; the test district has a KPI for
    each, so one is taken away for the walk to add it again."""
    if catalogue.slug == "kpis":
        from contracts.models import Kpi

        Kpi.objects.filter(code=list(COUNTERS)[-1]).delete()


@pytest.mark.parametrize("catalogue", [c for c in CATALOGUES if c.retirable], ids=lambda c: c.slug)
def test_it_offers_a_new_entry_and_stops_offering_it_once_retired(
    catalogue: Catalogue, tree: Any, admin: Any, as_user: Any
) -> None:
    assert catalogue.slug in PROBES, f"{catalogue.slug}: add a probe to configuration/tests/probes.py"
    probe = PROBES[catalogue.slug]
    client = as_user(admin)
    make_room(catalogue)
    data = new_values(catalogue)
    response = client.post(reverse(catalogue.url_name("new")), data)
    assert response.status_code == 302, response.content.decode()[-3000:]
    entry = catalogue.rows().get(**{catalogue.code_field: data[catalogue.code_field]})
    new_form = probe.new_form(tree, admin)
    assert probe.offers(choices_on(client, new_form), entry), f"{new_form} does not offer the new {catalogue.slug}"

    record = probe.record(entry, tree, admin)
    assert client.post(reverse(catalogue.url_name("retire"), args=[entry.pk])).status_code == 302
    entry.refresh_from_db()
    assert not catalogue.is_active(entry)
    assert not probe.offers(choices_on(client, new_form), entry), f"{new_form} still offers a retired entry"
    page = client.get(record)
    assert page.status_code == 200
    assert entry.name in page.content.decode(), f"{record} no longer shows the retired {catalogue.slug}"

    history = client.get(reverse(catalogue.url_name("entry"), args=[entry.pk])).content.decode()
    assert "添加了目录条目" in history and "停用了目录条目" in history

    assert client.post(reverse(catalogue.url_name("reactivate"), args=[entry.pk])).status_code == 302
    assert probe.offers(choices_on(client, new_form), entry)


@pytest.mark.parametrize("catalogue", CATALOGUES, ids=lambda c: c.slug)
def test_it_lists_every_catalogue_for_a_worker_and_lets_only_the_district_edit(
    catalogue: Catalogue, tree: Any, admin: Any, lead: Any, worker: Any, as_user: Any
) -> None:
    entry = catalogue.rows().order_by("pk").first()
    for user in (lead, worker):
        client = as_user(user)
        assert client.get(reverse(catalogue.url_name("list"))).status_code == 200
        assert client.get(reverse(catalogue.url_name("new"))).status_code == 403
        if entry is not None:
            assert client.get(reverse(catalogue.url_name("edit"), args=[entry.pk])).status_code == 403
            assert client.get(reverse(catalogue.url_name("entry"), args=[entry.pk])).status_code == 403
    client = as_user(admin)
    assert client.get(reverse(catalogue.url_name("list"))).status_code == 200
    assert client.get(reverse(catalogue.url_name("new"))).status_code == 200
    if entry is not None:
        assert client.get(reverse(catalogue.url_name("entry"), args=[entry.pk])).status_code == 200
        assert client.get(reverse(catalogue.url_name("edit"), args=[entry.pk])).status_code == 200
