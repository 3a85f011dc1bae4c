"""The API traps a user coming from scikit-learn falls into, each tried as they would.

NumPy only: the scikit-learn interplay itself is in test_sklearn_compat.py.
"""

import subprocess
import sys

import numpy as np
import pytest

from scratch_genmod.bayes import GaussianNB, GenerativeClassifier, LogisticRegression
from scratch_genmod.core import NotFittedError, check_array, load, save
from scratch_genmod.density import GaussianMixture, KernelDensity, KMeans
from scratch_genmod.embed import PCA, TSNE
from scratch_genmod.markov import MarkovChain, NGramModel
from scratch_genmod.nn import Autoencoder

X = np.random.default_rng(0).normal(size=(30, 2))
y = (X[:, 0] > 0).astype(int)

# Every method that needs a fitted model, with arguments it would accept once fitted.
UNFITTED_CALLS = [
    (GaussianNB(), "predict", (X,)), (GaussianNB(), "predict_proba", (X,)),
    (GaussianNB(), "predict_log_proba", (X,)), (GaussianNB(), "score", (X, y)),
    (GaussianNB(), "score_samples", (X,)), (GaussianNB(), "log_likelihood", (X,)),
    (GaussianNB(), "sample", (3,)),
    (LogisticRegression(), "predict", (X,)), (LogisticRegression(), "score", (X, y)),
    (LogisticRegression(), "log_likelihood", (X, y)),
    (GenerativeClassifier(GaussianMixture()), "predict", (X,)),
    (GenerativeClassifier(GaussianMixture()), "add_class", (X, 5)),
    (GaussianMixture(), "predict", (X,)), (GaussianMixture(), "predict_proba", (X,)),
    (GaussianMixture(), "score", (X,)), (GaussianMixture(), "score_samples", (X,)),
    (GaussianMixture(), "sample", (3,)), (GaussianMixture(), "bic", (X,)),
    (GaussianMixture(), "aic", (X,)),
    (KernelDensity(), "score", (X,)), (KernelDensity(), "score_samples", (X,)),
    (KernelDensity(), "pdf", (X,)), (KernelDensity(), "sample", (3,)),
    (KMeans(), "predict", (X,)),
    (PCA(), "transform", (X,)), (PCA(), "inverse_transform", (X,)),
    (PCA(), "score", (X,)), (PCA(), "score_samples", (X,)), (PCA(), "get_covariance", ()),
    (Autoencoder(), "encode", (X,)), (Autoencoder(), "decode", (X,)),
    (Autoencoder(), "reconstruct", (X,)), (Autoencoder(), "reconstruction_error", (X,)),
    (Autoencoder(), "interpolate", (X[0], X[1])), (Autoencoder(), "sample", (3,)),
    (NGramModel(), "generate", ()), (NGramModel(), "score", ("a b",)),
    (NGramModel(), "log_prob", (["a"],)), (NGramModel(), "perplexity", ("a b",)),
    (MarkovChain(), "sample", (3,)), (MarkovChain(), "n_step", (2,)),
]


@pytest.mark.parametrize("model, method, args", UNFITTED_CALLS,
                         ids=[f"{type(m).__name__}.{name}" for m, name, _ in UNFITTED_CALLS])
def test_every_method_needing_a_fit_raises_not_fitted_first(model, method, args):
    with pytest.raises(NotFittedError, match=rf"This {type(model).__name__} is not fitted yet: "
                                             rf"call fit\(\.\.\.\) before {method}\(\)"):
        getattr(model, method)(*args)


def test_kde_second_positional_is_y_not_weights():
    labels = np.arange(len(X)) % 3  # as scikit-learn's tools pass them
    with pytest.warns(UserWarning, match=r"ignores y.*pass them by name: fit\(X, sample_weight=w\)"):
        with_labels = KernelDensity(bandwidth=0.5).fit(X, labels)
    np.testing.assert_array_equal(with_labels.weights_, np.full(len(X), 1 / len(X)))
    # weights still go by name: p_i = w_i / sum w
    weighted = KernelDensity(bandwidth=0.5).fit(X, sample_weight=labels + 1.0)
    np.testing.assert_allclose(weighted.weights_, (labels + 1.0) / np.sum(labels + 1.0))


def test_unsupervised_fits_take_and_ignore_y():
    assert np.array_equal(PCA().fit(X, y).components_, PCA().fit(X).components_)
    tsne = TSNE(perplexity=5.0, max_iter=250, random_state=0)
    assert tsne.fit(X, y).embedding_.shape == (30, 2)
    assert tsne.fit_transform(X, y).shape == (30, 2)
    assert PCA(n_components=1).fit_transform(X, y).shape == (30, 1)


@pytest.mark.parametrize("model", [GaussianNB(), LogisticRegression(),
                                   GenerativeClassifier(GaussianMixture())])
def test_classifier_score_is_accuracy(model):
    model.fit(X, y)
    truth = y.copy()
    truth[:4] = 1 - model.predict(X[:4])  # four labels certainly predicted wrong
    right = np.sum(model.predict(X[4:]) == truth[4:])
    assert model.score(X, truth) == pytest.approx(right / len(X))
    w = np.r_[np.zeros(4), np.ones(len(X) - 4)]  # weight 0 on the wrong ones
    assert model.score(X, truth, sample_weight=w) == pytest.approx(right / (len(X) - 4))


class Box:
    """A student's own uniform density on the data's bounding box: no library base class."""

    def fit(self, X):
        self.low_, self.high_ = X.min(axis=0) - 1.0, X.max(axis=0) + 1.0
        return self

    def score_samples(self, X):
        inside = np.all((X >= self.low_) & (X <= self.high_), axis=1)
        return np.where(inside, -np.sum(np.log(self.high_ - self.low_)), -np.inf)


def test_generative_classifier_takes_any_density_with_fit_and_score_samples():
    Xb = np.array([[0.0], [1.0], [10.0], [14.0]])
    model = GenerativeClassifier(Box()).fit(Xb, ["a", "a", "b", "b"])
    # boxes [-1, 2] (density 1/3) and [9, 15] (density 1/6), priors 1/2 each
    np.testing.assert_allclose(model.predict_proba([[1.5], [12.0]]), [[1, 0], [0, 1]])
    with pytest.raises(TypeError, match=r"sample\(n, random_state=\.\.\.\) method, and density Box has none"):
        model.sample(2)
    class FitOnly:
        def fit(self, X):
            return self

    with pytest.raises(TypeError, match="FitOnly is not: it has no score_samples method; add it"):
        GenerativeClassifier(FitOnly()).fit(Xb, ["a", "a", "b", "b"])
    with pytest.raises(TypeError, match="a class, not an instance"):
        GenerativeClassifier(GaussianMixture).fit(Xb, ["a", "a", "b", "b"])


@pytest.mark.parametrize("dtype, expected", [(np.float64, np.float64), ("float64", np.float64),
                                             (np.dtype("float32"), np.float32),
                                             (np.float32, np.float32)])
def test_autoencoder_takes_numpy_dtypes(dtype, expected):
    ae = Autoencoder((2, 1), output_activation="identity", epochs=1, dtype=dtype,
                     progress=False, random_state=0).fit(X)
    assert ae.encode(X).dtype == expected


@pytest.mark.parametrize("dtype", [np.int32, "float16", None, "double precision"])
def test_autoencoder_refuses_other_dtypes_naming_the_choices(dtype):
    with pytest.raises(ValueError, match=r"dtype must be float32 or float64, .*np.float32"):
        Autoencoder((2, 1), dtype=dtype, progress=False).fit(X)


def test_autoencoder_trains_more_epochs_from_its_weights():
    def model(epochs, **params):
        return Autoencoder((None, 1), output_activation="identity", epochs=epochs, batch_size=8,
                           lr=1e-2, progress=False, random_state=0, **params)

    five = model(5).fit(X)
    # 2 epochs, then 3 more from the same weights, optimiser moments and shuffling stream:
    # the same network as 5 epochs in one go
    resumed = model(2, warm_start=True).fit(X)
    resumed.set_params(epochs=3).fit(X)
    assert len(resumed.history_["loss"]) == 5
    for a, b in zip(resumed.encoder_.params() + resumed.decoder_.params(),
                    five.encoder_.params() + five.decoder_.params()):
        np.testing.assert_allclose(a, b, rtol=1e-6)
    np.testing.assert_allclose(resumed.history_["loss"], five.history_["loss"], rtol=1e-6)
    # partial_fit: one more epoch each call, the first one from new weights
    stepwise = model(1)
    for _ in range(5):
        stepwise.partial_fit(X)
    np.testing.assert_allclose(stepwise.history_["loss"], five.history_["loss"], rtol=1e-6)
    # without warm_start, fit starts afresh
    assert len(model(2).fit(X).fit(X).history_["loss"]) == 2
    with pytest.raises(ValueError, match="X has 3 features, but Autoencoder is expecting 2"):
        resumed.partial_fit(np.ones((4, 3)))


def test_save_then_load_the_same_path(tmp_path):
    model = GaussianMixture(n_components=2, random_state=0).fit(X)
    save(model, tmp_path / "m")
    again = load(tmp_path / "m")
    np.testing.assert_array_equal(again.means_, model.means_)
    assert load(str(tmp_path / "m.npz")).n_components == 2


def test_check_array_doors():
    # numbers stored as objects (a pandas column) are read as floats
    assert check_array(np.array([[1, 2.5]], dtype=object)).tolist() == [[1.0, 2.5]]
    with pytest.raises(TypeError, match="X must hold real numbers, got an object array"):
        check_array(np.array([[1.0, {"a": 1}]], dtype=object))

    class SparseLike:  # the two attributes check_array recognises a SciPy sparse matrix by
        nnz = 1

        def toarray(self):
            return np.ones((1, 1))

    with pytest.raises(TypeError, match=r"sparse input is not supported; pass a dense array, "
                                        r"X.toarray\(\)"):
        check_array(SparseLike())


def test_column_labels_are_read_with_a_warning_and_continuous_ones_refused():
    with pytest.warns(UserWarning, match="A column-vector y was passed"):
        model = GaussianNB().fit(X, y[:, None])
    np.testing.assert_array_equal(model.predict(X), GaussianNB().fit(X, y).predict(X))
    with pytest.raises(ValueError, match=r"non-integer numbers such as 0\.5.*continuous"):
        GaussianNB().fit(X, np.r_[0.5, y[1:]])
    with pytest.raises(ValueError, match="requires y to be passed, but the target y is None"):
        GaussianNB().fit(X, None)


def test_no_package_module_imports_sklearn_or_scipy():
    code = (
        "import pkgutil, importlib, sys, scratch_genmod\n"
        "for m in pkgutil.walk_packages(scratch_genmod.__path__, 'scratch_genmod.'):\n"
        "    if m.name != 'scratch_genmod.__main__':\n"
        "        importlib.import_module(m.name)\n"
        "bad = sorted(n for n in sys.modules if n.split('.')[0] in ('sklearn', 'scipy', 'torch'))\n"
        "assert not bad, bad\n"
        "print(len([n for n in sys.modules if n.startswith('scratch_genmod')]))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    assert int(out.stdout) > 60  # every module was imported indeed

