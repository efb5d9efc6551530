"""The needs a matching run left unmet, as a list (docs/lists.md): paged,
sorted and filtered like every list, on its own page and inside the run's
page (loaded there by htmx), so a run with thousands of unmet needs costs
the same queries as one with ten."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from core.access import Perm
from core.lists import Column, ListSpec, pk_link
from matching.models import MatchRun, NeedType, Proposal
from matching.selectors import unmet_need_ids

_TYPE_SET = pk_link("matching:need_type_set")

REASONS = {
    "no_compatible_resource": _("No resource in scope offers this category"),
    "outside_time_window": _("Resources of this category are not available in the need's time window"),
    "no_resource_nearby": _("No compatible resource within the distance limit"),
    "capacity_used": _("Compatible resources nearby, but their capacity went to more urgent or nearer needs"),
}
UNTYPED = _("Its kind of help is not from the catalogue.")


def reason_label(code: str) -> str:
    return str(REASONS.get(code, code))


def priority_label(p: str) -> str:
    return Proposal(priority=p).priority_label


def _decorate(run: MatchRun) -> Any:
    """The run's verdict on each need of the page, and whether its type is
    still in the catalogue (one query per page)."""

    def decorate(needs: list[Any]) -> None:
        active = set(NeedType.objects.filter(active=True).values_list("code", flat=True))
        for need in needs:
            why = run.unmet.get(str(need.pk), {})
            need.untyped = need.need_type not in active  # missing its type, not resources
            need.unmet_reason = UNTYPED if need.untyped else reason_label(why.get("reason", ""))
            need.unmet_missing = why.get("missing", "")
            need.unmet_priority = priority_label(why.get("priority", ""))

    return decorate


def unmet_of(run: MatchRun) -> ListSpec:
    """The unmet needs of `run` the user may see."""
    from matching.lists import _needs

    def needs(user: Any) -> QuerySet:
        return _needs(user).filter(pk__in=unmet_need_ids(run))

    def rows(user: Any, pks: list[int]) -> list[Any]:
        # The page's needs only: the sort and the slice ran on their keys.
        found = {n.pk: n for n in _needs(user).filter(pk__in=pks)}
        return [found[pk] for pk in pks if pk in found]

    return ListSpec(
        key="matching.unmet",
        queryset=needs,
        columns=[
            Column(
                "person",
                _("Resident"),
                value="person.name",
                sort=("person__name_pinyin", "person__name", "pk"),
                link=pk_link("matching:need_detail"),
            ),
            Column("type", _("Category"), value=lambda n: n.type_name or n.need_type, sort=("type_name", "pk")),
            Column("priority", _("Priority"), value="unmet_priority"),
            Column("missing", _("Missing"), value="unmet_missing", css="num"),
            Column("why", _("Why"), value="unmet_reason"),
            Column(
                "set_type",
                "",
                value=lambda n: _("Choose one") if n.untyped else "",
                link=lambda n: _TYPE_SET(n) if n.untyped else "",
                perm=Perm.RECORD_EDIT,
            ),
        ],
        default_sort="person",
        decorate=_decorate(run),
        rows=rows,
        empty=_("Every open need got a proposal."),
    )
