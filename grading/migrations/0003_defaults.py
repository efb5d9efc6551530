"""Built-in instruments, the default grading rule set and follow-up policy
(domain.md §2–§3). Frozen here: later edits are new versions, not changes."""

from django.db import migrations

_ADL = ["完全独立", "需少量帮助", "需部分帮助", "需大量帮助", "完全依赖"]


def _graded(code, text, top, labels=None):
    labels = labels or _ADL
    # Options best first: score `top` down to 0.
    step = labels if len(labels) == top + 1 else [f"{top - i}分" for i in range(top + 1)]
    return {"code": code, "text": text, "options": [{"label": step[i], "score": top - i} for i in range(top + 1)]}


def _yes_no(code, text, weight):
    return {"code": code, "text": text, "options": [{"label": "否", "score": 0}, {"label": "是", "score": weight}]}


# GB/T 42195-2022 老年人能力评估规范: four dimensions, total 0–90, level 0–4.
ELDERLY_ABILITY = {
    "dimensions": [
        {
            "code": "self_care",
            "name": "自理能力",
            "items": [
                _graded("eating", "进食", 4),
                _graded("grooming", "修饰", 4),
                _graded("bathing", "洗澡", 4),
                _graded("dress_upper", "穿/脱上衣", 4),
                _graded("dress_lower", "穿/脱裤子和鞋袜", 4),
                _graded("bladder", "小便控制", 4),
                _graded("bowel", "大便控制", 4),
                _graded("toilet", "如厕", 4),
            ],
        },
        {
            "code": "motor",
            "name": "基础运动能力",
            "items": [
                _graded("bed_mobility", "床上体位转移", 4),
                _graded("transfer", "床椅转移", 4),
                _graded("walking", "平地行走", 4),
                _graded("stairs", "上下楼梯", 4),
            ],
        },
        {
            "code": "mental",
            "name": "精神状态",
            "items": [
                _graded("orient_time", "时间定向", 4, ["正常", "轻度障碍", "中度障碍", "重度障碍", "完全障碍"]),
                _graded("orient_place", "空间定向", 4, ["正常", "轻度障碍", "中度障碍", "重度障碍", "完全障碍"]),
                _graded("orient_person", "人物定向", 4, ["正常", "轻度障碍", "中度障碍", "重度障碍", "完全障碍"]),
                _graded("memory", "记忆", 4, ["正常", "轻度障碍", "中度障碍", "重度障碍", "完全障碍"]),
                _graded("comprehension", "理解能力", 4, ["正常", "轻度障碍", "中度障碍", "重度障碍", "完全障碍"]),
                _graded("expression", "表达能力", 4, ["正常", "轻度障碍", "中度障碍", "重度障碍", "完全障碍"]),
                _graded("aggression", "攻击行为", 1, ["无", "有"]),
                _graded("depression", "抑郁症状", 2, ["无", "偶有", "经常"]),
            ],
        },
        {
            "code": "perception",
            "name": "感知觉与社会参与",
            "items": [
                _graded("vision", "视力", 2, ["正常", "部分受损", "严重受损"]),
                _graded("hearing", "听力", 2, ["正常", "部分受损", "严重受损"]),
                _graded("daily_affairs", "执行日常事务", 4),
                _graded("transport", "使用交通工具外出", 4),
                _graded("social", "社会交往能力", 3, ["正常", "轻度受限", "明显受限", "无法交往"]),
            ],
        },
    ],
    "levels": [
        {"level": 0, "name": "能力完好", "min": 90, "max": 90},
        {"level": 1, "name": "能力轻度受损(轻度失能)", "min": 66, "max": 89},
        {"level": 2, "name": "能力中度受损(中度失能)", "min": 46, "max": 65},
        {"level": 3, "name": "能力重度受损(重度失能)", "min": 30, "max": 45},
        {"level": 4, "name": "能力完全丧失(完全失能)", "min": 0, "max": 29},
    ],
}

CHILD_RISK = {
    "dimensions": [
        {
            "code": "family",
            "name": "家庭与监护",
            "items": [
                _yes_no("parents_away", "父母双方外出务工或一方外出另一方无监护能力", 2),
                _yes_no("guardian_unable", "监护人无监护能力或监护不当", 3),
                _yes_no("poverty", "家庭经济困难", 2),
                _yes_no("unsafe_home", "居住环境不安全", 2),
            ],
        },
        {
            "code": "child",
            "name": "儿童本人",
            "items": [
                _yes_no("disabled_ill", "本人残疾或患重病", 3),
                _yes_no("dropout", "辍学或有失学风险", 2),
                _yes_no("harm", "遭受或疑似遭受侵害", 5),
                _yes_no("behaviour", "心理或行为问题", 2),
            ],
        },
    ],
    "levels": [
        {"level": 0, "name": "低风险", "min": 0, "max": 2},
        {"level": 1, "name": "中风险", "min": 3, "max": 5},
        {"level": 2, "name": "高风险", "min": 6, "max": 21},
    ],
}

HOUSEHOLD_VULNERABILITY = {
    "dimensions": [
        {
            "code": "members",
            "name": "家庭成员",
            "items": [
                _yes_no("no_workers", "家中无劳动能力成员", 2),
                _yes_no("serious_ill", "有重病或慢性病成员", 2),
                _yes_no("disabled", "有残疾成员", 2),
                _yes_no("no_carer", "独居或无人照料", 3),
            ],
        },
        {
            "code": "economy",
            "name": "经济与居住",
            "items": [
                _yes_no("low_income", "人均收入低于低保标准1.5倍", 2),
                _yes_no("rigid_expense", "有大额刚性支出(医疗、教育)", 2),
                _yes_no("unsafe_housing", "住房不安全", 3),
                _yes_no("recent_shock", "近期遭遇重大变故", 2),
            ],
        },
    ],
    "levels": [
        {"level": 0, "name": "低脆弱", "min": 0, "max": 3},
        {"level": 1, "name": "中脆弱", "min": 4, "max": 7},
        {"level": 2, "name": "高脆弱", "min": 8, "max": 18},
    ],
}

INSTRUMENTS = [
    ("elderly_ability", "老年人能力评估(GB/T 42195-2022)", "ability", "elderly", ELDERLY_ABILITY),
    ("child_risk", "儿童风险清单", "checklist", "children", CHILD_RISK),
    ("household_vulnerability", "家庭脆弱性清单", "checklist", "assistance", HOUSEHOLD_VULNERABILITY),
]

# (card, reason, categories, min_age, instrument code, min_level)
RULES = [
    ("red", "特困供养人员", ["tekun"], None, None, None),
    ("red", "失能老人", ["elderly_disabled"], None, None, None),
    ("red", "能力评估为重度失能及以上", [], None, "elderly_ability", 3),
    ("red", "80岁以上独居老人", ["elderly_alone"], 80, None, None),
    ("red", "事实无人抚养儿童或孤儿", ["child_unsupported", "orphan"], None, None, None),
    ("red", "儿童风险清单高风险", [], None, "child_risk", 2),
    ("red", "家庭脆弱性高", [], None, "household_vulnerability", 2),
    ("blue", "低保或低保边缘", ["dibao", "dibao_edge"], None, None, None),
    ("blue", "刚性支出困难或临时救助", ["rigid_expense", "relief_emergency", "relief_expense"], None, None, None),
    ("blue", "残疾人", ["disability"], None, None, None),
    ("blue", "独居、空巢或失智老人", ["elderly_alone", "elderly_empty_nest", "elderly_dementia"], None, None, None),
    ("blue", "困境或留守儿童", ["child_plight", "child_left_behind"], None, None, None),
    ("blue", "能力评估为中度失能", [], None, "elderly_ability", 2),
    ("blue", "儿童风险清单中风险", [], None, "child_risk", 1),
    ("blue", "家庭脆弱性中等", [], None, "household_vulnerability", 1),
    ("green", "总体稳定", [], None, None, None),
]

DOMAIN_OF_GROUP = {"assistance": "assistance", "disability": "assistance", "elderly": "elderly", "children": "children"}
RATE_CATEGORIES = ["elderly_alone", "elderly_empty_nest", "elderly_disabled", "disability", "tekun"]


def forwards(apps, schema_editor):
    Instrument = apps.get_model("grading", "Instrument")
    InstrumentVersion = apps.get_model("grading", "InstrumentVersion")
    ServiceDomain = apps.get_model("core", "ServiceDomain")
    GradingRuleSet = apps.get_model("grading", "GradingRuleSet")
    GradingRule = apps.get_model("grading", "GradingRule")
    FollowUpPolicy = apps.get_model("grading", "FollowUpPolicy")
    CategoryType = apps.get_model("people", "CategoryType")
    CategoryDomain = apps.get_model("grading", "CategoryDomain")
    domains = {d.code: d for d in ServiceDomain.objects.all()}
    instruments = {}
    for code, name, kind, domain, schema in INSTRUMENTS:
        inst, _ = Instrument.objects.get_or_create(
            code=code, defaults={"name": name, "kind": kind, "domain": domains.get(domain), "builtin": True}
        )
        InstrumentVersion.objects.get_or_create(instrument=inst, number=1, defaults={"schema": schema})
        instruments[code] = inst
    if not GradingRuleSet.objects.exists():
        rs = GradingRuleSet.objects.create(number=1, name="默认规则(domain.md)", is_active=True)
        for order, (card, reason, cats, age, inst, level) in enumerate(RULES, start=1):
            GradingRule.objects.create(
                rule_set=rs,
                order=order * 10,
                card=card,
                reason=reason,
                categories=cats,
                min_age=age,
                instrument=instruments.get(inst),
                min_level=level,
            )
    FollowUpPolicy.objects.get_or_create(district=None, defaults={"rate_categories": RATE_CATEGORIES})
    for cat in CategoryType.objects.all():
        code = DOMAIN_OF_GROUP.get(cat.group)
        if code and code in domains:
            CategoryDomain.objects.get_or_create(category=cat, defaults={"domain": domains[code]})


class Migration(migrations.Migration):
    dependencies = [
        ("grading", "0002_instruments_rules_visits"),
        ("core", "0002_default_domains"),
        ("people", "0002_default_categories"),
    ]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
