"""The graph of a Markov chain: communicating classes, closed classes, periods.

State j is *reachable* from i when some power M^n has p^(n)_{i,j} > 0; i and
j *communicate* when each reaches the other. The classes of communicating
states partition the chain; a class is *closed* when no transition leaves
it. A chain is irreducible when it is a single class. The *period* of a
class is the gcd of the lengths of its cycles (1: aperiodic).

>>> A = np.array([[0, 1, 0], [1, 0, 0], [0, 1, 1]], dtype=bool)  # 2 -> {0, 1}
>>> labels, closed = communicating_classes(A)
>>> labels.tolist(), closed.tolist()
([0, 0, 1], [True, False])
>>> period_of_class(A, np.array([0, 1]))
2
"""

import numpy as np

__all__ = ["communicating_classes", "period_of_class"]


def communicating_classes(A):
    """Label each state with its communicating class.

    Parameters
    ----------
    A : ndarray of shape (n_states, n_states), bool
        A[i, j]: the transition i -> j has positive probability.

    Returns
    -------
    labels : ndarray of shape (n_states,), int
        Class of each state, numbered in the order of their first state.
    closed : ndarray of shape (n_classes,), bool
        Whether no transition leaves the class.
    """
    S = A.shape[0]
    reach = A | np.eye(S, dtype=bool)
    while True:  # transitive closure by squaring: at most log2(S) rounds
        longer = (reach.astype(np.float64) @ reach.astype(np.float64)) > 0
        if (longer == reach).all():
            break
        reach = longer
    communicate = reach & reach.T
    _, labels = np.unique(np.argmax(communicate, axis=1), return_inverse=True)
    labels = labels.ravel()
    leaves = (A & ~communicate).any(axis=1)
    closed = np.bincount(labels, weights=leaves) == 0
    return labels, closed


def period_of_class(A, members):
    """Period of the class made of ``members``: gcd of its cycle lengths.

    With d(v) the length of a shortest path from one member to v inside the
    class, every edge u -> v of the class satisfies d(u) + 1 - d(v) = 0 modulo
    the period, and the gcd of these values is the period.
    """
    sub = A[np.ix_(members, members)]
    level = np.full(len(members), -1)
    level[0] = 0
    frontier = np.zeros(len(members), dtype=bool)
    frontier[0] = True
    depth = 0
    while frontier.any():  # breadth-first search, one depth per round
        depth += 1
        frontier = sub[frontier].any(axis=0) & (level < 0)
        level[frontier] = depth
    u, v = np.nonzero(sub)
    if len(u) == 0:
        raise ValueError("this state lies on no cycle: its period is undefined")
    return int(np.gcd.reduce(np.abs(level[u] + 1 - level[v])))
