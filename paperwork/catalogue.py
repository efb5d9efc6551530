"""The standard forms: one row each, with its printed code and title, the
template that lays it out and the audit action a print of it records."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from audit.actions import Action


@dataclass(frozen=True)
class Form:
    slug: str
    code: str  # printed in the corner, as on the station's paper forms
    title: str  # printed title: the paper forms are in Chinese whatever the screen language
    label: Promise  # the form's name on the pages
    template: str
    action: Action
    signatures: tuple[str, ...] = ("社工签名", "服务对象/监护人签名", "站点负责人签名")


FORMS: dict[str, Form] = {
    f.slug: f
    for f in (
        Form(
            "household",
            "LL-PW-01",
            "一户一档家庭档案表",
            _("Household file (一户一档)"),
            "paperwork/pdf/household.html",
            Action.PAPERWORK_HOUSEHOLD_FILE,
        ),
        Form(
            "intake",
            "LL-PW-02",
            "个案接案登记表",
            _("Case intake form"),
            "paperwork/pdf/case_intake.html",
            Action.PAPERWORK_CASE_INTAKE,
        ),
        Form(
            "assessment",
            "LL-PW-03",
            "个案预估表",
            _("Case assessment form"),
            "paperwork/pdf/case_assessment.html",
            Action.PAPERWORK_CASE_ASSESSMENT,
        ),
        Form(
            "plan",
            "LL-PW-04",
            "个案服务计划表",
            _("Case service plan"),
            "paperwork/pdf/case_plan.html",
            Action.PAPERWORK_CASE_PLAN,
            ("社工签名", "服务对象/监护人签名", "督导签名", "站点负责人签名"),
        ),
        Form(
            "evaluation",
            "LL-PW-05",
            "个案评估表",
            _("Case evaluation form"),
            "paperwork/pdf/case_evaluation.html",
            Action.PAPERWORK_CASE_EVALUATION,
        ),
        Form(
            "closure",
            "LL-PW-06",
            "个案结案表",
            _("Case closure form"),
            "paperwork/pdf/case_closure.html",
            Action.PAPERWORK_CASE_CLOSURE,
        ),
        Form(
            "signin",
            "LL-PW-07",
            "活动签到表",
            _("Activity sign-in sheet (签到表)"),
            "paperwork/pdf/signin.html",
            Action.PAPERWORK_SIGNIN_SHEET,
            ("活动负责人签名", "站点负责人签名"),
        ),
        Form(
            "joint",
            "LL-PW-08",
            "联席会议纪要",
            _("Joint-meeting minutes (联席会议纪要)"),
            "paperwork/pdf/joint.html",
            Action.PAPERWORK_JOINT_MINUTES,
            ("记录人签名", "主持人签名", "站点负责人签名"),
        ),
        Form(
            "supervision",
            "LL-PW-09",
            "月度督导记录表",
            _("Monthly supervision record"),
            "paperwork/pdf/supervision.html",
            Action.PAPERWORK_SUPERVISION_RECORD,
            ("督导签名", "社工签名", "站点负责人签名"),
        ),
    )
}

# The case forms in the order of the case's stages (casework/workflow.py).
CASE_FORMS = ("intake", "assessment", "plan", "evaluation", "closure")
