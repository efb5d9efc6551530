"""What each standard form prints, read from the records it comes from.

Everything personal leaves here masked as the paper forms hold it: ID
numbers show four characters at most, phones and exact addresses as the
exports mask them. A child under the guardian-consent age is printed only
for a user who may handle sensitive personal data (`may_print_children`);
for anyone else the child's row keeps the family name and nothing else."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from core.access import Perm, can
from core.identity import mask_address, mask_id, mask_phone
from paperwork.catalogue import FORMS, Form
from people import rules as people_rules

WITHHELD = "（未满{age}周岁，不予打印）"


def may_print_children(user: Any) -> bool:
    """Children's data is sensitive (PIPL art. 28, 31): it is printed for
    those who may see a full ID number, the people who work with the files."""
    return can(user, Perm.ID_REVEAL)


@dataclass
class Doc:
    """One printed form: its header, reference and the fields its template reads."""

    form: Form
    ref: str
    station: Any
    unit: Any
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def district(self) -> Any:
        return self.station.parent if self.station.parent_id else None

    @property
    def agency(self) -> Any:
        return self.station.agency


def station_of(unit: Any) -> Any:
    from core.roles import Level

    return unit.parent if unit.level == Level.COMMUNITY and unit.parent_id else unit


def _doc(slug: str, ref: str, unit: Any, **data: Any) -> Doc:
    return Doc(form=FORMS[slug], ref=ref, station=station_of(unit), unit=unit, data=data)


def _day(value: dt.date | None) -> str:
    return f"{value.year}年{value.month}月{value.day}日" if value else ""


def _short(value: dt.date | None) -> str:
    """A date in a narrow table column, on one line."""
    return f"{value:%Y-%m-%d}" if value else ""


def _user(user: Any) -> str:
    return str(user) if user else ""


# --- people -------------------------------------------------------------------


def _is_child(person: Any, today: dt.date) -> bool:
    return person.age_on(today) < people_rules.GUARDIAN_CONSENT_AGE


def person_row(person: Any, *, today: dt.date, children: bool) -> dict[str, Any]:
    """A person as one row of a form."""
    if _is_child(person, today) and not children:
        note = WITHHELD.format(age=people_rules.GUARDIAN_CONSENT_AGE)
        return {"name": person.name[:1] + "*", "withheld": note, "age": "", "id": "", "phone": "", "address": ""}
    household = person.household if person.household_id else None
    address = person.actual_address or (household.address if household else "")
    grade = getattr(person, "grade", None)
    return {
        "name": person.name,
        "withheld": "",
        "sex": person.get_sex_display(),
        "age": person.age_on(today),
        "birth": _day(person.birth_date),
        "relation": person.get_relation_display() if person.relation else "",
        "id": mask_id(tail=person.id_tail) if person.id_tail else "—",
        "phone": mask_phone(person.phone) or "—",
        "address": mask_address(address) or "—",
        "categories": "、".join(c.category.name for c in person.categories.all() if c.active_on(today)) or "—",
        "card": grade.get_card_display() if grade is not None else "",
        "guardians": [
            {"name": g.name, "relation": g.relation, "phone": mask_phone(g.phone) or "—"}
            for g in person.guardians.all()
        ],
        "status": person.get_status_display() if person.status else "",
    }


def household_docs(households: Sequence[Any], members: Iterable[Any], visits: Iterable[Any], *, user: Any) -> list[Doc]:
    today = timezone.localdate()
    children = may_print_children(user)
    by_household: dict[int, list[Any]] = defaultdict(list)
    for m in members:
        by_household[m.household_id].append(m)
    visits_of: dict[int, list[Any]] = defaultdict(list)
    for v in visits:
        visits_of[v.person.household_id].append(v)
    docs = []
    for hh in households:
        people = by_household.get(hh.pk, [])
        consents = [c for p in people for c in p.consents.all()]
        withheld = {p.pk for p in people if _is_child(p, today) and not children}
        docs.append(
            _doc(
                "household",
                f"HH-{hh.unit.code}-{hh.pk:06d}",
                hh.unit,
                household=hh,
                address=mask_address(hh.address) or "—",
                head=hh.head.name if hh.head_id else "—",
                members=[person_row(p, today=today, children=children) for p in people],
                guardian_count=sum(len(p.guardians.all()) for p in people if p.pk not in withheld),
                consents=[
                    {
                        "person": c.person.name if c.person_id not in withheld else c.person.name[:1] + "*",
                        "purpose": c.purpose,
                        "given_on": _short(c.given_on),
                        "given_by": c.given_by,
                        "by_guardian": c.by_guardian,
                        "withdrawn_on": _short(c.withdrawn_on),
                    }
                    for c in consents
                ],
                visits=[
                    {
                        "on": _short(v.visited_on),
                        "person": v.person.name if v.person_id not in withheld else v.person.name[:1] + "*",
                        "mode": v.get_mode_display(),
                        "visitor": v.visitor_name or _user(v.visitor),
                    }
                    for v in visits_of.get(hh.pk, [])[:RECENT_VISITS]
                ],
            )
        )
    return docs


RECENT_VISITS = 6  # the household file lists the latest few visits; the visit records print in full elsewhere


# --- cases --------------------------------------------------------------------

_GOAL = {True: "已达成", False: "未达成", None: "—"}


def _transitions(case: Any, *actions: str) -> list[dict[str, Any]]:
    return [
        {"action": t.action, "actor": _user(t.actor), "at": timezone.localtime(t.at), "comment": t.comment}
        for t in case.transitions.all()
        if t.action in actions
    ]


def _party(item: Any) -> dict[str, Any]:
    """Who carries out a goal or a planned service of a multi-party plan, and by when."""
    return {
        "responsible": f"{item.get_responsible_kind_display()}：{item.responsible}" if item.responsible else "",
        "due": _short(item.due_on),
        "conference": _short(item.conference.date) if item.conference_id else "",
    }


def _conference(c: Any, *, discussion: bool) -> dict[str, Any]:
    names = [str(u) for u in c.staff.all()]
    names += [str(o) for o in c.organisations.all()] + [str(e) for e in c.enterprises.all()]
    names += [p.name for p in c.family_members.all()] + ([c.others] if c.others else [])
    if c.resident_attended:
        names.append("服务对象本人")
    # The discussion is read by the case team only, as on the case page.
    return {"on": _short(c.date), "who": "、".join(names) or "—", "discussion": c.discussion if discussion else ""}


def case_docs(case: Any, slugs: Sequence[str], *, user: Any, assessments: Sequence[Any]) -> list[Doc]:
    today = timezone.localdate()
    person = person_row(case.person, today=today, children=may_print_children(user))
    from casework.access import can_read_confidential

    goals = [{"text": g.text, "achieved": _GOAL[g.achieved], **_party(g)} for g in case.goals.all()]
    delivered = sorted(case.delivered_services.all(), key=lambda d: (d.date, d.pk))  # as they happened
    common = {
        "case": case,
        "person": person,
        "opened_on": _day(case.opened_on),
        "closed_on": _day(case.closed_on),
        "worker": _user(case.worker),
        "co_workers": "、".join(_user(u) for u in case.co_workers.all()) or "—",
        "supervisor": _user(case.supervisor) or "—",
        "goals": goals,
    }
    per_form: dict[str, dict[str, Any]] = {
        "intake": {"referrals": [r.organisation for r in case.referrals.all()]},
        "assessment": {
            "assessments": [
                {
                    "on": _short(a.assessed_on),
                    "instrument": str(a.version.instrument),
                    "total": a.total,
                    "max": a.version.max_total,
                    "level": a.level_name,
                    "assessor": _user(a.assessor),
                    "notes": a.notes,
                }
                for a in assessments
            ],
            "moves": _transitions(case, "assess"),
        },
        "plan": {
            "services": [
                {"description": s.description, "frequency": s.frequency or "—", **_party(s)}
                for s in case.planned_services.all()
            ],
            "agreed_by": case.plan_agreed_by,
            "agreed_on": _day(case.plan_agreed_on),
            "conferences": [
                _conference(c, discussion=can_read_confidential(user, case)) for c in case.conferences.all()
            ],
            "moves": _transitions(case, "submit_plan", "approve_plan", "return_plan"),
        },
        "evaluation": {
            "delivered": [
                {
                    "on": _short(d.date),
                    "description": d.description,
                    "minutes": d.minutes,
                    "worker": _user(d.worker),
                }
                for d in delivered
            ],
            "minutes": sum(d.minutes for d in delivered),
            "moves": _transitions(case, "evaluate", "resume"),
        },
        "closure": {
            "delivered_count": len(delivered),
            "minutes": sum(d.minutes for d in delivered),
            "moves": _transitions(case, "request_closure", "approve_closure", "return_closure", "reopen"),
        },
    }
    return [_doc(slug, case.number, case.unit, **common, **per_form[slug]) for slug in slugs]


# --- activities and station records ---------------------------------------------


def signin_doc(activity: Any, *, user: Any, blank: bool, blank_rows: int) -> Doc:
    today = timezone.localdate()
    children = may_print_children(user)
    rows: list[dict[str, Any]] = []
    if not blank:
        for s in activity.signups.all():
            if s.person_id:
                p = person_row(s.person, today=today, children=children)
                rows.append({**p, "kind": "居民", "attended": s.attended})
            else:
                v = s.volunteer
                rows.append(
                    {"name": v.name, "kind": "志愿者", "phone": mask_phone(v.phone) or "—", "attended": s.attended}
                )
        rows += [
            {"name": g.name or "—", "kind": "扫码签到", "phone": "—", "attended": True, "at": g.signed_in_at}
            for g in activity.signins.all()
            if g.kind == "guest"
        ]
    start = timezone.localtime(activity.starts_at)
    return _doc(
        "signin",
        f"HD-{activity.unit.code}-{start:%Y%m%d}-{activity.pk}",
        activity.unit,
        activity=activity,
        blank=blank,
        starts=start,
        ends=timezone.localtime(activity.ends_at),
        rows=rows,
        empty_rows=range(len(rows) + 1, len(rows) + 1 + (blank_rows if blank else max(3, 8 - len(rows)))),
        attended=sum(1 for r in rows if r.get("attended")),
    )


def joint_doc(meeting: Any) -> Doc:
    return _doc(
        "joint",
        f"LX-{meeting.unit.code}-{meeting.date:%Y%m%d}-{meeting.pk}",
        meeting.unit,
        meeting=meeting,
        on=_day(meeting.date),
        recorder=_user(meeting.recorded_by),
    )


def supervision_doc(supervision: Any) -> Doc:
    return _doc(
        "supervision",
        f"DD-{supervision.unit.code}-{supervision.date:%Y%m}-{supervision.pk}",
        supervision.unit,
        supervision=supervision,
        on=_day(supervision.date),
        month=f"{supervision.date.year}年{supervision.date.month}月",
        recorder=_user(supervision.recorded_by),
    )
