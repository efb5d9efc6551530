"""Domain thresholds and vocabularies of the registries (domain.md §2, §9).

Thresholds are read through `linli.env` so that a district can change them
without code; the vocabularies are the national ones.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from linli.env import env_int

VERY_OLD_AGE = env_int("LINLI_VERY_OLD_AGE", 80, minimum=60)  # 高龄
ELDERLY_AGE = env_int("LINLI_ELDERLY_AGE", 60, minimum=50)
GUARDIAN_CONSENT_AGE = env_int("LINLI_GUARDIAN_CONSENT_AGE", 14, minimum=1)  # PIPL art. 31
ADULT_AGE = 18

# category code → allowed subtypes (code, label); a category not listed takes none.
SUBTYPES: dict[str, list[tuple[str, object]]] = {
    "disability": [
        ("visual", _("visual (视力)")),
        ("hearing", _("hearing (听力)")),
        ("speech", _("speech (言语)")),
        ("physical", _("physical (肢体)")),
        ("intellectual", _("intellectual (智力)")),
        ("mental", _("mental (精神)")),
        ("multiple", _("multiple (多重)")),
    ],
    "child_plight": [
        ("poverty", _("family poverty (家庭贫困)")),
        ("disability", _("own disability (自身残疾)")),
        ("guardianship", _("lacking or improper guardianship (监护缺失或不当)")),
    ],
    "relief_emergency": [],
    "relief_expense": [],
}
# category code → (lowest, highest) grade; disability grade 1–4, ability level 0–4 (GB/T 42195-2022).
GRADES: dict[str, tuple[int, int]] = {
    "disability": (1, 4),
    "elderly_disabled": (0, 4),
    "elderly_dementia": (0, 4),
}
AGE_BANDS: dict[str, tuple[int | None, int | None]] = {
    "0-13": (0, 13),
    "14-17": (14, 17),
    "18-59": (18, 59),
    "60-79": (60, 79),
    "80+": (80, None),
}
