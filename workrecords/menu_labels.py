"""Menu labels this area adds to linli/menu.py, listed here so that they are
extracted into (and translated by) this app's catalogue."""

from django.utils.translation import gettext_lazy as _

MENU_LABELS = (
    _("Running the station"),
    _("Work records"),
    _("Weekly summaries"),
    _("Satisfaction"),
    _("Self-evaluation"),
    _("Resource map"),
)
