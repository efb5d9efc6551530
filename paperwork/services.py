"""Printing a standard form: the permission and scope checks, the PDF and the
audit event of the print, one call per form. A print is an export of
personal data, so each writes its named action (paperwork.* in
audit/actions.py) with what was printed, never the data itself."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.actions import Action
from audit.services import audit_record
from core.access import Perm, require, require_unit_in_scope
from core.pdf import render_pdf
from paperwork import conf, content, selectors
from paperwork.catalogue import CASE_FORMS, FORMS
from paperwork.content import Doc


def _pdf(docs: Sequence[Doc], *, title: str) -> bytes:
    return render_pdf("paperwork/pdf/document.html", {"docs": docs, "title": title, "printed_at": timezone.localtime()})


def _check(actor: Any, unit: Any) -> None:
    require(actor, Perm.VIEW)
    require_unit_in_scope(actor, unit)


def _refuse_child(actor: Any, person: Any) -> None:
    from people.rules import GUARDIAN_CONSENT_AGE

    if person.age_on(timezone.localdate()) < GUARDIAN_CONSENT_AGE and not content.may_print_children(actor):
        raise PermissionDenied(
            _("Forms about a child under %(age)s are printed only by the staff who work with the files.")
            % {"age": GUARDIAN_CONSENT_AGE}
        )


@transaction.atomic
def household_file_print(*, actor: Any, household: Any) -> bytes:
    _check(actor, household.unit)
    members, visits = selectors.household_parts(actor, [household])
    docs = content.household_docs([household], members, visits, user=actor)
    body = _pdf(docs, title=docs[0].form.title)
    audit_record(
        actor=actor,
        action=Action.PAPERWORK_HOUSEHOLD_FILE,
        target=household,
        unit=household.unit,
        changes={"members": len(members)},
    )
    return body


@transaction.atomic
def case_form_print(*, actor: Any, case: Any, form: str) -> bytes:
    """One of the case forms, or "all": the five in the order of the stages."""
    slugs = CASE_FORMS if form == "all" else (form,)
    if not set(slugs) <= set(CASE_FORMS):
        raise ValueError(form)
    _check(actor, case.unit)
    _refuse_child(actor, case.person)
    assessments = selectors.assessments_of(actor, [case.person_id]).get(case.person_id, [])
    docs = content.case_docs(case, slugs, user=actor, assessments=assessments)
    body = _pdf(docs, title=f"{case.number} {docs[0].form.title}")
    for slug in slugs:
        audit_record(actor=actor, action=FORMS[slug].action, target=case, unit=case.unit)
    return body


@transaction.atomic
def signin_sheet_print(*, actor: Any, activity: Any, blank: bool) -> bytes:
    _check(actor, activity.unit)
    doc = content.signin_doc(activity, user=actor, blank=blank, blank_rows=conf.SIGNIN_BLANK_ROWS)
    body = _pdf([doc], title=f"{activity.title} {doc.form.title}")
    audit_record(
        actor=actor,
        action=Action.PAPERWORK_SIGNIN_SHEET,
        target=activity,
        unit=activity.unit,
        changes={"blank": blank, "rows": len(doc.data["rows"])},
    )
    return body


@transaction.atomic
def joint_minutes_print(*, actor: Any, meeting: Any) -> bytes:
    _check(actor, meeting.unit)
    body = _pdf([content.joint_doc(meeting)], title=FORMS["joint"].title)
    audit_record(actor=actor, action=Action.PAPERWORK_JOINT_MINUTES, target=meeting, unit=meeting.unit)
    return body


@transaction.atomic
def supervision_record_print(*, actor: Any, supervision: Any) -> bytes:
    _check(actor, supervision.unit)
    body = _pdf([content.supervision_doc(supervision)], title=FORMS["supervision"].title)
    audit_record(actor=actor, action=Action.PAPERWORK_SUPERVISION_RECORD, target=supervision, unit=supervision.unit)
    return body


# --- batches ------------------------------------------------------------------

BATCH_KINDS = ("household", "case", "signin", "joint", "supervision")


@dataclass(frozen=True)
class Batch:
    kind: str
    unit: Any
    month: dt.date
    total: int  # records in the whole batch
    part: int  # 1-based part printed
    parts: int

    @property
    def title(self) -> str:
        label = "个案工作表" if self.kind == "case" else FORMS[self.kind].title
        when = "" if self.kind == "household" else f" {self.month.year}年{self.month.month}月"
        part = f"（第{self.part}部分，共{self.parts}部分）" if self.parts > 1 else ""
        return f"{self.unit.name}{when} {label}{part}"


def _batch_records(actor: Any, kind: str, unit: Any, month: dt.date) -> Any:
    if kind == "household":
        return selectors.households_under(actor, unit)
    if kind == "case":
        return selectors.cases_open_in(actor, unit, month)
    if kind == "signin":
        return selectors.activities_in(actor, unit, month)
    if kind == "joint":
        return selectors.records_in(selectors.joint_meetings(actor), unit, month)
    return selectors.records_in(selectors.supervisions(actor), unit, month)


def _batch_docs(actor: Any, kind: str, records: list[Any]) -> list[Doc]:
    if kind == "household":
        members, visits = selectors.household_parts(actor, records)
        return content.household_docs(records, members, visits, user=actor)
    if kind == "case":
        # A child's case forms are left out for a user who may not print them.
        allowed = [c for c in records if not _child_refused(actor, c.person)]
        assessments = selectors.assessments_of(actor, [c.person_id for c in allowed])
        return [
            d
            for c in allowed
            for d in content.case_docs(c, CASE_FORMS, user=actor, assessments=assessments.get(c.person_id, []))
        ]
    if kind == "signin":
        now = timezone.now()
        return [
            content.signin_doc(a, user=actor, blank=a.starts_at > now, blank_rows=conf.SIGNIN_BLANK_ROWS)
            for a in records
        ]
    if kind == "joint":
        return [content.joint_doc(m) for m in records]
    return [content.supervision_doc(s) for s in records]


def _child_refused(actor: Any, person: Any) -> bool:
    try:
        _refuse_child(actor, person)
    except PermissionDenied:
        return True
    return False


def part_size(kind: str) -> int:
    """Records in one part: conf.BATCH_MAX forms, a case counting its five."""
    return max(1, conf.BATCH_MAX // (len(CASE_FORMS) if kind == "case" else 1))


def batch_size(*, actor: Any, kind: str, unit: Any, month: dt.date) -> int:
    _check(actor, unit)
    return _batch_records(actor, kind, unit, month).count()


@transaction.atomic
def batch_print(*, actor: Any, kind: str, unit: Any, month: dt.date, part: int = 1) -> tuple[Batch, bytes]:
    """A unit's forms of one kind for a month (household files: all of the
    unit's) as one PDF of at most conf.BATCH_MAX forms; `part` picks which."""
    if kind not in BATCH_KINDS:
        raise ValueError(kind)
    _check(actor, unit)
    qs = _batch_records(actor, kind, unit, month)
    total = qs.count()
    if total == 0:
        raise ValidationError({"unit": _("There is nothing of this kind to print for this unit and month.")})
    size = part_size(kind)
    parts = math.ceil(total / size)
    if not 1 <= part <= parts:
        raise ValidationError({"part": _("This batch has %(parts)s parts.") % {"parts": parts}})
    records = list(qs[(part - 1) * size : part * size])
    batch = Batch(kind=kind, unit=unit, month=month, total=total, part=part, parts=parts)
    body = _pdf(_batch_docs(actor, kind, records), title=batch.title)
    audit_record(
        actor=actor,
        action=Action.PAPERWORK_BATCH,
        target=unit,
        unit=unit,
        changes={"form": kind, "month": f"{month:%Y-%m}", "records": len(records), "part": f"{part}/{parts}"},
    )
    return batch, body
