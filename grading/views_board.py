"""Grading board, visit rates, rule sets and the follow-up policy."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.access import Perm, can, get_in_scope_or_404, require, requires, unit_subtree
from core.forms import form_page
from core.lists import ListResult, list_page
from core.roles import Level
from grading import lists, lists_config, selectors, selectors_config, services
from grading.forms import PolicyForm, RuleFormSet, RuleSetForm
from grading.models import Card, GradingRuleSet, Instrument
from orgs.profiles import per_thousand, populations
from people.models import CategoryType
from people.selectors import persons_visible

if TYPE_CHECKING:
    from accounts.models import User
    from orgs.models import OrgUnit


def _own_unit(request: HttpRequest) -> OrgUnit:
    # @requires let through only a signed-in user with a unit (can() needs one)
    return cast("OrgUnit", cast("User", request.user).unit)


def _month(request: HttpRequest) -> date:
    raw = request.GET.get("month", "")
    try:
        year, month = (int(x) for x in raw.split("-"))
        return date(year, month, 1)
    except ValueError:
        return timezone.localdate().replace(day=1)


def _unit(request: HttpRequest) -> Any:
    raw = request.GET.get("unit")
    if not raw:
        return None
    return get_in_scope_or_404(unit_subtree(request.user), request.user, "id", pk=raw)


@requires(Perm.VIEW)
def board(request: HttpRequest) -> HttpResponse:
    """Counts by card × service domain × community, with the monthly trend."""
    data = selectors.board(request.user)
    trend = selectors.card_trend(
        request.user, current={c.value: n for c, n in zip(data["cards"], data["totals"]["cards"], strict=True)}
    )
    chart = {
        "months": trend["months"],
        "series": [{"name": str(c.label), "card": c.value, "data": trend["series"][c.value]} for c in Card],
        "domains": [d.name for d in data["domains"]],
        "byDomain": [
            {"name": str(c.label), "card": c.value, "data": [cells[i] for cells in data["totals"]["domains"]]}
            for i, c in enumerate(data["cards"])
        ],
    }
    base = reverse("grading:board_people")

    def cells(unit: Any, counts: list[int], domain_counts: list[list[int]]) -> list[dict[str, Any]]:
        where = f"unit={unit.pk}&" if unit is not None else ""
        out = [
            {"n": n, "card": c.value, "url": f"{base}?{where}card={c.value}"}
            for c, n in zip(data["cards"], counts, strict=True)
        ]
        for d, per_card in zip(data["domains"], domain_counts, strict=True):
            out += [
                {"n": n, "card": c.value, "url": f"{base}?{where}card={c.value}&domain={d.pk}"}
                for c, n in zip(data["cards"], per_card, strict=True)
            ]
        return out

    # 一分 overview: graded residents per 1,000 inhabitants (blank where the profile has no population)
    population = populations(r["unit"].pk for r in data["rows"])
    rows = [
        {
            "unit": r["unit"],
            "total": r["total"],
            "cells": cells(r["unit"], r["cards"], r["domains"]),
            "per_thousand": per_thousand(r["total"], population.get(r["unit"].pk)),
        }
        for r in data["rows"]
    ]
    known = [r for r in data["rows"] if r["unit"].pk in population]
    total_rate = per_thousand(sum(r["total"] for r in known), sum(population[r["unit"].pk] for r in known))
    totals = cells(None, data["totals"]["cards"], data["totals"]["domains"])
    return render(
        request,
        "grading/board.html",
        {
            "title": _("Grading board"),
            "data": data,
            "rows": rows,
            "totals": totals,
            "card_totals": totals[: len(data["cards"])],
            "total_rate": total_rate,
            "chart": chart,
            "breadcrumbs": [(_("Grading board"), "")],
        },
    )


@requires(Perm.VIEW)
def board_people(request: HttpRequest) -> HttpResponse:
    return list_page(
        request,
        lists.BOARD_PEOPLE,
        template="grading/board_people.html",
        context={"title": _("Graded residents")},
        prepare=_board_people_title,
    )


def _board_people_title(result: ListResult) -> dict[str, Any]:
    """The board cell the list was opened from, as its title."""
    chosen = lists.chosen(result.filterset)
    card, domain, unit = chosen.get("card"), chosen.get("domain"), chosen.get("unit")
    parts = [Card(card).label if card else _("All cards")]
    parts += [x.name for x in (domain, unit) if x]
    title = " · ".join(str(p) for p in parts)
    return {"title": title, "breadcrumbs": [(_("Grading board"), reverse("grading:board")), (title, "")]}


@requires(Perm.VIEW)
def rates(request: HttpRequest) -> HttpResponse:
    """Monthly visit rate of the policy groups per community, station, district."""
    month = _month(request)
    rows = selectors.visit_rates(request.user, month)
    policy = selectors.user_policy(request.user)
    groups = CategoryType.objects.filter(code__in=policy.rate_categories)
    prev = (month.replace(day=1) - timedelta(days=1)).replace(day=1)
    nxt = selectors.month_bounds(month)[1] + timedelta(days=1)
    return render(
        request,
        "grading/rates.html",
        {
            "title": _("Monthly visit rate"),
            "rows": rows,
            "month": month,
            "prev": prev.strftime("%Y-%m"),
            "next": nxt.strftime("%Y-%m") if nxt <= timezone.localdate() else "",
            "groups": groups,
            "breadcrumbs": [(_("Monthly visit rate"), "")],
        },
    )


@requires(Perm.VIEW)
def rates_unvisited(request: HttpRequest) -> HttpResponse:
    return list_page(
        request,
        lists.UNVISITED,
        template="grading/unvisited.html",
        context={"title": _("Not yet visited")},
        prepare=lambda result: _unvisited_title(result, _own_unit(request)),
    )


def _unvisited_title(result: ListResult, own_unit: Any) -> dict[str, Any]:
    chosen = lists.chosen(result.filterset)
    month = lists.month_of(chosen.get("month"))
    unit = chosen.get("unit") or own_unit
    title = _("Not yet visited in %(month)s: %(unit)s") % {"month": month.strftime("%Y-%m"), "unit": unit.name}
    return {
        "title": title,
        "month": month,
        "breadcrumbs": [
            (_("Monthly visit rate"), reverse("grading:rates") + f"?month={month:%Y-%m}"),
            (unit.name, ""),
        ],
    }


@requires(Perm.VIEW)
def rules(request: HttpRequest) -> HttpResponse:
    return list_page(
        request,
        lists_config.RULE_SETS,
        template="grading/rules.html",
        context={
            "title": _("Grading rules"),
            "can_manage": can(request.user, Perm.CONFIG_MANAGE),
            "breadcrumbs": [(_("Grading rules"), "")],
        },
    )


def _rule_initial(rule_set: GradingRuleSet | None) -> list[dict[str, Any]]:
    if rule_set is None:
        return []
    return [
        {
            "card": r.card,
            "reason": r.reason,
            "categories": r.categories,
            "min_age": r.min_age,
            "instrument": r.instrument,
            "min_level": r.min_level,
            "min_score": r.min_score,
        }
        for r in rule_set.rules.select_related("instrument")
    ]


@requires(Perm.CONFIG_MANAGE)
def ruleset_new(request: HttpRequest) -> HttpResponse:
    """A new version of the rules, starting from the active one."""
    user = cast("User", request.user)  # @requires let only a signed-in user through
    choices = [(c.code, c.name) for c in CategoryType.objects.filter(active=True)]
    active = selectors_config.active_rule_set()
    form = RuleSetForm(request.POST or None, initial={"name": active.name if active else ""})
    formset = RuleFormSet(
        request.POST or None,
        initial=None if request.method == "POST" else _rule_initial(active),
        form_kwargs={"category_choices": choices},
        prefix="rules",
    )

    def create(d: dict[str, Any]) -> GradingRuleSet:
        rules_data = [
            {k: v for k, v in f.cleaned_data.items() if k != "DELETE"}
            for f in formset.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        return services.ruleset_create(
            actor=user, name=d["name"], note=d["note"], rules=rules_data, activate=d["activate"]
        )

    return form_page(
        request,
        form=form,
        formset=formset,
        act=create,
        success=lambda _rs: reverse("grading:rules"),
        done_message=lambda rs: (
            _("Rule set v%(n)s saved. Nobody is re-graded until you ask for it.") % {"n": rs.number}
        ),
        title=_("New version of the grading rules"),
        cancel_url=reverse("grading:rules"),
        breadcrumbs=[(_("Grading rules"), reverse("grading:rules"))],
        template="grading/ruleset_form.html",
    )


@require_POST
@requires(Perm.CONFIG_MANAGE)
def regrade(request: HttpRequest) -> HttpResponse:
    """Re-grade everyone in scope with the active rules, on request."""
    include = request.POST.get("include_overridden") == "1"
    try:
        counts = services.grades_refresh(
            actor=request.user, persons=persons_visible(request.user), include_overridden=include
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("%(graded)s people graded, %(changed)s cards changed, %(kept)s cards set by hand kept.")
            % {"graded": counts["graded"], "changed": counts["changed"], "kept": counts["kept_manual"]},
        )
    return redirect("grading:rules")


@requires(Perm.CONFIG_MANAGE)
def policy(request: HttpRequest) -> HttpResponse:
    """The district's follow-up intervals and escalation delays."""
    user = cast("User", request.user)  # @requires let only a signed-in user through
    require(user, Perm.CONFIG_MANAGE)
    unit = _own_unit(request)
    district = unit if unit.level == Level.DISTRICT else (unit.ancestors() or [unit])[0]
    current = selectors_config.policy_for(district)
    form = PolicyForm(
        request.POST or None,
        initial={
            **{f: getattr(current, f) for f in services.POLICY_FIELDS},
            "rate_categories": current.rate_categories,
        },
        category_choices=[(c.code, c.name) for c in CategoryType.objects.filter(active=True)],
    )
    return form_page(
        request,
        form=form,
        act=lambda d: services.policy_update(actor=user, district=district, **d),
        success=lambda _p: reverse("grading:policy"),
        done_message=_("Follow-up policy saved; due dates recomputed."),
        title=_("Follow-up policy: %(unit)s") % {"unit": district.name},
        intro=_("Minimum visit intervals per card and when overdue follow-ups escalate."),
        cancel_url="",
        breadcrumbs=[],
        edits=f"grading.policy:{district.pk}",
    )


@requires(Perm.VIEW)
def instruments(request: HttpRequest) -> HttpResponse:
    """The assessment instruments and their versions."""
    return list_page(
        request,
        lists_config.INSTRUMENTS,
        template="grading/instruments.html",
        context={
            "title": _("Assessment instruments"),
            "breadcrumbs": [(_("Grading rules"), reverse("grading:rules")), (_("Assessment instruments"), "")],
        },
    )


@requires(Perm.CONFIG_MANAGE)
def instrument_version_new(request: HttpRequest, instrument_id: int) -> HttpResponse:
    """The old address of the raw-JSON page: instruments are edited in the
    configuration area's form-based editor now."""
    if not Instrument.objects.filter(pk=instrument_id).exists():
        raise Http404
    return redirect("configuration:instrument_edit", instrument_id=instrument_id)
