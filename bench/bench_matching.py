"""Matching engine benchmark: district and city scale generated instances.

For each instance: the engine (k-nearest pruned min-cost flow, certified exact),
the greedy baseline (priority then nearest) and the exact min-cost flow on the
full unpruned candidate graph, on the same instance. Peak memory is the
process's resident-set high-water mark measured in a fresh child process per
solver (so one solver's peak does not hide another's).
"""

from __future__ import annotations

import json
import multiprocessing as mp
import os
import resource
import sys
import time
from typing import Any

import numpy as np

from matching import engine
from matching.engine import NeedIn, Params, ResourceIn

CATEGORIES = (
    # (code, share of needs, capacity offered per need in that category)
    ("escort", 0.18, 0.6),  # scarce: 陪诊 volunteers are few
    ("cleaning", 0.16, 1.1),
    ("tutoring", 0.10, 1.4),
    ("companionship", 0.14, 0.8),  # scarce
    ("meal_delivery", 0.12, 1.0),
    ("repair", 0.08, 1.3),
    ("haircut", 0.06, 1.5),
    ("goods_food", 0.10, 0.7),  # scarce stock
    ("goods_appliance", 0.04, 0.5),  # scarce stock
    ("goods_study", 0.02, 2.0),
)
SCALES: dict[str, dict[str, Any]] = {
    "district": {"needs": 1_000, "resources": 500, "km": 12, "exact": True},
    # the same district with five times the capacity: the k-nearest graph is then enough
    "district-ample": {"needs": 1_000, "resources": 500, "km": 12, "exact": True, "supply": 5.0},
    "city": {"needs": 50_000, "resources": 25_000, "km": 60, "exact": True},
}
PARAMS = Params(max_distance_m=3_000, k=6, today=0, horizon_days=60)
GOAL_SECONDS, GOAL_BYTES = 10.0, 2 * 1024**3


def generate(
    n_needs: int, n_res: int, km: float, seed: int = 20261123, supply: float = 1.0
) -> tuple[list[NeedIn], list[ResourceIn]]:
    """Needs and resources clustered around community centres in a square of
    side `km`; per-category capacity set below demand where marked scarce."""
    rng = np.random.default_rng(seed)
    lat0, lon0 = 24.48, 118.09
    deg_lat, deg_lon = km / 110.54, km / (111.32 * np.cos(np.radians(lat0)))
    n_comm = max(20, n_needs // 250)
    centres = rng.random((n_comm, 2)) * [deg_lat, deg_lon] + [lat0, lon0]
    codes = [c for c, _, _ in CATEGORIES]
    shares = np.array([s for _, s, _ in CATEGORIES])
    shares /= shares.sum()
    need_cat = rng.choice(len(codes), size=n_needs, p=shares)
    comm = rng.integers(0, n_comm, size=n_needs)
    spread = 0.006
    lat = centres[comm, 0] + rng.normal(0, spread, n_needs)
    lon = centres[comm, 1] + rng.normal(0, spread, n_needs)
    prio = rng.choice(4, size=n_needs, p=[0.15, 0.3, 0.35, 0.2])
    deadline = rng.integers(1, 45, size=n_needs)
    has_deadline = rng.random(n_needs) < 0.7
    qty = np.where(need_cat >= 7, rng.integers(1, 4, size=n_needs), 1)
    ws = rng.integers(0, 20, size=n_needs)
    we = ws + rng.integers(3, 30, size=n_needs)
    needs = [
        NeedIn(
            id=i + 1,
            category=codes[need_cat[i]],
            lat=float(lat[i]),
            lon=float(lon[i]),
            priority=engine.PRIORITIES[prio[i]],
            quantity=int(qty[i]),
            deadline=int(deadline[i]) if has_deadline[i] else None,
            window_start=int(ws[i]),
            window_end=int(we[i]),
        )
        for i in range(n_needs)
    ]
    demand = np.bincount(need_cat, weights=qty, minlength=len(codes))
    offered = np.array([d * ratio * supply for d, (_, _, ratio) in zip(demand, CATEGORIES, strict=True)])
    # resources: share of count by category demand; capacity scaled to hit the offered ratio
    r_share = demand / demand.sum()
    r_cat = rng.choice(len(codes), size=n_res, p=r_share)
    r_comm = rng.integers(0, n_comm, size=n_res)
    r_lat = centres[r_comm, 0] + rng.normal(0, spread * 1.5, n_res)
    r_lon = centres[r_comm, 1] + rng.normal(0, spread * 1.5, n_res)
    count = np.bincount(r_cat, minlength=len(codes))
    resources = []
    for j in range(n_res):
        c = r_cat[j]
        mean_cap = offered[c] / max(count[c], 1)
        cap = int(rng.poisson(mean_cap)) if mean_cap > 0 else 0
        cats = {codes[c]}
        if c < 7 and rng.random() < 0.3:  # some volunteers have two skills
            cats.add(codes[int(rng.integers(0, 7))])
        rws = int(rng.integers(0, 15))
        resources.append(
            ResourceIn(
                id=j + 1,
                categories=frozenset(cats),
                capacity=cap,
                lat=float(r_lat[j]),
                lon=float(r_lon[j]),
                kind="goods" if c >= 7 else "volunteer",
                window_start=rws,
                window_end=rws + int(rng.integers(10, 40)),
            )
        )
    return needs, resources


def _measure(scale: str, solver: str, queue: Any) -> None:
    cfg = SCALES[scale]
    needs, resources = generate(cfg["needs"], cfg["resources"], cfg["km"], supply=cfg.get("supply", 1.0))
    base_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    t0, c0 = time.perf_counter(), time.process_time()
    inst = engine.Instance(needs, resources, PARAMS)
    if solver == "engine":
        result = engine.solve_instance(inst)
    elif solver == "exact":
        result = engine.solve_exact(inst)
    else:
        result = engine.solve_greedy(inst)
    seconds = time.perf_counter() - t0
    cpu = time.process_time() - c0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    by_id = {n.id: n for n in inst.needs}
    served = result.units_by_need()
    red_met = sum(1 for n in inst.needs if n.priority == "red" and served.get(n.id, 0) >= n.quantity)
    queue.put(
        {
            "seconds": seconds,
            "cpu": cpu,
            "peak": peak,
            "input_rss": base_rss,
            "objective": result.objective,
            "units": int(sum(served.values())),
            "needs_met": sum(1 for nid, u in served.items() if u >= by_id[nid].quantity),
            "red_met": red_met,
            "red_total": sum(1 for n in inst.needs if n.priority == "red"),
            "demand": int(sum(n.quantity for n in inst.needs)),
            "stats": result.stats,
        }
    )


def measure(scale: str, solver: str) -> dict[str, Any]:
    ctx = mp.get_context("fork")
    q = ctx.Queue()
    p = ctx.Process(target=_measure, args=(scale, solver, q))
    p.start()
    out = q.get()
    p.join()
    return out


def _mb(b: int) -> str:
    return f"{b / 1024**2:,.0f} MB"


def run() -> str:
    lines = [
        "## Matching engine (需求库↔资源库)",
        "",
        "Generated instances (bench/bench_matching.py, fixed seed): needs clustered around community",
        "centres, 10 categories of which 4 are scarce (capacity 50–80 % of demand), time windows,",
        f"priorities 15 % red / 30 % blue / 35 % green / 20 % ungraded; max distance {PARAMS.max_distance_m} m,",
        f"k = {PARAMS.k} nearest candidates per need. The engine solves the pruned graph and certifies it",
        "against the full graph (reduced costs of every pruned arc), adding arcs back until optimal.",
        "Time includes building the candidate graph. Peak memory = process high-water RSS (one fresh process",
        "per solver; the generated input alone accounts for the 'input' figure). The time goal is judged on",
        "the solver process's CPU time, because wall time swings with other load on a shared 2-core machine",
        f"(load average when this ran: {os.getloadavg()[0]:.1f}).",
        "",
        "| scale | solver | arcs | wall (CPU) time | peak RSS (input) | objective | units met / demand | red needs met | goal | result |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    verdicts = []
    for scale, cfg in SCALES.items():
        runs = {s: measure(scale, s) for s in ("engine", "greedy", *(["exact"] if cfg["exact"] else []))}
        e, g = runs["engine"], runs["greedy"]
        for solver, r in runs.items():
            goal, ok = "", True
            if solver == "engine":
                checks = [r["objective"] >= g["objective"]]
                goal = "≥ greedy"
                if "exact" in runs:
                    checks.append(r["objective"] == runs["exact"]["objective"])
                    goal += ", = exact"
                if scale == "city":
                    checks += [r["cpu"] < GOAL_SECONDS, r["peak"] < GOAL_BYTES]
                    goal += ", < 10 s CPU, < 2 GB"
                ok = all(checks)
                verdicts.append(ok)
            st = r["stats"]
            arcs = f"{st.get('arcs', 0):,}"
            if solver == "engine":
                how = "full graph after failed certificate" if st["fallback_full"] else "pruned graph certified"
                arcs += f" of {st['full_arcs']:,} (+{st['added_by_certificate']:,} repair arcs, {st['rounds']} rounds, {how})"
            lines.append(
                f"| {scale} ({cfg['needs']:,} × {cfg['resources']:,}) | {solver} | {arcs} | "
                f"{r['seconds']:.2f} s ({r['cpu']:.2f} s) | "
                f"{_mb(r['peak'])} ({_mb(r['input_rss'])}) | {r['objective']:,} | {r['units']:,} / {r['demand']:,} | "
                f"{r['red_met']:,} / {r['red_total']:,} | {goal} | {'pass' if ok else 'FAIL'} |"
            )
        lines.append("")
        lines.append(
            f"- {scale}: the engine meets **{e['red_met'] - g['red_met']:+,} red-card needs** and "
            f"{e['needs_met'] - g['needs_met']:+,} needs in all compared with greedy."
        )
        pruned_gap = e["objective"] - e["stats"]["pruned_objective"]
        lines.append(
            f"- {scale}: the first solve on the k-nearest graph alone was {pruned_gap:,} below the optimum "
            f"({'the certificate caught it' if pruned_gap else 'already optimal'})."
        )
        lines.append("")
    lines.append(f"Overall: {'pass' if all(verdicts) else 'FAIL'}.")
    return "\n".join(lines)


if __name__ == "__main__":
    if len(sys.argv) > 2:
        print(json.dumps(measure(sys.argv[1], sys.argv[2]), default=str))
    else:
        print(run())
