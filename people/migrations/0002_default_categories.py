from django.db import migrations

# Recipient categories of domain.md §2; 高龄 is derived from age, not stored.
CATEGORIES = [
    ("dibao", "低保", "assistance"), ("dibao_edge", "低保边缘", "assistance"), ("tekun", "特困", "assistance"),
    ("rigid_expense", "刚性支出困难", "assistance"), ("relief_emergency", "临时救助(急难型)", "assistance"),
    ("relief_expense", "临时救助(支出型)", "assistance"), ("disability", "残疾", "disability"),
    ("elderly_alone", "独居老人", "elderly"), ("elderly_empty_nest", "空巢老人", "elderly"),
    ("elderly_disabled", "失能老人", "elderly"), ("elderly_dementia", "失智老人", "elderly"),
    ("child_plight", "困境儿童", "children"), ("child_unsupported", "事实无人抚养儿童", "children"),
    ("child_left_behind", "留守儿童", "children"), ("orphan", "孤儿", "children"),
]


def forwards(apps, schema_editor):
    CategoryType = apps.get_model("people", "CategoryType")
    for order, (code, name, group) in enumerate(CATEGORIES, start=1):
        CategoryType.objects.get_or_create(
            code=code, defaults={"name": name, "group": group, "builtin": True, "sensitive": True, "order": order * 10}
        )


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
