"""Min-cost flow for the matching engine: OR-Tools per component, in parallel.

Each component of the candidate graph (matching.graph.components) is its own
network: need i supplies its quantity q_i; an arc need → resource carries up
to min(q_i, capacity) units at cost distance − weight(need); resource → sink
carries up to the capacity; need → sink (the unit left unmet) costs 0. The
sink takes every unit. The minimum cost is minus the objective, and since no
arc joins two components, the sum of their optima is the optimum of the whole
graph. Components are solved one network each (so an answer never depends on
which other components share a worker), large ones first, across a pool of
forked worker processes when the graph is large enough to be worth it.
"""

from __future__ import annotations

import multiprocessing as mp
import os
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import numpy as np
from ortools.graph.python import min_cost_flow

# The network the forked workers read (set just before the pool forks; a
# worker inherits it instead of receiving a copy through a pipe).
_shared: dict[str, np.ndarray] = {}


def solve_network(
    ci: np.ndarray, cr: np.ndarray, cost: np.ndarray, qty: np.ndarray, cap: np.ndarray
) -> tuple[np.ndarray, int]:
    """One min-cost flow over the arcs (ci[k] → cr[k], unit cost cost[k]);
    `qty` per need index and `cap` per resource index (global arrays).
    Returns (units on each arc, optimal cost)."""
    if not len(ci):
        return np.zeros(0, dtype=np.int64), 0
    needs, li = np.unique(ci, return_inverse=True)
    ress, lr = np.unique(cr, return_inverse=True)
    n, m = len(needs), len(ress)
    q, c = qty[needs].astype(np.int64), cap[ress].astype(np.int64)
    sink = n + m
    tails = np.concatenate([li, n + np.arange(m), np.arange(n)]).astype(np.int32)
    heads = np.concatenate([n + lr, np.full(m, sink), np.full(n, sink)]).astype(np.int32)
    caps = np.concatenate([np.minimum(q[li], c[lr]), c, q]).astype(np.int64)
    costs = np.concatenate([cost, np.zeros(m + n)]).astype(np.int64)
    smcf = min_cost_flow.SimpleMinCostFlow()
    smcf.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
    supplies = np.concatenate([q, np.zeros(m, dtype=np.int64), [-int(q.sum())]])
    smcf.set_nodes_supplies(np.arange(n + m + 1, dtype=np.int32), supplies)
    status = smcf.solve()
    if status != smcf.OPTIMAL:
        raise RuntimeError(f"min cost flow failed: {status}")
    flows = smcf.flows(np.arange(len(ci), dtype=np.int32)).astype(np.int64)
    return flows, int(smcf.optimal_cost())


def _solve_components(comps: list[int]) -> tuple[np.ndarray, np.ndarray, int]:
    """Solve components `comps` of the shared network; the arcs that carry
    flow (as indices into the network's arcs), their units, and the cost."""
    s = _shared
    arcs_out, units_out, total = [], [], 0
    for c in comps:
        arcs = s["order"][s["bounds"][c] : s["bounds"][c + 1]]
        flows, cost = solve_network(s["ci"][arcs], s["cr"][arcs], s["cost"][arcs], s["qty"], s["cap"])
        used = flows > 0
        arcs_out.append(arcs[used])
        units_out.append(flows[used])
        total += cost
    return np.concatenate(arcs_out), np.concatenate(units_out), total


def _batches(sizes: np.ndarray, batch_arcs: int) -> list[list[int]]:
    """Components, largest first; small ones grouped to about `batch_arcs` arcs."""
    batches: list[list[int]] = []
    current: list[int] = []
    filled = 0
    for c in np.argsort(-sizes, kind="stable").tolist():
        if sizes[c] >= batch_arcs:
            batches.append([c])
            continue
        current.append(c)
        filled += int(sizes[c])
        if filled >= batch_arcs:
            batches.append(current)
            current, filled = [], 0
    if current:
        batches.append(current)
    return batches


def solve_components(
    ci: np.ndarray,
    cr: np.ndarray,
    cost: np.ndarray,
    qty: np.ndarray,
    cap: np.ndarray,
    order: np.ndarray,
    bounds: np.ndarray,
    *,
    workers: int,
    batch_arcs: int,
) -> tuple[np.ndarray, int, dict[str, Any]]:
    """Solve every component; units per arc (aligned with ci) and the total cost."""
    global _shared
    sizes = np.diff(bounds)
    batches = _batches(sizes, batch_arcs)
    _shared = {"ci": ci, "cr": cr, "cost": cost, "qty": qty, "cap": cap, "order": order, "bounds": bounds}
    workers = max(1, min(workers, len(batches)))
    try:
        if workers > 1 and "fork" in mp.get_all_start_methods():
            with ProcessPoolExecutor(max_workers=workers, mp_context=mp.get_context("fork")) as pool:
                results = list(pool.map(_solve_components, batches))
        else:
            workers = 1
            results = [_solve_components(b) for b in batches]
    finally:
        _shared = {}
    units = np.zeros(len(ci), dtype=np.int64)
    total = 0
    for arcs, flows, c in results:
        units[arcs] = flows
        total += c
    stats = {
        "components": len(sizes),
        "largest_component_arcs": int(sizes.max()) if len(sizes) else 0,
        "workers": workers,
    }
    return units, total, stats


def default_workers() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
