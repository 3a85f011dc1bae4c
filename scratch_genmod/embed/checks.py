"""Input checks shared by the embed family (the textbook, the estimators and the fast layer)."""

from scratch_genmod.core import check_choice, check_scalar

__all__ = ["ALGORITHMS", "check_algorithm", "check_n_components", "check_perplexity"]

#: "fast": the default, the speed-ups of :mod:`scratch_genmod.embed.fast`;
#: "textbook": the plain formulas of :mod:`scratch_genmod.embed.textbook`.
ALGORITHMS = ("fast", "textbook")


def check_algorithm(algorithm):
    """``algorithm`` as one of :data:`ALGORITHMS`, or a ValueError naming it.

    >>> check_algorithm("textbook")
    'textbook'
    """
    return check_choice(algorithm, "algorithm", ALGORITHMS)


def check_perplexity(perplexity, n_candidates):
    """``perplexity`` as a float in ``(1, n_candidates)``.

    A perplexity is ``e^H`` of a law over the ``n_candidates`` other points:
    ``H >= 0`` puts it at 1 or above, and no law on ``m`` points has
    ``H > log m``, so it must stay below ``m`` (strictly on both sides: the
    search for ``beta`` needs room to move).

    >>> check_perplexity(5, 10)
    5.0
    >>> check_perplexity(10.0, 10)
    Traceback (most recent call last):
    ...
    ValueError: perplexity must be < 10 (it is an effective number of neighbours among 10 other points), got 10
    """
    perplexity = check_scalar(perplexity, "perplexity", float, min_val=1.0, include_min=False)
    if perplexity >= n_candidates:
        raise ValueError(f"perplexity must be < {n_candidates} (it is an effective number of "
                         f"neighbours among {n_candidates} other points), got {perplexity:g}")
    return perplexity


def check_n_components(n_components, n_samples, n_features):
    """``n_components`` as an int ``k`` with ``1 <= k <= min(n_samples, n_features)``.

    >>> check_n_components(2, 10, 3)
    2
    """
    k = check_scalar(n_components, "n_components", int, min_val=1)
    limit = min(n_samples, n_features)
    if k > limit:
        raise ValueError(f"n_components={k} must be <= min(n_samples, n_features) = {limit} "
                         f"(X has {n_samples} samples and {n_features} features)")
    return k
