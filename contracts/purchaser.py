"""What a purchaser tracks of a contract: payment tranches, mid-term and
final evaluations, and the signed copy. Services as in contracts/services.py:
keyword-only, one transaction, one audit event, permission and scope checked
here."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from audit.actions import Action
from audit.services import audit_record, diff
from contracts.models import Contract, ContractEvaluation, EvaluationKind, PaymentTranche
from contracts.storage import CONTRACT_FILE
from core import uploads
from core.access import Perm, require, require_unit_in_scope
from core.concurrency import lock


def _money(value: Decimal) -> str:
    return f"¥{value:,.2f}"


def _check_tranche(
    contract: Contract, *, due_on: dt.date, amount: Decimal, paid_on: dt.date | None, exclude: int | None
) -> None:
    errors: dict[str, str] = {}
    if due_on and not (contract.start <= due_on <= contract.end):
        errors["due_on"] = _("The date lies outside the contract period (%(start)s – %(end)s).") % {
            "start": contract.start,
            "end": contract.end,
        }
    if amount is None or amount <= 0:
        errors["amount"] = _("Enter an amount above zero.")
    else:
        tranches = contract.tranches.all() if exclude is None else contract.tranches.exclude(pk=exclude)
        others = tranches.aggregate(v=Sum("amount"))["v"] or Decimal(0)
        if others + amount > contract.budget:
            errors["amount"] = _(
                "The tranches would add up to %(total)s, more than the contract amount of %(budget)s "
                "(%(left)s is left to schedule)."
            ) % {
                "total": _money(others + amount),
                "budget": _money(contract.budget),
                "left": _money(max(contract.budget - others, Decimal(0))),
            }
    if paid_on and due_on and paid_on < contract.start:
        errors["paid_on"] = _("A payment cannot be made before the contract starts.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def tranche_add(
    *,
    actor: Any,
    contract: Contract,
    due_on: dt.date,
    amount: Decimal,
    condition: str,
    paid_on: dt.date | None = None,
) -> PaymentTranche:
    require(actor, Perm.CONTRACT_MANAGE)
    require_unit_in_scope(actor, contract.unit)
    contract = lock(contract)  # two tranches added at once: the second sees the first
    if not (condition or "").strip():
        raise ValidationError({"condition": _("Say on what condition the tranche is paid.")})
    _check_tranche(contract, due_on=due_on, amount=amount, paid_on=paid_on, exclude=None)
    tranche = PaymentTranche.objects.create(
        contract=contract, due_on=due_on, amount=amount, condition=condition.strip(), paid_on=paid_on
    )
    audit_record(
        actor=actor,
        action=Action.TRANCHE_CREATE,
        target=contract,
        unit=contract.unit,
        changes={"due_on": [None, str(due_on)], "amount": [None, str(amount)], "condition": [None, tranche.condition]},
    )
    return tranche


@transaction.atomic
def tranche_update(
    *,
    actor: Any,
    tranche: PaymentTranche,
    due_on: dt.date,
    amount: Decimal,
    condition: str,
    paid_on: dt.date | None = None,
) -> PaymentTranche:
    require(actor, Perm.CONTRACT_MANAGE)
    require_unit_in_scope(actor, tranche.contract.unit)
    contract = lock(tranche.contract)
    tranche = lock(tranche)
    if not (condition or "").strip():
        raise ValidationError({"condition": _("Say on what condition the tranche is paid.")})
    _check_tranche(contract, due_on=due_on, amount=amount, paid_on=paid_on, exclude=tranche.pk)
    before = {
        "due_on": str(tranche.due_on),
        "amount": str(tranche.amount),
        "condition": tranche.condition,
        "paid_on": str(tranche.paid_on or ""),
    }
    tranche.due_on, tranche.amount, tranche.condition, tranche.paid_on = due_on, amount, condition.strip(), paid_on
    tranche.save()
    after = {
        "due_on": str(due_on),
        "amount": str(amount),
        "condition": tranche.condition,
        "paid_on": str(paid_on or ""),
    }
    audit_record(
        actor=actor, action=Action.TRANCHE_UPDATE, target=contract, unit=contract.unit, changes=diff(before, after)
    )
    return tranche


@transaction.atomic
def evaluation_record(
    *,
    actor: Any,
    contract: Contract,
    kind: str,
    date: dt.date,
    evaluator: str,
    conclusion: str,
    score: Decimal | None = None,
    file: Any = None,
) -> ContractEvaluation:
    require(actor, Perm.CONTRACT_MANAGE)
    require_unit_in_scope(actor, contract.unit)
    contract = lock(contract)
    errors: dict[str, Any] = {}
    if kind not in EvaluationKind.values:
        errors["kind"] = _("Choose mid-term or final.")
    elif contract.evaluations.filter(kind=kind).exists():
        errors["kind"] = _("This contract already has its %(kind)s.") % {"kind": EvaluationKind(kind).label}
    if date and date < contract.start:
        errors["date"] = _("An evaluation cannot come before the contract starts (%(start)s).") % {
            "start": contract.start
        }
    if score is not None and not (0 <= score <= 1000):
        errors["score"] = _("A score lies between 0 and 1000.")
    if not (evaluator or "").strip():
        errors["evaluator"] = _("Name who evaluated.")
    if not (conclusion or "").strip():
        errors["conclusion"] = _("Write the conclusion.")
    checked = None
    if file:
        try:
            checked = uploads.check(file, CONTRACT_FILE, field="file")
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    evaluation = ContractEvaluation(
        contract=contract,
        kind=kind,
        date=date,
        evaluator=evaluator.strip(),
        score=score,
        conclusion=conclusion.strip(),
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    if checked is not None:
        evaluation.file_name, evaluation.file_type = checked.name, checked.content_type
        evaluation.file.save(checked.name, file, save=False)
    try:
        evaluation.save()
        audit_record(
            actor=actor,
            action=Action.CONTRACT_EVALUATION_CREATE,
            target=contract,
            unit=contract.unit,
            changes={"kind": [None, kind], "date": [None, str(date)], "score": [None, str(score or "")]},
        )
    except Exception:
        if checked is not None:
            evaluation.file.delete(save=False)
        raise
    return evaluation


@transaction.atomic
def contract_file_attach(*, actor: Any, contract: Contract, file: Any) -> Contract:
    """Attach (or replace) the signed contract."""
    require(actor, Perm.CONTRACT_MANAGE)
    require_unit_in_scope(actor, contract.unit)
    contract = lock(contract)
    if not file:
        raise ValidationError({"file": _("Choose the signed contract's file.")})
    checked = uploads.check(file, CONTRACT_FILE, field="file")
    old = contract.signed_file.name if contract.signed_file else ""
    before = contract.signed_file_name
    contract.signed_file_name, contract.signed_file_type = checked.name, checked.content_type
    contract.signed_file.save(checked.name, file, save=False)
    try:
        contract.save(update_fields=["signed_file", "signed_file_name", "signed_file_type"])
        audit_record(
            actor=actor,
            action=Action.CONTRACT_FILE,
            target=contract,
            unit=contract.unit,
            changes={"signed_file": [before or None, checked.name]},
        )
    except Exception:
        contract.signed_file.delete(save=False)
        raise
    if old:
        transaction.on_commit(lambda: contract.signed_file.storage.delete(old))
    return contract


@transaction.atomic
def contract_file_downloaded(*, actor: Any, contract: Contract, name: str) -> None:
    """Record that the signed contract or an evaluation report was downloaded."""
    require(actor, Perm.VIEW)
    audit_record(
        actor=actor, action=Action.CONTRACT_FILE_DOWNLOAD, target=contract, unit=contract.unit, note=name[:200]
    )


def purchaser_context(contract: Contract) -> dict[str, Any]:
    """What the contract page shows of the purchaser's records."""
    from django.utils import timezone

    tranches = list(contract.tranches.all())
    return {
        "tranches": tranches,
        "tranche_total": sum((t.amount for t in tranches), Decimal(0)),
        "tranche_paid": sum((t.amount for t in tranches if t.paid_on), Decimal(0)),
        "evaluations": list(contract.evaluations.all()),
        "today": timezone.localdate(),
    }
