"""The matching engine's candidate graph, in arrays (numpy, scipy; no Django).

A need may be served by a resource that offers its category, is available on
a day inside the need's window, and stands at most the service radius away.
`candidate_arcs` finds every such pair with a grid index per category (cells
of side radius: a need's candidates lie in the 3 × 3 cells around it) without
a Python object per pair, and `components` splits the graph into its
connected components: independent problems whose optima add up to the
optimum of the whole graph, because no arc and no capacity joins them.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

ALL_WEEK = 0b1111111
PAIRS_PER_BLOCK = 4_000_000  # need × resource pairs examined at once (bounds memory)


def time_ok(ns: np.ndarray, ne: np.ndarray, rs: np.ndarray, re: np.ndarray, wd: np.ndarray) -> np.ndarray:
    """Windows overlap, and the overlap contains a weekday the resource is
    available on (day numbers are proleptic ordinals: weekday = (day - 1) % 7)."""
    lo, hi = np.maximum(ns, rs), np.minimum(ne, re)
    length = hi - lo + 1
    short = np.clip(length, 0, 7)
    start = (lo - 1) % 7
    run = (1 << short) - 1  # `short` consecutive days from `start`, wrapped round the week
    days = ((run << start) | (run >> (7 - start))) & ALL_WEEK
    return (length >= 1) & ((days & wd) != 0)


def planar(lat: np.ndarray, lon: np.ndarray, lat0: float) -> tuple[np.ndarray, np.ndarray]:
    """Metres east and north (equirectangular projection at latitude lat0)."""
    return lon * (111_320.0 * math.cos(math.radians(lat0))), lat * 110_540.0


def candidate_arcs(
    need: dict[str, np.ndarray], res: dict[str, np.ndarray], offer_res: np.ndarray, offer_cat: np.ndarray, radius: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every (need, resource) candidate pair as arrays (need index, resource
    index, distance in whole metres), sorted by need, distance, resource.

    `need` holds x, y (metres), cat (category code), ws, we (window days);
    `res` holds x, y, ws, we and wd (weekday mask); (offer_res[k], offer_cat[k])
    says resource offer_res[k] offers category offer_cat[k]."""
    empty = np.zeros(0, dtype=np.int32)
    n = len(need["x"])
    if not n or not len(offer_res):
        return empty, empty, empty
    cell = float(max(radius, 1))
    ox = min(float(need["x"].min()), float(res["x"].min()))
    oy = min(float(need["y"].min()), float(res["y"].min()))
    ncx = np.floor((need["x"] - ox) / cell).astype(np.int64) + 1
    ncy = np.floor((need["y"] - oy) / cell).astype(np.int64) + 1
    rcx = np.floor((res["x"] - ox) / cell).astype(np.int64) + 1
    rcy = np.floor((res["y"] - oy) / cell).astype(np.int64) + 1
    span_x = int(max(ncx.max(), rcx.max())) + 2
    span_y = int(max(ncy.max(), rcy.max())) + 2
    # One sorted key per offer: (category, cell x, cell y); a need's candidate
    # offers in one neighbouring cell are a contiguous run of it.
    okey = (offer_cat.astype(np.int64) * span_x + rcx[offer_res]) * span_y + rcy[offer_res]
    order = np.argsort(okey, kind="stable")
    okey, ores = okey[order], offer_res[order].astype(np.int64)
    base = (need["cat"].astype(np.int64) * span_x + ncx) * span_y + ncy
    shifts = np.array([a * span_y + b for a in (-1, 0, 1) for b in (-1, 0, 1)], dtype=np.int64)
    lo = np.searchsorted(okey, base[:, None] + shifts[None, :], side="left")
    hi = np.searchsorted(okey, base[:, None] + shifts[None, :], side="right")
    per_need = (hi - lo).sum(axis=1)
    parts_i, parts_r, parts_d = [], [], []
    start = 0
    bounds = np.cumsum(per_need)
    while start < n:
        # a block of consecutive needs with about PAIRS_PER_BLOCK pairs
        before = bounds[start - 1] if start else 0
        stop = int(np.searchsorted(bounds, before + PAIRS_PER_BLOCK, side="right"))
        stop = max(stop, start + 1)
        blo, bcount = lo[start:stop].ravel(), (hi[start:stop] - lo[start:stop]).ravel()
        total = int(bcount.sum())
        start_block, start = start, stop
        if not total:
            continue
        gi = np.repeat(np.repeat(np.arange(start_block, stop, dtype=np.int64), 9), bcount)
        first = np.cumsum(bcount) - bcount
        pos = np.arange(total, dtype=np.int64) - np.repeat(first - blo, bcount)
        gr = ores[pos]
        dx = need["x"][gi] - res["x"][gr]
        dy = need["y"][gi] - res["y"][gr]
        dist = np.rint(np.sqrt(dx * dx + dy * dy)).astype(np.int64)
        keep = dist <= radius
        gi, gr, dist = gi[keep], gr[keep], dist[keep]
        keep = time_ok(need["ws"][gi], need["we"][gi], res["ws"][gr], res["we"][gr], res["wd"][gr])
        gi, gr, dist = gi[keep], gr[keep], dist[keep]
        # sort the block by (need, distance, resource): needs are consecutive
        m = len(res["x"])
        key = ((gi - start_block) * (radius + 1) + dist) * m + gr
        srt = np.argsort(key)
        parts_i.append(gi[srt].astype(np.int32))
        parts_r.append(gr[srt].astype(np.int32))
        parts_d.append(dist[srt].astype(np.int32))
    if not parts_i:
        return empty, empty, empty
    return np.concatenate(parts_i), np.concatenate(parts_r), np.concatenate(parts_d)


def components(ci: np.ndarray, cr: np.ndarray, n: int, m: int) -> tuple[np.ndarray, np.ndarray]:
    """Connected components of the bipartite graph of arcs (ci[k], cr[k]).

    Returns (order, bounds): the arcs of component c are
    order[bounds[c]:bounds[c + 1]], in their original order."""
    if not len(ci):
        return np.zeros(0, dtype=np.int64), np.zeros(1, dtype=np.int64)
    graph = coo_matrix(
        (np.ones(len(ci), dtype=np.int8), (ci.astype(np.int64), n + cr.astype(np.int64))), shape=(n + m, n + m)
    )
    _, label = connected_components(graph, directed=False)
    # Labels follow node order (needs by id, then resources by id), so they
    # depend on the graph only; a stable sort keeps each component's arcs in order.
    arc_label = label[ci]
    order = np.argsort(arc_label, kind="stable")
    key = arc_label[order]
    bounds = np.r_[0, np.flatnonzero(np.diff(key)) + 1, len(ci)]
    return order, bounds.astype(np.int64)
