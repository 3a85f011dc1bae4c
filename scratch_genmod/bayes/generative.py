"""A generative classifier made of one density estimator per class.

Any density estimator of this library (a ``GaussianMixture``, a
``KernelDensity``...) models one class's observations, P(x | Y=y_i); class
frequencies give P(Y=y_i); Bayes' rule (see :mod:`scratch_genmod.bayes.bayes_rule`)
gives the decision. With ``GaussianMixture(n_components=1)`` this is quadratic
discriminant analysis (QDA).

Because each class has its own density, a new class is added by fitting only
its density: the others are untouched (the course's "combination" point). A
discriminative model, which learns only P(Y | X), must be retrained.
"""

import numpy as np

from scratch_genmod.core.base import check_is_fitted, clone
from scratch_genmod.core.sampling import draw_from_density
from scratch_genmod.core.validation import check_array, check_scalar
from scratch_genmod.core.warning import warn_user
from scratch_genmod.core.registry import register_estimator
from scratch_genmod.core.state_checks import fitted_attributes
from scratch_genmod.bayes.bayes_rule import BayesRuleClassifier

__all__ = ["GenerativeClassifier"]


@register_estimator
class GenerativeClassifier(BayesRuleClassifier):
    """Bayes-rule classifier with one fitted copy of ``density`` per class.

        P(y_i | x) = P(x | y_i) P(y_i) / sum_j P(x | y_j) P(y_j)

    With a maximum-likelihood Gaussian as ``density``, same numbers as
    :func:`scratch_genmod.bayes.textbook.gaussian_posterior` on
    :func:`~scratch_genmod.bayes.textbook.fit_gaussians`.

    Parameters
    ----------
    density : object
        An unfitted density estimator: any object with ``fit(X)`` and
        ``score_samples(X)`` (log-density) - one of this library, of
        scikit-learn, or a class of your own - and, for :meth:`sample` only,
        ``sample(n, random_state=...)``. It is cloned once per class (deep-copied
        when it has no ``get_params``); it is never fitted itself.
    priors : array-like of shape (n_classes,) or None, default=None
        P(Y = y_i) in the order of the sorted classes; None uses the class
        frequencies of the training data.
    random_state : None, int or numpy.random.Generator, default=None
        Seed of the generator :meth:`sample` uses.
    algorithm : {"fast", "textbook"}, default="fast"
        How Bayes' rule is applied: "textbook" through
        :func:`~scratch_genmod.bayes.textbook.bayes_rule` and
        :func:`~scratch_genmod.bayes.textbook.generative_decision` (step
        through them in a debugger), "fast" in log space by
        :func:`~scratch_genmod.bayes.bayes_rule.log_posterior`. The class
        densities are yours: they compute as they do.

    Attributes
    ----------
    densities_ : list of density estimators, length n_classes
        The fitted P(x | Y = y_i), in the order of ``classes_``.
    classes_ : ndarray of shape (n_classes,)
        Sorted labels seen by ``fit``, then any added by :meth:`add_class`.
    class_count_ : ndarray of shape (n_classes,)
    class_prior_ : ndarray of shape (n_classes,)
    n_features_in_ : int

    Examples
    --------
    A one-dimensional Gaussian written in a few lines is enough as a density:

    >>> from scratch_genmod.core import BaseEstimator, gaussian_log_pdf
    >>> class Normal(BaseEstimator):
    ...     def fit(self, X):
    ...         self.mean_, self.var_ = X.mean(axis=0), X.var(axis=0)
    ...         return self
    ...     def score_samples(self, X):
    ...         return gaussian_log_pdf(X, self.mean_, np.diag(self.var_))
    >>> X = np.array([[0.0], [0.4], [0.2], [3.0], [3.4], [3.2]])
    >>> y = np.array(["a", "a", "a", "b", "b", "b"])
    >>> model = GenerativeClassifier(Normal()).fit(X, y)
    >>> model.predict([[0.5], [2.5]]).tolist()
    ['a', 'b']
    >>> np.round(model.predict_proba([[1.7]]), 3)
    array([[0.5, 0.5]])
    """

    def __init__(self, density, priors=None, random_state=None, algorithm="fast"):
        self.density = density
        self.priors = priors
        self.random_state = random_state
        self.algorithm = algorithm

    def fit(self, X, y):
        """Fit P(Y) and one density P(x | Y = y_i) per class.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
            Class labels (numbers or strings); at least 2 distinct.

        Returns
        -------
        self
        """
        self._check_density()
        self._textbook()
        X, y_index = self._fit_classes(X, y)
        self.densities_ = [self._fit_density(X[y_index == i], label)
                           for i, label in enumerate(self.classes_.tolist())]
        return self

    def add_class(self, X_new, label, prior=None):
        """Add a class by fitting only its density; the other densities are untouched.

        Parameters
        ----------
        X_new : array-like of shape (n_new, n_features)
            Observations of the new class.
        label : number or str
            Its label, not yet one of ``classes_``.
        prior : float in (0, 1) or None, default=None
            P(Y = label). The old priors are scaled by (1 - prior). None is
            allowed only when the priors are class frequencies (``priors=None``):
            they are then recomputed with the new class's count.

        Returns
        -------
        self
        """
        check_is_fitted(self, "add_class", ["densities_"])
        X_new = check_array(X_new, "X_new", n_features=self.n_features_in_,
                            estimator=type(self).__name__)
        if np.asarray(label).ndim != 0:
            raise ValueError(f"label must be a single value, got {label!r}")
        if label in self.classes_.tolist():
            raise ValueError(f"label {label!r} is already a class; classes are "
                             f"{self.classes_.tolist()}")
        if (np.asarray(label).dtype.kind in "US") != (self.classes_.dtype.kind in "US"):
            raise TypeError(f"label {label!r} must be of the same kind (number or string) as "
                            f"the classes {self.classes_.tolist()}")
        if prior is None and self.priors is not None:
            raise ValueError("prior must be given for the new class, since the priors were "
                             "fixed at fit (priors is not None)")
        density = self._fit_density(X_new, label)
        counts = np.append(self.class_count_, len(X_new))
        if prior is None:
            self.class_prior_ = counts / counts.sum()
        else:
            prior = check_scalar(prior, "prior", min_val=0.0, max_val=1.0,
                                 include_min=False, include_max=False)
            self.class_prior_ = np.append(self.class_prior_ * (1.0 - prior), prior)
        self.class_count_ = counts
        self.classes_ = np.append(self.classes_, label)
        self.densities_ = self.densities_ + [density]
        return self

    def _class_log_likelihood(self, X):
        # One column per class: a loop over classes, each vectorised over samples.
        return np.column_stack([d.score_samples(X) for d in self.densities_])

    def _sample_class(self, i, n, rng):
        if not callable(getattr(self.densities_[i], "sample", None)):
            raise TypeError(f"sample needs the class densities to have a sample(n, "
                            f"random_state=...) method, and density "
                            f"{type(self.density).__name__} has none; add one, or use a "
                            f"density that has it (GaussianMixture, KernelDensity)")
        # a seed where the density takes one, the points alone whatever it returns
        return draw_from_density(self.densities_[i], n, rng, f"the density of class "
                                 f"{self.classes_[i]!r}")[0]

    def _fit_density(self, X, label):
        density = clone(self.density, safe=False)
        if len(X) == 1:  # any density of one point is that point's kernel or reg_covar
            warn_user(f"class {label!r} has 1 training sample: its {type(density).__name__} "
                      "is fitted to a single point (a GaussianMixture's covariance is then "
                      "reg_covar alone, a KernelDensity one kernel); give the class more "
                      "samples, or fix its density's spread yourself", UserWarning)
        try:
            return density.fit(X)
        except ValueError as exc:
            raise ValueError(f"fitting the density of class {label!r} ({len(X)} samples) "
                             f"failed: {exc}") from exc

    def _check_fitted_state(self):
        """Called by ``load``: the density, the classes, one fitted density per class."""
        self._check_density()
        self._textbook()  # checks algorithm
        if not fitted_attributes(self, ["classes_", "class_count_", "class_prior_", "densities_",
                                        "n_features_in_"]):
            return
        c = self._check_class_state()[0]
        if not isinstance(self.densities_, list) or len(self.densities_) != c or any(
                type(d) is not type(self.density) for d in self.densities_):
            raise ValueError(f"densities_ must be a list of {c} fitted "
                             f"{type(self.density).__name__} (one per class)")

    def _check_density(self):
        missing = [m for m in ("fit", "score_samples")
                   if not callable(getattr(self.density, m, None))]
        if isinstance(self.density, type) or missing:
            what = ("a class, not an instance; pass an instance, e.g. GaussianMixture()"
                    if isinstance(self.density, type) else
                    f"it has no {' and no '.join(missing)} method; add it, or use e.g. "
                    f"GaussianMixture()")
            raise TypeError(f"density must be a density estimator with fit(X) and "
                            f"score_samples(X) (the log-density), but "
                            f"{getattr(self.density, '__name__', type(self.density).__name__)} "
                            f"is not: {what}")
