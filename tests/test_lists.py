"""The list toolkit (core/lists.py, core/bulk.py, core/list_export.py), tried
on the enterprise list: sorting, page sizes, paging, reset, the org filter,
export and bulk actions."""

from __future__ import annotations

import dataclasses
import io
import re
from typing import Any, cast

import pytest
from django.test import RequestFactory
from django.urls import reverse
from openpyxl import load_workbook

from audit.models import AuditEvent
from core import bulk
from core.access import Perm, scope_under
from core.lists import filtered, page_size, paginate, sort_key
from partners.lists import ENTERPRISES
from partners.models import Enterprise
from partners.tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db
URL = "/partners/enterprises/"


@pytest.fixture(autouse=True)
def _url() -> None:
    assert reverse("partners:enterprise_list") == URL


def _names(response: Any) -> list[str]:
    return re.findall(r'/partners/enterprises/\d+/">([^<]+)</a>', response.content.decode())


def _rows(content: bytes) -> list[tuple[Any, ...]]:
    ws = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    return list(ws.iter_rows(values_only=True))


def test_it_sorts_only_by_declared_keys_with_the_pk_breaking_ties(tree: Any, worker: Any, as_user: Any) -> None:
    b = cast(Enterprise, EnterpriseFactory(unit=tree.a1, name="乙企业", credit_code="2"))
    a2 = cast(Enterprise, EnterpriseFactory(unit=tree.a2, name="甲企业", credit_code="1"))
    a1 = cast(Enterprise, EnterpriseFactory(unit=tree.a1, name="甲企业", credit_code="3"))
    c = as_user(worker)
    ordered = lambda q: [e.pk for e in filtered(_get(worker, q), ENTERPRISES).qs]  # noqa: E731
    assert ordered({"sort": "name"}) == sorted(
        [b.pk, a2.pk, a1.pk], key=lambda pk: (Enterprise.objects.get(pk=pk).name, pk)
    )
    assert ordered({"sort": "-name"}) == list(reversed(ordered({"sort": "name"})))
    for bad in ("credit_code", "--name", "name; drop", "pk"):
        assert sort_key(ENTERPRISES, bad) == "name"  # not a column's sort key: the default
    assert c.get(URL, {"sort": "credit_code"}).status_code == 200
    body = c.get(URL, {"sort": "-name"}).content.decode()
    assert 'aria-sort="descending"' in body and "sort=name" in body  # the header offers the other way


def _get(user: Any, params: dict[str, Any]) -> Any:
    request = RequestFactory().get(URL, params)
    request.user = user
    return request


def test_it_bounds_the_page_size_to_the_settings(settings: Any) -> None:
    settings.LIST_PAGE_SIZES, settings.LIST_PAGE_SIZE = [10, 25, 50], 25
    assert page_size("50") == 50
    for bad in ("7", "0", "-10", "abc", "", None, "1000000", "25.5"):
        assert page_size(bad) == 25


def test_it_pages_jumps_and_lands_on_the_last_page_past_the_end(
    tree: Any, worker: Any, as_user: Any, settings: Any
) -> None:
    settings.LIST_PAGE_SIZES, settings.LIST_PAGE_SIZE = [2, 10], 2
    for i in range(5):
        EnterpriseFactory(unit=tree.a1, name=f"企业{i}")
    c = as_user(worker)
    assert _names(c.get(URL, {"page": "2"})) == ["企业2", "企业3"]
    assert _names(c.get(URL, {"page": "999"})) == ["企业4"]  # past the end: the last page
    assert _names(c.get(URL, {"page": "x"})) == ["企业0", "企业1"]
    page = c.get(URL, {"size": "10"})
    assert len(_names(page)) == 5 and "5" in page.content.decode()
    body = c.get(URL).content.decode()
    assert 'class="list-jump"' in body and 'max="3"' in body


def test_it_never_writes_the_search_back_but_keeps_filters_in_links(
    tree: Any, lead: Any, as_user: Any, settings: Any
) -> None:
    settings.LIST_PAGE_SIZES, settings.LIST_PAGE_SIZE = [1, 10], 1
    EnterpriseFactory(unit=tree.a1, name="秘密甲")
    EnterpriseFactory(unit=tree.a1, name="秘密乙")
    body = as_user(lead).get(URL, {"q": "秘密", "unit": tree.a1.pk, "sort": "-name"}).content.decode()
    assert not re.search(r'(href|hx-get)="[^"]*[?&;]q=', body) and 'value="秘密' not in body
    assert f"unit={tree.a1.pk}" in body and "sort=-name" in body and "page=2" in body
    # Reset: a plain link to the list without any parameter.
    assert f'<a class="button" href="{URL}">' in body


def test_it_offers_only_the_users_subtree_in_the_org_filter(tree: Any, lead: Any, as_user: Any) -> None:
    mine = EnterpriseFactory(unit=tree.a2, name="甲二企业")
    EnterpriseFactory(unit=tree.a1, name="甲一企业")
    EnterpriseFactory(unit=tree.b1, name="乙一企业")
    c = as_user(lead)
    body = c.get(URL).content.decode()
    options = re.findall(r'<option value="(\d+)"', body.split('name="unit"')[1].split("</select>")[0])
    assert set(options) == {str(u.pk) for u in (tree.station_a, tree.a1, tree.a2)}
    assert _names(c.get(URL, {"unit": tree.a2.pk})) == [mine.name]
    # A unit outside the subtree is not a choice: the filter is ignored, scope still holds.
    assert _names(c.get(URL, {"unit": tree.b1.pk})) == ["甲一企业", "甲二企业"]
    assert not scope_under(Enterprise.objects.all(), lead, tree.b1).exists()
    assert list(scope_under(Enterprise.objects.all(), lead, tree.station_a).order_by("name")) != []


def test_it_exports_exactly_the_filtered_rows_masked_and_audits_the_count(
    tree: Any, worker: Any, as_user: Any, settings: Any
) -> None:
    settings.LIST_PAGE_SIZES, settings.LIST_PAGE_SIZE = [1, 10], 1  # export is all pages
    EnterpriseFactory(unit=tree.a1, name="甲一企业", phone="13812345678", address="东街路12号")
    EnterpriseFactory(unit=tree.a1, name="甲一二企业", phone="13812340000", address="西街路3号")
    EnterpriseFactory(unit=tree.a2, name="甲二企业")
    EnterpriseFactory(unit=tree.b1, name="乙一企业")
    response = as_user(worker).get(URL, {"unit": tree.a1.pk, "export": "masked"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = _rows(response.content)
    assert [r[0] for r in rows[1:]] == ["甲一二企业", "甲一企业"]
    assert {r[4] for r in rows[1:]} == {"138****5678", "138****0000"} and {r[5] for r in rows[1:]} == {
        "东街路****",
        "西街路****",
    }
    event = AuditEvent.objects.get(action="enterprise.export")
    assert event.changes["rows"] == 2 and event.changes["unmasked"] is False


def test_it_exports_unmasked_only_with_the_permission(tree: Any, worker: Any, lead: Any, as_user: Any) -> None:
    EnterpriseFactory(unit=tree.a1, name="甲一企业", phone="13812345678", address="东街路12号")
    assert as_user(worker).get(URL, {"export": "unmasked"}).status_code == 403
    assert not AuditEvent.objects.filter(action__startswith="enterprise.export").exists()
    assert "Export unmasked" not in as_user(worker).get(URL, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    rows = _rows(as_user(lead).get(URL, {"export": "unmasked"}).content)
    assert rows[1][4:6] == ("13812345678", "东街路12号")
    assert AuditEvent.objects.get(action="enterprise.export_unmasked").changes["rows"] == 1


def test_it_exports_the_selected_rows_and_ignores_ids_out_of_scope(tree: Any, worker: Any, as_user: Any) -> None:
    a = cast(Enterprise, EnterpriseFactory(unit=tree.a1, name="甲一企业"))
    EnterpriseFactory(unit=tree.a1, name="未选企业")
    b = cast(Enterprise, EnterpriseFactory(unit=tree.b1, name="乙一企业"))
    response = as_user(worker).post(URL, {"bulk": "export_selected", "ids": [a.pk, b.pk, "x"]})
    assert [r[0] for r in _rows(response.content)[1:]] == ["甲一企业"]
    event = AuditEvent.objects.get(action="enterprise.export")
    assert event.changes == {"rows": 1, "unmasked": False, "selected": True}


@pytest.fixture
def tag_action() -> Any:
    """A registered bulk action that needs RECORD_EDIT and records what it got."""
    seen: list[Any] = []

    def run(*, actor: Any, records: Any, data: dict[str, Any]) -> str:
        seen.extend(records)
        return f"tagged {len(seen)}"

    action = bulk.BulkAction(key="test_tag", label="Tag", perm=Perm.RECORD_EDIT, run=run)
    bulk.register(ENTERPRISES.key, action)
    yield seen
    del bulk.REGISTRY[ENTERPRISES.key]["test_tag"]


def test_it_runs_a_registered_bulk_action_on_in_scope_rows_only(
    tree: Any, worker: Any, viewer: Any, as_user: Any, tag_action: list[Any]
) -> None:
    a = cast(Enterprise, EnterpriseFactory(unit=tree.a1, name="甲一企业"))
    b = cast(Enterprise, EnterpriseFactory(unit=tree.b1, name="乙一企业"))
    c = as_user(worker)
    assert 'value="test_tag"' in c.get(URL).content.decode()
    response = c.post(URL, {"bulk": "test_tag", "ids": [a.pk, b.pk]}, HTTP_REFERER=f"http://testserver{URL}?sort=-name")
    assert response.status_code == 302 and response["Location"].endswith("?sort=-name")
    assert tag_action == [a]
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages[0] == "tagged 1" and len(messages) == 2  # and: one row was left alone
    # Only ids out of scope: nothing is done.
    c.post(URL, {"bulk": "test_tag", "ids": [b.pk]})
    assert tag_action == [a]
    # The action's permission is checked; a viewer is not offered it either.
    assert as_user(viewer).post(URL, {"bulk": "test_tag", "ids": [a.pk]}).status_code == 403
    assert 'value="test_tag"' not in as_user(viewer).get(URL).content.decode()
    assert tag_action == [a]
    # An action nobody registered does nothing.
    assert c.post(URL, {"bulk": "delete_all", "ids": [a.pk]}).status_code == 302


def test_it_refuses_a_second_action_under_the_same_key(tag_action: list[Any]) -> None:
    with pytest.raises(ValueError, match="already registered"):
        bulk.register(ENTERPRISES.key, bulk.BulkAction(key="test_tag", label="x", perm=Perm.VIEW, run=lambda **_: ""))


def test_it_answers_htmx_with_the_results_and_the_current_sort(tree: Any, worker: Any, as_user: Any) -> None:
    EnterpriseFactory(unit=tree.a1, name="甲一企业")
    response = as_user(worker).get(
        URL, {"sort": "-n_offers"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="partners-enterprises-results"
    )
    body = response.content.decode()
    assert body.startswith('<div id="partners-enterprises-results"') and "<html" not in body
    assert 'value="-n_offers" hx-swap-oob="true"' in body
    assert "HX-Request" in response["Vary"]
    full = as_user(worker).get(URL).content.decode()
    assert 'data-label="' in full and "hx-push-url" in full


def test_it_checks_a_bulk_actions_own_inputs_before_acting(tree: Any, worker: Any, as_user: Any) -> None:
    from django import forms

    class NoteForm(forms.Form):
        note = forms.CharField(max_length=5)

    seen: list[Any] = []

    def run(*, actor: Any, records: Any, data: dict[str, Any]) -> str:
        seen.append((list(records), data["note"]))
        return "noted"

    bulk.register(
        ENTERPRISES.key,
        bulk.BulkAction(
            key="test_note", label="Note", perm=Perm.VIEW, run=run, form=lambda u, d: NoteForm(d, prefix="note")
        ),
    )
    try:
        a = cast(Enterprise, EnterpriseFactory(unit=tree.a1, name="甲一企业"))
        c = as_user(worker)
        assert 'name="note-note"' in c.get(URL).content.decode()  # the action's input, in the bar
        c.post(URL, {"bulk": "test_note", "ids": [a.pk], "note-note": "too long a note"})
        assert seen == []
        c.post(URL, {"bulk": "test_note", "ids": [a.pk], "note-note": "ok"})
        assert seen == [([a], "ok")]
    finally:
        del bulk.REGISTRY[ENTERPRISES.key]["test_note"]


def test_it_loads_the_page_rows_narrowed_and_keeps_whole_rows_for_export(tree: Any, worker: Any) -> None:
    EnterpriseFactory(unit=tree.a1, name="甲企业", credit_code="1")
    spec = dataclasses.replace(ENTERPRISES, page_rows=lambda qs: qs.select_related(None).only("name"))
    result = filtered(_get(worker, {}), spec)
    paginate(result, None, worker)
    assert result.page is not None
    [row] = result.page.object_list
    assert "credit_code" in row.get_deferred_fields()  # the page reads the name only
    assert result.rows[0]["pk"] == row.pk
    [whole] = result.qs  # what export and bulk actions read
    assert not whole.get_deferred_fields()
