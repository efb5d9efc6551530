"""Many plain rows into one table at once: COPY on PostgreSQL, one
executemany per batch on SQLite. For imports of many rows, where Django's
per-value preparation in bulk_create costs more than the database's work.

Values come in the order of `columns` (field attnames) and must be what the
driver takes: str, int, bool, None, date, aware datetime. Every other
concrete field gets its default (the current time for auto_now and
auto_now_add fields), so a field added later with a default needs no change
here."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection, models
from django.db.models import DateField, DateTimeField, F, JSONField
from django.utils import timezone

from core.lookups import AnyOf

BATCH = 5000
# After this many rows COPYed into a table since its last ANALYZE (and at
# least as many as it held then), the planner's statistics are refreshed:
# they still describe the table before the import, so the import's own
# look-ups after each batch were planned for a near-empty table.
ANALYZE_AFTER = 1000
# Their sample: PostgreSQL reads 300 rows per unit of the statistics target.
ANALYZE_SAMPLE_TARGET = 10


def insert_rows(model: type[models.Model], columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Insert `rows` into `model`'s table in the caller's transaction; returns how many."""
    fields = [f for f in model._meta.concrete_fields if not f.primary_key or f.attname in columns]
    named = {f.attname: f for f in fields}
    unknown = set(columns) - set(named)
    if unknown:
        raise ValueError(f"{model._meta.label} has no column {sorted(unknown)}")
    rest = [f for f in fields if f.attname not in columns]
    now = timezone.now()
    fixed = tuple(_default(f, now) for f in rest)
    names = [*columns, *(f.attname for f in rest)]
    table = connection.ops.quote_name(model._meta.db_table)
    cols = ", ".join(connection.ops.quote_name(str(named[n].column)) for n in names)
    if connection.vendor == "postgresql":
        n = _copy(table, cols, rows, fixed)
        _refresh_statistics(table, n)
        return n
    return _executemany(table, cols, len(names), rows, fixed, [named[n] for n in columns])


def insert_rows_keyed(
    model: type[models.Model], columns: Sequence[str], rows: Sequence[Sequence[Any]], *, key: str
) -> list[Any]:
    """Insert like insert_rows and return the new rows' primary keys, in
    order. PostgreSQL draws them from the table's sequence first, in one
    query (COPY returns none, and reading them back is a look-up per batch);
    elsewhere they are read back by `key`, a unique column among `columns`."""
    pk = model._meta.pk
    assert pk is not None
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [model._meta.db_table, pk.column, len(rows)],
            )
            pks = sorted(p for (p,) in cursor.fetchall())
        insert_rows(model, [pk.attname, *columns], ((p, *r) for p, r in zip(pks, rows, strict=True)))
        return pks
    insert_rows(model, columns, rows)
    i = list(columns).index(key)
    found = dict(model._default_manager.filter(AnyOf(F(key), [r[i] for r in rows])).values_list(key, "pk"))
    return [found[r[i]] for r in rows]


def _default(f: Any, now: Any) -> Any:
    if isinstance(f, DateTimeField) and (f.auto_now or f.auto_now_add):
        value = now
    else:
        value = f.get_default()
    if isinstance(f, JSONField) and value is not None:
        return json.dumps(value)
    if connection.vendor != "postgresql" and value is not None:
        if isinstance(f, DateTimeField):
            return connection.ops.adapt_datetimefield_value(value)
        if isinstance(f, DateField):
            return connection.ops.adapt_datefield_value(value)
    return value


def _copy(table: str, cols: str, rows: Iterable[Sequence[Any]], fixed: tuple[Any, ...]) -> int:
    from psycopg.copy import QueuedLibpqWriter

    n = 0
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg's own cursor, for its COPY
        # A worker thread sends the rows: the server indexes the first ones
        # while this thread still makes and formats the rest (two cores at work).
        with raw.copy(f"COPY {table} ({cols}) FROM STDIN", writer=QueuedLibpqWriter(raw)) as copy:
            for row in rows:
                copy.write_row((*row, *fixed))
                n += 1
    return n


def _refresh_statistics(table: str, n: int) -> None:
    grown: dict[str, int] = connection.__dict__.setdefault("_linli_rows_since_analyze", {})
    grown[table] = grown.get(table, 0) + n
    if grown[table] < ANALYZE_AFTER:
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [table])
        (held,) = cursor.fetchone()
        if grown[table] >= held:  # doubling: a few ANALYZEs for any size of import
            # A rough sample is enough to plan the import's own look-ups (the
            # table's size above all); autovacuum analyses it fully after the
            # commit. The setting ends with the transaction.
            cursor.execute(f"SET LOCAL default_statistics_target = {ANALYZE_SAMPLE_TARGET}")
            cursor.execute(f"ANALYZE {table}")
            grown[table] = 0


def _executemany(
    table: str, cols: str, width: int, rows: Iterable[Sequence[Any]], fixed: tuple[Any, ...], fields: list[Any]
) -> int:
    ops = connection.ops
    dates = [
        i for i, f in enumerate(fields) if isinstance(f, DateField) and not isinstance(f, DateTimeField)
    ]  # SQLite keeps dates as ISO text
    stamps = [i for i, f in enumerate(fields) if isinstance(f, DateTimeField)]
    sql = f"INSERT INTO {table} ({cols}) VALUES ({', '.join(['%s'] * width)})"
    n = 0
    batch: list[Sequence[Any]] = []
    # An import's rows share a few timestamps (its own time, a due date's):
    # each distinct one is converted to the stored text once.
    stored: dict[Any, Any] = {}
    with connection.cursor() as cursor:
        for row in rows:
            if dates or stamps:
                values = list(row)
                for i in dates:
                    if values[i] is not None:
                        values[i] = values[i].isoformat()
                for i in stamps:
                    value = values[i]
                    if value not in stored:
                        stored[value] = ops.adapt_datetimefield_value(value)
                    values[i] = stored[value]
                row = values
            batch.append((*row, *fixed))
            if len(batch) >= BATCH:
                cursor.executemany(sql, batch)
                n += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            n += len(batch)
    return n
