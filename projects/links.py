"""The one rule for filing a record (an activity, a group, a micro-wish, a
service task, a ledger entry) under a project: the project is one the user
may link to (projects.selectors.projects_linkable) and the record lies in
the project's unit's subtree. The other areas' services call it."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def check_project_link(*, actor: Any, project: Any, unit: Any, field: str = "project") -> None:
    if project is None:
        return
    mine = getattr(actor, "unit", None)
    if mine is None or not (mine.contains(project.unit) or project.unit.contains(mine)):
        raise ValidationError({field: _("Choose a project of your station or district.")})
    if unit is not None and not project.unit.contains(unit):
        raise ValidationError(
            {
                field: _("%(project)s is a project of %(unit)s; this record is filed elsewhere.")
                % {"project": project.name, "unit": project.unit.name}
            }
        )
