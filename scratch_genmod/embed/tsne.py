"""t-distributed stochastic neighbour embedding (van der Maaten & Hinton, 2008).

t-SNE draws high-dimensional points in 2-D so that points that are
neighbours in the data stay neighbours in the picture:

1. similarities ``p_ij`` in the data: a Gaussian around each point whose
   width gives it ``perplexity`` effective neighbours
   (:func:`.textbook.joint_p`; fast: :mod:`.fast.joint_probabilities`);
2. similarities ``q_ij`` in the map: a heavy-tailed Student-t kernel
   (:func:`.textbook.student_t_q`);
3. move the map points ``y_i`` down the gradient of ``KL(P || Q)``
   (:func:`.textbook.kl_gradient`; fast: :mod:`.fast.dense_gradient`,
   :mod:`.fast.sparse_gradient`), by gradient descent with momentum and
   per-coordinate gains (:func:`.textbook.descent_step`).

The first ``250`` iterations multiply ``P`` by ``early_exaggeration``: the
clusters, pulled together strongly, form early and can move past each other
while the map is still small.

Distances *between* clusters and cluster sizes in a t-SNE map carry little
meaning; only who is next to whom does (measure it with
:func:`~scratch_genmod.embed.trustworthiness`).
"""

import numpy as np

from scratch_genmod.core import (BaseEstimator, check_array, check_choice, check_n_threads,
                                 check_scalar)
from scratch_genmod.core.blas import blas_threads
from scratch_genmod.core.mixins import TransformerMixin
from scratch_genmod.core.registry import register_estimator
from scratch_genmod.core.state_checks import check_state_array, check_state_int, fitted_attributes
from scratch_genmod.core.progress import ProgressBar, check_progress
from scratch_genmod.embed import textbook
from scratch_genmod.embed.checks import check_algorithm, check_perplexity
from scratch_genmod.embed.fast.dense_gradient import exact_kl_gradient
from scratch_genmod.embed.fast.joint_probabilities import (exact_joint_probabilities,
                                                           knn_joint_probabilities)
from scratch_genmod.embed.fast.sparse_gradient import SparseGradient
from scratch_genmod.embed.pca import PCA
from scratch_genmod.embed.rescaling import unit_spread

__all__ = ["TSNE"]

EXPLORATION_ITER = 250    # iterations of early exaggeration, with momentum 0.5
CHECK_EVERY = 50          # iterations between two evaluations of the cost
MIN_GAIN = 0.01
TEXTBOOK_TOL = 1e-10      # nats: the tolerance of textbook.gaussian_row's bisection
# A map wider than this has left the range where its gradient is computed
# faithfully (expanded squared distances lose the near pairs beyond ~1e7,
# w_ij^2 ~ width^-4 underflows float32 near 1e9): the steps were too large.
MAX_MAP_WIDTH = 1e6


@register_estimator
class TSNE(TransformerMixin, BaseEstimator):
    """t-SNE embedding by gradient descent on KL(P || Q).

    Parameters
    ----------
    n_components : int, default=2
        Dimension of the map.
    perplexity : float, default=30.0
        Effective number of neighbours of each point; must be < n_samples.
    early_exaggeration : float, default=12.0
        Factor on ``P`` during the first 250 iterations.
    learning_rate : float or "auto", default="auto"
        Step size; "auto" is ``max(n_samples / early_exaggeration / 4, 50)``
        (Belkina et al., 2019), which scales with the size of the map.
    max_iter : int, default=1000
        At least 250 (the exaggeration phase).
    init : {"pca", "random"}, default="pca"
        Starting map: the first principal components scaled to standard
        deviation 1e-4 (keeps the global layout, reproducible), or Gaussian
        noise of that size.
    method : {"knn", "exact"}, default="knn"
        How the fast path approximates (as scikit-learn's ``method``; the
        textbook has the exact method only, so ``algorithm="textbook"``
        runs it whatever ``method`` says).
        "exact": ``P`` over all pairs and the gradient over all pairs (the
        reference). "knn": ``P`` over the ``3 perplexity`` nearest neighbours
        of each point (sparse: the attraction costs ``O(n k)``) and, at each
        iteration, the cheaper of two repulsions: over each unordered pair
        once, in float32 (``O(n^2)``, for a few thousand points), or by
        interpolation on a grid and the FFT (:mod:`.interpolation`:
        ``O(n)`` plus a grid that grows with the map's width, for many
        points; 1-D and 2-D maps only).
    min_grad_norm : float, default=1e-7
        Stop when the gradient norm falls below this.
    n_iter_without_progress : int, default=300
        Stop when the cost has not improved for this many iterations (after
        the exaggeration phase; checked every 50).
    random_state : None, int or numpy.random.Generator, default=None
        Used by ``init="random"``.
    progress : bool or "always", default=True
        Show a :class:`~scratch_genmod.core.progress.ProgressBar` (on a terminal).
    n_threads : int or None, default=None
        Threads for ``method="knn"``'s gradient (None: as many as the
        machine has free now, or ``OMP_NUM_THREADS``, or
        :func:`scratch_genmod.set_threads`; see
        :mod:`scratch_genmod.core.threads`). The map is the same for any number.
    algorithm : {"fast", "textbook"}, default="fast"
        "textbook": ``P`` by :func:`~scratch_genmod.embed.textbook.joint_p`
        (a bisection per point), the gradient and cost by
        :func:`~scratch_genmod.embed.textbook.kl_gradient` and
        :func:`~scratch_genmod.embed.textbook.kl_divergence` over whole
        ``n x n`` matrices, the PCA start by
        :func:`~scratch_genmod.embed.textbook.pca`: the same map as
        ``method="exact"`` (to the search's tolerance), slowly.

    Attributes
    ----------
    embedding_ : ndarray of shape (n_samples, n_components)
    kl_divergence_ : float
        ``KL(P || Q)`` of the final map (for the true, unexaggerated ``P``).
    n_iter_ : int
        Iterations run.
    learning_rate_ : float
    n_features_in_ : int

    Examples
    --------
    Two blobs of 20 points in 5-D: each point's nearest neighbour in the map
    is from its own blob, and neighbourhoods are kept. (So few points want a
    small step: with "auto" (at least 50, made for thousands of points) a
    point now and then overshoots far out, in scikit-learn's t-SNE too.)

    >>> rng = np.random.default_rng(0)
    >>> X = np.vstack([rng.normal(0, 1, (20, 5)), rng.normal(10, 1, (20, 5))])
    >>> tsne = TSNE(perplexity=5.0, learning_rate=10.0, random_state=0, progress=False)
    >>> Y = tsne.fit_transform(X)
    >>> Y.shape
    (40, 2)
    >>> D = ((Y[:, None] - Y[None]) ** 2).sum(-1) + np.diag(np.full(40, np.inf))
    >>> bool(np.all(D.argmin(axis=1) // 20 == np.arange(40) // 20))
    True
    >>> from scratch_genmod.embed import trustworthiness
    >>> bool(trustworthiness(X, Y, n_neighbors=5) > 0.9)
    True

    A learning rate so large that the map leaves float range stops at once:

    >>> TSNE(perplexity=5.0, learning_rate=1e300, progress=False).fit(X)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: the t-SNE map grew to ...e+295 wide at iteration 1 (learning_rate=1e+300, early_exaggeration=12), beyond 1e+06 where its gradient underflows: the steps are too large; use learning_rate='auto' or a smaller learning_rate (or early_exaggeration)
    """

    def __init__(self, n_components=2, perplexity=30.0, early_exaggeration=12.0,
                 learning_rate="auto", max_iter=1000, init="pca", method="knn",
                 min_grad_norm=1e-7, n_iter_without_progress=300, random_state=None,
                 progress=True, n_threads=None, algorithm="fast"):
        self.n_components = n_components
        self.perplexity = perplexity
        self.early_exaggeration = early_exaggeration
        self.learning_rate = learning_rate
        self.max_iter = max_iter
        self.init = init
        self.method = method
        self.min_grad_norm = min_grad_norm
        self.n_iter_without_progress = n_iter_without_progress
        self.random_state = random_state
        self.progress = progress
        self.n_threads = n_threads
        self.algorithm = algorithm

    def fit(self, X, y=None):
        """Embed ``X`` of shape (n_samples, n_features); the map is ``embedding_``. Returns self."""
        X = check_array(X, "X", min_samples=2)
        n = X.shape[0]
        perplexity = check_perplexity(self.perplexity, n - 1)
        dim = check_scalar(self.n_components, "n_components", int, min_val=1)
        exaggeration = check_scalar(self.early_exaggeration, "early_exaggeration", float,
                                    min_val=1.0)
        max_iter = check_scalar(self.max_iter, "max_iter", int, min_val=EXPLORATION_ITER)
        check_scalar(self.min_grad_norm, "min_grad_norm", float, min_val=0.0)
        check_scalar(self.n_iter_without_progress, "n_iter_without_progress", int, min_val=1)
        method = check_choice(self.method, "method", ["knn", "exact"])
        algorithm = check_algorithm(self.algorithm)
        init = check_choice(self.init, "init", ["pca", "random"])
        check_progress(self.progress)
        n_threads = self.n_threads if self.n_threads is None else check_n_threads(self.n_threads)
        if self.learning_rate == "auto":
            rate = max(n / exaggeration / 4.0, 50.0)
        else:
            rate = check_scalar(self.learning_rate, "learning_rate", float, min_val=0.0,
                                include_min=False)
        if init == "pca" and dim > X.shape[1]:
            raise ValueError(f"n_components={dim} must be <= n_features = {X.shape[1]} "
                             "with init='pca'; use init='random'")

        with blas_threads(1):  # every product on one BLAS thread: the same map at any load
            embedding, kl, n_iter = self._embed(X, perplexity, dim, exaggeration, rate,
                                                max_iter, method, algorithm, init, n_threads)
        self.learning_rate_, self.n_features_in_ = rate, X.shape[1]
        self.embedding_, self.kl_divergence_, self.n_iter_ = embedding, kl, n_iter
        return self

    def _embed(self, X, perplexity, dim, exaggeration, rate, max_iter, method, algorithm, init,
               n_threads):
        """P, the starting map and the descent, on checked parameters: (map, KL, iterations)."""
        X = unit_spread(X)  # P is the same in any units; these keep the squares in range
        if algorithm == "textbook":
            P = textbook.joint_p(X, perplexity)
            gradient = lambda Y, ex, kl: _textbook_gradient(Y, P, ex, kl)  # noqa: E731
        elif method == "exact":  # the reference: its search as tight as the textbook's
            P = exact_joint_probabilities(X, perplexity, tol=TEXTBOOK_TOL)
            gradient = lambda Y, ex, kl: exact_kl_gradient(Y, P, ex, kl)  # noqa: E731
        else:
            rows, cols, values = knn_joint_probabilities(X, perplexity)
            upper = rows < cols  # each unordered pair once
            pairs = rows[upper], cols[upper], values[upper]
            sparse = SparseGradient(*pairs, X.shape[0])
            # n_threads None: the count follows the load as the descent goes on
            gradient = lambda Y, ex, kl: sparse(Y, ex, kl, "auto", n_threads)  # noqa: E731
        Y = self._initial_map(X, dim, init, algorithm)
        return self._descend(Y, gradient, exaggeration, rate, max_iter)

    def fit_transform(self, X, y=None):
        """``fit(X)`` and return ``embedding_``, of shape (n_samples, n_components)."""
        return self.fit(X).embedding_

    def _check_fitted_state(self):
        """Called by ``load``: the map's hyper-parameters, then a finite map and KL >= 0."""
        dim = check_scalar(self.n_components, "n_components", int, min_val=1)
        check_choice(self.method, "method", ["knn", "exact"])
        check_choice(self.init, "init", ["pca", "random"])
        check_algorithm(self.algorithm)
        if not fitted_attributes(self, ["embedding_", "kl_divergence_", "n_iter_",
                                        "learning_rate_", "n_features_in_"]):
            return
        check_state_array(self.embedding_, "embedding_", shape=(None, dim))
        check_scalar(self.kl_divergence_, "kl_divergence_")
        check_scalar(self.learning_rate_, "learning_rate_", min_val=0.0, include_min=False)
        check_state_int(self.n_iter_, "n_iter_")
        check_state_int(self.n_features_in_, "n_features_in_", min_val=1)

    def _initial_map(self, X, dim, init, algorithm):
        """The starting map, of standard deviation 1e-4 along its first axis."""
        if init == "pca":
            Y = PCA(n_components=dim, svd_solver="full", algorithm=algorithm).fit_transform(X)
            scale = np.std(Y[:, 0])
            return Y / scale * 1e-4 if scale > 0 else Y
        return 1e-4 * self._random_generator().standard_normal((X.shape[0], dim))

    def _descend(self, Y, gradient, exaggeration, rate, max_iter):
        """Both phases of the optimisation; returns (Y, KL, iterations run).

        Phase 1 (exploration): ``P`` exaggerated, momentum 0.5, up to
        iteration 250. Phase 2: the true ``P``, momentum 0.8, up to
        ``max_iter``. Each phase starts with fresh momentum and gains, and
        ends early on a vanishing gradient (or, in phase 2, on no progress).
        """
        with ProgressBar(max_iter, desc="t-SNE", unit="iter", enabled=self.progress) as bar:
            Y, it = self._gradient_descent(Y, gradient, exaggeration, 0.5, rate,
                                           0, EXPLORATION_ITER, bar)
            Y, it = self._gradient_descent(Y, gradient, 1.0, 0.8, rate, it, max_iter, bar)
        _, kl = gradient(Y, 1.0, True)
        return Y, float(kl), it

    def _gradient_descent(self, Y, gradient, exaggeration, momentum, rate, start, stop, bar):
        """Iterations ``start .. stop - 1`` of :func:`~scratch_genmod.embed.textbook.descent_step`.

        Each phase starts from rest, every gain 1. Every 50 iterations the
        cost is evaluated; the phase stops when the gradient norm is below
        ``min_grad_norm`` or the cost has not improved for
        ``n_iter_without_progress`` iterations. Returns (Y, next iteration).
        """
        update = np.zeros_like(Y)
        gains = np.ones_like(Y)
        best_kl, best_iter = np.inf, start
        it = start - 1  # an empty phase (max_iter = 250) runs no iteration
        for it in range(start, stop):
            check = (it + 1) % CHECK_EVERY == 0
            grad, kl = gradient(Y, exaggeration, check)
            Y, update, gains = textbook.descent_step(Y, update, gains, grad, momentum, rate,
                                                     MIN_GAIN)
            self._check_width(Y, it + 1, rate)
            bar.update(**({"kl": kl} if check else {}))
            if not check:
                continue
            if kl < best_kl:
                best_kl, best_iter = kl, it
            elif it - best_iter > self.n_iter_without_progress:
                break
            if np.linalg.norm(grad) < self.min_grad_norm:
                break
        return Y, it + 1

    def _check_width(self, Y, iteration, rate):
        """Stop, with the remedy, once the map is not finite or wider than ``MAX_MAP_WIDTH``."""
        with np.errstate(invalid="ignore", over="ignore"):
            width = float(np.max(Y.max(axis=0) - Y.min(axis=0)))
        if not width <= MAX_MAP_WIDTH:
            width = width if width == width else float("inf")  # NaN: a coordinate went inf - inf
            raise ValueError(
                f"the t-SNE map grew to {width:.3g} wide at iteration {iteration} "
                f"(learning_rate={rate:.4g}, "
                f"early_exaggeration={self.early_exaggeration:.4g}), beyond {MAX_MAP_WIDTH:g} "
                "where its gradient underflows: the steps are too large; use "
                "learning_rate='auto' or a smaller learning_rate (or early_exaggeration)")


def _textbook_gradient(Y, P, exaggeration, compute_kl):
    """``(grad, kl)`` as the fast gradients return them, by the textbook's formulas."""
    grad = textbook.kl_gradient(Y, P, exaggeration)
    kl = textbook.kl_divergence(P, textbook.student_t_q(Y)) if compute_kl else None
    return grad, kl
