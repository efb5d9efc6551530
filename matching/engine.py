"""The matching engine (需求库↔资源库), pure Python + numpy + scipy + OR-Tools, no Django.

Model. Each need asks for `quantity` units of one category (a need type such
as ``escort`` or ``goods_food``); each resource offers some categories and has
a capacity (tasks per week for a volunteer, stock for goods). A unit of need
may be served by a resource when

* the resource offers the need's category (the *compatibility rule*),
* their time windows overlap on a day the resource is available,
* they are at most ``max_distance_m`` apart.

These pairs form the *candidate graph*. The engine maximises

    objective = Σ over served units (weight(need) − distance in metres)

where ``weight`` is a big integer per priority class (red > blue > green >
ungraded) plus a bonus for an early deadline. The class step exceeds every
deadline bonus plus twice the largest distance, and the deadline step exceeds
twice the largest distance, so one red unit outranks any blue one, an earlier
deadline outranks distance, and among equal priorities the nearest wins.

Solving (matching.graph, matching.flow). The candidate graph is found with a
grid index per category, then split into its connected components (needs and
resources joined by candidate arcs: category × geography; a volunteer with two
skills joins two categories). The objective is a sum over components, so
solving each component's min-cost flow with OR-Tools gives exactly the optimum
of the whole graph, with no pruning to certify. Components are solved
separately, in parallel across the machine's cores when the graph is large.

Determinism: inputs are sorted by id, components and arcs follow that order,
each component is its own network, and the solver is deterministic, so the
same input gives the same proposals whatever its order or the worker count.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from matching import flow, graph
from matching.graph import ALL_WEEK

__all__ = ["ALL_WEEK", "Instance", "MatchResult", "NeedIn", "Params", "ResourceIn", "solve"]

PRIORITIES = ("red", "blue", "green", "ungraded")
PRIORITY_RANK = {p: i for i, p in enumerate(PRIORITIES)}
NO_LIMIT_LOW = -(10**9)
NO_LIMIT_HIGH = 10**9

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
    k: int = 8  # alternatives named in each proposal's explanation (its nearest other candidates)
    today: int = 0  # day number the deadline bonus counts from
    horizon_days: int = 60
    workers: int | None = None  # processes solving components (None: the machine's cores)
    parallel_min_arcs: int = 200_000  # smaller graphs are solved in this process
    batch_arcs: int = 50_000  # small components go to a worker in batches of about this many arcs

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


def _lo(v: int | None) -> int:
    return NO_LIMIT_LOW if v is None else int(v)


def _hi(v: int | None) -> int:
    return NO_LIMIT_HIGH if v is None else int(v)


# ---------------------------------------------------------------- instance


class Instance:
    """Needs and resources in array form, with the candidate graph: arrays ci
    (need index), cr (resource index), cd (metres), sorted by (need, distance,
    resource id); crank is the rank within the need (0 = nearest)."""

    def __init__(self, needs: Iterable[NeedIn], resources: Iterable[ResourceIn], params: Params) -> None:
        self.params = params
        self.needs: list[NeedIn] = sorted(needs, key=lambda n: n.id)
        self.resources: list[ResourceIn] = sorted(resources, key=lambda r: r.id)
        if len({n.id for n in self.needs}) != len(self.needs) or len({r.id for r in self.resources}) != len(
            self.resources
        ):
            raise ValueError("duplicate ids")
        ns, rs = self.needs, self.resources
        self.need_ids = np.array([x.id for x in ns], dtype=np.int64)
        self.res_ids = np.array([r.id for r in rs], dtype=np.int64)
        self.qty = np.array([max(0, x.quantity) for x in ns], dtype=np.int64)
        self.cap = np.array([max(0, r.capacity) for r in rs], dtype=np.int64)
        self.weight = np.array([weight(x, params) for x in ns], dtype=np.int64)
        self.n_ws = np.array([_lo(x.window_start) for x in ns], dtype=np.int64)
        self.n_we = np.array([_hi(x.window_end) for x in ns], dtype=np.int64)
        self.r_ws = np.array([_lo(r.window_start) for r in rs], dtype=np.int64)
        self.r_we = np.array([_hi(r.window_end) for r in rs], dtype=np.int64)
        self.r_wd = np.array([r.weekdays & ALL_WEEK for r in rs], dtype=np.int64)
        cats = sorted({x.category for x in ns} | {c for r in rs for c in r.categories})
        code = {c: i for i, c in enumerate(cats)}
        self.n_cat = np.array([code[x.category] for x in ns], dtype=np.int64)
        offers = [(j, code[c]) for j, r in enumerate(rs) for c in sorted(r.categories)]
        self.offer_res = np.array([o[0] for o in offers], dtype=np.int64)
        self.offer_cat = np.array([o[1] for o in offers], dtype=np.int64)
        self.categories_offered = {cats[c] for c in set(self.offer_cat.tolist())}
        n_lat = np.array([x.lat for x in ns], dtype=np.float64)
        n_lon = np.array([x.lon for x in ns], dtype=np.float64)
        r_lat = np.array([r.lat for r in rs], dtype=np.float64)
        r_lon = np.array([r.lon for r in rs], dtype=np.float64)
        lat0 = float(n_lat.mean()) if len(ns) else 0.0
        self.n_x, self.n_y = graph.planar(n_lat, n_lon, lat0)
        self.r_x, self.r_y = graph.planar(r_lat, r_lon, lat0)
        self.ci, self.cr, self.cd = graph.candidate_arcs(
            {"x": self.n_x, "y": self.n_y, "cat": self.n_cat, "ws": self.n_ws, "we": self.n_we},
            {"x": self.r_x, "y": self.r_y, "ws": self.r_ws, "we": self.r_we, "wd": self.r_wd},
            self.offer_res,
            self.offer_cat,
            params.max_distance_m,
        )
        self.ncand = np.bincount(self.ci, minlength=len(ns))
        self.cstart = np.cumsum(self.ncand) - self.ncand  # first candidate of each need

    @property
    def n_full_arcs(self) -> int:
        return len(self.ci)

    def flow_arcs(self) -> np.ndarray:
        """Candidate arcs that can carry a unit (resource capacity left > 0)."""
        return np.flatnonzero(self.cap[self.cr] > 0)

    def arc_cost(self, arcs: np.ndarray) -> np.ndarray:
        return self.cd[arcs].astype(np.int64) - self.weight[self.ci[arcs]]


# ---------------------------------------------------------------- solvers


def solve(needs: Iterable[NeedIn], resources: Iterable[ResourceIn], params: Params | None = None) -> MatchResult:
    """The engine: min-cost flow per component of the candidate graph, exact."""
    params = params or Params()
    return solve_instance(Instance(needs, resources, params))


def solve_instance(inst: Instance) -> MatchResult:
    p = inst.params
    arcs = inst.flow_arcs()
    ci, cr = inst.ci[arcs], inst.cr[arcs]
    order, bounds = graph.components(ci, cr, len(inst.needs), len(inst.resources))
    workers = p.workers or flow.default_workers()
    if len(arcs) < p.parallel_min_arcs:
        workers = 1
    units, cost, stats = flow.solve_components(
        ci, cr, inst.arc_cost(arcs), inst.qty, inst.cap, order, bounds, workers=workers, batch_arcs=p.batch_arcs
    )
    stats = {
        "needs": len(inst.needs),
        "resources": len(inst.resources),
        "full_arcs": inst.n_full_arcs,
        "arcs": len(arcs),
        **stats,
    }
    return _result(inst, arcs, units, cost, stats)


def solve_exact(
    needs: Iterable[NeedIn] | Instance, resources: Iterable[ResourceIn] = (), params: Params | None = None
) -> MatchResult:
    """One min-cost flow on the whole candidate graph (the reference the
    engine's optimum is checked against)."""
    inst = needs if isinstance(needs, Instance) else Instance(needs, resources, params or Params())
    arcs = inst.flow_arcs()
    units, cost = flow.solve_network(inst.ci[arcs], inst.cr[arcs], inst.arc_cost(arcs), inst.qty, inst.cap)
    stats = {"needs": len(inst.needs), "resources": len(inst.resources), "arcs": len(arcs)}
    return _result(inst, arcs, units, cost, stats)


def solve_greedy(
    needs: Iterable[NeedIn] | Instance, resources: Iterable[ResourceIn] = (), params: Params | None = None
) -> MatchResult:
    """Baseline: needs by priority, deadline and id; each takes its nearest
    candidates with capacity left."""
    inst = needs if isinstance(needs, Instance) else Instance(needs, resources, params or Params())
    left = inst.cap.copy()
    f_arc = np.zeros(inst.n_full_arcs, dtype=np.int64)
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
        s = int(inst.cstart[i])
        for k in range(s, s + int(inst.ncand[i])):
            if want == 0:
                break
            j = int(inst.cr[k])
            take = min(want, int(left[j]))
            if take > 0:
                f_arc[k] += take
                left[j] -= take
                want -= take
                cost += take * (int(inst.cd[k]) - int(inst.weight[i]))
    return _result(inst, np.arange(inst.n_full_arcs), f_arc, cost, {"arcs": inst.n_full_arcs})


def objective_of(assignments: Sequence[Assignment], needs: Sequence[NeedIn], params: Params) -> int:
    """Recompute the objective of a set of assignments from first principles."""
    by_id = {n.id: n for n in needs}
    return sum(a.units * (weight(by_id[a.need_id], params) - a.distance_m) for a in assignments)


# ---------------------------------------------------------------- results


def _result(inst: Instance, arcs: np.ndarray, units: np.ndarray, cost: int, stats: dict[str, Any]) -> MatchResult:
    used = arcs[units > 0]  # candidate arcs (indices into inst.ci…) carrying units, in (need, distance) order
    amount = units[units > 0]
    served = np.bincount(inst.ci[used], weights=amount, minlength=len(inst.needs)).astype(np.int64)
    assignments = [
        Assignment(need_id=nid, resource_id=rid, units=u, distance_m=d, explanation=exp)
        for nid, rid, u, d, exp in zip(
            inst.need_ids[inst.ci[used]].tolist(),
            inst.res_ids[inst.cr[used]].tolist(),
            amount.tolist(),
            inst.cd[used].tolist(),
            _explanations(inst, used),
            strict=True,
        )
    ]
    return MatchResult(assignments=assignments, unmet=_unmet(inst, served), objective=-cost, stats=stats)


def _explanations(inst: Instance, used: np.ndarray) -> list[dict[str, Any]]:
    """Why each proposal: the rule and category that admit the resource, its
    distance and rank among the need's candidates, the resource's capacity,
    the need's priority and deadline, and its nearest other candidates."""
    if not len(used):
        return []
    k = max(0, inst.params.k)
    ci, cr = inst.ci[used], inst.cr[used]
    rank = used - inst.cstart[ci]
    # the need's nearest k + 1 candidates; the proposed resource is left out below
    window = inst.cstart[ci][:, None] + np.arange(k + 1)[None, :]
    inside = window < (inst.cstart[ci] + inst.ncand[ci])[:, None]
    window = np.where(inside, window, 0)
    alt_ids = np.where(inside, inst.res_ids[inst.cr[window]], -1)
    alt_d = inst.cd[window]
    rule_of = {"goods": "stock", "volunteer": "skill"}
    rules = [rule_of.get(inst.resources[j].kind, "service") for j in cr.tolist()]
    needs = [inst.needs[i] for i in ci.tolist()]
    own = inst.res_ids[cr].tolist()
    return [
        {
            "rule": rule,
            "category": need.category,
            "distance_m": d,
            "priority": need.priority,
            "deadline": need.deadline,
            "rank": rk + 1,
            "candidates": nc,
            "capacity": cap,
            "weight": w,
            "alternatives": [[a, ad] for a, ad in zip(ids, ds, strict=True) if a >= 0 and a != o][:k],
        }
        for rule, need, d, rk, nc, cap, w, ids, ds, o in zip(
            rules,
            needs,
            inst.cd[used].tolist(),
            rank.tolist(),
            inst.ncand[ci].tolist(),
            inst.cap[cr].tolist(),
            inst.weight[ci].tolist(),
            alt_ids.tolist(),
            alt_d.tolist(),
            own,
            strict=True,
        )
    ]


def _unmet(inst: Instance, served: np.ndarray) -> dict[int, dict[str, Any]]:
    out: dict[int, dict[str, Any]] = {}
    short = np.flatnonzero(served < inst.qty)
    no_cand = short[inst.ncand[short] == 0]
    in_time = np.zeros(len(inst.needs), dtype=bool)  # some resource of the category fits the window
    for cat in np.unique(inst.n_cat[no_cand]).tolist():
        rj = inst.offer_res[inst.offer_cat == cat]
        group = no_cand[inst.n_cat[no_cand] == cat]
        step = max(1, 2_000_000 // max(len(rj), 1))
        for s in range(0, len(group), step):
            g = group[s : s + step]
            fits = graph.time_ok(
                inst.n_ws[g][:, None],
                inst.n_we[g][:, None],
                inst.r_ws[rj][None, :],
                inst.r_we[rj][None, :],
                inst.r_wd[rj][None, :],
            )
            in_time[g] = fits.any(axis=1)
    for i in short.tolist():
        need = inst.needs[i]
        if need.category not in inst.categories_offered:
            reason = NO_COMPATIBLE
        elif inst.ncand[i] == 0:
            reason = NOT_NEARBY if in_time[i] else OUTSIDE_WINDOW
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
