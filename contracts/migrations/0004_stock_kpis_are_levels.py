"""Organisations and their members are a stock the station builds up and
holds (counted as of the period end), not a flow to pro-rate by day."""

from django.db import migrations


def forwards(apps, schema_editor):
    apps.get_model("contracts", "Kpi").objects.filter(code__in=["organisations", "organisation_members"]).update(
        kind="level"
    )


def backwards(apps, schema_editor):
    apps.get_model("contracts", "Kpi").objects.filter(code__in=["organisations", "organisation_members"]).update(
        kind="count"
    )


class Migration(migrations.Migration):
    dependencies = [("contracts", "0003_service_rollup")]
    operations = [migrations.RunPython(forwards, backwards)]
