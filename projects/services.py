"""Writes of service projects: the project, its budget lines, expenditures
and their approval. Each service checks permission and scope itself, runs in
one transaction and writes one audit event."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.actions import Action
from audit.services import audit_record, diff, snapshot
from core import uploads
from core.access import Perm, require, require_unit_in_scope, unit_in_scope
from core.concurrency import lock
from core.roles import Level
from projects.models import BudgetLine, Expenditure, ExpenditureStatus, Project
from projects.storage import RECEIPT

_FIELDS = (
    "name",
    "domain",
    "starts_on",
    "ends_on",
    "is_brand",
    "description",
    "goals",
    "target_person_times",
    "target_activities",
    "target_households",
    "target_raised",
)
# What the edit form shows and sends (the unit is fixed at creation).
FIELDS_EDITABLE = _FIELDS
_BRAND_TAKEN = "project_one_brand_per_unit"


def _money(value: Decimal) -> str:
    return f"¥{value:,.2f}"


def _check_project(
    actor: Any, project: Project, enterprises: list[Any], organisations: list[Any], agreements: list[Any]
) -> None:
    errors: dict[str, str] = {}
    if project.starts_on and project.ends_on and project.ends_on < project.starts_on:
        errors["ends_on"] = _("The project ends before it starts.")
    if project.target_raised is not None and project.target_raised < 0:
        errors["target_raised"] = _("A target cannot be below zero.")
    if project.is_brand:
        if project.unit.level != Level.STATION:
            errors["is_brand"] = _("Only a station has a brand project (一站一品).")
        else:
            other = Project.objects.filter(unit=project.unit, is_brand=True).exclude(pk=project.pk).first()
            if other is not None:
                errors["is_brand"] = _(
                    "%(unit)s already has a brand project: %(name)s. A station has one brand project (一站一品)."
                ) % {"unit": project.unit.name, "name": other.name}
    for partner in [*enterprises, *organisations, *agreements]:
        if not unit_in_scope(actor, partner.unit):
            field = (
                "partner_enterprises"
                if partner in enterprises
                else "partner_organisations"
                if partner in organisations
                else "partner_agreements"
            )
            errors[field] = _("%(name)s is not a partner you can see.") % {"name": partner}
    if errors:
        raise ValidationError(errors)


def _save_project(project: Project) -> None:
    project.full_clean(exclude=["created_by", "unit"], validate_constraints=False)
    try:
        with transaction.atomic():
            project.save()
    except IntegrityError as exc:  # two brand projects saved at the same moment
        if _BRAND_TAKEN in str(exc):
            raise ValidationError({"is_brand": _("This station already has a brand project (一站一品).")}) from exc
        raise


def _partners_after(project: Project) -> dict[str, Any]:
    return {
        "partner_enterprises": sorted(e.name for e in project.partner_enterprises.all()),
        "partner_organisations": sorted(o.name for o in project.partner_organisations.all()),
        "partner_agreements": sorted(a.partner for a in project.partner_agreements.all()),
    }


@transaction.atomic
def project_create(
    *,
    actor: Any,
    unit: Any,
    name: str,
    starts_on: dt.date,
    ends_on: dt.date,
    domain: Any = None,
    is_brand: bool = False,
    description: str = "",
    goals: str = "",
    target_person_times: int | None = None,
    target_activities: int | None = None,
    target_households: int | None = None,
    target_raised: Decimal | None = None,
    partner_enterprises: Any = (),
    partner_organisations: Any = (),
    partner_agreements: Any = (),
) -> Project:
    require(actor, Perm.RECORD_EDIT)
    require_unit_in_scope(actor, unit)
    enterprises, organisations = list(partner_enterprises or ()), list(partner_organisations or ())
    agreements = list(partner_agreements or ())
    project = Project(
        unit=unit,
        name=(name or "").strip(),
        domain=domain,
        starts_on=starts_on,
        ends_on=ends_on,
        is_brand=bool(is_brand),
        description=description,
        goals=goals,
        target_person_times=target_person_times,
        target_activities=target_activities,
        target_households=target_households,
        target_raised=target_raised,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    _check_project(actor, project, enterprises, organisations, agreements)
    _save_project(project)
    project.partner_enterprises.set(enterprises)
    project.partner_organisations.set(organisations)
    project.partner_agreements.set(agreements)
    after = {**snapshot(project, _FIELDS), "unit": unit.name, **_partners_after(project)}
    audit_record(actor=actor, action=Action.PROJECT_CREATE, target=project, unit=unit, changes=diff({}, after))
    return project


@transaction.atomic
def project_update(
    *,
    actor: Any,
    project: Project,
    partner_enterprises: Any = None,
    partner_organisations: Any = None,
    partner_agreements: Any = None,
    **fields: Any,
) -> Project:
    require(actor, Perm.RECORD_EDIT)
    require_unit_in_scope(actor, project.unit)
    project = lock(project)
    before = {**snapshot(project, _FIELDS), **_partners_after(project)}
    for key, value in fields.items():
        if key not in _FIELDS:
            raise ValidationError({key: _("This field cannot be changed here.")})
        setattr(project, key, value)
    enterprises = list(project.partner_enterprises.all() if partner_enterprises is None else partner_enterprises)
    organisations = list(
        project.partner_organisations.all() if partner_organisations is None else partner_organisations
    )
    agreements = list(project.partner_agreements.all() if partner_agreements is None else partner_agreements)
    _check_project(actor, project, enterprises, organisations, agreements)
    dated = Expenditure.objects.filter(project=project).exclude(status=ExpenditureStatus.REFUSED)
    outside = dated.exclude(spent_on__gte=project.starts_on, spent_on__lte=project.ends_on).first()
    if outside is not None:
        raise ValidationError(
            {"ends_on": _("An expenditure of %(date)s lies outside this period.") % {"date": outside.spent_on}}
        )
    _save_project(project)
    project.partner_enterprises.set(enterprises)
    project.partner_organisations.set(organisations)
    project.partner_agreements.set(agreements)
    after = {**snapshot(project, _FIELDS), **_partners_after(project)}
    audit_record(actor=actor, action=Action.PROJECT_UPDATE, target=project, changes=diff(before, after))
    return project


def _committed(line: BudgetLine, exclude: int | None = None) -> Decimal:
    """What is spent or waiting for approval on a line."""
    qs = line.expenditures.exclude(status=ExpenditureStatus.REFUSED)
    if exclude is not None:
        qs = qs.exclude(pk=exclude)
    return qs.aggregate(v=Sum("amount"))["v"] or Decimal(0)


@transaction.atomic
def budget_line_add(*, actor: Any, project: Project, name: str, amount: Decimal, note: str = "") -> BudgetLine:
    require(actor, Perm.RECORD_EDIT)
    require_unit_in_scope(actor, project.unit)
    name = (name or "").strip()
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = _("Name the budget line.")
    elif project.budget_lines.filter(name=name).exists():
        errors["name"] = _("The project already has a budget line of this name.")
    if amount is None or amount < 0:
        errors["amount"] = _("A budget cannot be below zero.")
    if errors:
        raise ValidationError(errors)
    line = BudgetLine.objects.create(project=project, name=name, amount=amount, note=note)
    audit_record(
        actor=actor,
        action=Action.BUDGET_LINE_CREATE,
        target=project,
        unit=project.unit,
        changes={"name": [None, name], "amount": [None, str(amount)]},
    )
    return line


@transaction.atomic
def budget_line_update(*, actor: Any, line: BudgetLine, amount: Decimal, note: str = "") -> BudgetLine:
    require(actor, Perm.RECORD_EDIT)
    require_unit_in_scope(actor, line.project.unit)
    line = lock(line)
    if amount is None or amount < 0:
        raise ValidationError({"amount": _("A budget cannot be below zero.")})
    committed = _committed(line)
    if amount < committed:
        raise ValidationError(
            {
                "amount": _("%(committed)s is already spent or waiting for approval on this line.")
                % {"committed": _money(committed)}
            }
        )
    before = {"amount": str(line.amount), "note": line.note}
    line.amount, line.note = amount, note
    line.save(update_fields=["amount", "note"])
    audit_record(
        actor=actor,
        action=Action.BUDGET_LINE_UPDATE,
        target=line.project,
        unit=line.project.unit,
        changes=diff(before, {"amount": str(amount), "note": note}),
        note=line.name,
    )
    return line


def _beyond(line: BudgetLine, amount: Decimal, exclude: int | None = None) -> str:
    committed = _committed(line, exclude)
    if committed + amount <= line.amount:
        return ""
    return _(
        "%(amount)s is more than is left on the budget line %(line)s: its budget is %(budget)s, "
        "%(committed)s is already spent or waiting for approval, %(left)s is left."
    ) % {
        "amount": _money(amount),
        "line": line.name,
        "budget": _money(line.amount),
        "committed": _money(committed),
        "left": _money(max(line.amount - committed, Decimal(0))),
    }


@transaction.atomic
def expenditure_record(
    *,
    actor: Any,
    project: Project,
    line: BudgetLine,
    spent_on: dt.date,
    amount: Decimal,
    payee: str,
    purpose: str,
    receipt: Any,
) -> Expenditure:
    """Record money spent against a budget line, with its receipt; it waits
    for the station lead's approval. Refused beyond what is left on the line."""
    require(actor, Perm.RECORD_EDIT)
    require_unit_in_scope(actor, project.unit)
    if line.project_id != project.pk:
        raise ValidationError({"line": _("Choose a budget line of this project.")})
    line = lock(line)  # two expenditures on one line: the second sees the first
    errors: dict[str, Any] = {}
    if amount is None or amount <= 0:
        errors["amount"] = _("Enter an amount above zero.")
    elif message := _beyond(line, amount):
        errors["amount"] = message
    if spent_on and not (project.starts_on <= spent_on <= project.ends_on):
        errors["spent_on"] = _("The date lies outside the project period (%(start)s – %(end)s).") % {
            "start": project.starts_on,
            "end": project.ends_on,
        }
    if not (payee or "").strip():
        errors["payee"] = _("Say who was paid.")
    if not (purpose or "").strip():
        errors["purpose"] = _("Say what the money was spent on.")
    checked = None
    if not receipt:
        errors["receipt"] = _("Attach the receipt or invoice.")
    else:
        try:
            checked = uploads.check(receipt, RECEIPT, field="receipt")
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    assert checked is not None
    expenditure = Expenditure(
        project=project,
        line=line,
        spent_on=spent_on,
        amount=amount,
        payee=payee.strip(),
        purpose=purpose.strip(),
        receipt_name=checked.name,
        receipt_type=checked.content_type,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    expenditure.receipt.save(checked.name, receipt, save=False)
    try:
        expenditure.save()
        audit_record(
            actor=actor,
            action=Action.EXPENDITURE_CREATE,
            target=expenditure,
            unit=project.unit,
            changes={"line": [None, line.name], "amount": [None, str(amount)], "receipt": [None, checked.name]},
        )
    except Exception:
        expenditure.receipt.delete(save=False)
        raise
    return expenditure


@transaction.atomic
def expenditure_decide(*, actor: Any, expenditure: Expenditure, approve: bool, note: str = "") -> Expenditure:
    """The station lead approves or refuses a pending expenditure (first one
    wins); an approval is checked against the line's budget again."""
    require(actor, Perm.SPENDING_APPROVE)
    require_unit_in_scope(actor, expenditure.project.unit)
    line = lock(expenditure.line)
    expenditure = lock(expenditure)
    if expenditure.status != ExpenditureStatus.PENDING:
        raise ValidationError(
            _("This expenditure was already decided: %(status)s.") % {"status": expenditure.get_status_display()}
        )
    if not approve and not (note or "").strip():
        raise ValidationError({"note": _("Give the reason for refusing.")})
    if approve and (message := _beyond(line, expenditure.amount, exclude=expenditure.pk)):
        raise ValidationError(message)
    expenditure.status = ExpenditureStatus.APPROVED if approve else ExpenditureStatus.REFUSED
    expenditure.decided_by = actor
    expenditure.decided_at = timezone.now()
    expenditure.decision_note = (note or "").strip()
    expenditure.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    audit_record(
        actor=actor,
        action=Action.EXPENDITURE_APPROVE if approve else Action.EXPENDITURE_REFUSE,
        target=expenditure,
        unit=expenditure.project.unit,
        changes={"status": [ExpenditureStatus.PENDING.value, expenditure.status]},
        note=expenditure.decision_note,
    )
    return expenditure
