"""The search keys matched by prefix or equality keep one index each.

With db_index=True, PostgreSQL had two indexes per key: a plain one and a
`varchar_pattern_ops` one (`_like`), and only the second serves a LIKE
'term%' (equality too). Every insert, an import's COPY above all, paid for
both. The plain ones are dropped and the pattern ones renamed to the model's
Meta indexes; on SQLite, which has the plain one only, it is renamed (dropped
and made again under the new name). The database ends as a fresh migrate of
the new state would make it, without rebuilding the residents' table (which
altering the fields would do on SQLite, once per field)."""

from django.db import migrations, models

KEYS = ("name_pinyin", "name_initials", "id_tail", "phone_tail", "phone2_tail", "name_suffix1", "name_suffix2")
TABLE = "people_person"


def _old(schema_editor, column, suffix=""):
    return schema_editor._create_index_name(TABLE, [column], suffix=suffix)


def forwards(apps, schema_editor):
    q = schema_editor.quote_name
    for column in KEYS:
        new = f"person_{column}_prefix"
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"DROP INDEX IF EXISTS {q(_old(schema_editor, column))}")
            schema_editor.execute(f"ALTER INDEX {q(_old(schema_editor, column, '_like'))} RENAME TO {q(new)}")
        else:
            schema_editor.execute(f"DROP INDEX IF EXISTS {q(_old(schema_editor, column))}")
            schema_editor.execute(f"CREATE INDEX {q(new)} ON {q(TABLE)} ({q(column)})")


def backwards(apps, schema_editor):
    q = schema_editor.quote_name
    for column in KEYS:
        new = f"person_{column}_prefix"
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"ALTER INDEX {q(new)} RENAME TO {q(_old(schema_editor, column, '_like'))}")
        else:
            schema_editor.execute(f"DROP INDEX IF EXISTS {q(new)}")
        schema_editor.execute(f"CREATE INDEX {q(_old(schema_editor, column))} ON {q(TABLE)} ({q(column)})")


class Migration(migrations.Migration):
    dependencies = [("people", "0010_person_inactive_index")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                *(
                    migrations.AlterField(
                        model_name="person",
                        name=column,
                        field=models.CharField(blank=True, editable=False, max_length=length),
                    )
                    for column, length in zip(KEYS, (200, 50, 4, 20, 20, 50, 50), strict=True)
                ),
                *(
                    migrations.AddIndex(
                        model_name="person",
                        index=models.Index(
                            fields=[column], name=f"person_{column}_prefix", opclasses=["varchar_pattern_ops"]
                        ),
                    )
                    for column in KEYS
                ),
            ],
            database_operations=[migrations.RunPython(forwards, backwards)],
        )
    ]
