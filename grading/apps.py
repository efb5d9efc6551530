from django.apps import AppConfig


class GradingConfig(AppConfig):
    name = "grading"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # people's writes enrol residents in follow-up without importing grading (see people/followup.py)
        from grading.enrolment import persons_enrol
        from people import followup

        followup.install(persons_enrol)
