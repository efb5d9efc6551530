import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("orgs", "0001_initial")]

    operations = [
        migrations.CreateModel(
            name="CommunityTrait",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("code", models.SlugField(max_length=40, unique=True, verbose_name="code")),
                ("name", models.CharField(max_length=40, unique=True, verbose_name="name")),
                ("order", models.PositiveSmallIntegerField(default=100, verbose_name="order")),
                ("retired", models.BooleanField(default=False, verbose_name="retired")),
            ],
            options={
                "verbose_name": "community characteristic",
                "verbose_name_plural": "community characteristics",
                "ordering": ["order", "code"],
            },
        ),
        migrations.CreateModel(
            name="CommunityProfile",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("figures_year", models.PositiveSmallIntegerField(blank=True, null=True, verbose_name="year of the figures")),
                ("population", models.PositiveIntegerField(blank=True, null=True, verbose_name="population")),
                ("households", models.PositiveIntegerField(blank=True, null=True, verbose_name="households")),
                (
                    "area_km2",
                    models.DecimalField(blank=True, decimal_places=2, max_digits=8, null=True, verbose_name="area (km²)"),
                ),
                ("secretary", models.CharField(blank=True, max_length=50, verbose_name="community secretary")),
                ("secretary_phone", models.CharField(blank=True, max_length=20, verbose_name="secretary's phone")),
                ("contacts", models.TextField(blank=True, verbose_name="other key contacts")),
                ("notes", models.TextField(blank=True, verbose_name="notes")),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "unit",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="profile",
                        to="orgs.orgunit",
                        verbose_name="unit",
                    ),
                ),
                (
                    "traits",
                    models.ManyToManyField(
                        blank=True, related_name="profiles", to="orgs.communitytrait", verbose_name="characteristics"
                    ),
                ),
            ],
            options={"verbose_name": "community profile", "verbose_name_plural": "community profiles"},
        ),
    ]
