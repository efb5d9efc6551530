"""Writes to the residents' registry: one transaction, one audit row each.
Reads they need (duplicate checks, a person's data for a PIPL copy) live in
people.selectors."""

from people.services.categories import category_add, category_end, persons_tag
from people.services.households import household_create, household_update
from people.services.persons import PERSON_FIELDS, guardian_add, id_reveal, person_create, person_update
from people.services.privacy import consent_record, consent_withdraw, data_request_answer

__all__ = [
    "PERSON_FIELDS",
    "category_add",
    "category_end",
    "consent_record",
    "consent_withdraw",
    "data_request_answer",
    "guardian_add",
    "household_create",
    "household_update",
    "id_reveal",
    "person_create",
    "person_update",
    "persons_tag",
]
