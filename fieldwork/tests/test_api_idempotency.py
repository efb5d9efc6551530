"""The visit API takes an idempotency key, as the field app's queue does: a
client that retries makes one visit."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest

from grading.models import Card, Visit
from grading.tests.factories import graded

pytestmark = pytest.mark.django_db
URL = "/api/v1/grading/visits"


def _post(client: Any, person: Any, key: str | None) -> Any:
    headers = {"Idempotency-Key": key} if key is not None else {}
    body = {"person_id": person.pk, "mode": "home", "visited_on": dt.date.today().isoformat()}
    return client.post(URL, body, content_type="application/json", headers=headers, HTTP_ACCEPT_LANGUAGE="zh-hans")


def test_the_same_key_makes_one_visit(tree: Any, worker: Any, colleague: Any, as_user: Any) -> None:
    person = graded(tree.a1, Card.BLUE)
    client, key = as_user(worker), str(uuid.uuid4())
    first = _post(client, person, key)
    again = _post(client, person, key)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert Visit.objects.count() == 1
    assert _post(client, person, None).status_code == 201  # without a key: a new visit each time
    assert Visit.objects.count() == 2
    assert _post(as_user(colleague), person, key).status_code == 422  # another user's key
    bad = _post(client, person, "not-a-uuid")
    assert bad.status_code == 422 and "UUID" in bad.json()["errors"]["Idempotency-Key"][0]
    assert Visit.objects.count() == 2
