"""The library's estimators in scikit-learn's own tools: its estimator checks, search, pipelines.

Optional: skipped where scikit-learn (and SciPy) are not installed - the
library itself never imports them. CI runs this module in a second
virtualenv with ``pip install -e ".[test,bench]"``.
"""

import warnings

import numpy as np
import pytest

sklearn = pytest.importorskip("sklearn")
sparse = pytest.importorskip("scipy.sparse")
logsumexp = pytest.importorskip("scipy.special").logsumexp

from sklearn import base as sk_base  # noqa: E402
from sklearn.exceptions import NotFittedError as SklearnNotFittedError  # noqa: E402
from sklearn.model_selection import GridSearchCV, KFold, cross_val_score  # noqa: E402
from sklearn.naive_bayes import GaussianNB as SklearnGaussianNB  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402
from sklearn.utils import estimator_checks  # noqa: E402
from sklearn.utils.estimator_checks import parametrize_with_checks  # noqa: E402

from scratch_genmod.bayes import GaussianNB, GenerativeClassifier, LogisticRegression  # noqa: E402
from scratch_genmod.density import GaussianMixture, KernelDensity, KMeans  # noqa: E402
from scratch_genmod.embed import PCA, TSNE  # noqa: E402
from scratch_genmod.markov import MarkovChain, NGramModel  # noqa: E402
from scratch_genmod.nn import Autoencoder, VariationalAutoencoder  # noqa: E402

pytestmark = [pytest.mark.filterwarnings("ignore:Estimator .* does not inherit from `sklearn"),
              # the checks pass labels to every fit: KernelDensity says it ignores them
              pytest.mark.filterwarnings("ignore:KernelDensity.fit ignores y"),
              # and data outside [0, 1] to the Autoencoder, whose default output is a sigmoid
              pytest.mark.filterwarnings("ignore:X holds values in .* output_activation='sigmoid'")]

# Small settings where the defaults would be slow on the checks' tiny data sets.
ESTIMATORS = [
    GaussianMixture(), KernelDensity(), KMeans(n_clusters=3), GaussianNB(),
    GenerativeClassifier(GaussianMixture()), LogisticRegression(), PCA(),
    TSNE(perplexity=2.0, max_iter=250),
    Autoencoder(layer_sizes=(None, 2), epochs=2, batch_size=16, progress=False),
    # float64: several checks fit data drawn around 100, where a float32 log sigma^2 can
    # overflow exp from the first batch (fit then says so: tests/nn/test_vae.py)
    VariationalAutoencoder(layer_sizes=(None, 4, 2), decoder="gaussian", epochs=2,
                           batch_size=16, dtype="float64", progress=False),
]

# The one place where a scikit-learn check that still fails is listed, with the reason:
# {class name: {check name: reason}}. Every check passes today.
EXPECTED_FAILED_CHECKS = {}


with warnings.catch_warnings():  # the tags, not a scikit-learn base class, are the contract
    warnings.filterwarnings("ignore", "Estimator .* does not inherit from `sklearn")
    SKLEARN_CHECKS = parametrize_with_checks(
        ESTIMATORS,
        expected_failed_checks=lambda est: EXPECTED_FAILED_CHECKS.get(type(est).__name__, {}))


@SKLEARN_CHECKS
def test_sklearn_estimator_checks(estimator, check):
    check(estimator)


# NGramModel and MarkovChain read text and sequences, not 2-D arrays: the checks of
# parameters, cloning and repr apply; those of arrays do not.
API_CHECKS = ["check_estimator_cloneable", "check_estimator_repr", "check_valid_tag_types",
              "check_no_attributes_set_in_init", "check_get_params_invariance",
              "check_set_params", "check_parameters_default_constructible",
              "check_do_not_raise_errors_in_init_or_set_params"]


@pytest.mark.parametrize("estimator", [NGramModel(), NGramModel(order=1, smoothing="add-k"),
                                       MarkovChain()], ids=repr)
@pytest.mark.parametrize("check_name", API_CHECKS)
def test_sklearn_parameter_checks_on_text_models(estimator, check_name):
    getattr(estimator_checks, check_name)(type(estimator).__name__, estimator)


@pytest.mark.parametrize("estimator", ESTIMATORS + [NGramModel(pseudo_count=0.5), MarkovChain()],
                         ids=lambda e: type(e).__name__)
def test_sklearn_clone_gives_same_params_unfitted(estimator):
    twin = sk_base.clone(estimator)
    assert type(twin) is type(estimator) and twin is not estimator
    assert repr(twin) == repr(estimator)
    assert not twin.__sklearn_is_fitted__()


def test_kinds_are_declared_and_not_fitted_is_sklearns_error():
    assert sk_base.is_classifier(GaussianNB()) and sk_base.is_classifier(LogisticRegression())
    assert sk_base.is_clusterer(KMeans()) and not sk_base.is_classifier(KMeans())
    assert sklearn.utils.get_tags(KernelDensity()).estimator_type == "density_estimator"
    assert sklearn.utils.get_tags(PCA()).transformer_tags is not None
    with pytest.raises(SklearnNotFittedError, match="This GaussianMixture is not fitted yet"):
        GaussianMixture().predict(np.ones((2, 2)))
    with pytest.raises(TypeError, match="sparse input is not supported"):
        GaussianNB().fit(sparse.csr_matrix(np.eye(4)), [0, 0, 1, 1])


def test_grid_search_over_kde_bandwidth_picks_the_best_cross_validated_mean():
    X = np.random.default_rng(1).standard_normal((120, 2)) * [1.0, 3.0]
    bandwidths = [0.1, 0.3, 1.0, 3.0]
    cv = KFold(5, shuffle=True, random_state=0)
    grid = GridSearchCV(KernelDensity(), {"bandwidth": bandwidths}, cv=cv).fit(X)
    # the reference, written out: log f(x) = logsumexp_i -|x - x_i|^2 / (2 h^2) - log n
    # - log(2 pi h^2) in 2-D, averaged over each held-out fold, then over the folds
    def held_out_mean(h, train, test):
        d2 = np.sum((X[test][:, None, :] - X[train][None, :, :]) ** 2, axis=2)
        log_f = logsumexp(-d2 / (2 * h * h), axis=1) - np.log(len(train)) - np.log(2 * np.pi * h * h)
        return log_f.mean()

    reference = [np.mean([held_out_mean(h, tr, te) for tr, te in cv.split(X)]) for h in bandwidths]
    np.testing.assert_allclose(grid.cv_results_["mean_test_score"], reference, rtol=1e-10)
    assert grid.best_params_["bandwidth"] == bandwidths[int(np.argmax(reference))]


def test_pipeline_pca_then_mixture_chosen_by_bic():
    rng = np.random.default_rng(2)
    centres = np.array([[0.0] * 5, [8.0] * 5, [0.0, 8.0, 0.0, 8.0, 0.0]])
    X = np.concatenate([c + rng.standard_normal((60, 5)) for c in centres])

    def minus_bic(pipeline, X, y=None):  # higher is better for GridSearchCV
        return -pipeline[-1].bic(pipeline[:-1].transform(X))

    pipeline = make_pipeline(PCA(n_components=2), GaussianMixture(random_state=0))
    grid = GridSearchCV(pipeline, {"gaussianmixture__n_components": [1, 2, 3, 4, 5]},
                        scoring=minus_bic, cv=KFold(3, shuffle=True, random_state=0)).fit(X)
    assert grid.best_params_ == {"gaussianmixture__n_components": 3}
    # the pipeline's score is the mixture's mean log-likelihood of the projected data
    best = grid.best_estimator_
    Z = best[0].transform(X)
    assert best.score(X) == pytest.approx(np.mean(best[-1].score_samples(Z)))


def test_cross_val_score_of_generative_classifiers_matches_sklearns_naive_bayes():
    rng = np.random.default_rng(3)
    X = np.concatenate([rng.normal(0.0, 1.0, (50, 3)), rng.normal(1.5, 1.5, (50, 3))])
    y = np.repeat(["a", "b"], 50)
    cv = KFold(5, shuffle=True, random_state=0)
    reference = cross_val_score(SklearnGaussianNB(), X, y, cv=cv)
    np.testing.assert_allclose(cross_val_score(GaussianNB(), X, y, cv=cv), reference)
    # one diagonal Gaussian per class is naive Bayes again
    diagonal = GenerativeClassifier(GaussianMixture(covariance_type="diag", reg_covar=1e-9))
    np.testing.assert_allclose(cross_val_score(diagonal, X, y, cv=cv), reference)
    assert 0.7 < reference.mean() < 1.0  # overlapping classes: a real test of the ranking
