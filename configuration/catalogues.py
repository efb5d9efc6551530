"""The district's catalogues, declared once: which model, which fields an
administrator edits, what "in use" means, which rules a value must keep.

Every page of this app (list, new, entry with its history, edit, retire,
bring back) and every test of configuration/tests/test_catalogue_walk.py is
driven by CATALOGUES: a catalogue added here gets its pages, its URLs and its
tests without anything else to remember.

A value is retired, never deleted: records that hold it keep showing its
name, and the forms that make new records stop offering it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from django.db import models
from django.db.models import Count, QuerySet
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from contracts.actuals import COUNTERS
from contracts.models import Kpi
from core.models import ServiceDomain
from grading.models import CategoryDomain, GradingRule
from matching.models import Need, NeedType
from matching.needtypes import need_type_name_problems
from orgs.models import CommunityTrait
from people.models import CategoryGroup, CategoryType
from volunteers.models import Skill

Errors = dict[str, str]


def model_field(model: type[models.Model], name: str) -> models.Field:  # type: ignore[type-arg]
    """A concrete field of a catalogue's model (its lists and forms name only those)."""
    return cast("models.Field", model._meta.get_field(name))  # type: ignore[type-arg]


@dataclass(frozen=True)
class Catalogue:
    """One catalogue. `slug` is its piece of the address and of its URL
    names (`configuration:<slug>_list`); `kwarg` the URL keyword naming one
    of its entries, after its record (tests/leakwalk.py)."""

    slug: str
    model: type[models.Model]
    kwarg: str
    title: Promise  # plural, the list's heading
    noun: Promise  # singular
    intro: Promise
    create_fields: Sequence[str]
    edit_fields: Sequence[str]
    columns: Sequence[str]  # shown in the list beside the name
    base: Callable[[], QuerySet] | None = None  # the catalogue's rows among the model's (tags among categories)
    fixed: dict[str, Any] = field(default_factory=dict)  # values every new entry gets
    active_field: str = "active"
    inverted: bool = False  # the model stores `retired` instead of `active`
    retirable: bool = True
    code_field: str = "code"
    name_field: str = "name"
    # Rules beyond the model's: (values, entry or None) → {field: message}.
    clean: Callable[[dict[str, Any], Any], Errors] | None = None
    # Why this entry may not be retired, or "".
    keep: Callable[[Any], str] | None = None
    # References the database cannot follow (codes held in text or lists): {pk: count}.
    coded_uses: Callable[[list[Any]], dict[int, int]] | None = None
    # Choices a form field of this catalogue offers, by field name (active values only).
    choices: dict[str, Callable[[], Any]] = field(default_factory=dict)
    # Labels for fields whose model gives none in the users' words.
    labels: dict[str, Promise] = field(default_factory=dict)
    # How an entry is named on its page and in the list (its name by default).
    title_of: Callable[[Any], str] | None = None

    def rows(self) -> QuerySet:
        return self.base() if self.base is not None else self.model._default_manager.all()

    def is_active(self, entry: Any) -> bool:
        if not self.retirable:
            return True  # a line that is changed, never retired
        value = bool(getattr(entry, self.active_field))
        return not value if self.inverted else value

    def active_value(self, active: bool) -> bool:
        return not active if self.inverted else active

    def label(self, entry: Any) -> str:
        return self.title_of(entry) if self.title_of is not None else str(entry)

    def field_label(self, name: str) -> Any:
        label: Any = self.labels.get(name) or model_field(self.model, name).verbose_name
        return capfirst(label)  # still lazy: the list declared once speaks each user's language

    def url_name(self, page: str) -> str:
        return f"configuration:{self.slug}_{page}"


# ---------------------------------------------------------------- what "in use" means


def uses(catalogue: Catalogue, entries: Sequence[Any]) -> dict[int, int]:
    """{pk: how many records hold it} for `entries`: one grouped query per
    model that points at the catalogue, however many entries there are."""
    pks = [e.pk for e in entries]
    counts: dict[int, int] = dict.fromkeys(pks, 0)
    if not pks:
        return counts
    for rel in catalogue.model._meta.get_fields(include_hidden=True):
        if not (rel.is_relation and rel.auto_created and not rel.concrete) or rel.many_to_many:
            continue  # a many-to-many is counted through its table's foreign key
        related = cast("type[models.Model]", rel.related_model)
        if related in CONFIGURATION_MODELS:
            continue  # another catalogue pointing here is configuration, not a record
        fk = rel.field.name  # type: ignore[union-attr]
        rows = related._default_manager.filter(**{f"{fk}__in": pks}).values(fk).annotate(n=Count("pk"))
        for row in rows:
            counts[row[fk]] += row["n"]
    if catalogue.coded_uses is not None:
        for pk, n in catalogue.coded_uses(list(entries)).items():
            counts[pk] += n
    return counts


def _need_type_uses(entries: list[Any]) -> dict[int, int]:
    """Needs hold their type's code in text."""
    by_code = {e.code: e.pk for e in entries}
    rows = Need.objects.filter(need_type__in=list(by_code)).values("need_type").annotate(n=Count("pk"))
    return {by_code[r["need_type"]]: r["n"] for r in rows}


def _category_uses(entries: list[Any]) -> dict[int, int]:
    """Grading rules name categories by code in a list."""
    by_code = {e.code: e.pk for e in entries}
    counts: dict[int, int] = {}
    for codes in GradingRule.objects.values_list("categories", flat=True):
        for code in codes or []:
            if code in by_code:
                counts[by_code[code]] = counts.get(by_code[code], 0) + 1
    return counts


# ---------------------------------------------------------------- rules


def _active_domains() -> QuerySet[ServiceDomain]:
    return ServiceDomain.objects.filter(active=True).order_by("order", "code")


def _domain_active(values: dict[str, Any], required: bool) -> Errors:
    domain = values.get("domain")
    if domain is None:
        return {"domain": _("Choose the service domain.")} if required else {}
    if not domain.active:
        return {"domain": _("%(name)s is retired: choose a service domain in use.") % {"name": domain.name}}
    return {}


def _keep_builtin_domain(domain: ServiceDomain) -> str:
    if domain.builtin:
        return _("The four built-in domains of “4+N” can be renamed and reordered, not retired.")
    return ""


def _clean_need_type(values: dict[str, Any], entry: Any) -> Errors:
    errors = _domain_active(values, required=True)
    skill = values.get("skill_code") or ""
    if skill and not Skill.objects.filter(code=skill).exists():
        errors["skill_code"] = _("No volunteer skill has the code %(code)s.") % {"code": skill}
    names = need_type_name_problems(
        need_type=entry, name=values.get("name", entry.name if entry else ""), aliases=values.get("aliases") or []
    )
    return {**errors, **names}


def _clean_skill(values: dict[str, Any], entry: Any) -> Errors:
    return _domain_active(values, required=False)


def _clean_mapping(values: dict[str, Any], entry: Any) -> Errors:
    errors = _domain_active(values, required=True)
    category = values.get("category")
    if category is not None and entry is None and CategoryDomain.objects.filter(category=category).exists():
        errors["category"] = _("%(name)s already counts under a domain: edit that line.") % {"name": category.name}
    return errors


def _clean_kpi(values: dict[str, Any], entry: Any) -> Errors:
    code = values.get("code")
    if entry is None and code and code not in COUNTERS:
        return {"code": _("Linli has no counting rule named %(code)s.") % {"code": code}}
    return {}


def kpi_codes_free() -> list[tuple[str, str]]:
    """The counting rules of contracts/actuals.py no KPI names yet: a KPI's
    code names how it is counted, so only these can be added."""
    taken = set(Kpi.objects.values_list("code", flat=True))
    return [(code, code) for code in COUNTERS if code not in taken]


def _categories() -> QuerySet[CategoryType]:
    return CategoryType.objects.exclude(group=CategoryGroup.CUSTOM)


def _tags() -> QuerySet[CategoryType]:
    return CategoryType.objects.filter(group=CategoryGroup.CUSTOM)


def _categories_offered() -> QuerySet[CategoryType]:
    return CategoryType.objects.filter(active=True).exclude(group=CategoryGroup.CUSTOM)


def _skill_codes() -> list[tuple[str, str]]:
    return [("", "—"), *((s.code, f"{s.name} ({s.code})") for s in Skill.objects.filter(active=True))]


CATALOGUES: tuple[Catalogue, ...] = (
    Catalogue(
        slug="domains",
        model=ServiceDomain,
        kwarg="service_domain_id",
        title=gettext_lazy("Service domains"),
        noun=gettext_lazy("service domain"),
        intro=gettext_lazy("The “4+N” domains: the four built in and the district's own."),
        create_fields=("code", "name", "order"),
        edit_fields=("name", "order"),
        columns=("code", "order", "builtin"),
        keep=_keep_builtin_domain,
    ),
    Catalogue(
        slug="category_domains",
        model=CategoryDomain,
        kwarg="category_domain_id",
        title=gettext_lazy("Categories → service domains"),
        noun=gettext_lazy("category → service domain"),
        intro=gettext_lazy("Under which domain a recipient category counts on the grading board."),
        create_fields=("category", "domain"),
        edit_fields=("domain",),
        columns=("domain",),
        base=lambda: CategoryDomain.objects.select_related("category", "domain"),
        retirable=False,
        code_field="",
        name_field="",
        clean=_clean_mapping,
        choices={"domain": _active_domains, "category": lambda: CategoryType.objects.filter(active=True)},
        labels={"category": gettext_lazy("Recipient category"), "domain": gettext_lazy("Service domain")},
        title_of=lambda line: f"{line.category.name} → {line.domain.name}",
    ),
    Catalogue(
        slug="skills",
        model=Skill,
        kwarg="skill_id",
        title=gettext_lazy("Volunteer skills"),
        noun=gettext_lazy("volunteer skill"),
        intro=gettext_lazy("The skills a volunteer may be registered with and a need type may ask for."),
        create_fields=("code", "name", "domain"),
        edit_fields=("name", "domain"),
        columns=("code", "domain"),
        base=lambda: Skill.objects.select_related("domain"),
        clean=_clean_skill,
        choices={"domain": _active_domains},
        labels={"domain": gettext_lazy("Service domain")},
    ),
    Catalogue(
        slug="need_types",
        model=NeedType,
        kwarg="need_type_id",
        title=gettext_lazy("Need types"),
        noun=gettext_lazy("need type"),
        intro=gettext_lazy("The kinds of help needs and offers are matched on, with the other names workers write."),
        create_fields=("code", "name", "domain", "kind", "skill_code", "order", "aliases"),
        edit_fields=("name", "domain", "kind", "skill_code", "order", "aliases"),
        columns=("code", "domain", "kind", "aliases", "order"),
        base=lambda: NeedType.objects.select_related("domain"),
        clean=_clean_need_type,
        coded_uses=_need_type_uses,
        choices={"domain": _active_domains, "skill_code": _skill_codes},
    ),
    Catalogue(
        slug="categories",
        model=CategoryType,
        kwarg="category_type_id",
        title=gettext_lazy("Recipient categories"),
        noun=gettext_lazy("recipient category"),
        intro=gettext_lazy("低保, 特困, 残疾, 独居 …: the categories a resident may hold."),
        create_fields=("code", "name", "group", "sensitive", "order"),
        edit_fields=("name", "sensitive", "order"),
        columns=("code", "group", "sensitive", "order"),
        base=_categories,
        coded_uses=_category_uses,
        choices={"group": lambda: [c for c in CategoryGroup.choices if c[0] != CategoryGroup.CUSTOM]},
    ),
    Catalogue(
        slug="tags",
        model=CategoryType,
        kwarg="tag_id",
        title=gettext_lazy("Local tags"),
        noun=gettext_lazy("local tag"),
        intro=gettext_lazy("The district's own tags for residents, beside the recipient categories."),
        create_fields=("code", "name", "order"),
        edit_fields=("name", "order"),
        columns=("code", "order"),
        base=_tags,
        fixed={"group": CategoryGroup.CUSTOM, "sensitive": False},
        coded_uses=_category_uses,
    ),
    Catalogue(
        slug="kpis",
        model=Kpi,
        kwarg="kpi_id",
        title=gettext_lazy("KPI catalogue"),
        noun=gettext_lazy("KPI"),
        intro=gettext_lazy(
            "The figures contracts set targets for. Each code names how Linli counts it, so a code cannot be "
            "made up here: name, unit, order and whether it is offered are the district's."
        ),
        create_fields=("code", "name", "unit_label", "kind", "order"),
        edit_fields=("name", "unit_label", "order"),
        columns=("code", "unit_label", "kind", "order"),
        clean=_clean_kpi,
        choices={"code": kpi_codes_free},
    ),
    Catalogue(
        slug="traits",
        model=CommunityTrait,
        kwarg="trait_id",
        title=gettext_lazy("Community characteristics"),
        noun=gettext_lazy("community characteristic"),
        intro=gettext_lazy("What a community profile may say about a community (低保家庭多, 正在拆迁 …)."),
        create_fields=("code", "name", "order"),
        edit_fields=("name", "order"),
        columns=("code", "order"),
        active_field="retired",
        inverted=True,
    ),
)
CONFIGURATION_MODELS = {c.model for c in CATALOGUES} | {CategoryDomain}
BY_SLUG = {c.slug: c for c in CATALOGUES}
