from django.db import migrations

# The "4+N" model's four built-in domains (domain.md §4); N are added by admins.
DOMAINS = [("assistance", "救助", 10), ("elderly", "养老", 20), ("children", "儿童", 30), ("governance", "社会治理", 40)]


def forwards(apps, schema_editor):
    ServiceDomain = apps.get_model("core", "ServiceDomain")
    for code, name, order in DOMAINS:
        ServiceDomain.objects.get_or_create(code=code, defaults={"name": name, "order": order, "builtin": True})


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
