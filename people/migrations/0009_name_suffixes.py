# Substring search of names as index ranges (people/search_keys.py): the
# name without its first one, two and three characters, filled in batches for
# existing rows; the name's own index gets the pattern operator class so that
# PostgreSQL ranges a prefix LIKE on it.

from django.conf import settings
from django.db import migrations, models

BATCH = 2000


def fill_name_suffixes(apps, schema_editor):
    Person = apps.get_model("people", "Person")
    rows = Person.objects.using(schema_editor.connection.alias).order_by("pk")
    last = 0
    while True:
        batch = list(rows.filter(pk__gt=last).only("pk", "name", "anonymised_at")[:BATCH])
        if not batch:
            return
        for p in batch:
            name = "" if p.anonymised_at else p.name  # an anonymised file is found by no name
            p.name_suffix1, p.name_suffix2, p.name_suffix3 = name[1:], name[2:], name[3:]
        Person.objects.using(schema_editor.connection.alias).bulk_update(
            batch, ["name_suffix1", "name_suffix2", "name_suffix3"]
        )
        last = batch[-1].pk


class Migration(migrations.Migration):
    dependencies = [
        ("orgs", "0004_station_phone"),
        ("people", "0008_merge_tombstone_dismissals"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="person",
            name="person_name",
        ),
        migrations.AddField(
            model_name="person",
            name="name_suffix1",
            field=models.CharField(blank=True, db_index=True, editable=False, max_length=50),
        ),
        migrations.AddField(
            model_name="person",
            name="name_suffix2",
            field=models.CharField(blank=True, db_index=True, editable=False, max_length=50),
        ),
        migrations.AddField(
            model_name="person",
            name="name_suffix3",
            field=models.CharField(blank=True, editable=False, max_length=50),
        ),
        migrations.RunPython(fill_name_suffixes, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(fields=["name"], name="person_name_prefix", opclasses=["varchar_pattern_ops"]),
        ),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(
                condition=models.Q(("name_suffix3__gt", "")), fields=["name_suffix3"], name="person_name_suffix3"
            ),
        ),
    ]
