"""The participation area's to-do items (registered in participation/contrib.py):
what volunteers and donors sent through the portal, waiting for a station's
staff. Each kind is one grouped query shared out by unit (core/todo.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from core.access import Perm, can
from core.todo import TodoContext, TodoEntry, share_by_unit


def _queue(model_name: str, url_name: str, label: str | Promise, extra: Q | None = None) -> Callable[..., Any]:
    def collect(readers: list[Any], ctx: TodoContext) -> dict[int, list[TodoEntry]]:
        from participation import models

        workers = [r for r in readers if r.unit is not None and can(r, Perm.RECORD_EDIT)]
        if not workers:
            return {}
        model = getattr(models, model_name)
        qs = model.objects.filter(status=models.Decision.PENDING)
        if extra is not None:
            qs = qs.filter(extra)
        counts = dict(qs.values_list("unit_id").annotate(n=Count("id")).order_by())
        return share_by_unit(workers, ctx, counts, reverse(url_name), label=label)

    collect.__name__ = f"pending_{model_name.lower()}"
    return collect


applications = _queue("VolunteerApplication", "participation_staff:applications", _("Volunteer applications"))
requests = _queue("VolunteerRequest", "participation_staff:requests", _("Volunteers' requests"))
hours = _queue("HoursReport", "participation_staff:hours", _("Reported volunteer hours"))
deliveries = _queue(
    "WishClaim", "participation_staff:deliveries", _("Micro-wishes reported delivered"), Q(delivered_on__isnull=False)
)
enterprises = _queue("EnterpriseClaim", "participation_staff:enterprises", _("Donors' enterprises to confirm"))
