"""The services overview: 服务人次 / 服务人数 for a period, and what waits."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from casework import selectors
from casework.models import Stage
from core.access import Perm, requires
from core.widgets import DateInput


class PeriodForm(forms.Form):
    start = forms.DateField(label=gettext_lazy("from"), widget=DateInput)
    end = forms.DateField(label=gettext_lazy("until"), widget=DateInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise forms.ValidationError(_("The end of the period is before its start."))
        if data.get("start") and data.get("end") and (data["end"] - data["start"]).days > 366 * 5:
            raise forms.ValidationError(_("Choose a period of at most five years."))
        return data


@requires(Perm.VIEW)
def services_overview(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    first = today.replace(day=1)
    form = PeriodForm(request.GET or None, initial={"start": first, "end": today})
    start, end = first, today
    if request.GET and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    user = request.user
    breakdown = selectors.person_times_breakdown(user, start, end)
    cases = selectors.cases_visible(user)
    return render(
        request,
        "casework/overview.html",
        {
            "title": _("Services"),
            "form": form,
            "start": start,
            "end": end,
            "breakdown": [
                (_("Visits"), breakdown["visits"]),
                (_("Cases (interventions)"), breakdown["cases"]),
                (_("Group sessions"), breakdown["groups"]),
                (_("Activities"), breakdown["activities"]),
                (_("Matched services"), breakdown["tasks"]),
            ],
            "person_times": sum(breakdown.values()),
            "persons": selectors.persons_served(user, start, end),
            "open_cases": cases.exclude(stage=Stage.CLOSED).count(),
            "awaiting": cases.exclude(pending="").count(),
            "activities_held": selectors.activities_visible(user)
            .filter(status="done", starts_at__date__gte=start, starts_at__date__lte=end)
            .count(),
            "period_days": (end - start).days + 1 if end >= start else 0,
            "breadcrumbs": [(_("Services"), "")],
            "today": timezone.localdate(),
        },
    )
