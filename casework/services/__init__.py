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
    referral_create,
    referral_update,
)
from casework.services.groups import (
    group_attendance_set,
    group_create,
    group_member_add,
    group_scores_set,
    group_session_add,
)

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
    "case_service_deliver",
    "case_service_plan",
    "case_transfer",
    "cases_reassign",
    "group_attendance_set",
    "group_create",
    "group_member_add",
    "group_scores_set",
    "group_session_add",
    "referral_create",
    "referral_update",
]
