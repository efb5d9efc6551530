"""Property tests of the pure matching engine (no database)."""

from __future__ import annotations

import datetime as dt
import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from matching import engine
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
        k=draw(st.integers(1, 3)),
        repair_rounds=draw(st.integers(0, 2)),
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


def test_the_certificate_adds_back_pruned_arcs_when_needed() -> None:
    # Two needs share their single nearest resource; with k=1 the pruned graph
    # serves one, the certificate restores the second need's farther option.
    r1 = ResourceIn(id=1, categories=frozenset({"escort"}), capacity=1, lat=BASE_LAT, lon=BASE_LON)
    r2 = ResourceIn(id=2, categories=frozenset({"escort"}), capacity=1, lat=BASE_LAT + 0.01, lon=BASE_LON)
    n1 = NeedIn(id=1, category="escort", lat=BASE_LAT, lon=BASE_LON, priority="red")
    n2 = NeedIn(id=2, category="escort", lat=BASE_LAT + 0.001, lon=BASE_LON, priority="red")
    result = engine.solve([n1, n2], [r1, r2], Params(k=1, repair_rounds=1))
    assert len(result.assignments) == 2
    assert result.stats["added_by_certificate"] >= 1


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


def test_on_an_ample_instance_the_pruned_graph_is_certified_without_the_full_graph() -> None:
    import random

    rnd = random.Random(7)
    needs = [
        NeedIn(
            id=i + 1,
            category="escort",
            lat=BASE_LAT + rnd.random() * 0.05,
            lon=BASE_LON + rnd.random() * 0.05,
            priority=rnd.choice(engine.PRIORITIES),
        )
        for i in range(300)
    ]
    resources = [
        ResourceIn(
            id=j + 1,
            categories=frozenset({"escort"}),
            capacity=3,
            lat=BASE_LAT + rnd.random() * 0.05,
            lon=BASE_LON + rnd.random() * 0.05,
        )
        for j in range(200)
    ]
    params = Params(max_distance_m=3000, k=6)
    result = engine.solve(needs, resources, params)
    assert result.stats["fallback_full"] is False
    assert result.stats["arcs"] < result.stats["full_arcs"]
    assert result.objective == engine.solve_exact(needs, resources, params).objective
