from django.db import migrations

# The controlled list of volunteer skills (a district may add more rows).
SKILLS = [
    ("escort", "陪诊陪医", "elderly"),
    ("housekeeping", "家政保洁", "elderly"),
    ("meals", "助餐送餐", "elderly"),
    ("companionship", "陪伴聊天", "elderly"),
    ("haircut", "义务理发", "elderly"),
    ("health", "健康义诊", "elderly"),
    ("tutoring", "课业辅导", "children"),
    ("reading", "阅读陪伴", "children"),
    ("counselling", "心理疏导", "assistance"),
    ("legal", "法律咨询", "assistance"),
    ("repairs", "家电维修", "governance"),
    ("arts", "文艺演出", "governance"),
    ("photography", "摄影宣传", "governance"),
    ("driving", "驾驶接送", None),
    ("first-aid", "应急救护", None),
    ("sign-language", "手语", None),
]


def forwards(apps, schema_editor):
    Skill = apps.get_model("volunteers", "Skill")
    ServiceDomain = apps.get_model("core", "ServiceDomain")
    domains = {d.code: d for d in ServiceDomain.objects.all()}
    for code, name, domain in SKILLS:
        Skill.objects.get_or_create(code=code, defaults={"name": name, "domain": domains.get(domain)})


class Migration(migrations.Migration):
    dependencies = [("volunteers", "0002_volunteer_address_volunteer_notes_and_more"), ("core", "0002_default_domains")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
