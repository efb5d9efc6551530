"""Labels this area contributes to shared places (the menu in linli/menu.py
and the home counters in core/home.py); listed here so that they are
translated in this app's catalogue."""

from django.utils.translation import gettext_noop

LABELS = (
    gettext_noop("Registries"),
    gettext_noop("Residents"),
    gettext_noop("Household files"),
    gettext_noop("Categories and tags"),
    gettext_noop("Volunteers"),
    gettext_noop("Volunteer teams"),
    gettext_noop("Caring enterprises"),
    gettext_noop("Community social organisations"),
    gettext_noop("Charitable resources ledger"),
    gettext_noop("Residents on file"),
)
