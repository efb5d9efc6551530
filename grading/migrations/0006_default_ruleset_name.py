"""The default rule set was named after the spec it came from
("默认规则(domain.md)"), which pages showed to users: give it a real name.
A rule set someone has renamed keeps its name."""

from django.db import migrations

OLD = "默认规则(domain.md)"
NEW = "一分三卡默认规则"


def rename(apps, schema_editor):
    apps.get_model("grading", "GradingRuleSet").objects.filter(name=OLD).update(name=NEW)


def restore(apps, schema_editor):
    apps.get_model("grading", "GradingRuleSet").objects.filter(name=NEW).update(name=OLD)


class Migration(migrations.Migration):
    dependencies = [("grading", "0005_responsible_rules")]

    operations = [migrations.RunPython(rename, restore)]
