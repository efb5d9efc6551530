"""Property tests of the pure matching engine (no database)."""

from __future__ import annotations

import datetime as dt
import itertools
import math

from hypothesis import given, settings
from hypothesis import strategies as st

from matching import engine, graph
from matching.engine import NeedIn, Params, ResourceIn

CATS = ("escort", "cleaning", "goods_food")
BASE_LAT, BASE_LON = 24.48, 118.09
BASE_DAY = dt.date(2026, 11, 23).toordinal()


def _coord(offset: int) -> tuple[float, float]:
    # offsets of ~300 m steps around a point in Xiamen
    return BASE_LAT + (offset % 7) * 0.003, BASE_LON + (offset // 7) * 0.003


@st.composite
def instances(draw: st.DrawFn, max_needs: int = 6, max_res: int = 4) -> tuple:
    n = draw(st.integers(0, max_needs))
    m = draw(st.integers(0, max_res))
    needs, resources = [], []
    for i in range(n):
        lat, lon = _coord(draw(st.integers(0, 48)))
        ws = draw(st.one_of(st.none(), st.integers(0, 10).map(lambda d: BASE_DAY + d)))
        we = None if ws is None else ws + draw(st.integers(0, 10))
        needs.append(
            NeedIn(
                id=draw(st.integers(1, 10_000)) * 100 + i,
                category=draw(st.sampled_from(CATS)),
                lat=lat,
                lon=lon,
                priority=draw(st.sampled_from(engine.PRIORITIES)),
                quantity=draw(st.integers(1, 2)),
                deadline=draw(st.one_of(st.none(), st.integers(0, 30))),
                window_start=ws,
                window_end=we,
            )
        )
    for j in range(m):
        lat, lon = _coord(draw(st.integers(0, 48)))
        ws = draw(st.one_of(st.none(), st.integers(0, 10).map(lambda d: BASE_DAY + d)))
        we = None if ws is None else ws + draw(st.integers(0, 10))
        resources.append(
            ResourceIn(
                id=j + 1,
                categories=frozenset(draw(st.sets(st.sampled_from(CATS), min_size=1, max_size=2))),
                capacity=draw(st.integers(0, 3)),
                lat=lat,
                lon=lon,
                kind=draw(st.sampled_from(["volunteer", "goods"])),
                window_start=ws,
                window_end=we,
                weekdays=draw(st.sampled_from([engine.ALL_WEEK, 0b0100000, 0b0000011, 0b1010101])),
            )
        )
    params = Params(
        max_distance_m=draw(st.sampled_from([500, 1500, 5000])),
        k=draw(st.integers(0, 3)),
    )
    return needs, resources, params


def _overlap(n: NeedIn, r: ResourceIn) -> bool:
    """Independent check: some day in both windows falls on a weekday the resource is available."""
    lo = max(engine._lo(n.window_start), engine._lo(r.window_start))
    hi = min(engine._hi(n.window_end), engine._hi(r.window_end))
    if hi < lo:
        return False
    if hi - lo >= 6:
        return r.weekdays != 0
    return any(r.weekdays >> dt.date.fromordinal(d).weekday() & 1 for d in range(lo, hi + 1))


def _check_feasible(result: engine.MatchResult, needs: list, resources: list, params: Params) -> None:
    nb = {n.id: n for n in needs}
    rb = {r.id: r for r in resources}
    used: dict[int, int] = {}
    got: dict[int, int] = {}
    for a in result.assignments:
        n, r = nb[a.need_id], rb[a.resource_id]
        assert n.category in r.categories  # compatibility
        assert _overlap(n, r)  # time windows
        assert a.distance_m <= params.max_distance_m
        assert a.units >= 1
        used[r.id] = used.get(r.id, 0) + a.units
        got[n.id] = got.get(n.id, 0) + a.units
    for rid, u in used.items():
        assert u <= rb[rid].capacity  # capacity / stock, nobody overloaded
    for nid, g in got.items():
        assert g <= nb[nid].quantity


@settings(max_examples=150, deadline=None)
@given(instances())
def test_it_respects_compatibility_capacity_stock_and_windows(inst: tuple) -> None:
    needs, resources, params = inst
    result = engine.solve(needs, resources, params)
    _check_feasible(result, needs, resources, params)
    assert result.objective == engine.objective_of(result.assignments, needs, params)
    for info in result.unmet.values():
        assert info["reason"] in {
            engine.NO_COMPATIBLE,
            engine.OUTSIDE_WINDOW,
            engine.NOT_NEARBY,
            engine.CAPACITY_USED,
        }
        assert info["missing"] >= 1


@settings(max_examples=150, deadline=None)
@given(instances())
def test_it_is_never_below_greedy_and_equals_the_exact_optimum(inst: tuple) -> None:
    needs, resources, params = inst
    result = engine.solve(needs, resources, params)
    greedy = engine.solve_greedy(needs, resources, params)
    exact = engine.solve_exact(needs, resources, params)
    _check_feasible(greedy, needs, resources, params)
    assert greedy.objective == engine.objective_of(greedy.assignments, needs, params)
    assert result.objective >= greedy.objective
    assert result.objective == exact.objective


def _brute_force(needs: list, resources: list, params: Params) -> int:
    inst = engine.Instance(needs, resources, params)
    options: list[list[tuple[int, int]]] = []  # per need unit: [(resource index, distance)]
    for i, n in enumerate(inst.needs):
        cands = [(int(inst.cr[k]), int(inst.cd[k])) for k in range(len(inst.ci)) if inst.ci[k] == i]
        for _ in range(n.quantity):
            options.append([(-1, 0), *cands])
    unit_need = [i for i, n in enumerate(inst.needs) for _ in range(n.quantity)]
    best = 0
    for choice in itertools.product(*options):
        load: dict[int, int] = {}
        value = 0
        ok = True
        for u, (j, d) in enumerate(choice):
            if j < 0:
                continue
            load[j] = load.get(j, 0) + 1
            if load[j] > inst.cap[j]:
                ok = False
                break
            value += int(inst.weight[unit_need[u]]) - d
        if ok:
            best = max(best, value)
    return best


@settings(max_examples=80, deadline=None)
@given(instances(max_needs=3, max_res=3))
def test_it_agrees_with_brute_force_on_tiny_instances(inst: tuple) -> None:
    needs, resources, params = inst
    assert engine.solve(needs, resources, params).objective == _brute_force(needs, resources, params)


@settings(max_examples=50, deadline=None)
@given(instances(), st.randoms(use_true_random=False))
def test_it_is_deterministic_whatever_the_input_order(inst: tuple, rnd: object) -> None:
    needs, resources, params = inst
    first = engine.solve(needs, resources, params)
    shuffled_n, shuffled_r = list(needs), list(resources)
    rnd.shuffle(shuffled_n)  # type: ignore[attr-defined]
    rnd.shuffle(shuffled_r)  # type: ignore[attr-defined]
    second = engine.solve(shuffled_n, shuffled_r, params)
    assert first.assignments == second.assignments
    assert first.unmet == second.unmet


def test_it_serves_red_before_green_and_explains_itself() -> None:
    vol = ResourceIn(id=1, categories=frozenset({"escort"}), capacity=1, lat=BASE_LAT, lon=BASE_LON)
    near_green = NeedIn(id=1, category="escort", lat=BASE_LAT, lon=BASE_LON, priority="green")
    far_red = NeedIn(id=2, category="escort", lat=BASE_LAT + 0.02, lon=BASE_LON, priority="red")
    result = engine.solve([near_green, far_red], [vol], Params(max_distance_m=5000))
    assert [(a.need_id, a.resource_id) for a in result.assignments] == [(2, 1)]
    exp = result.assignments[0].explanation
    assert exp["rule"] == "skill" and exp["priority"] == "red" and exp["category"] == "escort"
    assert 2000 < exp["distance_m"] < 2400
    assert result.unmet[1]["reason"] == engine.CAPACITY_USED


def test_it_says_why_a_need_stayed_unmet() -> None:
    res = ResourceIn(
        id=1, categories=frozenset({"escort"}), capacity=5, lat=BASE_LAT, lon=BASE_LON, window_start=10, window_end=12
    )
    needs = [
        NeedIn(id=1, category="tutoring", lat=BASE_LAT, lon=BASE_LON),
        NeedIn(id=2, category="escort", lat=BASE_LAT, lon=BASE_LON, window_start=1, window_end=5),
        NeedIn(id=3, category="escort", lat=BASE_LAT + 0.5, lon=BASE_LON),
        NeedIn(id=4, category="escort", lat=BASE_LAT, lon=BASE_LON, window_start=11, window_end=11),
    ]
    result = engine.solve(needs, [res], Params(max_distance_m=3000))
    assert result.unmet[1]["reason"] == engine.NO_COMPATIBLE
    assert result.unmet[2]["reason"] == engine.OUTSIDE_WINDOW
    assert result.unmet[3]["reason"] == engine.NOT_NEARBY
    assert 4 not in result.unmet


def test_it_prefers_earlier_deadlines_within_a_class() -> None:
    res = ResourceIn(id=1, categories=frozenset({"goods_food"}), capacity=1, lat=BASE_LAT, lon=BASE_LON, kind="goods")
    later = NeedIn(id=1, category="goods_food", lat=BASE_LAT, lon=BASE_LON, priority="blue", deadline=40)
    sooner = NeedIn(id=2, category="goods_food", lat=BASE_LAT + 0.01, lon=BASE_LON, priority="blue", deadline=3)
    result = engine.solve([later, sooner], [res], Params())
    assert [a.need_id for a in result.assignments] == [2]
    assert result.assignments[0].explanation["rule"] == "stock"


def test_it_respects_a_volunteers_weekdays() -> None:
    monday = dt.date(2026, 11, 23).toordinal()
    saturday_only = ResourceIn(
        id=1, categories=frozenset({"escort"}), capacity=3, lat=BASE_LAT, lon=BASE_LON, weekdays=0b0100000
    )
    weekdays_need = NeedIn(
        id=1, category="escort", lat=BASE_LAT, lon=BASE_LON, window_start=monday, window_end=monday + 2
    )
    week_need = NeedIn(id=2, category="escort", lat=BASE_LAT, lon=BASE_LON, window_start=monday, window_end=monday + 6)
    sat_need = NeedIn(
        id=3, category="escort", lat=BASE_LAT, lon=BASE_LON, window_start=monday + 5, window_end=monday + 5
    )
    result = engine.solve([weekdays_need, week_need, sat_need], [saturday_only], Params())
    assert sorted(a.need_id for a in result.assignments) == [2, 3]
    assert result.unmet[1]["reason"] == engine.OUTSIDE_WINDOW


# ---------------------------------------------------------------- components


@st.composite
def wide_instances(draw: st.DrawFn) -> tuple:
    """Up to 40 needs and 20 resources scattered over ~10 km with a radius of
    1–3 km: the candidate graph falls into several components."""
    n = draw(st.integers(0, 40))
    m = draw(st.integers(0, 20))
    coord = st.tuples(st.integers(0, 100), st.integers(0, 100))
    needs, resources = [], []
    for i in range(n):
        x, y = draw(coord)
        needs.append(
            NeedIn(
                id=i * 3 + 1,
                category=draw(st.sampled_from(CATS)),
                lat=BASE_LAT + y * 0.001,
                lon=BASE_LON + x * 0.001,
                priority=draw(st.sampled_from(engine.PRIORITIES)),
                quantity=draw(st.integers(1, 3)),
                deadline=draw(st.one_of(st.none(), st.integers(0, 30))),
            )
        )
    for j in range(m):
        x, y = draw(coord)
        resources.append(
            ResourceIn(
                id=j * 7 + 2,
                categories=frozenset(draw(st.sets(st.sampled_from(CATS), min_size=1, max_size=2))),
                capacity=draw(st.integers(0, 4)),
                lat=BASE_LAT + y * 0.001,
                lon=BASE_LON + x * 0.001,
            )
        )
    params = Params(
        max_distance_m=draw(st.sampled_from([1000, 2000, 3000])),
        k=2,
        workers=draw(st.sampled_from([1, 2])),
        parallel_min_arcs=0,
        batch_arcs=draw(st.sampled_from([1, 50])),
    )
    return needs, resources, params


@settings(max_examples=30, deadline=None)
@given(wide_instances())
def test_it_equals_one_full_graph_solve_whatever_the_split_and_the_workers(inst: tuple) -> None:
    needs, resources, params = inst
    result = engine.solve(needs, resources, params)
    exact = engine.solve_exact(needs, resources, params)
    _check_feasible(result, needs, resources, params)
    assert result.objective == exact.objective
    assert result.objective == engine.objective_of(result.assignments, needs, params)
    other = engine.solve(needs, resources, Params(**{**params.__dict__, "workers": 3 - (params.workers or 1)}))
    assert other.assignments == result.assignments


@settings(max_examples=60, deadline=None)
@given(wide_instances())
def test_the_candidate_graph_is_every_admissible_pair(inst: tuple) -> None:
    needs, resources, params = inst
    got = engine.Instance(needs, resources, params)
    pairs = {
        (int(got.need_ids[i]), int(got.res_ids[j])): int(d) for i, j, d in zip(got.ci, got.cr, got.cd, strict=True)
    }
    kx = 111_320.0 * math.cos(math.radians(sum(n.lat for n in needs) / len(needs))) if needs else 0.0
    expected = {}
    for n in needs:
        for r in resources:
            d = round(math.hypot((n.lon - r.lon) * kx, (n.lat - r.lat) * 110_540.0))
            if n.category in r.categories and d <= params.max_distance_m and _overlap(n, r):
                expected[(n.id, r.id)] = d
    assert pairs.keys() == expected.keys()
    assert all(abs(pairs[key] - expected[key]) <= 1 for key in pairs)
    # sorted by need, then distance, then resource
    keys = list(zip(got.ci.tolist(), got.cd.tolist(), got.cr.tolist(), strict=True))
    assert keys == sorted(keys)


@settings(max_examples=60, deadline=None)
@given(wide_instances())
def test_components_partition_the_graph_and_nothing_joins_two(inst: tuple) -> None:
    needs, resources, params = inst
    got = engine.Instance(needs, resources, params)
    order, bounds = graph.components(got.ci, got.cr, len(got.needs), len(got.resources))
    assert sorted(order.tolist()) == list(range(len(got.ci)))
    owner: dict[tuple[str, int], int] = {}
    for c in range(len(bounds) - 1):
        for k in order[bounds[c] : bounds[c + 1]].tolist():
            for node in (("n", int(got.ci[k])), ("r", int(got.cr[k]))):
                assert owner.setdefault(node, c) == c  # a node lies in one component only
    # and each component is connected (union-find over its own arcs)
    parent: dict[tuple[str, int], tuple[str, int]] = {}

    def find(x: tuple[str, int]) -> tuple[str, int]:
        while parent.setdefault(x, x) != x:
            x = parent[x]
        return x

    for i, j in zip(got.ci.tolist(), got.cr.tolist(), strict=True):
        parent[find(("n", i))] = find(("r", j))
    for c in range(len(bounds) - 1):
        roots = {find(node) for node, comp in owner.items() if comp == c}
        assert len(roots) == 1


def test_two_far_apart_districts_are_two_components_solved_in_parallel() -> None:
    needs, resources = [], []
    for d, lon in enumerate((BASE_LON, BASE_LON + 1.0)):  # ~100 km apart
        for i in range(3):
            needs.append(
                NeedIn(id=10 * d + i + 1, category="escort", lat=BASE_LAT + i * 0.001, lon=lon, priority="red")
            )
        resources.append(ResourceIn(id=d + 1, categories=frozenset({"escort"}), capacity=2, lat=BASE_LAT, lon=lon))
    params = Params(max_distance_m=3000, workers=2, parallel_min_arcs=0, batch_arcs=1)
    result = engine.solve(needs, resources, params)
    assert result.stats["components"] == 2 and result.stats["workers"] == 2
    assert len(result.assignments) == 4 and len(result.unmet) == 2
    assert result.objective == engine.solve_exact(needs, resources, params).objective


def test_an_explanation_names_capacity_rank_and_the_nearest_alternatives() -> None:
    near = ResourceIn(id=5, categories=frozenset({"escort"}), capacity=1, lat=BASE_LAT, lon=BASE_LON)
    mid = ResourceIn(id=6, categories=frozenset({"escort"}), capacity=2, lat=BASE_LAT + 0.005, lon=BASE_LON)
    far = ResourceIn(id=7, categories=frozenset({"escort"}), capacity=1, lat=BASE_LAT + 0.01, lon=BASE_LON)
    red = NeedIn(id=1, category="escort", lat=BASE_LAT, lon=BASE_LON, priority="red")
    blue = NeedIn(id=2, category="escort", lat=BASE_LAT, lon=BASE_LON, priority="blue")
    result = engine.solve([red, blue], [near, mid, far], Params(max_distance_m=3000, k=2))
    by_need = {a.need_id: a for a in result.assignments}
    assert by_need[1].resource_id == 5 and by_need[2].resource_id == 6
    exp = by_need[2].explanation
    assert exp["rank"] == 2 and exp["candidates"] == 3 and exp["capacity"] == 2
    assert [a[0] for a in exp["alternatives"]] == [5, 7]
    assert exp["alternatives"][0][1] == 0 and 1000 < exp["alternatives"][1][1] < 1200
