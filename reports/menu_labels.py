"""Menu labels this area adds to linli/menu.py, listed here so that they are
extracted into (and translated by) this app's catalogue."""

from django.utils.translation import gettext_lazy as _

MENU_LABELS = (_("Dashboard"), _("Reports"))
