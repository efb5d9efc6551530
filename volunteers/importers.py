"""Importing volunteers from a roster."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.actions import Action
from audit.services import audit_record
from core import identity
from core.access import Perm, require, unit_in_scope, unit_subtree
from core.excel import Checked, Column, Registry, RowError, identity_cells
from core.identity import pinyin_of
from core.ledger import BIRTH, NAME, PHONE, RESIDENT_ID
from core.models import ServiceDomain
from volunteers.models import Skill, Volunteer

_DAYS = {"一": "mon", "二": "tue", "三": "wed", "四": "thu", "五": "fri", "六": "sat", "日": "sun", "天": "sun"}
_SLOTS = {"上午": "am", "下午": "pm", "晚上": "eve", "全天": "all"}
_AVAIL = re.compile(r"(?:周|星期)([一二三四五六日天])(上午|下午|晚上|全天)?")


def parse_availability(text: str) -> dict[str, list[str]]:
    """ "周六上午、周日全天" → {"sat": ["am"], "sun": ["am", "pm", "eve"]}."""
    out: dict[str, list[str]] = {}
    text = identity.normalise_text(text)
    rest = _AVAIL.sub("", text)
    if re.sub(r"[\s、,，;；/]", "", rest):
        raise ValidationError(_("Write availability like 周六上午、周日全天."))
    for day, slot in _AVAIL.findall(text):
        slots = ["am", "pm", "eve"] if slot in ("", "全天") else [_SLOTS[slot]]
        bucket = out.setdefault(_DAYS[day], [])
        bucket.extend(s for s in slots if s not in bucket)
    order = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    return {d: [s for s in ("am", "pm", "eve") if s in out[d]] for d in order if d in out}


def _split(text: str) -> list[str]:
    return [t.strip() for t in re.split(r"[、,，;；/]", text) if t.strip()]


class VolunteerRegistry(Registry):
    key = "volunteers"
    title = "志愿者花名册"
    perm = Perm.RECORD_EDIT
    namespace = "volunteers"
    list_url = "volunteers:volunteer_list"
    columns = (
        Column("姓名", "name", True, synonyms=NAME),
        Column("身份证号", "resident_id", False, "有身份证号时性别、出生日期可不填", synonyms=RESIDENT_ID),
        Column("性别", "sex"),
        Column("出生日期", "birth_date", synonyms=BIRTH),
        Column(
            "居住区域",
            "unit",
            True,
            "社区或街道名称，须在您的管辖范围内",
            synonyms=("所属社区", "社区", "居住社区", "所在社区", "所属街道", "区域", "所属区域"),
        ),
        Column("联系电话", "phone", synonyms=PHONE),
        Column(
            "技能", "skills", False, "多个用顿号分隔，须为技能清单中的名称", synonyms=("特长", "专业技能", "技能特长")
        ),
        Column("其他技能", "skills_note", synonyms=("其他特长",)),
        Column("服务类别", "domains", False, "如：养老、儿童", synonyms=("服务领域", "服务意向", "志愿服务类别")),
        Column(
            "每周可服务时间",
            "availability",
            False,
            "如：周六上午、周日全天",
            synonyms=("可服务时间", "服务时间", "空闲时间"),
        ),
        Column(
            "同意日期", "consent_at", False, "本人同意登记其信息的日期", synonyms=("登记日期", "签署日期", "同意时间")
        ),
    )

    def check(self, actor: Any, rows: Iterator[tuple[int, dict[str, Any]]]) -> Checked:
        require(actor, self.perm)
        today = timezone.localdate()
        units = {}
        for u in unit_subtree(actor):
            units[u.name] = u
            units[u.code] = u
        skills = {s.name: s for s in Skill.objects.all()} | {s.code: s for s in Skill.objects.all()}
        domains = {d.name: d for d in ServiceDomain.objects.filter(active=True)}
        out = Checked()
        seen: dict[str, int] = {}
        for n, raw in rows:
            out.total += 1
            errs: list[RowError] = []
            name = identity.normalise_name(raw.get("name"))
            if not name:
                errs.append(RowError(n, "姓名", _("The name is missing.")))
            parsed, birth, sex, found = identity_cells(self, n, raw, today)
            errs.extend(found)
            unit_key = identity.normalise_text(raw.get("unit"))
            unit = units.get(unit_key)
            if unit is None:
                errs.append(
                    RowError(
                        n, "居住区域", _("Unknown community “%(name)s” (or not in your area).") % {"name": unit_key}
                    )
                )
            phone = ""
            try:
                phone = identity.validate_phone(raw.get("phone"))
            except ValidationError as exc:
                errs.append(RowError(n, "联系电话", exc.messages[0]))
            row_skills = []
            for token in _split(identity.normalise_text(raw.get("skills"))):
                if token in skills:
                    row_skills.append(skills[token])
                else:
                    errs.append(
                        RowError(n, "技能", _("Unknown skill “%(name)s”; put it under 其他技能.") % {"name": token})
                    )
            row_domains = []
            for token in _split(identity.normalise_text(raw.get("domains"))):
                if token in domains:
                    row_domains.append(domains[token])
                else:
                    errs.append(RowError(n, "服务类别", _("Unknown service category “%(name)s”.") % {"name": token}))
            availability: dict[str, list[str]] = {}
            if raw.get("availability"):
                try:
                    availability = parse_availability(str(raw["availability"]))
                except ValidationError as exc:
                    errs.append(RowError(n, "每周可服务时间", exc.messages[0]))
            consent = None
            if raw.get("consent_at") not in (None, ""):
                try:
                    consent = identity.parse_date(raw["consent_at"])
                except ValidationError as exc:
                    errs.append(RowError(n, "同意日期", exc.messages[0]))
                else:
                    if consent > today:
                        errs.append(RowError(n, "同意日期", _("The date is in the future.")))
            if errs:
                out.errors.extend(errs)
                continue
            assert unit is not None  # an unknown area is a problem above
            number = parsed.number if parsed else ""
            if number:
                if number in seen:
                    out.duplicates.append(
                        RowError(n, "身份证号", _("Same ID as row %(row)s: skipped.") % {"row": seen[number]})
                    )
                    continue
                seen[number] = n
            out.rows.append(
                {
                    "n": n,
                    "name": name,
                    "number": number,
                    "sex": sex,
                    "birth_date": birth.isoformat(),
                    "unit": unit.pk,
                    "phone": phone,
                    "skills": [s.pk for s in row_skills],
                    "skills_note": identity.normalise_text(raw.get("skills_note")),
                    "domains": [d.pk for d in row_domains],
                    "availability": availability,
                    "consent_at": consent.isoformat() if consent else None,
                }
            )
        hashes = {identity.id_hash(d["number"]): d for d in out.rows if d["number"]}
        for v in Volunteer.objects.filter(id_hash__in=list(hashes)).select_related("unit"):
            d = hashes[cast(str, v.id_hash)]  # found by id_hash__in, so it is set
            msg = (
                _("Already on file: %(name)s, %(unit)s (file no. %(pk)s): skipped.")
                % {"name": v.name, "unit": v.unit.name, "pk": v.pk}
                if unit_in_scope(actor, v.unit)
                else _("Already on file in another station: skipped.")
            )
            out.duplicates.append(RowError(d["n"], "身份证号", msg))
            d["bad"] = True
        # the ID leaves the check only as stored (identity.store_id): ciphertext, keyed hash, tail
        kept = []
        for d in out.rows:
            if not d.pop("bad", False):
                held = Volunteer()
                identity.store_id(held, d.pop("number") or None)
                kept.append({**d, "id_cipher": held.id_cipher, "id_hash": held.id_hash, "id_tail": held.id_tail})
        out.rows = kept
        out.errors.sort(key=lambda e: e.row)
        out.duplicates.sort(key=lambda e: e.row)
        return out

    def save(self, actor: Any, rows: list[Any], progress: Callable[[int], None]) -> tuple[int, int]:
        """Insert the checked rows in one transaction, in bulk; rows whose ID
        was saved by someone else since the check are skipped."""
        require(actor, self.perm)
        allowed = {u.pk for u in unit_subtree(actor)}
        if any(d["unit"] not in allowed for d in rows):
            raise ValidationError(
                _("Your area changed since the check: some communities are no longer in it. Upload the file again.")
            )
        with transaction.atomic():
            taken = set(
                Volunteer.objects.filter(id_hash__in=[d["id_hash"] for d in rows if d["id_hash"]]).values_list(
                    "id_hash", flat=True
                )
            )
            kept = [d for d in rows if not d["id_hash"] or d["id_hash"] not in taken]
            made = []
            for d in kept:
                full, initials = pinyin_of(d["name"])
                made.append(
                    Volunteer(
                        unit_id=d["unit"],
                        name=d["name"],
                        name_pinyin=full,
                        name_initials=initials,
                        sex=d["sex"],
                        birth_date=dt.date.fromisoformat(d["birth_date"]),
                        id_cipher=d["id_cipher"],
                        id_hash=d["id_hash"],
                        id_tail=d["id_tail"],
                        phone=d["phone"],
                        skills_note=d["skills_note"],
                        availability=d["availability"],
                        consent_at=dt.date.fromisoformat(d["consent_at"]) if d["consent_at"] else None,
                    )
                )
            Volunteer.objects.bulk_create(made, batch_size=2000)
            skills = Volunteer.skills.through
            domains = Volunteer.domains.through
            skills.objects.bulk_create(
                [skills(volunteer_id=v.pk, skill_id=s) for v, d in zip(made, kept, strict=True) for s in d["skills"]],
                batch_size=2000,
            )
            domains.objects.bulk_create(
                [
                    domains(volunteer_id=v.pk, servicedomain_id=x)
                    for v, d in zip(made, kept, strict=True)
                    for x in d["domains"]
                ],
                batch_size=2000,
            )
            progress(len(made))
            audit_record(
                actor=actor,
                action=Action.VOLUNTEER_IMPORT,
                unit=actor.unit,
                changes={"rows": len(made), "skipped": len(rows) - len(kept)},
            )
        return len(made), len(rows) - len(kept)
