"""Writes of the grading area: assessments, grading, overrides, visits,
major events, assignment, rule sets, follow-up policies and instruments.
One transaction and one audit event (at least) per call. Reads of the
configuration they use live in grading.selectors_config."""

from grading.services.assessments import assessment_record
from grading.services.assignment import grade_assign, grades_reassign
from grading.services.cards import card_override, grades_refresh, person_grade
from grading.services.due import refresh_due
from grading.services.instruments import instrument_version_publish
from grading.services.policies import POLICY_FIELDS, policy_update
from grading.services.rulesets import ruleset_activate, ruleset_create, validate_rules
from grading.services.visits import major_event_record, visit_log

__all__ = [
    "POLICY_FIELDS",
    "assessment_record",
    "card_override",
    "grade_assign",
    "grades_reassign",
    "grades_refresh",
    "instrument_version_publish",
    "major_event_record",
    "person_grade",
    "policy_update",
    "refresh_due",
    "ruleset_activate",
    "ruleset_create",
    "validate_rules",
    "visit_log",
]
