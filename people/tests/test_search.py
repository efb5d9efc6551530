"""Resident search: every kind of term is an index range on its key (the
query plan says so on SQLite and PostgreSQL), the results equal a plain
filter of the same rule, queries stay flat as residents grow, an outsider
finds nothing, and an ID number never travels in an address."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core import identity
from people import selectors, services
from people.models import Person
from people.search_keys import person_search_keys, phone_key
from people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db
RID = identity.make_resident_id("350502", dt.date(1941, 5, 6), 17, "M")
PG = connection.vendor == "postgresql"


def _zhang(worker: Any, unit: Any) -> Person:
    return services.person_create(
        actor=worker, unit=unit, name="张三丰", resident_id=RID, phone="13800004321", phone2="0595-22871234"
    )


def _search(user: Any, q: str) -> Any:
    """The residents list's queryset for `q`, in the list's order."""
    return selectors.filter_persons(selectors.persons_visible(user), q=q).order_by("name_pinyin", "name", "pk")


# The kinds of term, and the key column whose index each must range over.
KINDS = {
    "pinyin prefix": ("zhangs", ["name_pinyin"]),
    "initials": ("zsf", ["name_initials"]),
    "phone tail": ("4321", ["phone_tail", "phone2_tail"]),
    "whole phone": ("13800004321", ["phone_tail"]),
    "ID tail": (RID[-4:], ["id_tail"]),
    "whole ID": (RID, ["id_hash"]),
    # Anywhere in the name: a prefix of the name or of its suffixes, and the
    # long names' partial index (read whole: it holds names of 4+ characters only).
    "Chinese name": ("张三丰", ["name", "name_suffix1", "name_suffix2"]),
    "given name anywhere": ("三丰", ["name", "name_suffix1", "name_suffix2"]),
}
LONG_NAMES = "person_name_suffix3"


def _plan(qs: Any) -> str:
    if not PG:
        return qs.explain()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a small table: make the plan the one for a large one
    return qs.explain()


def _ranges_over(plan: str, column: str) -> bool:
    if PG:  # Index Cond of an index or bitmap scan naming the column
        return bool(re.search(rf"Index Scan.*\n.*Index Cond: .*\b{column}\b", plan))
    return bool(re.search(rf"SEARCH (people_person|U\d+) USING (COVERING )?INDEX \S+ \({column}[=<>]", plan))


def _full_reads(plan: str) -> list[str]:
    """The plan's steps that read a whole table or index of residents (the
    scope's walk of the unit paths is not one)."""
    if PG:
        return re.findall(r"Seq Scan on people_person.*", plan)
    return [s for s in re.findall(r"SCAN \S+.*", plan) if "sqlite_autoindex_orgs_orgunit" not in s]


@pytest.mark.parametrize("kind", KINDS)
def test_it_searches_each_kind_as_an_index_range(tree: Any, worker: Any, kind: str) -> None:
    _zhang(worker, tree.a1)
    PersonFactory.create_batch(5, unit=tree.a1)
    q, columns = KINDS[kind]
    qs = _search(worker, q)
    assert [p.name for p in qs] == ["张三丰"], kind
    # PostgreSQL: the search's own conditions (on six rows it may rightly start
    # from the scope's one community instead; with statistics it weighs both).
    plan = _plan(selectors.search_persons(Person.objects.all(), q) if PG else qs)
    for column in columns:
        assert _ranges_over(plan, column), f"{kind}: no index range over {column}:\n{plan}"
    if "name" in columns:
        assert LONG_NAMES in plan, f"{kind}: the long names not through their index:\n{plan}"
    assert not _full_reads(plan), f"{kind} reads every resident:\n{plan}"


@pytest.mark.parametrize("q", ["买买提", "提", "古丽·买", "阿依古丽·买买提"])
def test_it_finds_a_long_name_by_any_part_of_it(tree: Any, worker: Any, q: str) -> None:
    services.person_create(actor=worker, unit=tree.a1, name="阿依古丽·买买提", resident_id=RID)
    PersonFactory(unit=tree.a1, name="李四")
    assert [p.name for p in _search(worker, q)] == ["阿依古丽·买买提"]


@pytest.mark.parametrize("q", ["三丰", "张三丰", "三"])
def test_it_finds_a_chinese_name_anywhere_in_it(tree: Any, worker: Any, q: str) -> None:
    _zhang(worker, tree.a1)
    PersonFactory(unit=tree.a1, name="李四")
    assert [p.name for p in _search(worker, q)] == ["张三丰"]


def test_it_finds_nothing_of_another_station_by_any_kind(tree: Any, worker: Any, outsider: Any) -> None:
    _zhang(worker, tree.a1)
    for q, _columns in [*KINDS.values(), ("张三", [])]:
        assert _search(worker, q).exists(), q
        assert not _search(outsider, q).exists(), q


def test_it_keeps_a_phone_tail_apart_from_an_id_tail(tree: Any, worker: Any) -> None:
    p = _zhang(worker, tree.a1)
    assert (p.phone_tail, p.phone2_tail) == ("12340000831", "432178225950")
    assert list(_search(worker, "1234")) == [p]  # phone2's tail
    assert not _search(worker, "5555").exists()
    assert not _search(worker, "34321").exists()  # a longer tail than the phone's own digits agree with


def test_it_keeps_the_keys_when_a_resident_is_edited(tree: Any, worker: Any) -> None:
    p = _zhang(worker, tree.a1)
    services.person_update(actor=worker, person=p, name="李四", phone="13900009999", phone2="")
    p.refresh_from_db()
    assert (p.name_pinyin, p.name_initials, p.phone_tail, p.phone2_tail) == ("lisi", "ls", "99990000931", "")
    assert list(_search(worker, "9999")) == [p] and not _search(worker, "1234").exists()


def _page_queries(client: Any, q: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("people:person_list"), {"q": q}).status_code == 200
    return len(ctx.captured_queries)


def test_it_searches_in_as_many_queries_for_many_residents_as_for_few(tree: Any, worker: Any, as_user: Any) -> None:
    client = as_user(worker)
    PersonFactory.create_batch(3, unit=tree.a1, name="张伟")
    _page_queries(client, "")  # the first request of a session reads what later ones keep
    few = {q: _page_queries(client, q) for q in ("zhang", "zw", "0001", "张")}
    PersonFactory.create_batch(30, unit=tree.a1, name="张伟")
    PersonFactory.create_batch(30, unit=tree.a2, name="章伟")
    assert {q: _page_queries(client, q) for q in few} == few


def test_it_refuses_an_id_number_in_the_api_address_and_takes_it_in_the_body(
    tree: Any, worker: Any, as_user: Any
) -> None:
    _zhang(worker, tree.a1)
    client = as_user(worker)
    for q in (RID, RID[:10], "13800004321"):
        answer = client.get("/api/v1/people", {"q": q})
        assert answer.status_code == 422, q
        assert q not in answer.content.decode() and "/people/search" in answer.json()["errors"]["q"][0]
    found = client.post("/api/v1/people/search", {"q": RID}, content_type="application/json").json()
    assert [p["name"] for p in found["items"]] == ["张三丰"] and RID not in str(found)
    by_tail = client.get("/api/v1/people", {"q": RID[-4:]}).json()
    assert [p["name"] for p in by_tail["items"]] == ["张三丰"]


# ---------------------------------------------------------------- the rule, naively

SURNAMES = "张章王李赵钱孙吕欧阳"
GIVEN = "三丰伟芳明小红军"


def _naive(rows: list[dict[str, Any]], q: str) -> set[int]:
    """The search rule on plain Python values (what the ranges must equal)."""
    code = identity.normalise_code(q)
    if code.isdigit() or (len(code) == 4 and code[:3].isdigit() and code[3] == "X"):
        return {
            r["pk"]
            for r in rows
            if (len(code) == 4 and r["id_tail"] == code)
            or (code.isdigit() and any(phone_key(r[f])[: len(code)] == phone_key(code) for f in ("phone", "phone2")))
        }
    low = code.lower()
    if low.isascii() and low.isalpha():
        return {r["pk"] for r in rows if r["name_pinyin"].startswith(low) or r["name_initials"].startswith(low)}
    return {r["pk"] for r in rows if identity.normalise_text(q) in r["name"]}


names = st.builds(lambda s, g: s + g, st.sampled_from(SURNAMES), st.text(GIVEN, min_size=1, max_size=3))
phones = st.sampled_from(["", "13800001234", "13912341234", "0595-22341234", "13800004321"])
queries = st.one_of(
    st.text("zhangwlisuoy", min_size=1, max_size=6),
    st.text("0123456789", min_size=1, max_size=4),
    st.text(SURNAMES + GIVEN, min_size=1, max_size=3),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(people=st.lists(st.tuples(names, phones, phones), min_size=1, max_size=12), q=queries)
def test_it_finds_by_range_exactly_what_a_plain_filter_finds(tree: Any, worker: Any, people: Any, q: str) -> None:
    Person.objects.all().delete()
    Person.objects.bulk_create(
        [
            Person(
                unit=tree.a1,
                name=name,
                sex="F",
                birth_date=dt.date(1950, 1, 1),
                phone=phone,
                phone2=phone2,
                id_tail=f"{i:03d}X"[-4:] if i % 2 else f"{i:04d}",
                **person_search_keys(name=name, phone=phone, phone2=phone2),
            )
            for i, (name, phone, phone2) in enumerate(people)
        ]
    )
    rows: list[Any] = list(
        Person.objects.values("pk", "name", "name_pinyin", "name_initials", "phone", "phone2", "id_tail")
    )
    found = set(_search(worker, q).values_list("pk", flat=True))
    assert found == _naive(rows, q)


def test_it_fills_the_phone_keys_of_rows_saved_before_them(tree: Any) -> None:
    import importlib
    from types import SimpleNamespace

    from django.apps import apps

    migration = importlib.import_module("people.migrations.0005_search_keys")
    old: Any = PersonFactory(unit=tree.a1, phone="13800001111", phone2="0595-1234567", phone_tail="", phone2_tail="")
    migration.fill_phone_tails(apps, SimpleNamespace(connection=connection))  # it reads the editor's connection only
    old.refresh_from_db()
    assert (old.phone_tail, old.phone2_tail) == ("11110000831", "76543215950")


def test_it_fills_the_name_suffixes_of_rows_saved_before_them(tree: Any) -> None:
    import importlib
    from types import SimpleNamespace

    from django.apps import apps

    migration = importlib.import_module("people.migrations.0009_name_suffixes")
    old: Any = PersonFactory(unit=tree.a1, name="欧阳三丰", name_suffix1="", name_suffix2="", name_suffix3="")
    migration.fill_name_suffixes(apps, SimpleNamespace(connection=connection))  # it reads the editor's connection only
    old.refresh_from_db()
    assert (old.name_suffix1, old.name_suffix2, old.name_suffix3) == ("阳三丰", "三丰", "丰")


def test_it_keeps_one_index_per_search_key_as_the_models_say() -> None:
    """Each key searched by prefix or equality has exactly its Meta index (no
    plain one beside it on PostgreSQL, which every insert would pay for), and
    the migrations leave the database as the models describe it."""
    from io import StringIO

    from django.core.management import call_command

    from people.models import SEARCH_PREFIX_KEYS

    call_command("makemigrations", "--check", "--dry-run", stdout=StringIO())  # SystemExit(1) when they differ
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, Person._meta.db_table)
    for key in SEARCH_PREFIX_KEYS:
        over = sorted(name for name, c in found.items() if c["columns"] == [key] and c["index"])
        assert over == [f"person_{key}_prefix"], f"{key}: {over}"
