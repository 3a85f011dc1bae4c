"""How good is a generator? Three numbers computed from its samples alone.

A model that can only be sampled (an autoencoder decoding draws of a code
density, a VAE, a mixture) is compared by what it generates:

* **Parzen-window log-likelihood** (the course's section 2 tool applied to
  section 4): a kernel density estimate fitted on the model's samples
  ``s_1, ..., s_m``, ``f^(x) = 1/m sum_i N(x; s_i, h^2 I)``, and the mean
  ``1/n sum_j log f^(x_j)`` of held-out real data under it. The bandwidth
  ``h`` is the one that maximises the same score on a *validation* set of
  real data, never on the test set. High when the samples cover the data;
  it rewards diversity more than sharpness, and is only comparable between
  models at the same ``m``.
* **Nearest-training-neighbour distance**, ``min_i ||s - x_i||`` over the
  training set, for each sample: near 0 means the model copies (memorises)
  its training images; compare with the same distance for held-out real data.
* **Classifier score**: a classifier trained on real labelled data labels the
  samples. The class histogram shows whether every class is generated (mode
  collapse leaves some out); the mean confidence ``max_y p(y | s)`` whether
  the samples look like some digit at all; and
  ``exp(mean_s KL(p(y | s) || p(y)))``, with ``p(y)`` the histogram of the
  soft labels, is high when both hold (the Inception score, with the
  library's own classifier in place of Inception).

Everything is in log space and in bounded memory: the KDE sums by blocks
(:class:`~scratch_genmod.density.KernelDensity`), the distances by blocks of
rows.
"""

import numpy as np

from scratch_genmod.core import check_array, check_scalar, squared_distances
from scratch_genmod.core.blas import blas_threads
from scratch_genmod.core.threads import check_n_threads, map_in_threads
from scratch_genmod.density.kde import KernelDensity

__all__ = ["evaluate_generator", "parzen_log_likelihood", "nearest_training_distance",
           "classifier_score", "recognition"]


def evaluate_generator(samples, X_train, X_validation, X_test, classifier, bandwidths=None):
    """The three measures of one generator's samples, in one dict (a row of a comparison).

    Parameters
    ----------
    samples : array-like of shape (n_samples, n_features)
    X_train : array-like of shape (n_train, n_features)
        What the generator was trained on (for the nearest-neighbour distance).
    X_validation, X_test : array-likes of shape (n_validation, n_features), (n_test, n_features)
        Held-out real data (see :func:`parzen_log_likelihood`).
    classifier : fitted classifier with ``predict_proba``
    bandwidths : sequence of float or None, default=None

    Returns
    -------
    result : dict
        ``"parzen"`` (the dict of :func:`parzen_log_likelihood`),
        ``"nn_distance"`` (ndarray of shape (n_samples,)), ``"classifier"``
        (the dict of :func:`classifier_score`).

    Examples
    --------
    >>> class Half:
    ...     classes_ = np.array([0, 1])
    ...     def predict_proba(self, X):
    ...         return np.full((len(X), 2), 0.5)
    >>> r = evaluate_generator([[0.0]], [[3.0]], [[0.0]], [[0.0]], Half(), bandwidths=[1.0])
    >>> r["nn_distance"].tolist(), r["classifier"]["mean_confidence"]
    ([3.0], 0.5)
    """
    return {"parzen": parzen_log_likelihood(samples, X_test, X_validation, bandwidths),
            "nn_distance": nearest_training_distance(samples, X_train)[0],
            "classifier": classifier_score(classifier, samples)}


def parzen_log_likelihood(samples, X_test, X_validation, bandwidths=None, working_memory=256):
    """Mean log-density of ``X_test`` under a Gaussian KDE of the model's ``samples``.

    Parameters
    ----------
    samples : array-like of shape (n_samples, n_features)
        Draws from the model (the kernel centres).
    X_test : array-like of shape (n_test, n_features)
        Held-out real data, scored once, with the chosen bandwidth.
    X_validation : array-like of shape (n_validation, n_features)
        Other real data, on which the bandwidth is chosen.
    bandwidths : sequence of float or None, default=None
        Candidate ``h``; None: 13 values from ``0.05 s`` to ``2 s`` (geometric),
        ``s`` the root mean variance of the samples' features.
    working_memory : float, default=256
        MiB for the KDE's blocks (see :class:`KernelDensity`).

    Returns
    -------
    result : dict
        ``"mean"`` (nats per row), ``"std_error"`` (of that mean),
        ``"log_density"`` (ndarray of shape (n_test,)), ``"bandwidth"`` (the
        chosen ``h``), ``"bandwidths"`` and ``"validation_scores"`` (the mean
        validation log-density of each candidate).

    Examples
    --------
    One sample at 0 and bandwidth 1: ``f^`` is ``N(0, 1)``, so at ``x = 0``
    the log-density is ``-log(2 pi) / 2``:

    >>> r = parzen_log_likelihood([[0.0]], [[0.0]], [[1.0]], bandwidths=[1.0])
    >>> bool(np.isclose(r["mean"], -0.5 * np.log(2 * np.pi))), r["bandwidth"]
    (True, 1.0)
    """
    S = check_array(samples, "samples")
    X_test = check_array(X_test, "X_test", n_features=S.shape[1], estimator="the samples")
    X_val = check_array(X_validation, "X_validation", n_features=S.shape[1],
                        estimator="the samples")
    if bandwidths is None:
        s = float(np.sqrt(np.mean(np.var(S, axis=0)))) or 1.0
        bandwidths = s * np.geomspace(0.05, 2.0, 13)
    bandwidths = [check_scalar(h, f"bandwidths[{k}]", min_val=0.0, include_min=False)
                  for k, h in enumerate(np.atleast_1d(bandwidths))]
    scores = np.array([KernelDensity(bandwidth=h, working_memory=working_memory).fit(S)
                       .score(X_val) for h in bandwidths])
    best = bandwidths[int(np.argmax(scores))]
    log_f = KernelDensity(bandwidth=best, working_memory=working_memory).fit(S) \
        .score_samples(X_test)
    se = float(np.std(log_f, ddof=1) / np.sqrt(len(log_f))) if len(log_f) > 1 else np.nan
    return {"mean": float(np.mean(log_f)), "std_error": se, "log_density": log_f,
            "bandwidth": best, "bandwidths": np.array(bandwidths), "validation_scores": scores}


def nearest_training_distance(samples, X_train, block_rows=None):
    """``min_i ||s - x_i||`` over the training rows, and that ``i``, for each sample ``s``.

    Parameters
    ----------
    samples : array-like of shape (n_samples, n_features)
    X_train : array-like of shape (n_train, n_features)
    block_rows : int or None, default=None
        Samples per block of the distance table; None keeps a block near
        32 MiB of float64 (``n_train`` columns). Each of the library's
        threads (``core.threads``) works on one block at a time.

    Returns
    -------
    distances : ndarray of shape (n_samples,)
    indices : ndarray of shape (n_samples,)
        The nearest training row of each sample.

    Examples
    --------
    >>> d, i = nearest_training_distance([[0.0, 0.0], [3.0, 3.0]], [[3.0, 4.0], [1.0, 0.0]])
    >>> d.tolist(), i.tolist()               # 1 from (1, 0); 1 from (3, 4)
    ([1.0, 1.0], [1, 0])
    """
    S = check_array(samples, "samples")
    X = check_array(X_train, "X_train", n_features=S.shape[1], estimator="the samples")
    if block_rows is None:
        block_rows = max(1, (32 * 2 ** 20) // (8 * X.shape[0]))
    block_rows = check_scalar(block_rows, "block_rows", int, min_val=1)
    # Distances do not change under a common shift; centring keeps the expansion
    # ||s||^2 + ||x||^2 - 2 s.x from cancelling when the data sit far from 0.
    centre = X.mean(axis=0)
    X, S = X - centre, S - centre
    sq_x = np.einsum("ij,ij->i", X, X)
    distances, indices = np.empty(S.shape[0]), np.empty(S.shape[0], dtype=np.intp)

    def nearest_of_block(start):
        block = S[start:start + block_rows]
        D = squared_distances(block, X, None, sq_x)
        nearest = np.argmin(D, axis=1)
        indices[start:start + len(block)] = nearest
        # the winner's distance from its difference: exact, not from the expansion
        diff = block - X[nearest]
        distances[start:start + len(block)] = np.sqrt(np.einsum("ij,ij->i", diff, diff))

    # the blocks taken in turn by the library's threads (as many as are free), each
    # block's product on one BLAS thread (core.blas): the same numbers on any count
    with blas_threads(1):
        map_in_threads(nearest_of_block, range(0, S.shape[0], block_rows), check_n_threads(None))
    return distances, indices


def classifier_score(classifier, samples, requested=None):
    """What a classifier trained on real data makes of the samples.

    Parameters
    ----------
    classifier : fitted classifier
        With ``classes_`` and ``predict_proba(X)`` -> ndarray of shape
        (n_samples, n_classes) (e.g. a ``LogisticRegression`` or a
        ``GaussianNB`` of :mod:`scratch_genmod.bayes`).
    samples : array-like of shape (n_samples, n_features)
    requested : array-like of shape (n_samples,) or None, default=None
        The class each sample was asked to be, for a class-conditional
        generator ("draw me a 3"); None for a generator that takes no label.

    Returns
    -------
    result : dict
        ``"classes"``; ``"histogram"``, ndarray of shape (n_classes,), the
        fraction of samples labelled with each class (argmax); ``"mean_confidence"``,
        the mean of ``max_y p(y | s)``; ``"score"``,
        ``exp(mean_s KL(p(y | s) || p(y)))`` with ``p(y)`` the mean of the
        ``p(y | s)`` (between 1 and the number of classes). With
        ``requested``, also ``"recognised"``, the fraction of samples whose
        argmax class is the one asked for, and ``"recognised_per_class"``,
        ndarray of shape (n_classes,), that fraction among the samples asked
        to be each class (NaN for a class never asked for).

    Examples
    --------
    A classifier sure of class 0 for one sample and of class 1 for the other:
    histogram (1/2, 1/2), confidence 1, and the KL of each to (1/2, 1/2) is
    log 2, so the score is 2 (both classes, each recognised):

    >>> class Sure:
    ...     classes_ = np.array([0, 1])
    ...     def predict_proba(self, X):
    ...         return np.eye(2)[(np.asarray(X)[:, 0] > 0).astype(int)]
    >>> r = classifier_score(Sure(), [[-1.0], [1.0]])
    >>> r["histogram"].tolist(), r["mean_confidence"], round(r["score"], 12)
    ([0.5, 0.5], 1.0, 2.0)

    Three samples asked to be class 1; the classifier sees class 1 in two:

    >>> r = classifier_score(Sure(), [[1.0], [2.0], [-1.0]], requested=[1, 1, 1])
    >>> round(r["recognised"], 4), r["recognised_per_class"].tolist()
    (0.6667, [nan, 0.6667])
    """
    S = check_array(samples, "samples")
    if not callable(getattr(classifier, "predict_proba", None)):
        raise TypeError("classifier must be a fitted classifier with predict_proba(X), "
                        f"got {type(classifier).__name__}")
    P = check_array(classifier.predict_proba(S), "classifier.predict_proba(samples)")
    classes = np.asarray(getattr(classifier, "classes_", np.arange(P.shape[1])))
    histogram = np.bincount(np.argmax(P, axis=1), minlength=P.shape[1]) / P.shape[0]
    marginal = P.mean(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):   # 0 log 0 = 0
        terms = np.where(P > 0, P * (np.log(P) - np.log(marginal)), 0.0)
    result = {"classes": classes, "histogram": histogram,
              "mean_confidence": float(P.max(axis=1).mean()),
              "score": float(np.exp(terms.sum(axis=1).mean()))}
    if requested is not None:
        result.update(recognition(classes[np.argmax(P, axis=1)], requested, classes))
    return result


def recognition(predicted, requested, classes):
    """How often the class seen is the class asked for, overall and per class asked for.

    >>> r = recognition(np.array([3, 3, 5]), [3, 5, 5], np.array([3, 5]))
    >>> round(r["recognised"], 4), r["recognised_per_class"].tolist()
    (0.6667, [1.0, 0.5])
    """
    requested = np.asarray(requested)
    if requested.shape != predicted.shape:
        raise ValueError(f"requested must hold one label per sample, shape {predicted.shape}, "
                         f"got shape {requested.shape}")
    unknown = ~np.isin(requested, classes)
    if np.any(unknown):
        raise ValueError(f"requested holds labels the classifier does not know: "
                         f"{np.unique(requested[unknown]).tolist()[:5]}; it knows "
                         f"{classes.tolist()}")
    hit = predicted == requested
    per_class = np.array([hit[requested == c].mean() if np.any(requested == c) else np.nan
                          for c in classes])    # a loop over classes, not samples
    return {"recognised": float(hit.mean()), "recognised_per_class": per_class}
