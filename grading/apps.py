from collections.abc import Sequence

from django.apps import AppConfig


class GradingConfig(AppConfig):
    name = "grading"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # people's writes enrol residents in follow-up without importing grading (see people/followup.py)
        from django.utils import timezone

        from grading.category_keys import category_keys_refresh
        from grading.enrolment import persons_enrol
        from people import followup

        def rekey(person_ids: Sequence[int]) -> None:
            category_keys_refresh(person_ids=person_ids, day=timezone.localdate())

        followup.install(persons_enrol, rekey)
