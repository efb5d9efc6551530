"""Versions over the API: the same lost-update check as the edit forms
(core/concurrency.py), spoken in HTTP.

A GET or PATCH of one record answers with the record's version as ``ETag``.
A PATCH that sends ``If-Match: "<version>"`` is refused with 409 and the
fields someone else changed if the record was saved since; a PATCH without it
still moves the version, so that edit forms drawn before it notice."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any

from django.db import models, transaction
from django.http import HttpRequest, HttpResponse
from ninja.signature.utils import get_typed_signature

from core import concurrency


class _Refused(Exception):
    def __init__(self, record: models.Model) -> None:
        self.record = record


def _if_match(request: HttpRequest) -> int | None:
    header = request.headers.get("If-Match")
    if header is None:
        return None
    value = header.strip().removeprefix("W/").strip('"')
    return int(value) if value.isdigit() and len(value) < 10 else -1


def _changes(record: models.Model, sent: dict[str, Any]) -> list[concurrency.Change]:
    """Fields sent whose stored value (theirs) differs from the one sent."""
    fresh = type(record)._base_manager.get(pk=record.pk)
    names = {f.attname: f for f in fresh._meta.concrete_fields} | {f.name: f for f in fresh._meta.concrete_fields}
    found = []
    for name, yours in sent.items():
        field = names.get(name)
        if field is None:
            continue
        theirs = getattr(fresh, field.attname)
        if str(theirs) != str(yours):
            found.append(concurrency.Change(name, "—" if theirs is None else str(theirs), str(yours)))
    return found


def versioned(view: Callable[..., Any]) -> Callable[..., Any]:
    """For a handler that returns the one record it reads or patches."""
    signature = get_typed_signature(view)

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, response: HttpResponse, **kwargs: Any) -> Any:
        if request.method == "GET":
            record = view(request, *args, **kwargs)
        else:
            based_on = _if_match(request)
            try:
                with transaction.atomic():
                    record = view(request, *args, **kwargs)
                    key = concurrency.key_of(record)
                    if based_on is None:
                        concurrency.bump(key)
                    elif not concurrency.claim(key, based_on):
                        raise _Refused(record)  # undoes the patch with the transaction
            except _Refused as refused:
                payload = kwargs.get("payload")
                sent = payload.dict(exclude_unset=True) if payload is not None else {}
                raise concurrency.Stale(
                    _changes(refused.record, sent), concurrency.version_of(concurrency.key_of(refused.record))
                ) from None
        response["ETag"] = f'"{concurrency.version_of(concurrency.key_of(record))}"'
        return record

    extra = inspect.Parameter("response", inspect.Parameter.KEYWORD_ONLY, annotation=HttpResponse)
    wrapper.__signature__ = signature.replace(parameters=[*signature.parameters.values(), extra])  # type: ignore[attr-defined]
    return wrapper
