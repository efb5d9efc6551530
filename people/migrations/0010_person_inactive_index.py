from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("orgs", "0004_station_phone"),
        ("people", "0009_name_suffixes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="person",
            index=models.Index(condition=models.Q(("is_active", False)), fields=["id"], name="person_inactive"),
        ),
    ]
