"""Assignment: the largest total score over the candidate graph, within capacities.

Each need takes at most one capability, each capability at most ``capacity`` needs, and a
pair below the minimum score is never used. At scale this is a min-cost flow on arrays
(OR-Tools); the tests check it against networkx's exact matching on small inputs.
"""
from __future__ import annotations

import numpy as np

__all__ = ["assign", "SCORE_UNITS"]

#: Scores become integer costs in millionths.
SCORE_UNITS = 1_000_000


def assign(n_needs: int, capacity: np.ndarray, need: np.ndarray, cap: np.ndarray,
           score: np.ndarray) -> np.ndarray:
    """Return, for each need, the index of its assigned capability, or -1.

    Maximises the total score of the pairs given (callers pass only pairs at or above
    the minimum score) with a min-cost flow: need -> capability arcs cost minus the
    score, a free bypass arc lets a need stay unassigned, capability -> sink arcs carry
    the capacity.
    """
    from ortools.graph.python import min_cost_flow

    assigned = np.full(n_needs, -1, dtype=np.int64)
    if not len(need):
        return assigned
    n_caps = len(capacity)
    sink = n_needs + n_caps
    flow = min_cost_flow.SimpleMinCostFlow()
    tails = np.concatenate([need, np.arange(n_needs), n_needs + np.arange(n_caps)])
    heads = np.concatenate([n_needs + cap, np.full(n_needs, sink), np.full(n_caps, sink)])
    capacities = np.concatenate([np.ones(len(need) + n_needs, dtype=np.int64), capacity.astype(np.int64)])
    costs = np.concatenate([-np.rint(score * SCORE_UNITS).astype(np.int64),
                            np.zeros(n_needs + n_caps, dtype=np.int64)])
    flow.add_arcs_with_capacity_and_unit_cost(tails, heads, capacities, costs)
    supplies = np.zeros(sink + 1, dtype=np.int64)
    supplies[:n_needs] = 1
    supplies[sink] = -n_needs
    flow.set_nodes_supplies(np.arange(sink + 1), supplies)
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise RuntimeError(f"min-cost flow did not solve the assignment (status {status})")
    used = flow.flows(np.arange(len(need))) > 0
    assigned[need[used]] = cap[used]
    return assigned
