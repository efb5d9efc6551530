from django.db import migrations

# The characteristics the issue names, as the district's starting list (it may
# add, rename or retire rows on the characteristics page).
TRAITS = [
    ("dibao", "低保家庭多"),
    ("demolition", "正在拆迁"),
    ("new-complex", "新型社区、人口复杂"),
    ("near-hospital", "毗邻医院"),
    ("elderly-alone", "独居老人多"),
    ("very-old", "高龄老人多"),
    ("old-town", "地处老城区"),
    ("red-culture", "红色文化底蕴深厚"),
    ("party-members", "在职党员报到多"),
]


def forwards(apps, schema_editor):
    CommunityTrait = apps.get_model("orgs", "CommunityTrait")
    for order, (code, name) in enumerate(TRAITS, start=1):
        CommunityTrait.objects.get_or_create(code=code, defaults={"name": name, "order": order * 10})


class Migration(migrations.Migration):
    dependencies = [("orgs", "0002_community_profile")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
