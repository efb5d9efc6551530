"""Hostile input to the API is a 422 with field errors in the user's language,
never a 500, and the published document describes what the API answers."""

from __future__ import annotations

import sys
import typing
from typing import Any

import pytest
from pydantic import BaseModel

from api.main import api
from api.params import MAX_ID
from partners.models import Enterprise

pytestmark = pytest.mark.django_db


def _models_in(annotation: Any) -> typing.Iterator[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
    for arg in typing.get_args(annotation):
        yield from _models_in(arg)


def _declared(model: type[BaseModel]) -> bool:
    """A class of its module, not one of ninja's wrappers (parameters, responses),
    which are not published as components."""
    return getattr(sys.modules.get(model.__module__), model.__qualname__, None) is model


def _published_models() -> dict[str, set[type[BaseModel]]]:
    """Every schema reachable from an operation, by the name it is published under."""
    seen: set[type[BaseModel]] = set()
    by_name: dict[str, set[type[BaseModel]]] = {}
    todo: list[type[BaseModel]] = []
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                todo.extend(operation.models)
                for model in operation.response_models.values():
                    todo.extend(_models_in(model))
    while todo:
        model = todo.pop()
        if model in seen:
            continue
        seen.add(model)
        if _declared(model):
            by_name.setdefault(model.__name__, set()).add(model)
        for field in model.model_fields.values():
            todo.extend(_models_in(field.annotation))
    return by_name


def test_it_publishes_no_two_schemas_under_one_name(db: Any) -> None:
    clashes = {name: models for name, models in _published_models().items() if len(models) > 1}
    assert not clashes, clashes
    assert {"OfferOut", "EnterpriseOfferOut"} <= set(
        api.get_openapi_schema(path_prefix="/api/")["components"]["schemas"]
    )


def _integers(schema: Any, where: str) -> typing.Iterator[tuple[str, dict[str, Any]]]:
    if isinstance(schema, dict):
        if schema.get("type") == "integer":
            yield where, schema
        for key, value in schema.items():
            yield from _integers(value, f"{where}.{key}")
    elif isinstance(schema, list):
        for i, value in enumerate(schema):
            yield from _integers(value, f"{where}[{i}]")


def test_it_bounds_every_integer_a_caller_sends(db: Any) -> None:
    document = api.get_openapi_schema(path_prefix="/api/")
    components = document["components"]["schemas"]
    inputs: dict[str, Any] = {}
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            for param in operation.get("parameters", []):
                inputs[f"{method} {path} {param['name']}"] = param["schema"]
            inputs[f"{method} {path} body"] = operation.get("requestBody", {})
    todo = list(inputs.values())
    while todo:  # the body schemas, and the schemas they refer to
        for ref in _refs(todo.pop()):
            name = ref.rsplit("/", 1)[1]
            if name not in inputs:
                inputs[name] = components[name]
                todo.append(components[name])
    unbounded = [
        where
        for name, schema in inputs.items()
        for where, integer in _integers(schema, name)
        if not (integer.get("minimum", -(2**63)) >= -(2**63) and integer.get("maximum", MAX_ID + 1) <= MAX_ID)
    ]
    assert not unbounded
    assert "PersonPatch" in inputs and "PersonOut" not in inputs


def _refs(schema: Any) -> typing.Iterator[str]:
    if isinstance(schema, dict):
        for key, value in schema.items():
            if key == "$ref":
                yield value
            else:
                yield from _refs(value)
    elif isinstance(schema, list):
        for value in schema:
            yield from _refs(value)


def _errors(response: Any) -> dict[str, str]:
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["detail"] == "输入有误。"
    return {".".join(str(p) for p in e["loc"]): e["msg"] for e in body["errors"]}


@pytest.mark.parametrize(
    ("path", "field", "message"),
    [
        ("/api/v1/grading/cards?offset=-1", "query.offset", "请输入不小于 0 的值。"),
        ("/api/v1/cases?limit=0", "query.limit", "请输入不小于 1 的值。"),
        ("/api/v1/people?page=99999999999999999999999", "query.page", "请输入不大于 100000 的值。"),
        ("/api/v1/activities?offset=18446744073709551616", "query.offset", "请输入不大于 10000000 的值。"),
        ("/api/v1/people/99999999999999999999999", "path.person_id", f"请输入不大于 {MAX_ID} 的值。"),
        ("/api/v1/grading/visits?person_id=-5", "query.person_id", "请输入不小于 1 的值。"),
    ],
)
def test_it_refuses_out_of_range_numbers(
    tree: Any, admin: Any, as_user: Any, path: str, field: str, message: str
) -> None:
    assert _errors(as_user(admin).get(path))[field] == message


def test_it_refuses_null_for_a_required_field_in_a_patch(tree: Any, worker: Any, as_user: Any) -> None:
    enterprise = Enterprise.objects.create(unit=tree.station_a, name="鹭岛超市")
    client = as_user(worker)
    for body in ({"name": None}, {"is_active": None}, {"unit_id": None}):
        field = next(iter(body))
        response = client.patch(f"/api/v1/enterprises/{enterprise.pk}", body, content_type="application/json")
        assert _errors(response)[f"body.payload.{field}"] == "此项可以不填，但不能为 null。"
    enterprise.refresh_from_db()
    assert enterprise.name == "鹭岛超市" and enterprise.is_active


@pytest.mark.parametrize("body", ["[]", '["name"]', '"鹭岛"', "1", "null"])
def test_it_refuses_a_patch_body_that_is_not_an_object(tree: Any, worker: Any, as_user: Any, body: str) -> None:
    enterprise = Enterprise.objects.create(unit=tree.station_a, name="鹭岛超市")
    response = as_user(worker).patch(f"/api/v1/enterprises/{enterprise.pk}", body, content_type="application/json")
    assert _errors(response)["body.payload"] == "请求内容必须是一个 JSON 对象。"


def test_it_refuses_an_empty_domain_on_create(tree: Any, worker: Any, as_user: Any) -> None:
    response = as_user(worker).post(
        "/api/v1/organisations",
        {"unit_id": tree.a1.pk, "name": "夕阳红合唱团", "domain": ""},
        content_type="application/json",
    )
    assert _errors(response)["body.payload.domain"] == "至少输入 1 个字符。"


def test_it_describes_enterprise_offers_as_they_are_answered(tree: Any, worker: Any, as_user: Any) -> None:
    enterprise = Enterprise.objects.create(unit=tree.station_a, name="鹭岛超市")
    enterprise.offers.create(kind="goods", category="食品", description="米面油", quantity=10, value=500)
    data = as_user(worker).get(f"/api/v1/enterprises/{enterprise.pk}").json()
    schemas = api.get_openapi_schema(path_prefix="/api/")["components"]["schemas"]
    offer_ref = schemas["EnterpriseOut"]["properties"]["offers"]["items"]["$ref"]
    published = schemas[offer_ref.rsplit("/", 1)[1]]
    assert set(data["offers"][0]) == set(published["properties"])


def test_it_searches_people_by_id_number_in_the_body(tree: Any, worker: Any, as_user: Any) -> None:
    import datetime as dt

    from core import identity
    from people.models import Person
    from people.tests.factories import PersonFactory

    number = identity.make_resident_id("350502", dt.date(1950, 3, 4), 12, "F")
    person = typing.cast(Person, PersonFactory(unit=tree.a1, name="林秀英"))
    identity.store_id(person, number)
    person.save()
    PersonFactory(unit=tree.a1, name="陈美玲")
    response = as_user(worker).post("/api/v1/people/search", {"q": number}, content_type="application/json")
    assert response.status_code == 200, response.content
    assert [p["name"] for p in response.json()["items"]] == ["林秀英"]
    assert _errors(as_user(worker).post("/api/v1/people/search", "[]", content_type="application/json"))
