"""The matching engine (需求库↔资源库), pure Python + numpy + OR-Tools, no Django.

Model. Each need asks for `quantity` units of one category (a need type such
as ``escort`` or ``goods_food``); each resource offers some categories and has
a capacity (tasks per week for a volunteer, stock for goods). A unit of need
may be served by a resource when

* the resource offers the need's category (the *compatibility rule*),
* their time windows overlap,
* they are at most ``max_distance_m`` apart.

These pairs form the *full candidate graph*. The engine maximises

    objective = Σ over served units (weight(need) − distance in metres)

where ``weight`` is a big integer per priority class (red > blue > green >
ungraded) plus a bonus for an early deadline. The class step exceeds every
deadline bonus plus twice the largest distance, and the deadline step exceeds
twice the largest distance, so one red unit outranks any blue one, an earlier
deadline outranks distance, and among equal priorities the nearest wins.

Solving. The engine keeps only the ``k`` nearest candidates of each need (the
*pruned graph*) and solves a min-cost flow on it with OR-Tools (source → need
→ resource → sink, plus a zero-cost source → sink arc for units left unmet,
costs ``distance − weight``). It then *certifies* the result against the full
graph by LP duality: shortest-path potentials of the residual network
(vectorised Bellman-Ford) give reduced costs, and a pruned arc with a negative
reduced cost is a possible improvement. When only a few arcs look negative the
potentials are recomputed on the full residual network (pruned arcs added as
empty arcs); convergence proves that no improving cycle exists. When the
certificate fails, violated arcs are added back and the flow re-solved
(`repair_rounds` times), then the engine solves the full graph. Either way the
answer is optimal for the full candidate graph; the stats say which path was
taken. On saturated instances (fewer resources than needs nearby) the optimum
sends some needs far down their candidate lists, the k-nearest graph falls
short, the certificate says so, and the full graph is solved.

Determinism: inputs are sorted by id, arcs are built in a fixed order, and the
solver is deterministic, so the same input gives the same proposals.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from ortools.graph.python import min_cost_flow

PRIORITIES = ("red", "blue", "green", "ungraded")
PRIORITY_RANK = {p: i for i, p in enumerate(PRIORITIES)}
NO_LIMIT_LOW = -(10**9)
NO_LIMIT_HIGH = 10**9
ALL_WEEK = 0b1111111

# Reasons a need stays (partly) unmet, most basic first.
NO_COMPATIBLE = "no_compatible_resource"
OUTSIDE_WINDOW = "outside_time_window"
NOT_NEARBY = "no_resource_nearby"
CAPACITY_USED = "capacity_used"


@dataclass(frozen=True)
class NeedIn:
    id: int
    category: str
    lat: float
    lon: float
    priority: str = "ungraded"  # red / blue / green / ungraded
    quantity: int = 1
    deadline: int | None = None  # day number (date.toordinal())
    window_start: int | None = None
    window_end: int | None = None


@dataclass(frozen=True)
class ResourceIn:
    id: int
    categories: frozenset[str]
    capacity: int
    lat: float
    lon: float
    kind: str = "volunteer"  # volunteer / goods / service / venue
    window_start: int | None = None
    window_end: int | None = None
    weekdays: int = ALL_WEEK  # bit 0 = Monday … bit 6 = Sunday (a volunteer's weekly availability)


@dataclass(frozen=True)
class Params:
    max_distance_m: int = 5000
    k: int = 8
    today: int = 0  # day number the deadline bonus counts from
    horizon_days: int = 60
    repair_rounds: int = 0  # rounds adding back violated arcs before solving the full graph
    certify_rounds: int = 200  # Bellman-Ford rounds allowed when certifying on the full residual network

    @property
    def deadline_step(self) -> int:
        return 2 * self.max_distance_m + 1

    @property
    def class_step(self) -> int:
        return (self.horizon_days + 1) * self.deadline_step + 2 * self.max_distance_m + 1


@dataclass(frozen=True)
class Assignment:
    need_id: int
    resource_id: int
    units: int
    distance_m: int
    explanation: dict[str, Any]


@dataclass
class MatchResult:
    assignments: list[Assignment]
    unmet: dict[int, dict[str, Any]]  # need id → {"reason", "missing", ...}
    objective: int
    stats: dict[str, Any] = field(default_factory=dict)

    def units_by_need(self) -> dict[int, int]:
        out: dict[int, int] = {}
        for a in self.assignments:
            out[a.need_id] = out.get(a.need_id, 0) + a.units
        return out


def weight(need: NeedIn, params: Params) -> int:
    """The value of serving one unit of `need` (before subtracting distance)."""
    rank = PRIORITY_RANK.get(need.priority, PRIORITY_RANK["ungraded"])
    bonus = 0
    if need.deadline is not None:
        days_left = min(max(need.deadline - params.today, 0), params.horizon_days)
        bonus = (params.horizon_days - days_left) * params.deadline_step
    return (len(PRIORITIES) - rank) * params.class_step + bonus


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> int:
    """Great-circle distance in whole metres (haversine)."""
    r = 6_371_000.0
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return round(2 * r * math.asin(math.sqrt(min(1.0, a))))


# ---------------------------------------------------------------- instance


class Instance:
    """Needs and resources in array form, with the full candidate graph."""

    def __init__(self, needs: Iterable[NeedIn], resources: Iterable[ResourceIn], params: Params) -> None:
        self.params = params
        self.needs: list[NeedIn] = sorted(needs, key=lambda n: n.id)
        self.resources: list[ResourceIn] = sorted(resources, key=lambda r: r.id)
        if len({n.id for n in self.needs}) != len(self.needs) or len({r.id for r in self.resources}) != len(
            self.resources
        ):
            raise ValueError("duplicate ids")
        n, m = len(self.needs), len(self.resources)
        self.qty = np.array([max(0, x.quantity) for x in self.needs], dtype=np.int64)
        self.cap = np.array([max(0, r.capacity) for r in self.resources], dtype=np.int64)
        self.weight = np.array([weight(x, params) for x in self.needs], dtype=np.int64)
        self.n_lat = np.array([x.lat for x in self.needs], dtype=np.float64).reshape(n)
        self.n_lon = np.array([x.lon for x in self.needs], dtype=np.float64).reshape(n)
        self.r_lat = np.array([r.lat for r in self.resources], dtype=np.float64).reshape(m)
        self.r_lon = np.array([r.lon for r in self.resources], dtype=np.float64).reshape(m)
        self.n_ws = np.array([_lo(x.window_start) for x in self.needs], dtype=np.int64).reshape(n)
        self.n_we = np.array([_hi(x.window_end) for x in self.needs], dtype=np.int64).reshape(n)
        self.r_ws = np.array([_lo(r.window_start) for r in self.resources], dtype=np.int64).reshape(m)
        self.r_we = np.array([_hi(r.window_end) for r in self.resources], dtype=np.int64).reshape(m)
        self.r_wd = np.array([r.weekdays & ALL_WEEK for r in self.resources], dtype=np.int64).reshape(m)
        self._build_candidates()

    # Full candidate graph: arrays ci (need index), cr (resource index), cd (metres),
    # sorted by (need, distance, resource id); crank = rank within the need.
    def _build_candidates(self) -> None:
        p = self.params
        by_cat_r: dict[str, list[int]] = {}
        for j, r in enumerate(self.resources):
            for c in sorted(r.categories):
                by_cat_r.setdefault(c, []).append(j)
        by_cat_n: dict[str, list[int]] = {}
        for i, x in enumerate(self.needs):
            by_cat_n.setdefault(x.category, []).append(i)
        self.categories_offered = set(by_cat_r)
        self.by_cat_r = {c: np.array(v, dtype=np.int64) for c, v in by_cat_r.items()}
        lat0 = float(np.mean(self.n_lat)) if len(self.needs) else 0.0
        kx = 111_320.0 * math.cos(math.radians(lat0))
        ky = 110_540.0
        cell = max(float(p.max_distance_m), 1.0)
        parts_i, parts_r, parts_d = [], [], []
        for cat in sorted(by_cat_n):
            ni = np.array(by_cat_n[cat], dtype=np.int64)
            rj = np.array(by_cat_r.get(cat, []), dtype=np.int64)
            if not len(rj):
                continue
            # Grid buckets of side max_distance: candidates lie in the 3×3 block.
            nx, ny = self.n_lon[ni] * kx, self.n_lat[ni] * ky
            rx, ry = self.r_lon[rj] * kx, self.r_lat[rj] * ky
            ncx, ncy = np.floor(nx / cell).astype(np.int64), np.floor(ny / cell).astype(np.int64)
            rcx, rcy = np.floor(rx / cell).astype(np.int64), np.floor(ry / cell).astype(np.int64)
            rcells: dict[tuple[int, int], np.ndarray] = {}
            rkey = list(zip(rcx.tolist(), rcy.tolist(), strict=True))
            tmp: dict[tuple[int, int], list[int]] = {}
            for idx, key in enumerate(rkey):
                tmp.setdefault(key, []).append(idx)
            rcells = {key: np.array(v, dtype=np.int64) for key, v in tmp.items()}
            ncells: dict[tuple[int, int], list[int]] = {}
            for idx, key in enumerate(zip(ncx.tolist(), ncy.tolist(), strict=True)):
                ncells.setdefault(key, []).append(idx)
            for (cx, cy), members in sorted(ncells.items()):
                near = [rcells[(cx + a, cy + b)] for a in (-1, 0, 1) for b in (-1, 0, 1) if (cx + a, cy + b) in rcells]
                if not near:
                    continue
                rl = np.concatenate(near)
                ml = np.array(members, dtype=np.int64)
                dx = nx[ml][:, None] - rx[rl][None, :]
                dy = ny[ml][:, None] - ry[rl][None, :]
                dist = np.rint(np.sqrt(dx * dx + dy * dy)).astype(np.int64)
                gi, gr = ni[ml], rj[rl]
                win = _time_ok(
                    self.n_ws[gi][:, None],
                    self.n_we[gi][:, None],
                    self.r_ws[gr][None, :],
                    self.r_we[gr][None, :],
                    self.r_wd[gr][None, :],
                )
                mask = (dist <= p.max_distance_m) & win
                a, b = np.nonzero(mask)
                parts_i.append(gi[a])
                parts_r.append(gr[b])
                parts_d.append(dist[a, b])
        if parts_i:
            ci, cr, cd = np.concatenate(parts_i), np.concatenate(parts_r), np.concatenate(parts_d)
        else:
            ci = cr = cd = np.zeros(0, dtype=np.int64)
        order = np.lexsort((cr, cd, ci))
        self.ci, self.cr, self.cd = ci[order], cr[order], cd[order]
        # rank of each candidate within its need (0 = nearest)
        if len(self.ci):
            starts = np.r_[0, np.flatnonzero(np.diff(self.ci)) + 1]
            counts = np.diff(np.r_[starts, len(self.ci)])
            self.crank = np.arange(len(self.ci)) - np.repeat(starts, counts)
        else:
            self.crank = np.zeros(0, dtype=np.int64)
        self.ncand = np.bincount(self.ci, minlength=len(self.needs))
        self.ccost = self.cd - self.weight[self.ci]

    @property
    def n_full_arcs(self) -> int:
        return len(self.ci)


def _time_ok(ns: np.ndarray, ne: np.ndarray, rs: np.ndarray, re: np.ndarray, wd: np.ndarray) -> np.ndarray:
    """Windows overlap, and the overlap contains a weekday the resource is
    available on (day numbers are proleptic ordinals: weekday = (day - 1) % 7)."""
    lo, hi = np.maximum(ns, rs), np.minimum(ne, re)
    length = hi - lo + 1
    short = np.clip(length, 0, 7)
    start = (lo - 1) % 7
    run = (1 << short) - 1  # `short` consecutive days from `start`, wrapped round the week
    days = ((run << start) | (run >> (7 - start))) & ALL_WEEK
    return (length >= 1) & ((days & wd) != 0)


def _lo(v: int | None) -> int:
    return NO_LIMIT_LOW if v is None else int(v)


def _hi(v: int | None) -> int:
    return NO_LIMIT_HIGH if v is None else int(v)


# ---------------------------------------------------------------- flow


def _solve_flow(inst: Instance, arcs: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, int]:
    """Min-cost flow over the candidate arcs `arcs` (indices into inst.ci…).
    Returns (flow per candidate arc, flow S→need, flow resource→T, bypass, cost)."""
    n, m = len(inst.needs), len(inst.resources)
    total = int(inst.qty.sum())
    smcf = min_cost_flow.SimpleMinCostFlow()
    S, T = 0, 1
    need_node = 2 + np.arange(n, dtype=np.int64)
    res_node = 2 + n + np.arange(m, dtype=np.int64)
    tails = np.concatenate([np.full(n, S), need_node[inst.ci[arcs]], res_node, [S]]).astype(np.int32)
    heads = np.concatenate([need_node, res_node[inst.cr[arcs]], np.full(m, T), [T]]).astype(np.int32)
    caps = np.concatenate(
        [inst.qty, np.minimum(inst.qty[inst.ci[arcs]], inst.cap[inst.cr[arcs]]), inst.cap, [total]]
    ).astype(np.int64)
    costs = np.concatenate([np.zeros(n), inst.ccost[arcs], np.zeros(m), [0]]).astype(np.int64)
    smcf.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
    supplies = np.zeros(2 + n + m, dtype=np.int64)
    supplies[S], supplies[T] = total, -total
    smcf.set_nodes_supplies(np.arange(2 + n + m, dtype=np.int32), supplies)
    status = smcf.solve()
    if status != smcf.OPTIMAL:
        raise RuntimeError(f"min cost flow failed: {status}")
    flows = smcf.flows(np.arange(len(tails), dtype=np.int32)).astype(np.int64)
    na = len(arcs)
    return flows[n : n + na], flows[:n], flows[n + na : n + na + m], flows[-1:], int(smcf.optimal_cost())


def _potentials(
    inst: Instance,
    arcs: np.ndarray,
    f_arc: np.ndarray,
    f_s: np.ndarray,
    f_t: np.ndarray,
    f_bypass: np.ndarray,
    *,
    extra: np.ndarray | None = None,
    start: np.ndarray | None = None,
    max_rounds: int | None = None,
) -> np.ndarray | None:
    """Shortest-path distances (from a virtual root) in the residual network:
    dual potentials that certify optimality. Vectorised Bellman-Ford.

    `extra` adds candidate arcs that carry no flow (forward residual arcs
    only): with the pruned arcs as `extra`, convergence proves the flow optimal
    on the full graph. `start` warm-starts the distances (any upper bound);
    after `max_rounds` without convergence the answer is None (a negative
    cycle is likely: the flow is probably not optimal there)."""
    n, m = len(inst.needs), len(inst.resources)
    S, T = 0, 1
    need_node = 2 + np.arange(n, dtype=np.int64)
    res_node = 2 + n + np.arange(m, dtype=np.int64)
    total = int(inst.qty.sum())
    ai, ar = need_node[inst.ci[arcs]], res_node[inst.cr[arcs]]
    acap = np.minimum(inst.qty[inst.ci[arcs]], inst.cap[inst.cr[arcs]])
    ac = inst.ccost[arcs]
    u_parts = [
        np.full(int((f_s < inst.qty).sum()), S),
        need_node[f_s > 0],
        ai[f_arc < acap],
        ar[f_arc > 0],
        res_node[f_t < inst.cap],
        np.full(int((f_t > 0).sum()), T),
    ]
    v_parts = [
        need_node[f_s < inst.qty],
        np.full(int((f_s > 0).sum()), S),
        ar[f_arc < acap],
        ai[f_arc > 0],
        np.full(int((f_t < inst.cap).sum()), T),
        res_node[f_t > 0],
    ]
    c_parts = [
        np.zeros(len(u_parts[0])),
        np.zeros(len(u_parts[1])),
        ac[f_arc < acap],
        -ac[f_arc > 0],
        np.zeros(len(u_parts[4])),
        np.zeros(len(u_parts[5])),
    ]
    if f_bypass[0] < total:
        u_parts.append(np.array([S]))
        v_parts.append(np.array([T]))
        c_parts.append(np.zeros(1))
    if f_bypass[0] > 0:
        u_parts.append(np.array([T]))
        v_parts.append(np.array([S]))
        c_parts.append(np.zeros(1))
    if extra is not None and len(extra):
        u_parts.append(need_node[inst.ci[extra]])
        v_parts.append(res_node[inst.cr[extra]])
        c_parts.append(inst.ccost[extra])
    u = np.concatenate(u_parts).astype(np.int64)
    v = np.concatenate(v_parts).astype(np.int64)
    c = np.concatenate(c_parts).astype(np.int64)
    order = np.argsort(v, kind="stable")
    u, v, c = u[order], v[order], c[order]
    nodes = 2 + n + m
    d = np.zeros(nodes, dtype=np.int64) if start is None else start.copy()
    if not len(u):
        return d
    starts = np.r_[0, np.flatnonzero(np.diff(v)) + 1]
    heads = v[starts]
    for _ in range(min(nodes + 1, max_rounds or nodes + 1)):
        best = np.minimum.reduceat(d[u] + c, starts)
        improved = best < d[heads]
        if not improved.any():
            return d
        d[heads[improved]] = best[improved]
    if max_rounds is not None:
        return None
    raise RuntimeError("negative cycle in residual network")  # pragma: no cover


def _result(inst: Instance, arcs: np.ndarray, f_arc: np.ndarray, cost: int, stats: dict[str, Any]) -> MatchResult:
    used = np.flatnonzero(f_arc > 0)
    assignments = []
    served = np.zeros(len(inst.needs), dtype=np.int64)
    for a in used.tolist():
        k = int(arcs[a])
        i, j = int(inst.ci[k]), int(inst.cr[k])
        units = int(f_arc[a])
        served[i] += units
        need, res = inst.needs[i], inst.resources[j]
        assignments.append(
            Assignment(
                need_id=need.id,
                resource_id=res.id,
                units=units,
                distance_m=int(inst.cd[k]),
                explanation=_explain(inst, i, j, k),
            )
        )
    assignments.sort(key=lambda a: (a.need_id, a.distance_m, a.resource_id))
    unmet = _unmet(inst, served)
    return MatchResult(assignments=assignments, unmet=unmet, objective=-cost, stats=stats)


def _explain(inst: Instance, i: int, j: int, k: int) -> dict[str, Any]:
    need, res = inst.needs[i], inst.resources[j]
    rule = "stock" if res.kind == "goods" else ("skill" if res.kind == "volunteer" else "service")
    return {
        "rule": rule,
        "category": need.category,
        "distance_m": int(inst.cd[k]),
        "priority": need.priority,
        "deadline": need.deadline,
        "rank": int(inst.crank[k]) + 1,
        "candidates": int(inst.ncand[i]),
        "weight": int(inst.weight[i]),
    }


def _unmet(inst: Instance, served: np.ndarray) -> dict[int, dict[str, Any]]:
    out: dict[int, dict[str, Any]] = {}
    for i in np.flatnonzero(served < inst.qty).tolist():
        need = inst.needs[i]
        if need.category not in inst.categories_offered:
            reason = NO_COMPATIBLE
        elif inst.ncand[i] == 0:
            rj = inst.by_cat_r[need.category]
            fits = _time_ok(inst.n_ws[i], inst.n_we[i], inst.r_ws[rj], inst.r_we[rj], inst.r_wd[rj])
            reason = NOT_NEARBY if fits.any() else OUTSIDE_WINDOW
        else:
            reason = CAPACITY_USED
        out[need.id] = {
            "reason": reason,
            "missing": int(inst.qty[i] - served[i]),
            "served": int(served[i]),
            "candidates": int(inst.ncand[i]),
            "priority": need.priority,
            "category": need.category,
        }
    return out


# ---------------------------------------------------------------- solvers


def solve(
    needs: Iterable[NeedIn], resources: Iterable[ResourceIn], params: Params | None = None, *, progress: Any = None
) -> MatchResult:
    """The engine: k-nearest pruned min-cost flow, certified exact on the full graph."""
    params = params or Params()
    inst = Instance(needs, resources, params)
    return solve_instance(inst, progress=progress)


def solve_instance(inst: Instance, *, progress: Any = None) -> MatchResult:
    keep = inst.crank < inst.params.k
    arcs = np.flatnonzero(keep)
    rounds, added, fallback, certified_on_full = 0, 0, False, False
    pruned_objective = None
    while True:
        rounds += 1
        f_arc, f_s, f_t, f_by, cost = _solve_flow(inst, arcs)
        if pruned_objective is None:
            pruned_objective = -cost
        if progress:
            progress(rounds)
        pruned = np.flatnonzero(~keep)
        if not len(pruned):
            break
        d = _potentials(inst, arcs, f_arc, f_s, f_t, f_by)
        assert d is not None
        n = len(inst.needs)
        reduced = inst.ccost[pruned] + d[2 + inst.ci[pruned]] - d[2 + n + inst.cr[pruned]]
        bad = pruned[reduced < 0]
        if not len(bad):
            break
        if len(bad) <= max(10, len(pruned) // 100):
            # A few violations may be an artefact of these particular
            # potentials: recompute them on the full residual network (the
            # pruned arcs added as empty arcs); convergence certifies.
            full = _potentials(
                inst, arcs, f_arc, f_s, f_t, f_by, extra=pruned, start=d, max_rounds=inst.params.certify_rounds
            )
            if full is not None:
                certified_on_full = True
                break
        if rounds > inst.params.repair_rounds:
            # Not certified after the repair rounds: solve the full graph.
            keep[:] = True
            fallback = True
        else:
            keep[bad] = True
            added += len(bad)
        arcs = np.flatnonzero(keep)
    stats = {
        "needs": len(inst.needs),
        "resources": len(inst.resources),
        "full_arcs": inst.n_full_arcs,
        "arcs": len(arcs),
        "added_by_certificate": added,
        "rounds": rounds,
        "fallback_full": fallback,
        "certified_on_full_residual": certified_on_full,
        "pruned_objective": pruned_objective,
    }
    return _result(inst, arcs, f_arc, cost, stats)


def solve_exact(
    needs: Iterable[NeedIn] | Instance, resources: Iterable[ResourceIn] = (), params: Params | None = None
) -> MatchResult:
    """Min-cost flow on the full (unpruned) candidate graph."""
    inst = needs if isinstance(needs, Instance) else Instance(needs, resources, params or Params())
    arcs = np.arange(inst.n_full_arcs)
    f_arc, _, _, _, cost = _solve_flow(inst, arcs)
    stats = {"needs": len(inst.needs), "resources": len(inst.resources), "arcs": inst.n_full_arcs}
    return _result(inst, arcs, f_arc, cost, stats)


def solve_greedy(
    needs: Iterable[NeedIn] | Instance, resources: Iterable[ResourceIn] = (), params: Params | None = None
) -> MatchResult:
    """Baseline: needs by priority, deadline and id; each takes its nearest
    candidates with capacity left."""
    inst = needs if isinstance(needs, Instance) else Instance(needs, resources, params or Params())
    left = inst.cap.copy()
    f_arc = np.zeros(inst.n_full_arcs, dtype=np.int64)
    starts = np.r_[0, np.cumsum(inst.ncand)[:-1]] if len(inst.needs) else np.zeros(0, dtype=np.int64)
    order = sorted(
        range(len(inst.needs)),
        key=lambda i: (
            PRIORITY_RANK.get(inst.needs[i].priority, 3),
            _hi(inst.needs[i].deadline),
            inst.needs[i].id,
        ),
    )
    cost = 0
    for i in order:
        want = int(inst.qty[i])
        s = int(starts[i])
        for k in range(s, s + int(inst.ncand[i])):
            if want == 0:
                break
            j = int(inst.cr[k])
            take = min(want, int(left[j]))
            if take > 0:
                f_arc[k] += take
                left[j] -= take
                want -= take
                cost += take * int(inst.ccost[k])
    arcs = np.arange(inst.n_full_arcs)
    return _result(inst, arcs, f_arc, cost, {"arcs": inst.n_full_arcs})


def objective_of(assignments: Sequence[Assignment], needs: Sequence[NeedIn], params: Params) -> int:
    """Recompute the objective of a set of assignments from first principles."""
    by_id = {n.id: n for n in needs}
    return sum(a.units * (weight(by_id[a.need_id], params) - a.distance_m) for a in assignments)
