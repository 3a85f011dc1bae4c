"""Bayes' rule, in log space: on arrays, on probability tables, and as a classifier.

A generative model gives how each class produces its observations,
P(x | Y=y_i), and how often each class occurs, P(Y=y_i). Bayes' rule then
gives the posterior, computed with logs so that tiny densities never
underflow:

    log P(y_i | x) = log P(x | y_i) + log P(y_i) - log sum_j exp(log P(x | y_j) + log P(y_j))

(:func:`log_posterior`; :func:`bayes_posterior` on tables). The decision
argmax_i P(y_i | x) = argmax_i [log P(x | y_i) + log P(y_i)] needs no
normalisation at all. The same two ingredients also *generate*: draw a class
from P(Y), then an observation from P(x | Y=y) (:meth:`BayesRuleClassifier.sample`).

A subclass of :class:`BayesRuleClassifier` fits its class densities in
``fit`` (after :meth:`_fit_classes`) and provides ``_class_log_likelihood(X)``
and ``_sample_class(i, n, rng)``.
"""

import numpy as np

from scratch_genmod.core.base import check_is_fitted
from scratch_genmod.core.logmath import log_softmax, logsumexp
from scratch_genmod.core.state_checks import check_state_array, check_state_probabilities
from scratch_genmod.core.validation import check_array, check_choice, check_scalar
from scratch_genmod.core.sizes import check_n_samples
from scratch_genmod.core.warning import warn_user
from scratch_genmod.bayes import textbook
from scratch_genmod.bayes.checks import ALGORITHMS, check_classification_data, check_fitted_classes
from scratch_genmod.bayes.classifier import ProbabilisticClassifier
from scratch_genmod.bayes.tables import ProbabilityTable

__all__ = ["log_posterior", "bayes_posterior", "BayesRuleClassifier"]


def log_posterior(log_likelihood, log_prior):
    """log P(y_i | x) from log P(x | y_i) and log P(y_i), for each sample and class.

    Same numbers as :func:`scratch_genmod.bayes.textbook.bayes_rule` (as
    logs), without its underflow. If no class can explain x (every
    log-density is -inf, e.g. far outside the support of a compact kernel),
    x carries no information and the posterior is the prior P(y_i), rather
    than 0/0, with one warning giving how many points that concerns.

    Parameters
    ----------
    log_likelihood : ndarray of shape (n_samples, n_classes)
    log_prior : ndarray of shape (n_classes,)

    Returns
    -------
    log_posterior : ndarray of shape (n_samples, n_classes)
        Each row's exponentials sum to 1.

    Examples
    --------
    Densities of 1e-300 and 3e-300 (their product would underflow) with equal
    priors: the posterior is (1/4, 3/4).

    >>> post = log_posterior(np.log([[1e-300, 3e-300]]), np.log([0.5, 0.5]))
    >>> np.exp(post).round(12).tolist()
    [[0.25, 0.75]]
    """
    log_joint = log_likelihood + log_prior
    unexplained = _unexplained(log_joint)
    log_joint[unexplained] = log_prior
    return log_softmax(log_joint, axis=1)


def bayes_posterior(likelihood, prior):
    """Bayes' rule: P(Y | X) from the likelihood table P(X | Y) and the prior P(Y).

    Computed in log space by :func:`log_posterior`, so that tiny likelihoods
    do not underflow. Same numbers as
    :func:`scratch_genmod.bayes.textbook.bayes_rule`, with labels attached.

    Parameters
    ----------
    likelihood : ProbabilityTable
        P(X | Y), one row per y (as :func:`conditional_table` with
        ``given="y"`` makes it).
    prior : ProbabilityTable or array-like of shape (n_classes,)
        P(Y): a 1-D table (matched to the likelihood's rows by label) or
        probabilities in the order of the likelihood's rows.

    Returns
    -------
    ProbabilityTable
        P(Y | X), one row per x; each row sums to 1.

    Raises
    ------
    ValueError
        If ``prior`` is not a probability vector over the likelihood's rows,
        or if some x has probability 0 under every class (P(Y | X=x) is then
        undefined).
    """
    if not isinstance(likelihood, ProbabilityTable) or likelihood.values.ndim != 2:
        raise TypeError("likelihood must be a 2-D ProbabilityTable P(X | Y), one row per y")
    classes = likelihood.row_labels
    if isinstance(prior, ProbabilityTable):
        missing = [c for c in classes if c not in prior.row_labels]
        if prior.values.ndim != 1 or missing:
            raise ValueError(f"prior must be a 1-D table over {classes}; missing {missing}")
        prior = np.array([prior[c] for c in classes])
    prior = check_array(prior, "prior", ndim=1)
    if prior.shape != (len(classes),) or (prior < 0).any() or not np.isclose(prior.sum(), 1.0):
        raise ValueError(f"prior must hold {len(classes)} non-negative probabilities summing "
                         f"to 1 (one per class {classes}), got {prior.tolist()}")
    with np.errstate(divide="ignore"):  # log 0 = -inf is a zero probability, on purpose
        log_likelihood, log_prior = np.log(likelihood.values.T), np.log(prior)
    impossible = np.isneginf(log_likelihood + log_prior).all(axis=1)
    if impossible.any():
        x = likelihood.column_labels[int(np.argmax(impossible))]
        raise ValueError(f"x={x!r} has probability 0 under every class with a positive prior; "
                         "P(Y | X=x) is undefined")
    return ProbabilityTable(np.exp(log_posterior(log_likelihood, log_prior)),
                            likelihood.column_labels,
                            classes, _component_names(likelihood),
                            likelihood.row_names[0],
                            f"P({likelihood.row_names[0].upper()} | "
                            f"{likelihood.column_name.upper()})")



class BayesRuleClassifier(ProbabilisticClassifier):
    """Base of the classifiers that decide by Bayes' rule from P(x | y) and P(y).

    ``predict_log_proba``, ``predict_proba`` and ``predict`` come from
    :class:`ProbabilisticClassifier`, the posterior from :func:`log_posterior`
    (the prior where no class can explain x); ``predict`` is
    :func:`scratch_genmod.bayes.textbook.generative_decision`. With
    ``algorithm="textbook"`` the posterior is
    :func:`scratch_genmod.bayes.textbook.bayes_rule` itself and ``predict``
    calls ``generative_decision``.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        The class labels, sorted.
    class_count_ : ndarray of shape (n_classes,)
        Number of training samples of each class.
    class_prior_ : ndarray of shape (n_classes,)
        P(Y = y_i): the ``priors`` given, or the class frequencies.
    n_features_in_ : int

    Examples
    --------
    A subclass gives P(x | y_i); Bayes' rule does the rest. Two classes with
    densities 0.1 and 0.3 at every x and priors 3/4, 1/4: P(y_0 | x) =
    0.1 * 3/4 / (0.1 * 3/4 + 0.3 * 1/4) = 1/2.

    >>> class Flat(BayesRuleClassifier):
    ...     def __init__(self, priors=None, algorithm="fast"):
    ...         self.priors, self.algorithm = priors, algorithm
    ...     def fit(self, X, y):
    ...         self._fit_classes(X, y)
    ...         return self
    ...     def _class_log_likelihood(self, X):
    ...         return np.log(np.tile([0.1, 0.3], (len(X), 1)))
    >>> model = Flat().fit([[0.0], [1.0], [2.0], [3.0]], [0, 0, 0, 1])
    >>> model.predict_proba([[5.0]]).round(12).tolist()
    [[0.5, 0.5]]
    """

    def score_samples(self, X):
        """log P(x) = logsumexp_i [log P(x | y_i) + log P(y_i)], the model's density of x.

        Returns
        -------
        log_density : ndarray of shape (n_samples,)
        """
        check_is_fitted(self, "score_samples")
        return logsumexp(self._joint_log_likelihood(X, "score_samples"), axis=1)

    def log_likelihood(self, X):
        """Mean log-density ``(1/n) sum_t log P(x_t)`` of X under the model.

        (``score(X, y)`` is the accuracy, as for every classifier.)
        """
        check_is_fitted(self, "log_likelihood")
        return float(np.mean(self.score_samples(X)))

    def predict(self, X):
        """The most probable class, argmax_i log P(x | y_i) + log P(y_i) (no normalising needed).

        Returns
        -------
        labels : ndarray of shape (n_samples,)
        """
        check_is_fitted(self, "predict")
        if not self._textbook():
            return super().predict(X)
        log_likelihood = self._checked_log_likelihood(X, "predict")
        return self.classes_[textbook.generative_decision(log_likelihood,
                                                          np.log(self.class_prior_))]

    def sample(self, n_samples=1, y=None, random_state=None):
        """Draw observations: from the joint law, or from one class.

        With ``y=None`` a class is drawn from P(Y) for each sample, then an
        observation from P(x | Y); with ``y`` given, all samples come from
        P(x | Y=y) ("what does an observation of class y look like?").

        Parameters
        ----------
        n_samples : int, default=1
        y : label or None, default=None
            One of ``classes_``.
        random_state : None, int or numpy.random.Generator, default=None
            None uses the estimator's own generator.

        Returns
        -------
        X : ndarray of shape (n_samples, n_features)
        labels : ndarray of shape (n_samples,)
            The class of each sample; shuffled, never grouped by class.
        """
        check_is_fitted(self, "sample")
        n = check_n_samples(n_samples, self.n_features_in_)
        rng = self._random_generator(random_state)
        if y is None:
            counts = rng.multinomial(n, self.class_prior_)
        else:
            counts = np.zeros(len(self.classes_), dtype=int)
            counts[self._class_index(y, "y")] = n
        parts = [self._sample_class(i, int(c), rng) for i, c in enumerate(counts) if c > 0]
        X = np.concatenate([np.asarray(p, dtype=np.float64) for p in parts])
        labels = np.repeat(self.classes_, counts)
        order = rng.permutation(n)
        return X[order], labels[order]

    # -- for subclasses ----------------------------------------------------

    def _fit_classes(self, X, y):
        """Check X and y, learn the classes and priors; returns (X, class index per sample)."""
        X, self.classes_, y_index = check_classification_data(X, y)
        counts = np.bincount(y_index, minlength=len(self.classes_)).astype(np.float64)
        self.class_count_ = counts
        self.class_prior_ = self._check_priors(counts)
        self.n_features_in_ = X.shape[1]
        return X, y_index

    def _check_priors(self, counts):
        if self.priors is None:
            return counts / counts.sum()
        priors = check_array(self.priors, "priors", ndim=1)
        if priors.shape != counts.shape:
            raise ValueError(f"priors must have one entry per class ({len(counts)}), "
                             f"got {priors.shape[0]}")
        if (priors <= 0).any() or not np.isclose(priors.sum(), 1.0):
            raise ValueError(f"priors must be positive and sum to 1, got {priors.tolist()}")
        return priors / priors.sum()

    def _check_class_state(self):
        """For ``load``: classes, counts and priors P(Y) (> 0, summing to 1); returns (c, d)."""
        c, d = check_fitted_classes(self.classes_, self.n_features_in_)
        counts = check_state_array(self.class_count_, "class_count_", shape=(c,), min_val=0.0)
        prior = check_state_array(self.class_prior_, "class_prior_", shape=(c,),
                                  min_val=np.finfo(float).tiny)
        check_state_probabilities(prior, "class_prior_")
        if self.priors is not None:
            self._check_priors(counts)
        return c, d

    def _class_index(self, label, name):
        labels = self.classes_.tolist()
        if label not in labels:
            raise ValueError(f"{name}={label!r} is not one of the classes {labels}")
        return labels.index(label)

    def _log_posterior(self, X, method):
        """log P(y_i | x) by Bayes' rule: :func:`log_posterior`, or the textbook's ``bayes_rule``."""
        log_likelihood = self._checked_log_likelihood(X, method)
        if not self._textbook():
            return log_posterior(log_likelihood, np.log(self.class_prior_))
        # Where no class explains x, every P(x | y) is 0 and the posterior is the prior.
        log_likelihood[_unexplained(log_likelihood)] = 0.0
        # Dividing each row by its largest density is a common factor Bayes' rule
        # cancels, and keeps exp from underflowing to 0 / 0.
        likelihood = np.exp(log_likelihood - log_likelihood.max(axis=1, keepdims=True))
        with np.errstate(divide="ignore"):  # a posterior that underflows to 0: log 0
            return np.log(textbook.bayes_rule(likelihood.T, self.class_prior_))

    def _textbook(self):
        """Whether to run on the textbook functions; checks ``algorithm``."""
        return check_choice(self.algorithm, "algorithm", ALGORITHMS) == "textbook"

    def _joint_log_likelihood(self, X, method):
        """log P(x | y_i) + log P(y_i), shape (n_samples, n_classes)."""
        return self._checked_log_likelihood(X, method) + np.log(self.class_prior_)

    def _checked_log_likelihood(self, X, method):
        """log P(x | y_i) of the checked ``X``, shape (n_samples, n_classes)."""
        check_is_fitted(self, method, ["classes_"])
        X = check_array(X, "X", n_features=self.n_features_in_, estimator=type(self).__name__)
        return self._class_log_likelihood(X)


def _unexplained(log_joint):
    """Rows where every class gives x probability 0; one warning says how many."""
    unexplained = np.isneginf(log_joint).all(axis=1)
    if unexplained.any():
        warn_user(f"{int(unexplained.sum())} of {len(log_joint)} points have probability 0 "
                  "under every class (outside the support of every class density, e.g. "
                  "beyond a compact kernel's reach, or so far that float64 underflows): "
                  "their posterior is the prior P(y); a wider bandwidth or a kernel with "
                  "infinite support explains them", UserWarning)
    return unexplained


def _component_names(likelihood):
    """Names x1, x2, ... of the columns' components when the x are rows of values."""
    first, name = likelihood.column_labels[0], likelihood.column_name
    if isinstance(first, tuple):
        return [f"{name}{j + 1}" for j in range(len(first))]
    return [name]
