import json
import zipfile

import numpy as np
import pytest

from scratch_genmod.core import BaseEstimator, load, save
from scratch_genmod.core.persistence import FORMAT_VERSION, content_digest


class Model(BaseEstimator):
    def __init__(self, scale=1.0, names=("a", "b"), inner=None, random_state=None):
        self.scale = scale
        self.names = names
        self.inner = inner
        self.random_state = random_state

    def fit(self, X):
        X = np.asarray(X, dtype=float)
        self.mean_ = X.mean(axis=0) * self.scale
        self.counts_ = np.arange(3, dtype=np.int32)
        self.labels_ = np.array(["x", "yy"])
        self.history_ = [1.0, 0.5]
        self.info_ = {"n": 3, "converged": True, "shape": (2, 1)}
        self.parts_ = [Model(scale=2.0)]
        self.parts_[0].mean_ = np.ones(2)
        self.n_iter_ = np.int64(7)
        return self

    def predict(self, X):
        return np.asarray(X) @ self.mean_

    def sample(self):
        return self._random_generator().random(3)


def roundtrip(model, tmp_path):
    path = save(model, tmp_path / "model")
    assert path.suffix == ".npz" and path.exists()
    return load(path, extra_classes=[Model])


def test_roundtrip_identical_outputs_and_types(tmp_path):
    X = np.array([[1.0, 2.0], [3.0, 5.0]])
    model = Model(scale=2.0, inner=Model(scale=3.0), random_state=4).fit(X)
    model.sample()  # advance the own generator: the loaded one continues from here
    again = roundtrip(model, tmp_path)
    assert again.get_params(deep=False).keys() == model.get_params(deep=False).keys()
    assert again.scale == 2.0 and again.names == ("a", "b") and again.inner.scale == 3.0
    np.testing.assert_array_equal(again.predict(X), model.predict(X))
    assert again.counts_.dtype == np.int32 and again.labels_.tolist() == ["x", "yy"]
    assert again.history_ == [1.0, 0.5] and again.info_ == model.info_
    assert isinstance(again.info_["shape"], tuple)
    assert again.n_iter_ == 7
    np.testing.assert_array_equal(again.parts_[0].mean_, np.ones(2))
    np.testing.assert_array_equal(again.sample(), model.sample())


def test_generator_random_state_param_roundtrips(tmp_path):
    g = np.random.default_rng(11)
    again = roundtrip(Model(random_state=g), tmp_path)
    assert again.random_state.random() == np.random.default_rng(11).random()


def test_file_is_plain_npz_without_pickle(tmp_path):
    path = save(Model().fit([[1.0]]), tmp_path / "m.npz")
    with np.load(path, allow_pickle=False) as data:
        meta = json.loads(str(data["__meta__"]))
    assert meta["format_version"] == FORMAT_VERSION
    assert meta["model"]["__estimator__"].endswith("test_persistence.Model")


def test_truncated_file(tmp_path):
    path = save(Model().fit([[1.0]]), tmp_path / "m.npz")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ValueError, match="not a readable scratch_genmod model file"):
        load(path, extra_classes=[Model])


def _rewrite_meta(path, edit):
    """Edit the metadata as a forger would: the checksum is computed again."""
    with np.load(path, allow_pickle=False) as data:
        arrays = {k: data[k] for k in data.files}
    meta = json.loads(str(arrays.pop("__meta__")))
    edit(meta)
    meta["sha256"] = content_digest(meta["model"], arrays)
    np.savez(path, __meta__=np.array(json.dumps(meta)), **arrays)


@pytest.mark.parametrize("name", ["os.system", "builtins.eval", "scratch_genmod.core.base.NotFittedError",
                                  "scratch_genmod.core.nothing.Here"])
def test_tampered_class_is_refused(tmp_path, name):
    path = save(Model().fit([[1.0]]), tmp_path / "m.npz")
    _rewrite_meta(path, lambda m: m["model"].update({"__estimator__": name}))
    with pytest.raises(ValueError, match="not a scratch_genmod estimator; refusing"):
        load(path)


def test_unlisted_outside_class_is_refused(tmp_path):
    path = save(Model().fit([[1.0]]), tmp_path / "m.npz")
    with pytest.raises(ValueError, match="refusing to load"):
        load(path)


def test_newer_format_version(tmp_path):
    path = save(Model(), tmp_path / "m.npz")
    _rewrite_meta(path, lambda m: m.update({"format_version": FORMAT_VERSION + 1}))
    with pytest.raises(ValueError, match="newer than this library reads"):
        load(path, extra_classes=[Model])


def test_not_a_model_file(tmp_path):
    path = tmp_path / "plain.npz"
    np.savez(path, x=np.ones(2))
    with pytest.raises(ValueError, match="no valid scratch_genmod metadata"):
        load(path)
    bogus = tmp_path / "bogus.npz"
    bogus.write_text("hello")
    with pytest.raises(ValueError, match="not a readable"):
        load(bogus)
    with pytest.raises(FileNotFoundError):
        load(tmp_path / "missing.npz")


def test_pickled_array_is_never_loaded(tmp_path):
    path = save(Model().fit([[1.0]]), tmp_path / "m.npz")
    with zipfile.ZipFile(path, "a") as zf, zf.open("evil.npy", "w") as f:
        np.lib.format.write_array(f, np.array([object()], dtype=object), allow_pickle=True)
    with pytest.raises(ValueError, match=r"holds members its metadata does not name \(evil.npy\)"):
        load(path, extra_classes=[Model])
    # named by the metadata, in place of a real array: refused before pickle could run
    with np.load(save(Model().fit([[1.0]]), path), allow_pickle=False) as data:
        arrays = {k: data[k] for k in data.files}
    arrays["m.s.mean_"] = np.array([object()], dtype=object)
    np.savez(path, **arrays, allow_pickle=True)
    with pytest.raises(ValueError, match="'m.s.mean_' holds Python objects, which are never loaded"):
        load(path, extra_classes=[Model])


def test_unsupported_values_are_rejected(tmp_path):
    model = Model()
    model.bad_ = object()
    with pytest.raises(TypeError, match="cannot save a value of type object"):
        save(model, tmp_path / "m")
    with pytest.raises(TypeError, match="model must be a scratch_genmod estimator"):
        save({"a": 1}, tmp_path / "m")
    assert not list(tmp_path.glob("*.npz")) and not list(tmp_path.glob(".tmp-*"))
