"""The field app's pages and the files that make it installable."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_one_service_worker_takes_the_root_scope_and_keeps_the_shell(tree: Any) -> None:
    response = Client().get(reverse("fieldwork:sw"))  # no login: a worker's update check has none
    assert response.status_code == 200
    assert response["Service-Worker-Allowed"] == "/"
    assert response["Content-Type"].startswith("text/javascript")
    source = response.content.decode()
    for asset in ("/static/fieldwork/field.js", "/static/fieldwork/store.js", "/static/vendor/htmx/htmx.min.js"):
        assert f'"{asset}"' in source
    assert '"shell": "/field/"' in source
    assert 'addEventListener("push"' in source and 'addEventListener("notificationclick"' in source


def test_the_manifest_makes_it_installable(tree: Any) -> None:
    response = Client().get(reverse("fieldwork:manifest"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200 and response["Content-Type"] == "application/manifest+json"
    manifest = response.json()
    assert manifest["start_url"] == "/field/" and manifest["scope"] == "/" and manifest["display"] == "standalone"
    assert {i["sizes"] for i in manifest["icons"]} == {"192x192", "512x512"}
    assert all(i["src"].startswith("/static/fieldwork/icons/") for i in manifest["icons"])


def test_every_page_links_the_manifest_and_loads_the_store(as_user: Any, worker: Any) -> None:
    html = as_user(worker).get("/").content.decode()
    assert f'rel="manifest" href="{reverse("fieldwork:manifest")}"' in html
    assert f'data-worker="{reverse("fieldwork:sw")}"' in html


def test_the_shell_holds_the_visit_form_and_no_residents_data(as_user: Any, worker: Any, tree: Any) -> None:
    from grading.models import Card
    from grading.tests.factories import graded

    graded(tree.a1, Card.RED, responsible=worker, name="不应出现")
    html = as_user(worker).get(reverse("fieldwork:app")).content.decode()
    assert 'data-testid="field-visit-form"' in html and 'name="findings"' in html
    assert "不应出现" not in html  # the list is drawn on the phone from what it keeps


def test_a_viewer_sees_the_list_without_a_form(as_user: Any, viewer: Any) -> None:
    html = as_user(viewer).get(reverse("fieldwork:app")).content.decode()
    assert 'data-testid="field-visit-form"' not in html


def test_the_storage_page_says_what_is_kept(as_user: Any, worker: Any, admin: Any, settings: Any) -> None:
    settings.LINLI_FIELD_KEEP_DAYS = 4
    html = as_user(worker).get(reverse("fieldwork:storage"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "身份证号" in html and "4 天" in html and 'data-testid="clear-now"' in html
    assert reverse("fieldwork:policy") not in html
    assert reverse("fieldwork:policy") in as_user(admin).get(reverse("fieldwork:storage")).content.decode()
    account = as_user(worker).get(reverse("accounts:security")).content.decode()
    assert reverse("fieldwork:storage") in account
