"""The default self-evaluation sheet: six modules, 1,000 points. An
administrator may edit the items or add other sheets."""

from django.db import migrations

DEFAULT = [
    ("基础设施", "场地面积、功能分区与标识", 80),
    ("基础设施", "办公与服务设备", 70),
    ("制度建设", "工作制度上墙与执行", 60),
    ("制度建设", "档案台账规范", 60),
    ("人员投入", "专职社工配备（≥2名）与持证比例", 90),
    ("人员投入", "经费使用与督导培训", 60),
    ("运行管理", "1+1+1 例会、周报、督导", 100),
    ("运行管理", "五级汇报与联席会议", 80),
    ("服务开展", "个案、小组、社区活动", 150),
    ("服务开展", "困难群众探访与一分三卡", 100),
    ("服务成效", "服务对象满意度", 80),
    ("服务成效", "社区社会组织培育与资源链接", 70),
]


def load(apps, schema_editor):
    Sheet = apps.get_model("workrecords", "ScoringSheet")
    Item = apps.get_model("workrecords", "ScoringItem")
    sheet, created = Sheet.objects.get_or_create(name="社工站评估（默认，1000分）", defaults={"is_default": True})
    if created:
        Item.objects.bulk_create(
            [Item(sheet=sheet, module=m, name=n, max_points=p, order=i) for i, (m, n, p) in enumerate(DEFAULT)]
        )


class Migration(migrations.Migration):
    dependencies = [("workrecords", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
