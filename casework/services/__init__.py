"""Writes for casework, group work and community activities."""

from casework.services.activities import (
    activity_cancel,
    activity_complete,
    activity_create,
    activity_photo_add,
    activity_signup_add,
    activity_update,
)
from casework.services.cases import (
    case_attachment_add,
    case_attachment_open,
    case_create,
    case_goal_add,
    case_goal_assess,
    case_move,
    case_note_add,
    case_service_deliver,
    case_service_plan,
    case_transfer,
    cases_reassign,
)
from casework.services.groups import (
    group_attendance_set,
    group_create,
    group_member_add,
    group_scores_set,
    group_session_add,
)
from casework.services.referrals import (
    inbound_referral_record,
    referral_answer,
    referral_create,
    referral_link_issue,
    referral_update,
)
from casework.services.together import case_plan_agree, conference_create

__all__ = [
    "activity_cancel",
    "activity_complete",
    "activity_create",
    "activity_photo_add",
    "activity_signup_add",
    "activity_update",
    "case_attachment_add",
    "case_attachment_open",
    "case_create",
    "case_goal_add",
    "case_goal_assess",
    "case_move",
    "case_note_add",
    "case_plan_agree",
    "case_service_deliver",
    "case_service_plan",
    "case_transfer",
    "cases_reassign",
    "conference_create",
    "group_attendance_set",
    "group_create",
    "group_member_add",
    "group_scores_set",
    "group_session_add",
    "inbound_referral_record",
    "referral_answer",
    "referral_create",
    "referral_link_issue",
    "referral_update",
]
