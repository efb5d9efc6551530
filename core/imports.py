"""Imports of rosters in the background, every registry the same way
(core/excel.py describes a registry).

1. `import_start`: the upload is stored (core/files.py) and one check job is
   queued; the request answers at once, whatever the file's size.
2. `job_check` (the worker): the file is read once, every row checked once;
   the rows ready to save wait in the file storage as JSON (ID numbers only
   as ciphertext, keyed hash and tail), the upload is deleted, and the job
   holds the counts and the first problems and skipped rows, each with its
   row number, in the uploader's language. The page polls its progress.
3. `import_confirm`: the uploader confirms (once, however often it is sent)
   and one save job is queued.
4. `job_save` (the worker): the checked rows are saved in one transaction,
   in bulk, without checking them again; the job turns "done" in the same
   transaction, so nothing is ever half saved. A failure says why.
"""

from __future__ import annotations

import datetime as dt
import io
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

from core import excel
from core.access import require
from core.models import ImportJob, ImportStatus
from core.uploads import random_name

log = logging.getLogger(__name__)

FOLDER = "imports"  # uploads and checked rows, in the file storage
SHOWN = 500  # problems and skipped rows kept for the page
STEP = 1000  # rows between two progress reports
POLLING = (ImportStatus.QUEUED, ImportStatus.CHECKING, ImportStatus.SAVING)


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
def import_confirm(*, actor: Any, job: ImportJob) -> ImportJob:
    """Queue the save of a checked import. A second confirmation (another
    tab, a double click) finds it queued already and queues nothing."""
    reg = excel.registry(job.registry)
    require(actor, reg.perm)
    if job.requested_by_id != actor.pk:
        raise ValidationError(_("Only the person who uploaded the file can import it."))
    if job.status in (ImportStatus.SAVING, ImportStatus.DONE):
        return job
    if job.status != ImportStatus.CHECKED:
        raise ValidationError(_("This file has not been checked; it cannot be imported."))
    if not job.good:
        raise ValidationError(_("No row is ready to import."))
    moved = ImportJob.objects.filter(pk=job.pk, status=ImportStatus.CHECKED).update(status=ImportStatus.SAVING, done=0)
    if moved:
        transaction.on_commit(lambda: excel.import_save_task(job.pk))
    job.refresh_from_db()
    return job


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
                source = io.BytesIO(fh.read())  # the workbook reader seeks; a remote file may not

            def sized(total: int) -> None:
                ImportJob.objects.filter(pk=job_id).update(total=total)

            checked = reg.check(job.requested_by, _counted(job_id, excel.read_rows(reg, source, sized)))
            if not checked.total:
                raise ValidationError(_("The file has no data rows."))
            staged = default_storage.save(random_name(FOLDER, ".rows"), ContentFile(_pack(checked.rows)))
        except ValidationError as exc:
            _fail(job, " ".join(exc.messages))
            return
        except Exception as exc:
            _fail(job, _("The check stopped on an unexpected error; nothing was saved. Upload the file again."), exc)
            return
    ImportJob.objects.filter(pk=job_id).update(
        status=ImportStatus.CHECKED,
        upload="",
        staged=staged,
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
    default_storage.delete(job.upload)


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
    default_storage.delete(job.staged)


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
        status=ImportStatus.FAILED, message=message, upload="", staged="", finished_at=timezone.now()
    )
    for name in (job.upload, job.staged):
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
    """Files of imports left unconfirmed for a day are deleted (the job says so)."""
    cutoff = timezone.now() - dt.timedelta(days=1)
    stale = ImportJob.objects.filter(created_at__lt=cutoff).exclude(upload="", staged="")
    for job in stale[:50]:
        for name in (job.upload, job.staged):
            if name:
                default_storage.delete(name)
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportStatus.FAILED,
            upload="",
            staged="",
            message=_("Not confirmed within a day: the file was deleted. Upload it again."),
            finished_at=timezone.now(),
        )
