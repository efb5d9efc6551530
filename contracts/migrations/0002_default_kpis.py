"""The KPI catalogue shaped after the seeds (Xihu Road: cases, 350+ visits,
100+ activities, ~15,700 person-times, 16 organisations …). Codes name the
functions in contracts/actuals.py; names and order are editable data."""

from django.db import migrations

KPIS = [
    ("cases", "个案", "个", "count"),
    ("key_visits", "重点对象探访", "次", "count"),
    ("activities", "社区活动", "场", "count"),
    ("groups", "小组", "个", "count"),
    ("person_times", "服务人次", "人次", "count"),
    ("unique_persons", "服务人数", "人", "count"),
    ("organisations", "培育社区社会组织", "个", "level"),
    ("organisation_members", "社会组织成员", "人", "level"),
    ("volunteers_recruited", "招募志愿者", "人", "count"),
    ("volunteer_hours", "志愿服务时长", "小时", "count"),
    ("resources_rmb", "链接资源", "元", "count"),
    ("monthly_visit_rate", "月探访率", "%", "level"),
    ("satisfaction", "满意度", "%", "level"),
]


def load(apps, schema_editor):
    Kpi = apps.get_model("contracts", "Kpi")
    for order, (code, name, unit_label, kind) in enumerate(KPIS):
        Kpi.objects.get_or_create(
            code=code, defaults={"name": name, "unit_label": unit_label, "kind": kind, "order": order * 10}
        )


class Migration(migrations.Migration):
    dependencies = [("contracts", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
