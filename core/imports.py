"""Imports of rosters in the background, every registry the same way
(core/excel.py describes a registry).

1. `import_start`: the upload is stored (core/files.py) and one check job is
   queued; the request answers at once, whatever the file's size.
2. `job_check` (the worker): the ledger's header row is found below any
   title rows and each header mapped to a column (core/ledger.py). A header
   nobody knows, or a required column not found, stops the check: the job
   waits in "mapping" for the uploader to say what those columns hold
   (`import_remap`), which the station's next import remembers. Then the file
   is read once, every row checked once; the rows ready to save wait in the
   file storage as JSON (ID numbers only as ciphertext, keyed hash and tail),
   the refused rows as an encrypted workbook, and the job holds the counts
   and the first problems and skipped rows, each with its row number and
   the column as the sheet names it, in the uploader's language. The page
   polls its progress. The upload stays until the save, so the uploader may
   still change the mapping (`import_remap`, checked again).
3. `import_confirm`: the uploader confirms (once, however often it is sent)
   and one save job is queued. With refused rows, nothing is imported
   unless the uploader chose to import the valid rows only; the refused
   ones can be downloaded (`refused_workbook`), fixed and imported again.
4. `job_save` (the worker): the checked rows are saved in one transaction,
   in bulk, without checking them again; the job turns "done" in the same
   transaction, so nothing is ever half saved. A failure says why.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import itertools
import json
import logging
import traceback
import zlib
from collections.abc import Iterator
from typing import Any

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import get_language, override
from django.utils.translation import gettext as _

from audit.actions import Action
from audit.services import audit_record
from core import excel, identity, ledger
from core.access import require
from core.models import ImportJob, ImportMapping, ImportStatus
from core.uploads import random_name

log = logging.getLogger(__name__)

FOLDER = "imports"  # uploads and checked rows, in the file storage
SHOWN = 500  # problems and skipped rows kept for the page
STEP = 1000  # rows between two progress reports
POLLING = (ImportStatus.QUEUED, ImportStatus.CHECKING, ImportStatus.SAVING)
REMAPPABLE = (ImportStatus.MAPPING, ImportStatus.CHECKED)


@transaction.atomic
def import_start(*, actor: Any, reg: excel.Registry, upload: Any) -> ImportJob:
    """Store the upload and queue its check."""
    require(actor, reg.perm)
    _sweep()
    name = default_storage.save(random_name(FOLDER, ".xlsx"), upload)
    job = ImportJob.objects.create(
        registry=reg.key,
        unit=actor.unit,
        requested_by=actor,
        filename=(getattr(upload, "name", "") or "")[:200],
        language=get_language() or "",
        upload=name,
    )
    transaction.on_commit(lambda: excel.import_check_task(job.pk))
    return job


def jobs_of(actor: Any) -> Any:
    """The imports the actor started: nobody else sees them."""
    return ImportJob.objects.filter(requested_by_id=actor.pk)


@transaction.atomic
def import_confirm(*, actor: Any, job: ImportJob, valid_only: bool = False) -> ImportJob:
    """Queue the save of a checked import. A second confirmation (another
    tab, a double click) finds it queued already and queues nothing. A file
    with refused rows is imported all or nothing: nothing, unless the
    uploader chose `valid_only`."""
    reg = excel.registry(job.registry)
    require(actor, reg.perm)
    _own(actor, job)
    if job.status in (ImportStatus.SAVING, ImportStatus.DONE):
        return job
    if job.status != ImportStatus.CHECKED:
        raise ValidationError(_("This file has not been checked; it cannot be imported."))
    if not job.good:
        raise ValidationError(_("No row is ready to import."))
    if job.bad_rows and not valid_only:
        raise ValidationError(
            _(
                "%(n)s rows have problems, so nothing is imported: fix them and upload the file again, "
                "or choose to import the valid rows only."
            )
            % {"n": job.bad_rows}
        )
    moved = ImportJob.objects.filter(pk=job.pk, status=ImportStatus.CHECKED).update(
        status=ImportStatus.SAVING, done=0, valid_only=bool(job.bad_rows)
    )
    if moved:
        transaction.on_commit(lambda: excel.import_save_task(job.pk))
    job.refresh_from_db()
    return job


def _own(actor: Any, job: ImportJob) -> None:
    if job.requested_by_id != actor.pk:
        raise ValidationError(_("Only the person who uploaded the file can import it."))


def remembered(unit_id: int, registry: str) -> dict[str, str]:
    """What the station said its ledgers' unknown headers hold: {header: key or ""}."""
    return dict(ImportMapping.objects.filter(unit_id=unit_id, registry=registry).values_list("header", "key"))


@transaction.atomic
def import_remap(*, actor: Any, job: ImportJob, mapping: dict[str, str]) -> ImportJob:
    """Read the file again with the columns as the uploader says:
    `mapping` is {column index: registry key, or "" to leave it out}, for
    the file's headers. Choices that differ from the importer's own
    reading are remembered for the station's next import of this registry."""
    reg = excel.registry(job.registry)
    require(actor, reg.perm)
    _own(actor, job)
    if job.status not in REMAPPABLE or not job.upload:
        raise ValidationError(_("This file can no longer be read again; upload it again."))
    keys = {c.key: c.header for c in reg.columns}
    headers = {str(i): h for i, h in job.headers}
    chosen = {i: mapping.get(i, "") for i in headers}
    errors: dict[str, str] = {}
    used: dict[str, str] = {}
    for i, key in chosen.items():
        if key and key not in keys:
            errors[i] = _("Choose a column from the list.")
        elif key in used:
            errors[i] = _("“%(other)s” is read as %(col)s already.") % {"other": headers[used[key]], "col": keys[key]}
        elif key:
            used[key] = i
    missing = [c.header for c in reg.columns if c.required and c.key not in used]
    if missing and not errors:
        errors["__all__"] = _("Say which column holds: %(cols)s.") % {"cols": "、".join(missing)}
    if errors:
        raise ValidationError(errors)
    own = ledger.known_headers(reg)
    changed = {}
    for i, header in headers.items():
        name = ledger.clean_header(header)
        if ledger.match_header(own, header) == chosen[i]:
            ImportMapping.objects.filter(unit_id=job.unit_id, registry=reg.key, header=name).delete()
        else:
            ImportMapping.objects.update_or_create(
                unit_id=job.unit_id,
                registry=reg.key,
                header=name[:100],
                defaults={"key": chosen[i], "updated_by": actor},
            )
            changed[name] = chosen[i] or "-"
    audit_record(actor=actor, action=Action.IMPORT_MAPPING, unit=job.unit, changes={"registry": reg.key, **changed})
    stale = [name for name in (job.staged, job.refused) if name]

    def forget() -> None:
        for name in stale:
            default_storage.delete(name)

    transaction.on_commit(forget)
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.QUEUED,
        mapping=chosen,
        staged="",
        refused="",
        message="",
        total=0,
        done=0,
        good=0,
        bad_rows=0,
        error_count=0,
        duplicate_count=0,
        errors=[],
        duplicates=[],
        checked_at=None,
    )
    transaction.on_commit(lambda: excel.import_check_task(job.pk))
    job.refresh_from_db()
    return job


def refused_workbook(*, actor: Any, job: ImportJob) -> bytes:
    """The refused rows of a checked import, under the file's own headers,
    with a reason column: to fix and import again."""
    reg = excel.registry(job.registry)
    require(actor, reg.perm)
    _own(actor, job)
    if not job.refused:
        raise ValidationError(_("No refused rows are kept for this import."))
    with default_storage.open(job.refused, "rb") as fh:
        data = base64.b64decode(identity.decrypt(fh.read().decode()))
    audit_record(
        actor=actor,
        action=Action.IMPORT_REFUSED_EXPORT,
        unit=job.unit,
        changes={"registry": reg.key, "rows": job.bad_rows},
    )
    return data


def saved_so_far(job: ImportJob) -> int:
    """Rows the running save has written (its transaction hides them from the database until it commits)."""
    return int(cache.get(_progress_key(job.pk)) or 0)


# ---------------------------------------------------------------- the worker's side


def job_check(job_id: int) -> None:
    if not ImportJob.objects.filter(pk=job_id, status=ImportStatus.QUEUED).update(status=ImportStatus.CHECKING):
        return  # checked already (a task delivered twice)
    job = ImportJob.objects.select_related("requested_by").get(pk=job_id)
    with override(job.language or None):
        try:
            reg = excel.registry(job.registry)
            with default_storage.open(job.upload, "rb") as fh:
                data = fh.read()  # the workbook reader seeks; a remote file may not
            sheet = ledger.Sheet(io.BytesIO(data))
            try:
                if sheet.max_row:
                    ImportJob.objects.filter(pk=job_id).update(total=max(0, sheet.max_row - 1))
                rows = sheet.rows()
                head = list(itertools.islice(rows, ledger.SEARCHED))
                layout = ledger.find_layout(reg, head, remembered(job.unit_id, reg.key))
                if job.mapping:
                    layout = ledger.apply_mapping(reg, layout, job.mapping)
                if layout.needs_mapping:
                    _ask(job, layout)
                    return
                rows_read = ledger.data_rows(reg, layout, itertools.chain(head, rows))
                checked = reg.check(job.requested_by, _counted(job_id, rows_read))
            finally:
                sheet.close()
            if not checked.total:
                raise ValidationError(_("The file has no data rows."))
            _name_columns(reg, layout, checked)
            staged = default_storage.save(random_name(FOLDER, ".rows"), ContentFile(_pack(checked.rows)))
            refused = _store_refused(reg, layout, data, checked.errors) if checked.errors else ""
        except ValidationError as exc:
            _fail(job, " ".join(exc.messages))
            return
        except Exception as exc:
            _fail(job, _("The check stopped on an unexpected error; nothing was saved. Upload the file again."), exc)
            return
    ImportJob.objects.filter(pk=job_id).update(
        status=ImportStatus.CHECKED,
        staged=staged,
        refused=refused,
        header_row=layout.header_row,
        headers=[[i, h] for i, h in layout.headers],
        positions={str(i): k for i, k in layout.positions.items()},
        message="",
        total=checked.total,
        done=checked.total,
        good=len(checked.rows),
        bad_rows=len({e.row for e in checked.errors}),
        error_count=len(checked.errors),
        duplicate_count=len(checked.duplicates),
        errors=[[e.row, e.column, e.message] for e in checked.errors[:SHOWN]],
        duplicates=[[e.row, e.column, e.message] for e in checked.duplicates[:SHOWN]],
        checked_at=timezone.now(),
    )


def _ask(job: ImportJob, layout: ledger.Layout) -> None:
    """Stop the check: the uploader says what the unknown columns hold."""
    message = ""
    if layout.missing:
        message = _("Required columns not found: %(cols)s.") % {"cols": "、".join(layout.missing)}
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.MAPPING,
        header_row=layout.header_row,
        headers=[[i, h] for i, h in layout.headers],
        positions={str(i): k for i, k in layout.positions.items()},
        message=message,
        total=0,
        done=0,
    )


def _name_columns(reg: excel.Registry, layout: ledger.Layout, checked: excel.Checked) -> None:
    """Problems name the column as the sheet does: its header and letter."""
    names = {}
    for c in reg.columns:
        name = layout.header_of(c.key)
        if name:
            names[c.header] = name
    for e in (*checked.errors, *checked.duplicates):
        e.column = names.get(e.column, e.column)


def _store_refused(reg: excel.Registry, layout: ledger.Layout, data: bytes, errors: list[excel.RowError]) -> str:
    """The refused rows as a workbook (the file's columns and a reason), encrypted: they hold ID numbers."""
    reasons: dict[int, list[str]] = {}
    for e in errors:
        reasons.setdefault(e.row, []).append(f"{e.column}：{e.message}")
    text_kinds = {c.key for c in reg.columns if c.kind in ("id", "phone")}
    text_columns = {i for i, k in layout.positions.items() if k in text_kinds}
    sheet = ledger.Sheet(io.BytesIO(data))
    try:
        content = ledger.refused_workbook(
            layout, sheet.rows(), {n: "；".join(r) for n, r in reasons.items()}, text_columns
        )
    finally:
        sheet.close()
    sealed = identity.encrypt(base64.b64encode(content).decode())
    return default_storage.save(random_name(FOLDER, ".refused"), ContentFile(sealed.encode()))


def job_save(job_id: int) -> None:
    job = ImportJob.objects.select_related("requested_by").get(pk=job_id)
    if job.status != ImportStatus.SAVING or job.finished_at is not None:
        return  # saved already (a task delivered twice)
    with override(job.language or None):
        try:
            reg = excel.registry(job.registry)
            with default_storage.open(job.staged, "rb") as fh:
                rows = _unpack(fh.read())

            def progress(n: int) -> None:
                cache.set(_progress_key(job_id), n, 3600)

            with transaction.atomic():
                saved, skipped = reg.save(job.requested_by, rows, progress)
                ImportJob.objects.filter(pk=job_id).update(
                    status=ImportStatus.DONE,
                    saved=saved,
                    done=saved,
                    duplicate_count=job.duplicate_count + skipped,
                    staged="",
                    upload="",
                    finished_at=timezone.now(),
                )
        except ValidationError as exc:
            _fail(job, " ".join(exc.messages))
            return
        except IntegrityError as exc:  # someone saved one of these residents between the check and now
            _fail(job, _("Some of these records were saved by someone else meanwhile; nothing was imported."), exc)
            return
        except Exception as exc:
            _fail(job, _("The import stopped on an unexpected error; nothing was saved. Upload the file again."), exc)
            return
        finally:
            cache.delete(_progress_key(job_id))
    for name in (job.staged, job.upload):
        if name:
            default_storage.delete(name)


def _counted(job_id: int, rows: Iterator[tuple[int, dict[str, Any]]]) -> Iterator[tuple[int, dict[str, Any]]]:
    """The rows, reporting every STEP of them to the job (the page shows them)."""
    n = 0
    for row in rows:
        yield row
        n += 1
        if n % STEP == 0:
            ImportJob.objects.filter(pk=job_id).update(done=n)


def _fail(job: ImportJob, message: str, exc: BaseException | None = None) -> None:
    if exc is not None:
        # where it broke, never what it held: cell values may be ID numbers
        frames = "".join(traceback.format_tb(exc.__traceback__))
        log.error("Import %s failed: %s\n%s", job.pk, type(exc).__name__, frames)
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.FAILED, message=message, upload="", staged="", refused="", finished_at=timezone.now()
    )
    for name in (job.upload, job.staged, job.refused):
        if name:
            default_storage.delete(name)


def _progress_key(job_id: int) -> str:
    return f"core.imports.saved:{job_id}"


def _pack(rows: list[Any]) -> bytes:
    return zlib.compress(json.dumps(rows, ensure_ascii=False, separators=(",", ":")).encode(), 1)


def _unpack(data: bytes) -> list[Any]:
    rows = json.loads(zlib.decompress(data))
    if not isinstance(rows, list):
        raise ValueError("checked rows are not a list")
    return rows


def _sweep() -> None:
    """Files of imports left for a day are deleted: an unconfirmed import
    fails (the job says so), a finished one loses its refused rows."""
    cutoff = timezone.now() - dt.timedelta(days=1)
    stale = ImportJob.objects.filter(created_at__lt=cutoff).exclude(upload="", staged="", refused="")
    for job in stale[:50]:
        for name in (job.upload, job.staged, job.refused):
            if name:
                default_storage.delete(name)
        if job.status == ImportStatus.DONE:
            ImportJob.objects.filter(pk=job.pk).update(upload="", staged="", refused="")
            continue
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportStatus.FAILED,
            upload="",
            staged="",
            refused="",
            message=_("Not confirmed within a day: the file was deleted. Upload it again."),
            finished_at=timezone.now(),
        )
