"""Concurrent saves: lost updates and double submits, for every form page and the API.

Edit forms (``form_page(..., edits=record)``) carry the version they were based
on in a hidden ``_based_on`` field: the record's number in
``core.RecordVersion`` and a short fingerprint of each value the form was
drawn with. The save claims the version with one conditional UPDATE at the
start of its transaction, so of two saves based on the same version only the
first goes through (PostgreSQL makes the second wait on the row, SQLite on its
write lock); the second, or a save of a form whose values changed meanwhile
by any other path, is refused with what the other person changed.

Create forms carry a one-time token in a hidden ``_once`` field (signed, with
the time it was drawn). The first post stores it with what it made; a second
post of the same token makes nothing and answers as the first did. A client
that queues posts offline sends its own UUID in ``_once`` instead, checked the
same way.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from django import forms
from django.apps import apps
from django.core import signing
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import FormSubmission, RecordVersion

BASED_ON = "_based_on"
ONCE = "_once"
# A drawn create form may be sent within this long; a token is remembered twice as long.
ONCE_MAX_AGE = dt.timedelta(days=2)
_SALT = "core.concurrency.once"


def key_of(record: models.Model | str) -> str:
    """The version key of a record: "people.person:12", or a key the page names
    itself for what has no single row (a district's follow-up policy)."""
    if isinstance(record, str):
        return record
    return f"{record._meta.label_lower}:{record.pk}"


def version_of(key: str) -> int:
    return RecordVersion.objects.filter(key=key).values_list("version", flat=True).first() or 0


def claim(key: str, based_on: int) -> bool:
    """Move the key from `based_on` to the next version; False if it is no longer
    at `based_on` (someone saved first). Call inside the save's transaction."""
    if based_on == 0:
        try:
            with transaction.atomic():
                RecordVersion.objects.create(key=key, version=1)
        except IntegrityError:
            return False
        return True
    return RecordVersion.objects.filter(key=key, version=based_on).update(version=F("version") + 1) == 1


def bump(key: str) -> None:
    """Move the key to its next version whatever it was (a save that names no
    version), so that forms drawn before it notice."""
    if not RecordVersion.objects.filter(key=key).update(version=F("version") + 1):
        try:
            with transaction.atomic():
                RecordVersion.objects.create(key=key, version=1)
        except IntegrityError:
            RecordVersion.objects.filter(key=key).update(version=F("version") + 1)


@dataclass(frozen=True)
class Change:
    """A field the other person changed: its label, their value and the one sent."""

    field: str
    theirs: str
    yours: str


class Stale(Exception):
    """The record was saved by someone else since the form (or GET) was drawn."""

    def __init__(self, changes: list[Change], version: int | None = None) -> None:
        super().__init__("stale")
        self.changes = changes
        self.version = version

    @property
    def messages(self) -> list[str]:
        lines = [_("Someone else saved this record while you were editing it. Nothing you sent was saved.")]
        if self.changes:
            lines.append(_("What they changed (their value, then yours):"))
            lines += [
                _("%(field)s: “%(theirs)s”, you sent “%(yours)s”")
                % {"field": c.field, "theirs": c.theirs, "yours": c.yours}
                for c in self.changes
            ]
        lines.append(_("The form shows what you sent; check it and save again to keep your values."))
        return lines


# ---------------------------------------------------------------- first one wins

M = TypeVar("M", bound=models.Model)


def lock(record: M) -> M:
    """Inside the transaction of a "first one wins" transition (a claim, a
    start, a close): reload the record, locked until commit, so the state is
    checked as the winner left it. PostgreSQL makes the second caller wait on
    the row; SQLite's IMMEDIATE transactions already run one writer at a time."""
    fresh = type(record)._base_manager.select_for_update().get(pk=record.pk)
    for field in record._meta.concrete_fields:
        setattr(record, field.attname, getattr(fresh, field.attname))
    record._state.fields_cache.clear()
    return record


# ---------------------------------------------------------------- edit forms


def _fields(form: forms.BaseForm) -> list[str]:
    return sorted(name for name in form.fields if not name.startswith("_"))


def _initial(form: forms.BaseForm, name: str) -> Any:
    field = form.fields[name]
    value = field.prepare_value(form.get_initial_for_field(field, name))
    if isinstance(value, list | tuple | set | frozenset):
        return sorted(str(field.prepare_value(v)) for v in value)
    return "" if value is None else str(value)


def _digest(value: Any) -> str:
    return hashlib.blake2s(repr(value).encode(), digest_size=3).hexdigest()


def edit_token(form: forms.BaseForm, version: int) -> str:
    """The hidden value of an edit form: the version and a fingerprint per field."""
    return f"{version}:" + ".".join(_digest(_initial(form, n)) for n in _fields(form))


def _parse(token: str) -> tuple[int, list[str]] | None:
    version, _sep, digests = token.partition(":")
    if not version.isdigit() or len(version) > 9:
        return None
    return int(version), digests.split(".") if digests else []


def _show(field: forms.Field, value: Any) -> str:
    values = value if isinstance(value, list) else [value]
    choices = {str(k): str(v) for k, v in getattr(field, "choices", ()) if not isinstance(v, list | tuple)}
    shown = [choices.get(str(v), str(v)) for v in values if str(v) != ""]
    return "、".join(shown) or "—"


def _sent(form: forms.BaseForm, name: str) -> Any:
    field = form.fields[name]
    value = field.widget.value_from_datadict(form.data, form.files, form.add_prefix(name))
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    if isinstance(field, forms.BooleanField):
        return str(field.to_python(value))
    return "" if value is None else str(value)


def changes_since(form: forms.BaseForm, digests: list[str]) -> list[Change]:
    """Fields whose value now differs from the one the form was drawn with."""
    names = _fields(form)
    if len(digests) != len(names):
        digests = [""] * len(names)  # the form has other fields now: show every field that differs from yours
    found = []
    for name, digest in zip(names, digests, strict=True):
        now = _initial(form, name)
        if _digest(now) != digest and (digest or now != _sent(form, name)):
            field = form.fields[name]
            found.append(Change(str(field.label or name), _show(field, now), _show(field, _sent(form, name))))
    return found


def check_edit(form: forms.BaseForm, key: str) -> None:
    """Inside the save's transaction: claim the version the form was based on,
    or raise Stale. A post without `_based_on` (a script, not a drawn form) is
    not checked."""
    token = form.data.get(form.add_prefix(BASED_ON))
    if token is None:
        return
    parsed = _parse(str(token))
    version, digests = parsed if parsed else (-1, [])
    changed = changes_since(form, digests)
    if changed and all(c.theirs == c.yours for c in changed):
        changed, version = [], version_of(key)  # the same values sent twice (a double click): save them again
    if changed or not claim(key, version):
        raise Stale(changed)


def add_edit_field(form: forms.BaseForm, key: str) -> None:
    """Give the form its hidden `_based_on`; after a refusal it holds the
    current version, so that saving again keeps the values sent."""
    form.fields[BASED_ON] = forms.CharField(widget=forms.HiddenInput, required=False)
    form.initial[BASED_ON] = edit_token(form, version_of(key))


def renew(form: forms.BaseForm, name: str, value: str) -> None:
    data = QueryDict(mutable=True)
    for k in form.data:
        data.setlist(k, form.data.getlist(k) if isinstance(form.data, QueryDict) else [form.data[k]])
    data[form.add_prefix(name)] = value
    form.data = data


# ---------------------------------------------------------------- create forms


def new_once() -> str:
    return signing.TimestampSigner(salt=_SALT).sign(uuid.uuid4().hex)


def add_once_field(form: forms.BaseForm) -> None:
    form.fields[ONCE] = forms.CharField(widget=forms.HiddenInput, required=False)
    form.initial[ONCE] = new_once()


class Expired(Exception):
    """The drawn form is older than ONCE_MAX_AGE, or its token was tampered with."""

    @property
    def message(self) -> str:
        return _("This form was drawn too long ago. It is shown again: check it and send it again.")


def once_token(value: str | None) -> str | None:
    """The token to remember: a signed one drawn by the server (checked for age)
    or a client's own UUID (an offline queue). None: the post carries none."""
    if not value:
        return None
    try:
        return str(uuid.UUID(value))
    except ValueError:
        pass
    try:
        return signing.TimestampSigner(salt=_SALT).unsign(value, max_age=ONCE_MAX_AGE)
    except signing.BadSignature:
        raise Expired() from None


def take_once(token: str, *, user_id: int, path: str) -> FormSubmission | None:
    """Inside the save's transaction: remember the token. Returns the earlier
    submission if the token was already used (the caller answers as it did)."""
    now = timezone.now()
    FormSubmission.objects.filter(created_at__lt=now - 2 * ONCE_MAX_AGE).delete()
    try:
        with transaction.atomic():
            FormSubmission.objects.create(token=token, user_id=user_id, path=path[:255], created_at=now)
    except IntegrityError:
        return FormSubmission.objects.get(token=token)
    return None


def record_result(token: str, result: Any, url: str) -> None:
    fields: dict[str, str] = {"result_url": url[:500]}
    if isinstance(result, models.Model) and result.pk is not None:
        fields |= {"result_label": result._meta.label, "result_pk": str(result.pk)}
    FormSubmission.objects.filter(token=token).update(**fields)


def earlier_result(done: FormSubmission) -> Any:
    """What the first post made (None if it was no record, or is gone)."""
    if not done.result_label:
        return None
    model = apps.get_model(done.result_label)
    return model._base_manager.filter(pk=done.result_pk).first()


def strip(data: dict[str, Any], names: Iterable[str] = (BASED_ON, ONCE)) -> dict[str, Any]:
    for name in names:
        data.pop(name, None)
    return data
