from django.apps import AppConfig


class WorkrecordsConfig(AppConfig):
    name = "workrecords"
    default_auto_field = "django.db.models.BigAutoField"
