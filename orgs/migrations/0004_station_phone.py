from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("orgs", "0003_default_traits"),
    ]

    operations = [
        migrations.AddField(
            model_name="orgunit",
            name="phone",
            field=models.CharField(blank=True, max_length=20, verbose_name="phone"),
        ),
    ]
