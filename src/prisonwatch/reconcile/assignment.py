"""One-to-one global assignment over candidate pairs.

The candidate pairs form a bipartite graph (left rows, right records). It is split into connected
components; each component is solved exactly as a maximum-weight bipartite matching — with
:func:`scipy.optimize.linear_sum_assignment` on a dense matrix when the component is small,
with :func:`scipy.sparse.csgraph.min_weight_full_bipartite_matching` when it is large (each left
row then gets a private "stay unmatched" column so a full matching always exists). Rows that end
up on a non-edge stay unmatched.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import linear_sum_assignment
from scipy.sparse import coo_matrix, csr_matrix
from scipy.sparse.csgraph import connected_components, min_weight_full_bipartite_matching

#: Components with at most this many cells (left × right) are solved on a dense matrix.
DENSE_LIMIT = 250_000


@dataclass(frozen=True, slots=True)
class Edges:
    """Candidate pairs as parallel arrays: left index, right index, weight (> 0)."""

    left: NDArray[np.int64]
    right: NDArray[np.int64]
    weight: NDArray[np.float64]

    @classmethod
    def from_lists(cls, left: list[int], right: list[int], weight: list[float]) -> Edges:
        w = np.asarray(weight, dtype=np.float64)
        if len(w) and float(w.min()) <= 0:
            raise ValueError("edge weights must be positive")
        return cls(np.asarray(left, dtype=np.int64), np.asarray(right, dtype=np.int64), w)


def assign(
    n_left: int, n_right: int, edges: Edges, *, dense_limit: int = DENSE_LIMIT
) -> dict[int, int]:
    """A maximum-weight one-to-one matching: ``{left index: right index}``."""
    if len(edges.weight) == 0:
        return {}
    graph = coo_matrix(
        (np.ones_like(edges.weight), (edges.left, edges.right + n_left)),
        shape=(n_left + n_right, n_left + n_right),
    )
    _, labels = connected_components(graph, directed=False)
    comp_of_edge = labels[edges.left]
    order = np.argsort(comp_of_edge, kind="stable")
    bounds = np.flatnonzero(np.diff(comp_of_edge[order])) + 1
    result: dict[int, int] = {}
    for chunk in np.split(order, bounds):
        result.update(
            _solve(edges.left[chunk], edges.right[chunk], edges.weight[chunk], dense_limit)
        )
    return result


def _solve(
    left: NDArray[np.int64],
    right: NDArray[np.int64],
    weight: NDArray[np.float64],
    dense_limit: int,
) -> dict[int, int]:
    rows, li = np.unique(left, return_inverse=True)
    cols, ri = np.unique(right, return_inverse=True)
    if len(rows) == 1 or len(cols) == 1:
        best = int(np.argmax(weight))
        return {int(left[best]): int(right[best])}
    if len(rows) * len(cols) <= dense_limit:
        matrix = np.zeros((len(rows), len(cols)))
        np.maximum.at(matrix, (li, ri), weight)
        r, c = linear_sum_assignment(matrix, maximize=True)
        return {int(rows[i]): int(cols[j]) for i, j in zip(r, c, strict=True) if matrix[i, j] > 0}
    return _solve_sparse(rows, cols, li, ri, weight)


def _solve_sparse(
    rows: NDArray[np.int64],
    cols: NDArray[np.int64],
    li: NDArray[np.int64],
    ri: NDArray[np.int64],
    weight: NDArray[np.float64],
) -> dict[int, int]:
    n_rows, n_cols = len(rows), len(cols)
    ceiling = float(weight.max()) + 1.0
    # Duplicate (row, col) entries would be summed by the sparse matrix: keep the max first.
    flat = li * n_cols + ri
    order = np.lexsort((-weight, flat))
    first = np.ones(len(order), dtype=bool)
    first[1:] = flat[order][1:] != flat[order][:-1]
    keep = order[first]
    dummy = np.arange(n_rows, dtype=np.int64)
    data = np.concatenate([ceiling - weight[keep], np.full(n_rows, ceiling)])
    r_idx = np.concatenate([li[keep], dummy])
    c_idx = np.concatenate([ri[keep], n_cols + dummy])
    matrix = csr_matrix((data, (r_idx, c_idx)), shape=(n_rows, n_cols + n_rows))
    r, c = min_weight_full_bipartite_matching(matrix)
    return {int(rows[i]): int(cols[j]) for i, j in zip(r, c, strict=True) if j < n_cols}
