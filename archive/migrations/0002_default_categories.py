from django.db import migrations

# The categories a district starts with (it edits the list afterwards).
DEFAULTS = ["规章制度", "运营指引手册", "合同协议", "会议纪要", "活动照片", "其他"]


def add(apps, schema_editor):
    Category = apps.get_model("archive", "Category")
    for order, name in enumerate(DEFAULTS):
        Category.objects.get_or_create(name=name, defaults={"order": order})


class Migration(migrations.Migration):
    dependencies = [("archive", "0001_documents")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
