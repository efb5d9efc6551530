"""The catalogues' rules and bad input: each refusal says which field and
why, and nothing is saved; retiring keeps records readable; the lists cost
the same queries however long they grow."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from audit.models import AuditEvent
from configuration import services
from configuration.catalogues import BY_SLUG, uses
from contracts.models import Kpi
from core.models import ServiceDomain
from grading.models import CategoryDomain
from matching.models import NeedType
from people.models import CategoryType
from tests.lists import assert_flat_queries
from volunteers.models import Skill

pytestmark = pytest.mark.django_db
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


def _refused(client: Any, url: str, data: dict[str, Any], message: str, model: Any) -> None:
    rows, events = model.objects.count(), AuditEvent.objects.count()
    response = client.post(url, data, **ZH)
    assert response.status_code == 200, response.status_code
    assert message in response.content.decode(), response.content.decode()[-3000:]
    assert model.objects.count() == rows and AuditEvent.objects.count() == events


def test_it_refuses_bad_codes_and_names_in_every_catalogue_with_a_code(tree: Any, admin: Any, as_user: Any) -> None:
    client = as_user(admin)
    for slug in ("domains", "skills", "tags", "traits"):
        catalogue = BY_SLUG[slug]
        url = reverse(catalogue.url_name("new"))
        taken = catalogue.rows().order_by("pk").first()
        base = {"name": "全新的名称", "order": "5", "code": "brand_new"}
        _refused(client, url, {**base, "code": "Has Space"}, "代码", catalogue.model)
        _refused(client, url, {**base, "code": "9lives"}, "以字母开头", catalogue.model)
        if taken is not None:
            _refused(client, url, {**base, "code": taken.code}, f"已有条目使用代码 {taken.code}", catalogue.model)
            _refused(client, url, {**base, "name": taken.name}, f"列表中已有“{taken.name}”", catalogue.model)
        _refused(client, url, {**base, "name": "  "}, "", catalogue.model)


def test_a_need_type_needs_a_domain_in_use_and_names_that_name_it_alone(tree: Any, admin: Any) -> None:
    catalogue = BY_SLUG["need_types"]
    retired = ServiceDomain.objects.create(code="old_n", name="旧领域", active=False)
    meals = NeedType.objects.get(code="meals")
    values = {"code": "new_help", "name": "新帮扶", "domain": retired, "kind": "service", "order": 5}
    with pytest.raises(ValidationError) as refused:
        services.entry_create(actor=admin, catalogue=catalogue, skill_code="", aliases=[], **values)
    assert "domain" in refused.value.message_dict
    active = ServiceDomain.objects.get(code="elderly")
    with pytest.raises(ValidationError) as refused:
        services.entry_create(
            actor=admin, catalogue=catalogue, **{**values, "domain": active}, skill_code="nosuch", aliases=[meals.name]
        )
    assert set(refused.value.message_dict) == {"skill_code", "aliases"}
    assert not NeedType.objects.filter(code="new_help").exists()


def test_a_kpi_code_names_a_counting_rule(tree: Any, admin: Any) -> None:
    catalogue = BY_SLUG["kpis"]
    with pytest.raises(ValidationError) as refused:
        services.entry_create(
            actor=admin, catalogue=catalogue, code="made_up", name="编的指标", unit_label="次", kind="count", order=5
        )
    assert "code" in refused.value.message_dict and not Kpi.objects.filter(code="made_up").exists()


def test_a_category_counts_under_one_domain(tree: Any, admin: Any) -> None:
    catalogue = BY_SLUG["category_domains"]
    category = CategoryType.objects.order_by("pk").first()
    elderly = ServiceDomain.objects.get(code="elderly")
    CategoryDomain.objects.filter(category=category).delete()
    services.entry_create(actor=admin, catalogue=catalogue, category=category, domain=elderly)
    with pytest.raises(ValidationError) as refused:
        services.entry_create(actor=admin, catalogue=catalogue, category=category, domain=elderly)
    assert "category" in refused.value.message_dict
    with pytest.raises(ValidationError):
        services.entry_set_active(
            actor=admin, catalogue=catalogue, entry=CategoryDomain.objects.get(category=category), active=False
        )


def test_the_four_built_in_domains_are_renamed_but_never_retired(tree: Any, admin: Any, as_user: Any) -> None:
    catalogue = BY_SLUG["domains"]
    elderly = ServiceDomain.objects.get(code="elderly")
    client = as_user(admin)
    page = client.get(reverse(catalogue.url_name("entry"), args=[elderly.pk]), **ZH).content.decode()
    assert "不能停用" in page and reverse(catalogue.url_name("retire"), args=[elderly.pk]) not in page
    client.post(reverse(catalogue.url_name("retire"), args=[elderly.pk]))
    elderly.refresh_from_db()
    assert elderly.active
    edit = reverse(catalogue.url_name("edit"), args=[elderly.pk])
    assert client.post(edit, {"name": "养老服务", "order": "2"}).status_code == 302
    elderly.refresh_from_db()
    assert elderly.name == "养老服务" and elderly.code == "elderly"
    event = AuditEvent.objects.get(action="configuration.update", target_id=str(elderly.pk))
    assert event.changes["name"] == ["养老", "养老服务"] or event.changes["name"][1] == "养老服务"
    history = client.get(reverse(catalogue.url_name("entry"), args=[elderly.pk]), **ZH).content.decode()
    assert "养老服务" in history and "修改了目录条目" in history


def test_retiring_a_domain_in_use_keeps_its_records_readable(tree: Any, admin: Any, worker: Any, as_user: Any) -> None:
    from casework.tests.factories import open_case
    from matching.tests.factories import need_for

    local: Any = services.entry_create(
        actor=admin, catalogue=BY_SLUG["domains"], code="veterans", name="退役军人", order=9
    )
    case = open_case(admin, unit=tree.a1, domain=local)
    need = need_for(tree.a1, code="meals")
    need.domain = local
    need.save()
    assert uses(BY_SLUG["domains"], [local])[local.pk] == 2
    services.entry_set_active(actor=admin, catalogue=BY_SLUG["domains"], entry=local, active=False)
    client = as_user(worker)
    assert "退役军人" in client.get(reverse("casework:case_detail", args=[case.pk])).content.decode()
    assert "退役军人" in client.get(reverse("matching:need_detail", args=[need.pk])).content.decode()
    assert "退役军人" not in client.get(reverse("casework:case_create")).content.decode()
    listed = as_user(admin).get(reverse("configuration:domains_list"), **ZH).content.decode()
    assert "退役军人" in listed and "已停用" in listed


def test_a_worker_reads_the_lists_but_changes_nothing(tree: Any, admin: Any, worker: Any, lead: Any) -> None:
    skill = Skill.objects.order_by("pk").first()
    assert skill is not None
    for user in (worker, lead):
        with pytest.raises(PermissionDenied):
            services.entry_set_active(actor=user, catalogue=BY_SLUG["skills"], entry=skill, active=False)
        with pytest.raises(PermissionDenied):
            services.entry_create(actor=user, catalogue=BY_SLUG["skills"], code="x_y", name="某技能", domain=None)
    assert services.may_view(worker) and not services.may_edit(worker) and services.may_edit(admin)


def test_the_lists_cost_the_same_queries_however_long(tree: Any, admin: Any, as_user: Any, settings: Any) -> None:
    settings.LIST_PAGE_SIZES, settings.LIST_PAGE_SIZE = [100], 100
    n = iter(range(1000))
    domain = ServiceDomain.objects.get(code="elderly")

    def more(k: int) -> None:
        for _ in range(k):
            i = next(n)
            services.entry_create(
                actor=admin, catalogue=BY_SLUG["skills"], code=f"skill_{i}", name=f"技能{i}", domain=domain
            )

    assert_flat_queries(as_user(admin), reverse("configuration:skills_list"), more)
