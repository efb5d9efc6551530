"""The input types every endpoint shares, bounded so that no generated value
reaches the database as something it cannot store: ids fit a 64-bit key,
pages and windows stay small, request bodies are JSON objects and a PATCH
never sets a required field to null."""

from __future__ import annotations

from typing import Annotated, Any, TypeVar

from ninja import Schema
from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator
from pydantic_core import PydanticCustomError

MAX_ID = 2**63 - 1
# Counts and amounts typed by people (members, quantities, metres): far below
# a 32-bit column, far above anything real.
MAX_COUNT = 2**31 - 1
MAX_PAGE = 100_000
MAX_OFFSET = 10_000_000

Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Count = Annotated[int, Field(ge=0, le=MAX_COUNT)]


class PageParams(Schema):
    page: int = Field(1, ge=1, le=MAX_PAGE)
    page_size: int = Field(50, ge=1, le=200)


class WindowParams(Schema):
    limit: int = Field(100, ge=1, le=500)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


def paginate(qs: Any, params: PageParams) -> dict[str, Any]:
    count = qs.count()
    start = (params.page - 1) * params.page_size
    return {
        "count": count,
        "page": params.page,
        "pages": max(1, -(-count // params.page_size)),
        "items": list(qs[start : start + params.page_size]),
    }


def in_window(qs: Any, params: WindowParams) -> list[Any]:
    return list(qs[params.offset : params.offset + params.limit])


class _NotNull:
    """Marks a PATCH field that may be left out but never sent as null."""


T = TypeVar("T")
Omittable = Annotated[T | None, _NotNull()]


def _not_null_fields(model: type[BaseModel]) -> set[str]:
    return {name for name, f in model.model_fields.items() if any(isinstance(m, _NotNull) for m in f.metadata)}


def _publish_not_null(schema: dict[str, Any], model: type[BaseModel]) -> None:
    # The document says what the API takes: the value's own type, no null, no null default.
    for name in _not_null_fields(model):
        prop = schema["properties"][name]
        prop.pop("default", None)
        branches = [b for b in prop.pop("anyOf", []) if b.get("type") != "null"]
        if len(branches) == 1:
            prop.update(branches[0])
        elif branches:
            prop["anyOf"] = branches


class Body(Schema):
    """A request body: a JSON object. (Schema alone reads attributes off a list
    or a string and takes it for an empty object.)"""

    model_config = ConfigDict(json_schema_extra=_publish_not_null)

    @model_validator(mode="before")
    @classmethod
    def _object_only(cls, data: Any) -> Any:
        if not isinstance(getattr(data, "_obj", data), dict):
            raise PydanticCustomError("model_type", "Input should be an object")
        return data

    @field_validator("*", mode="before")
    @classmethod
    def _no_null(cls, value: Any, info: ValidationInfo) -> Any:
        if value is None and info.field_name in _not_null_fields(cls):
            raise PydanticCustomError("null_refused", "Input should not be null")
        return value
