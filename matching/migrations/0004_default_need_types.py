from django.db import migrations

# Default need types: (code, name, domain, kind, volunteer skill code). Rows, so
# a district can add its own; volunteer offers derive their categories from
# their skills through `skill_code`.
NEED_TYPES = [
    ("escort", "陪诊陪医", "elderly", "service", "escort"),
    ("housekeeping", "家政保洁", "elderly", "service", "housekeeping"),
    ("meals", "助餐送餐", "elderly", "service", "meals"),
    ("companionship", "陪伴聊天", "elderly", "service", "companionship"),
    ("haircut", "义务理发", "elderly", "service", "haircut"),
    ("health", "健康义诊", "elderly", "service", "health"),
    ("tutoring", "课业辅导", "children", "service", "tutoring"),
    ("reading", "阅读陪伴", "children", "service", "reading"),
    ("counselling", "心理疏导", "assistance", "service", "counselling"),
    ("legal", "法律咨询", "assistance", "service", "legal"),
    ("repairs", "家电维修", "governance", "service", "repairs"),
    ("goods-food", "粮油物资", "assistance", "goods", ""),
    ("goods-appliance", "适老化家电", "elderly", "goods", ""),
    ("goods-study", "学习用品", "children", "goods", ""),
    ("goods-clothing", "衣物被褥", "assistance", "goods", ""),
    ("venue", "活动场地", "governance", "venue", ""),
]


def forwards(apps, schema_editor):
    NeedType = apps.get_model("matching", "NeedType")
    ServiceDomain = apps.get_model("core", "ServiceDomain")
    domains = {d.code: d for d in ServiceDomain.objects.all()}
    for order, (code, name, domain, kind, skill) in enumerate(NEED_TYPES):
        NeedType.objects.get_or_create(
            code=code,
            defaults={"name": name, "domain": domains[domain], "kind": kind, "skill_code": skill, "order": order * 10},
        )


class Migration(migrations.Migration):
    dependencies = [("matching", "0003_resources_runs_tasks_wishes"), ("core", "0002_default_domains")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
