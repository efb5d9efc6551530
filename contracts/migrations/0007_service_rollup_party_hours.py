from django.db import migrations, models


def forget_service_rollup(apps, schema_editor):
    # The rows built before this column hold no Party-member hours: readers
    # count from the records until the next refresh rebuilds them.
    apps.get_model("contracts", "RollupState").objects.filter(source="volunteering.ServiceRecord").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("contracts", "0006_tranches_evaluations_signed_file"),
    ]

    operations = [
        migrations.AddField(
            model_name="servicedayrollup",
            name="party_hours",
            field=models.DecimalField(decimal_places=1, default=0, max_digits=12),
        ),
        migrations.RunPython(forget_service_rollup, migrations.RunPython.noop),
    ]
