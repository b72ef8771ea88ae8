from __future__ import annotations

import itertools
import random

import pytest

from prisonwatch.reconcile.assignment import Edges, assign


def total(edges: dict[tuple[int, int], float], matching: dict[int, int]) -> float:
    return sum(edges[(i, j)] for i, j in matching.items())


def brute_force_best(n_left: int, n_right: int, edges: dict[tuple[int, int], float]) -> float:
    best = 0.0
    for perm in itertools.permutations([*range(n_right), *[None] * n_left], n_left):
        s = sum(edges.get((i, j), 0.0) for i, j in enumerate(perm) if j is not None)
        best = max(best, s)
    return best


def as_edges(edges: dict[tuple[int, int], float]) -> Edges:
    keys = list(edges)
    return Edges.from_lists([i for i, _ in keys], [j for _, j in keys], [edges[k] for k in keys])


def test_global_not_greedy() -> None:
    # Greedy by best score would give L0 -> R0 (0.30) and leave L1 without a partner.
    edges = {(0, 0): 0.30, (0, 1): 0.25, (1, 0): 0.28}
    assert assign(2, 2, as_edges(edges)) == {0: 1, 1: 0}


def test_a_strong_match_is_not_traded_for_weak_ones() -> None:
    edges = {(0, 0): 0.40, (0, 1): 0.05, (1, 0): 0.10}
    assert assign(2, 2, as_edges(edges)) == {0: 0}


@pytest.mark.parametrize("dense_limit", [0, 10**9])
@pytest.mark.parametrize("seed", range(40))
def test_optimal_and_one_to_one_on_random_graphs(seed: int, dense_limit: int) -> None:
    rng = random.Random(seed)
    n_left, n_right = rng.randint(1, 5), rng.randint(1, 5)
    edges = {
        (i, j): round(rng.uniform(0.01, 1.0), 3)
        for i in range(n_left)
        for j in range(n_right)
        if rng.random() < 0.5
    }
    matching = assign(n_left, n_right, as_edges(edges), dense_limit=dense_limit)
    assert len(set(matching.values())) == len(matching)
    assert all((i, j) in edges for i, j in matching.items())
    assert total(edges, matching) == pytest.approx(brute_force_best(n_left, n_right, edges))


def test_components_are_solved_independently() -> None:
    edges = {(0, 0): 0.5, (1, 1): 0.5, (2, 1): 0.6, (3, 3): 0.2}
    assert assign(4, 4, as_edges(edges), dense_limit=0) == {0: 0, 2: 1, 3: 3}


def test_repeated_pairs_keep_the_heaviest_edge() -> None:
    e = Edges.from_lists([0, 0, 1, 1], [0, 0, 0, 1], [0.1, 0.9, 0.5, 0.45])
    assert assign(2, 2, e, dense_limit=0) == {0: 0, 1: 1}
    assert assign(2, 2, e) == {0: 0, 1: 1}


def test_no_edges_and_bad_weights() -> None:
    assert assign(3, 3, Edges.from_lists([], [], [])) == {}
    with pytest.raises(ValueError, match="positive"):
        Edges.from_lists([0], [0], [0.0])
