"""GenerativeClassifier over the library's own density estimators (issues 5 and 6)."""

import numpy as np
import pytest

from scratch_genmod.bayes import GenerativeClassifier
from scratch_genmod.core import load, save
from scratch_genmod.density import GaussianMixture, KernelDensity


def two_classes(seed=0):
    rng = np.random.default_rng(seed)
    X = np.vstack([rng.normal([0.0, 0.0], [1.0, 0.5], size=(40, 2)),
                   rng.normal([2.5, 1.0], [0.6, 1.2], size=(60, 2))])
    return X, np.repeat([3, 7], [40, 60])


def test_one_component_mixture_is_qda():
    X, y = two_classes()
    model = GenerativeClassifier(GaussianMixture(n_components=1, reg_covar=1e-6)).fit(X, y)
    queries = np.array([[1.0, 0.5], [0.0, 2.0], [3.0, -1.0]])
    joint = np.empty((3, 2))
    for i, (label, prior) in enumerate([(3, 0.4), (7, 0.6)]):
        Xc = X[y == label]
        cov = np.cov(Xc.T, bias=True) + 1e-6 * np.eye(2)
        diff = queries - Xc.mean(axis=0)
        maha = np.einsum("ij,jk,ik->i", diff, np.linalg.inv(cov), diff)
        joint[:, i] = prior * np.exp(-0.5 * maha) / np.sqrt(np.linalg.det(2 * np.pi * cov))
    np.testing.assert_allclose(model.predict_proba(queries), joint / joint.sum(axis=1, keepdims=True),
                               rtol=1e-6)
    np.testing.assert_allclose(model.score_samples(queries), np.log(joint.sum(axis=1)), rtol=1e-8)


def test_tophat_kernel_samples_stay_near_their_class_and_far_points_get_the_prior():
    X, y = two_classes()
    h = 0.3
    model = GenerativeClassifier(KernelDensity(bandwidth=h, kernel="tophat"), random_state=0)
    model.fit(X, y)
    Xs, labels = model.sample(200, y=7)
    assert set(labels.tolist()) == {7}
    # Every tophat draw lies within the bandwidth of some training point of its class.
    gaps = np.sqrt(((Xs[:, None, :] - X[y == 7][None, :, :]) ** 2).sum(axis=2)).min(axis=1)
    assert gaps.max() <= h * (1 + 1e-9)
    with pytest.warns(UserWarning, match="1 of 1 points have probability 0 under every class"):
        np.testing.assert_allclose(model.predict_proba([[50.0, 50.0]])[0], [0.4, 0.6])


@pytest.mark.parametrize("density", [GaussianMixture(n_components=2, random_state=0),
                                     KernelDensity(bandwidth=0.5)])
def test_save_load_roundtrip_with_library_densities(density, tmp_path):
    X, y = two_classes()
    model = GenerativeClassifier(density, random_state=1).fit(X, y)
    again = load(save(model, tmp_path / "model"))
    np.testing.assert_array_equal(again.predict_proba(X), model.predict_proba(X))
    np.testing.assert_array_equal(again.sample(5)[0], model.sample(5)[0])


def test_scikit_learns_densities_sample_through_the_classifier():
    neighbors = pytest.importorskip("sklearn.neighbors")
    mixture = pytest.importorskip("sklearn.mixture")
    X, y = two_classes()
    # KernelDensity refuses a numpy Generator; GaussianMixture.sample takes no random_state
    kde = GenerativeClassifier(neighbors.KernelDensity(bandwidth=0.3), random_state=0).fit(X, y)
    first, labels = kde.sample(30)
    assert first.shape == (30, 2) and set(labels.tolist()) <= {3, 7}
    again = GenerativeClassifier(neighbors.KernelDensity(bandwidth=0.3), random_state=0)
    np.testing.assert_array_equal(again.fit(X, y).sample(30)[0], first)   # one seed: same draws
    gmm = GenerativeClassifier(mixture.GaussianMixture(1, random_state=0)).fit(X, y)
    Xs, labels = gmm.sample(12, y=3)
    assert Xs.shape == (12, 2) and set(labels.tolist()) == {3}
