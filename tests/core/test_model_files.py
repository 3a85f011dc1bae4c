"""Model files as an attacker or a damaged disk would give them: every one a clear ValueError."""

import io
import json
import os
import subprocess
import sys
import time
import tracemalloc
import zipfile
from pathlib import Path

import numpy as np
import pytest

import scratch_genmod as sg
from scratch_genmod.core import load, save
from scratch_genmod.core import npz_reader
from scratch_genmod.core.persistence import content_digest
from scratch_genmod.core.registry import registered_estimators

X = np.random.default_rng(0).normal(size=(30, 2))


def members(path):
    with np.load(path, allow_pickle=False) as data:
        arrays = {k: data[k] for k in data.files}
    return json.loads(str(arrays.pop("__meta__"))), arrays


def write(path, meta, arrays, seal=True):
    """A model file as a forger writes it: the checksum recomputed (``seal``) or left."""
    if seal and isinstance(meta, dict) and isinstance(meta.get("model"), dict):
        meta["sha256"] = content_digest(meta["model"], arrays)
    np.savez(path, __meta__=np.array(json.dumps(meta)), **arrays)
    return path


@pytest.fixture
def gmm_file(tmp_path):
    return save(sg.GaussianMixture(2, random_state=0).fit(X), tmp_path / "gmm.npz")


def test_a_class_is_never_imported_by_its_name(tmp_path, gmm_file):
    # Naming scratch_genmod.__main__ used to import it, which ran the command line.
    meta, arrays = members(gmm_file)
    meta["model"]["__estimator__"] = "scratch_genmod.__main__.Main"
    path = write(tmp_path / "main.npz", meta, arrays)
    script = (f"import sys; sys.argv = ['app', 'exam', '--count', '1', '--out', 'p']\n"
              f"import scratch_genmod as sg\n"
              f"try:\n    sg.load({str(path)!r})\n"
              f"except ValueError as e:\n    print(e)\n"
              f"print('scratch_genmod.__main__' in sys.modules)")
    root = str(Path(sg.__file__).resolve().parents[1])  # this package, not another install
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         cwd=tmp_path, timeout=60, env={**os.environ, "PYTHONPATH": root})
    assert "it names class 'Main', which is not a scratch_genmod estimator; refusing" in out.stdout
    assert out.stdout.strip().endswith("False") and not (tmp_path / "p").exists()


@pytest.mark.parametrize("model", ["hello", [1, 2], {"__array__": "m"}, float("inf"), None])
def test_metadata_that_is_not_a_model_is_refused(tmp_path, gmm_file, model):
    _, arrays = members(gmm_file)
    arrays = {"m": np.ones(2)} if model == {"__array__": "m"} else {}
    path = write(tmp_path / "x.npz", {"format_version": 1, "model": model}, arrays, seal=False)
    with pytest.raises(ValueError, match=r"cannot load .*x\.npz: it has no valid scratch_genmod "
                                         r"metadata: it holds no model"):
        load(path)


def test_deep_metadata_is_refused_before_parsing(tmp_path):
    meta = '{"format_version": 2, "model": ' + "[" * 100_000 + "]" * 100_000 + "}"
    np.savez(tmp_path / "deep.npz", __meta__=np.array(meta))
    with pytest.raises(ValueError, match="metadata is nested 100001 levels deep, more than the 100"):
        load(tmp_path / "deep.npz")
    assert npz_reader.json_depth('{"a": "[[[[", "b": [[1]]}') == 3


def test_large_metadata_is_refused_before_reading(tmp_path, gmm_file, monkeypatch):
    monkeypatch.setattr(npz_reader, "MAX_METADATA_BYTES", 1000)
    with pytest.raises(ValueError, match=r"its metadata takes [\d,]+ bytes, more than the 1,000"):
        load(gmm_file)


def test_a_member_the_metadata_does_not_name_is_never_decompressed(tmp_path, gmm_file):
    with zipfile.ZipFile(gmm_file, "a", compression=zipfile.ZIP_DEFLATED) as zf:
        with zf.open("zeros.npy", "w") as f:
            np.lib.format.write_array(f, np.zeros(2**26, dtype=np.uint8))  # 64 MiB of zeros
    assert gmm_file.stat().st_size < 2**20
    tracemalloc.start()
    start = time.perf_counter()
    with pytest.raises(ValueError, match=r"holds members its metadata does not name \(zeros.npy\)"):
        load(gmm_file)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 2**22 and time.perf_counter() - start < 5.0


def test_member_sizes_are_limited_before_reading(gmm_file):
    with pytest.raises(ValueError, match=r"its arrays take [\d,]+ bytes uncompressed, more than "
                                         r"max_bytes=100; if you trust the file, pass a larger"):
        load(gmm_file, max_bytes=100)
    assert load(gmm_file, max_bytes=10_000).n_components == 2


def test_a_header_larger_than_its_data_is_refused(tmp_path, gmm_file):
    # An .npy header claiming 2**40 rows over 32 bytes of data: refused, nothing allocated.
    header = io.BytesIO()
    np.lib.format.write_array_header_1_0(header, {"descr": "<f8", "fortran_order": False,
                                                  "shape": (2**40, 2)})
    forged = tmp_path / "h.npz"
    with zipfile.ZipFile(gmm_file) as src, zipfile.ZipFile(forged, "w") as dst:
        for name in src.namelist():
            data = src.read(name)
            if name == "m.s.means_.npy":
                data = header.getvalue() + np.ones(4).tobytes()
            dst.writestr(name, data)
    with pytest.raises(ValueError, match=r"h\.npz: its array 'm.s.means_' declares shape "
                                         r"\(1099511627776, 2\) \(17,592,186,044,416 bytes\) "
                                         r"but holds 32 bytes"):
        load(forged)


def test_a_flipped_byte_in_a_compressed_member_names_the_file(gmm_file):
    raw = bytearray(gmm_file.read_bytes())
    with zipfile.ZipFile(gmm_file) as zf:
        info = zf.getinfo("m.s.means_.npy")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    raw[start + info.compress_size // 2] ^= 0xFF
    gmm_file.write_bytes(bytes(raw))
    with pytest.raises(ValueError, match=r"cannot load .*gmm\.npz: it is not a readable "
                                         r"scratch_genmod model file"):
        load(gmm_file)


def test_a_changed_data_byte_fails_the_checksum(tmp_path, gmm_file):
    meta, arrays = members(gmm_file)
    arrays["m.s.means_"][0, 0] += 1e-9  # still a valid mixture: only the checksum sees it
    path = write(tmp_path / "changed.npz", meta, arrays, seal=False)
    with pytest.raises(ValueError, match=r"cannot load .*changed\.npz: its content does not "
                                         r"match its SHA-256 checksum"):
        load(path)


@pytest.mark.parametrize("where, value, message", [
    ("m.s.weights_", np.array([0.7, 0.7]), "weights_ must hold probabilities summing to 1"),
    ("m.s.means_", np.full((2, 2), np.nan), "means_ holds NaN or infinite values"),
    ("m.s.covariances_", -np.ones((2, 2, 2)), "covariances_ must hold positive definite"),
    ("m.s.means_", np.ones((3, 2)), r"means_ must have shape \(2, 2\), got \(3, 2\)"),
    ("m.s.means_", np.ones((2, 2), dtype=np.int64), "means_ must be a floating-point array"),
])
def test_a_forged_state_fails_the_model_checks(tmp_path, gmm_file, where, value, message):
    meta, arrays = members(gmm_file)
    arrays[where] = value
    path = write(tmp_path / "forged.npz", meta, arrays)
    with pytest.raises(ValueError, match=r"cannot load .*forged\.npz: the GaussianMixture it "
                                         r"holds fails its checks: " + message):
        load(path)


@pytest.mark.parametrize("param, value, message", [
    ("n_components", "abc", "n_components must be an int, got str 'abc'"),
    ("covariance_type", "ful", "covariance_type must be one of"),
    ("tol", -1.0, "tol must be >= 0.0"),
])
def test_forged_hyper_parameters_fail_fits_checks(tmp_path, gmm_file, param, value, message):
    meta, arrays = members(gmm_file)
    meta["model"]["params"]["__dict__"][param] = value
    path = write(tmp_path / "forged.npz", meta, arrays)
    with pytest.raises(ValueError, match=message):
        load(path)


def test_forged_state_names_and_parameters_are_refused(tmp_path, gmm_file):
    meta, arrays = members(gmm_file)
    meta["model"]["state"]["__dict__"]["__class__"] = 1
    with pytest.raises(ValueError, match="state names '__class__', not a fitted attribute"):
        load(write(tmp_path / "a.npz", meta, arrays))
    meta, arrays = members(gmm_file)
    meta["model"]["params"]["__dict__"]["fit"] = 1
    with pytest.raises(ValueError, match="GaussianMixture has no parameter 'fit'"):
        load(write(tmp_path / "b.npz", meta, arrays))


def test_kmeans_labels_beyond_its_clusters_are_refused(tmp_path):
    path = save(sg.KMeans(2, random_state=0).fit(X), tmp_path / "km.npz")
    meta, arrays = members(path)
    arrays["m.s.labels_"][0] = 5
    with pytest.raises(ValueError, match="labels_ must be < n_clusters=2, got 5"):
        load(write(path, meta, arrays))


def test_a_version_1_file_loads_and_is_checked(tmp_path):
    # The layout written before format 2: full class path, no checksum.
    model = sg.GaussianMixture(2, covariance_type="diag", random_state=0).fit(X)
    params = {k: (list(v) if isinstance(v, tuple) else v) for k, v in model.get_params().items()}
    arrays = {f"m.s.{k}": getattr(model, k) for k in
              ("weights_", "means_", "covariances_", "precisions_cholesky_", "precisions_")}
    state = {k: {"__array__": f"m.s.{k}"} for k in
             ("weights_", "means_", "covariances_", "precisions_cholesky_", "precisions_")}
    state.update(converged_=True, n_iter_=3, lower_bound_=-1.5, n_features_in_=2,
                 log_likelihood_history_=[-2.0, -1.5])
    meta = {"format_version": 1, "model": {
        "__estimator__": "scratch_genmod.density.gmm.GaussianMixture",
        "params": {"__dict__": params}, "state": {"__dict__": state}}}
    old = load(write(tmp_path / "old.npz", meta, arrays, seal=False))
    np.testing.assert_array_equal(old.predict_proba(X), model.predict_proba(X))
    arrays["m.s.weights_"] = np.array([0.5, 0.6])
    with pytest.raises(ValueError, match="weights_ must hold probabilities summing to 1"):
        load(write(tmp_path / "old.npz", meta, arrays, seal=False))
    for version in (0, "1", 3):
        meta["format_version"] = version
        with pytest.raises(ValueError, match=rf"old\.npz: it has format version {version!r}"):
            load(write(tmp_path / "old.npz", meta, arrays, seal=False))


def test_a_version_2_file_without_its_checksum_is_refused(tmp_path, gmm_file):
    meta, arrays = members(gmm_file)
    del meta["sha256"]
    with pytest.raises(ValueError, match="does not match its SHA-256 checksum"):
        load(write(tmp_path / "x.npz", meta, arrays, seal=False))


def test_every_registered_estimator_checks_its_state():
    public = {"GaussianMixture", "KMeans", "KernelDensity", "GaussianNB", "GenerativeClassifier",
              "LogisticRegression", "MarkovChain", "NGramModel", "PCA", "TSNE", "Autoencoder",
              "VariationalAutoencoder"}
    sg.load  # the families register on import
    for name in public:
        getattr(sg, name, None) or getattr(sg.nn, name)
    registry = registered_estimators()
    assert public <= set(registry)
    # every estimator the package exports can be loaded once saved
    exported = {n for n in sg.__all__ if isinstance(getattr(sg, n), type)
                and issubclass(getattr(sg, n), sg.core.BaseEstimator)}
    assert exported <= set(registry), exported - set(registry)
    # the package's own (a doctest may register a class of its own in the same process)
    for name, cls in registry.items():
        if cls.__module__.startswith("scratch_genmod.") and cls.__module__ != (
                "scratch_genmod.core.registry"):
            assert callable(getattr(cls, "_check_fitted_state", None)), name


def test_load_refuses_a_path_that_is_not_one():
    with pytest.raises(TypeError, match="path must be a str or path-like, got NoneType"):
        load(None)


def _fitted_models():
    rng = np.random.default_rng(1)
    y = (X[:, 0] > 0).astype(int)
    unit = np.clip(np.abs(X) / 4, 0, 1)
    ae = sg.Autoencoder(layer_sizes=(2, 3, 1), epochs=2, progress=False, random_state=0).fit(unit)
    return [
        (sg.GaussianMixture(2, covariance_type="tied", random_state=0).fit(X), "score_samples", X),
        (sg.KMeans(3, random_state=0).fit(X), "predict", X),
        (sg.KernelDensity(bandwidth="scott").fit(X, sample_weight=rng.random(30)),
         "score_samples", X),
        (sg.GaussianNB().fit(X, y), "predict_proba", X),
        (sg.GenerativeClassifier(sg.KernelDensity()).fit(X, y), "predict_proba", X),
        (sg.LogisticRegression().fit(X, y), "predict_proba", X),
        (sg.MarkovChain().fit([["a", "b", "a", "c", "a"]]), "log_prob", ["a", "b", "a"]),
        (sg.NGramModel(order=2, smoothing="kneser-ney").fit("a b c a b d a b"), "perplexity",
         "a b d"),
        (sg.PCA(1).fit(X), "transform", X),
        (ae.fit_latent_density(unit, sg.GaussianMixture(1, random_state=0)), "reconstruct",
         unit),
        (sg.nn.VariationalAutoencoder(layer_sizes=(2, 3, 1), epochs=1, progress=False,
                                      random_state=0).fit(unit), "reconstruct", unit),
    ]


def test_every_estimator_round_trips_through_its_checks(tmp_path):
    for model, method, data in _fitted_models():
        again = load(save(model, tmp_path / type(model).__name__))
        np.testing.assert_array_equal(getattr(again, method)(data), getattr(model, method)(data))
    cvae = sg.ConditionalVAE(layer_sizes=(2, 3, 1), epochs=1, progress=False,
                             random_state=0).fit(np.clip(np.abs(X) / 4, 0, 1), X[:, 0] > 0)
    again = load(save(cvae, tmp_path / "cvae"))
    unit = np.clip(np.abs(X) / 4, 0, 1)
    np.testing.assert_array_equal(again.encode(unit, X[:, 0] > 0), cvae.encode(unit, X[:, 0] > 0))
    tsne = sg.TSNE(perplexity=5, max_iter=250, progress=False, random_state=0).fit(X)
    np.testing.assert_array_equal(load(save(tsne, tmp_path / "t")).embedding_, tsne.embedding_)
