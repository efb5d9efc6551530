# Search keys as index ranges (people/search_keys.py): the phones' digits
# reversed, filled in batches for existing rows; on PostgreSQL a trigram
# index (pg_trgm) for substring search of names.

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

BATCH = 2000


def _reversed_digits(phone):
    return "".join(c for c in (phone or "") if c.isdigit())[::-1]


def fill_phone_tails(apps, schema_editor):
    Person = apps.get_model("people", "Person")
    rows = Person.objects.using(schema_editor.connection.alias).order_by("pk")
    last = 0
    while True:
        batch = list(rows.filter(pk__gt=last).only("pk", "phone", "phone2")[:BATCH])
        if not batch:
            return
        for p in batch:
            p.phone_tail, p.phone2_tail = _reversed_digits(p.phone), _reversed_digits(p.phone2)
        Person.objects.using(schema_editor.connection.alias).bulk_update(batch, ["phone_tail", "phone2_tail"])
        last = batch[-1].pk


TRGM_INDEX = "people_person_name_trgm"


def add_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {TRGM_INDEX} ON people_person USING gin (name gin_trgm_ops)"
        )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {TRGM_INDEX}")


class Migration(migrations.Migration):

    dependencies = [
        ("people", "0004_person_status_created_by"),
    ]

    operations = [
        migrations.AddField(
            model_name="person",
            name="phone2_tail",
            field=models.CharField(blank=True, db_index=True, editable=False, max_length=20),
        ),
        migrations.AddField(
            model_name="person",
            name="phone_tail",
            field=models.CharField(blank=True, db_index=True, editable=False, max_length=20),
        ),
        migrations.RunPython(fill_phone_tails, migrations.RunPython.noop, elidable=True),
        TrigramExtension(),
        migrations.RunPython(add_trigram_index, drop_trigram_index),
    ]
