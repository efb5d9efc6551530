from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class HomeConfig(AppConfig):
    """The layer above the areas: the home page, the menu's headings and the
    demo district, composed from what each area declares in its contrib.py."""

    name = "home"

    def ready(self) -> None:
        # Every installed app's contrib.py registers its figures, menu items,
        # demo seeds and importers (core/registry.py, core/excel.py).
        autodiscover_modules("contrib")
