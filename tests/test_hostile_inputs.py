"""Hostile inputs thrown at every public estimator (issue 27).

Each case ends one of two ways: a ValueError or TypeError raised by this
library (its last frame in scratch_genmod, not in NumPy or the standard
library) whose message names the argument, or a finite answer. A network's
training may also stop with the library's DivergenceError, when its message
names the hyper-parameter (a finite lr or beta that makes the weights
overflow: its remedy says which one to lower). Every case
runs under a time limit, so a hang fails instead of stalling the suite.
The application side (exam, tour) adds its command cases here.
"""

import contextlib
import math
import os
import signal
import warnings
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import scratch_genmod as sg

PACKAGE = str(Path(sg.__file__).resolve().parent)
RNG = np.random.default_rng(0)
X = RNG.normal(size=(24, 2))
Y = (X[:, 0] > 0).astype(int)
UNIT = 1.0 / (1.0 + np.exp(-X))  # in (0, 1), for the autoencoders
TEXT = "the cat sat on the mat . the dog sat on the log ."

#: name -> (a small valid model, how to fit it, a method returning numbers on new data)
ESTIMATORS = {
    "GaussianMixture": (lambda: sg.GaussianMixture(2, random_state=0),
                        lambda m, D: m.fit(D), lambda m, D: m.score_samples(D)),
    "KMeans": (lambda: sg.KMeans(2, random_state=0), lambda m, D: m.fit(D),
               lambda m, D: m.predict(D)),
    "KernelDensity": (lambda: sg.KernelDensity(), lambda m, D: m.fit(D),
                      lambda m, D: m.score_samples(D)),
    "GaussianNB": (lambda: sg.GaussianNB(), lambda m, D: m.fit(D, Y[:len(D)]),
                   lambda m, D: m.predict_proba(D)),
    "LogisticRegression": (lambda: sg.LogisticRegression(), lambda m, D: m.fit(D, Y[:len(D)]),
                           lambda m, D: m.predict_proba(D)),
    "GenerativeClassifier": (lambda: sg.GenerativeClassifier(sg.GaussianMixture(1)),
                             lambda m, D: m.fit(D, Y[:len(D)]), lambda m, D: m.predict_proba(D)),
    "PCA": (lambda: sg.PCA(1), lambda m, D: m.fit(D), lambda m, D: m.transform(D)),
    "TSNE": (lambda: sg.TSNE(perplexity=5.0, max_iter=250, progress=False, random_state=0),
             lambda m, D: m.fit(D), lambda m, D: m.embedding_),
    "GaussianHMM": (lambda: sg.GaussianHMM(2, max_iter=5, random_state=0),
                    lambda m, D: m.fit(D), lambda m, D: m.score_samples(D)),
    "Autoencoder": (lambda: sg.Autoencoder((2, 1), epochs=1, progress=False, random_state=0),
                    lambda m, D: m.fit(D), lambda m, D: m.reconstruct(D)),
    "VariationalAutoencoder": (
        lambda: sg.VariationalAutoencoder((2, 1), epochs=1, progress=False, random_state=0),
        lambda m, D: m.fit(D), lambda m, D: m.reconstruct(D)),
    "ConditionalVAE": (
        lambda: sg.ConditionalVAE((2, 1), epochs=1, progress=False, random_state=0),
        lambda m, D: m.fit(D, Y[:len(D)]), lambda m, D: m.reconstruct(D, Y[:len(D)])),
}
# float64 networks hold 1e300: a learning rate or KL weight that large reaches training
ESTIMATORS["Autoencoder in float64"] = (
    lambda: sg.Autoencoder((2, 1), epochs=1, dtype="float64", optimizer="sgd", progress=False,
                           random_state=0), ESTIMATORS["Autoencoder"][1],
    ESTIMATORS["Autoencoder"][2])
ESTIMATORS["VariationalAutoencoder in float64"] = (
    lambda: sg.VariationalAutoencoder((2, 1), epochs=1, dtype="float64", optimizer="sgd",
                                      decoder="gaussian", progress=False, random_state=0),
    ESTIMATORS["VariationalAutoencoder"][1], ESTIMATORS["VariationalAutoencoder"][2])
NEEDS_UNIT = {"Autoencoder", "VariationalAutoencoder", "ConditionalVAE", "Autoencoder in float64",
              "VariationalAutoencoder in float64"}
WORK_COUNTS = {"epochs", "max_iter", "n_init"}

#: Values no numeric hyper-parameter should take silently.
HOSTILE = st.sampled_from([10**400, -10**400, -1, 0, -0.5, float("nan"), float("inf"), 1e300,
                           1e-300, "abc", "", None, True, [1, 2], {"a": 1}, 2.5, 10**30])


@contextlib.contextmanager
def time_limit(seconds=20):
    """Fail a case that runs longer than ``seconds`` (a hang would stall the suite)."""
    def stop(signum, frame):
        raise TimeoutError(f"case ran longer than {seconds} s")
    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def assert_clear_error(exc, *names):
    """A ValueError/TypeError (or a DivergenceError) raised by this library, whose message
    names one of ``names``."""
    assert isinstance(exc, (ValueError, TypeError, sg.nn.DivergenceError)), \
        f"{type(exc).__name__}: {exc}"
    tb = exc.__traceback__
    while tb.tb_next is not None:
        tb = tb.tb_next
    where = str(Path(tb.tb_frame.f_code.co_filename).resolve())
    assert where.startswith(PACKAGE), f"raised inside {where}: {type(exc).__name__}: {exc}"
    assert any(name in str(exc) for name in names), f"message names none of {names}: {exc}"


def assert_finite(values):
    values = np.asarray(values)
    assert values.dtype.kind != "f" or np.isfinite(values).all(), values


def run_case(action, *names, strict=False):
    """Run ``action``: a finite answer, or a clear error naming one of ``names``.

    ``strict``: a RuntimeWarning (NumPy's overflow, invalid value) fails the case too.
    """
    with time_limit(), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # warnings are allowed; wrong answers are not
        if strict:
            warnings.simplefilter("error", RuntimeWarning)
        try:
            result = action()
        except Exception as exc:  # noqa: BLE001 - the point is to look at any exception
            assert_clear_error(exc, *names)
            return None
    return result


def _data_for(name):
    return UNIT if name in NEEDS_UNIT else X


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.sampled_from(sorted(ESTIMATORS)), data=st.data(), value=HOSTILE)
def test_hostile_hyper_parameters(name, data, value):
    make, fit, use = ESTIMATORS[name]
    model = make()
    params = sorted(p for p in model.get_params(deep=False) if p != "density")
    param = data.draw(st.sampled_from(params), label="param")
    if param in WORK_COUNTS and isinstance(value, int) and value > 10**6:
        return  # 10**30 epochs is work asked for, not a hang (a time budget is not a check)
    model.set_params(**{param: value})
    D = _data_for(name)
    fitted = run_case(lambda: fit(model, D), param)
    if fitted is not None:
        out = run_case(lambda: use(fitted, D), param)
        if out is not None:
            assert_finite(out)


@settings(max_examples=40, deadline=None)
@given(maker=st.sampled_from(["make_blobs", "make_moons", "make_rings", "make_digits"]),
       value=HOSTILE)
def test_hostile_spreads_of_the_dataset_makers(maker, value):
    # a standard deviation of noise or clusters: a clear error naming it, or finite data
    name = "cluster_std" if maker == "make_blobs" else "noise"
    data = run_case(lambda: getattr(sg.datasets, maker)(5, random_state=0, **{name: value}), name)
    if data is not None:
        assert_finite(data[0])


@pytest.mark.parametrize("name", sorted(ESTIMATORS))
def test_every_float_hyper_parameter_at_the_ends_of_float64(name):
    # Each hyper-parameter whose default is a float, at the ends of float64 and beyond:
    # a clear error naming it (a DivergenceError names it in its remedy), or a finite
    # answer, and no RuntimeWarning from NumPy on the way (overflow, invalid value).
    make, fit, use = ESTIMATORS[name]
    D = _data_for(name)
    floats = [p for p, v in make().get_params(deep=False).items() if isinstance(v, float)]
    for param in floats:
        for value in (1e300, -1e300, 1e-300, 5e-324, float("inf"), float("nan")):
            model = make().set_params(**{param: value})
            fitted = run_case(lambda: fit(model, D), param, strict=True)
            if fitted is not None:
                assert_finite(run_case(lambda: use(fitted, D), param, strict=True))


SCALES = st.sampled_from([1e-300, 1e-150, 1e-20, 1.0, 1e20, 1e150, 1e300])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.sampled_from(sorted(set(ESTIMATORS) - NEEDS_UNIT)), scale=SCALES,
       dtype=st.sampled_from(["float64", "float32", "int64"]), shift=SCALES)
def test_hostile_data_scales(name, scale, dtype, shift):
    # Finite input at any scale: a finite answer or a clear error naming X, never NaN.
    make, fit, use = ESTIMATORS[name]
    D = X * scale + shift
    if dtype == "int64":
        D = np.round(np.clip(D, -9e18, 9e18)).astype(np.int64)
    elif dtype == "float32":
        if np.abs(D).max() > np.finfo(np.float32).max:
            return
        D = D.astype(np.float32)
    fitted = run_case(lambda: fit(make(), D), "X", "bandwidth", "variance", "overflow")
    if fitted is not None:
        out = run_case(lambda: use(fitted, D), "X", "overflow")
        if out is not None:
            assert_finite(out)


SIZES = st.sampled_from([0, -1, 10**12, 10**400, 2.5, "3", None, True, np.int64(3), 3])


@settings(max_examples=30, deadline=None)
@given(name=st.sampled_from(["GaussianMixture", "KernelDensity", "GaussianNB", "GaussianHMM"]),
       n=SIZES)
def test_hostile_sample_sizes(name, n):
    make, fit, _ = ESTIMATORS[name]
    model = run_case(lambda: fit(make(), X))
    drawn = run_case(lambda: model.sample(n, random_state=0), "n_samples")
    if drawn is not None:
        points = drawn[0] if isinstance(drawn, tuple) else drawn
        assert len(points) == int(n) and np.isfinite(points).all()


@settings(max_examples=30, deadline=None)
@given(n=SIZES)
def test_hostile_sizes_of_markov_models_and_datasets(n):
    chain = run_case(lambda: sg.MarkovChain().fit([["a", "b", "a", "c"]]))
    ngram = sg.NGramModel(order=1).fit(TEXT)
    for action, names in [
        (lambda: chain.sample(n, random_state=0), ("n",)),
        (lambda: ngram.generate(n, random_state=0), ("max_tokens",)),
        (lambda: sg.make_digits(n, random_state=0), ("n_samples",)),
        (lambda: sg.datasets.make_moons(n, random_state=0), ("n_samples",)),
    ]:
        run_case(action, *names)


@settings(max_examples=30, deadline=None)
@given(text=st.one_of(st.text(max_size=30), st.none(), st.integers(), st.lists(st.integers(),
                                                                             max_size=3)))
def test_hostile_text_for_ngram_models(text):
    # Smoothed, so every text that has a token has a finite perplexity; a text without
    # any token has none, and must say so (it gave NaN).
    model = sg.NGramModel(order=2, smoothing="add-k").fit(TEXT)
    for method in ("perplexity", "cross_entropy", "score"):
        out = run_case(lambda: getattr(model, method)(text), "corpus", "tokens", "text")
        if out is not None:
            assert math.isfinite(out)


@pytest.mark.parametrize("path", [None, 3, b"\0", "", "/nonexistent/file"])
def test_hostile_paths(path):
    for action, names in [(lambda: sg.load(path), ("path",)),
                          (lambda: sg.datasets.load_idx(path), ("path",)),
                          (lambda: sg.load_mnist(path), ("directory",))]:
        try:
            with time_limit():
                action()
        except FileNotFoundError as exc:  # an OS error naming the path is the right answer
            assert str(path) in str(exc) or "does not exist" in str(exc) or "lacks" in str(exc)
        except (ValueError, TypeError) as exc:
            assert_clear_error(exc, *names, str(path))


# -- the exam command (application side) ----------------------------------------------------

EXAM_PATHS = st.sampled_from([None, 3, b"class.csv", "", "\0", "a\0b", "/nonexistent/class.csv", ".", 10**400])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(argument=st.sampled_from(["seed", "count", "lang", "fmt", "out_dir", "students"]),
       value=st.one_of(HOSTILE, EXAM_PATHS))
def test_hostile_exam_arguments(tmp_path_factory, argument, value):
    """write_exam: every file of the class, or a clear error naming the argument and nothing written."""
    from scratch_genmod.exam.writer import write_exam

    folder = tmp_path_factory.mktemp("exam")
    kwargs = {"out_dir": folder / "out", "seed": 1, "lang": "en", "count": 2, argument: value}
    if argument == "students":
        kwargs.pop("count")
    names = (argument, "roster") if argument == "students" else (argument,)
    here = os.getcwd()
    os.chdir(folder)  # a relative out_dir ("abc", ".") lands in the test's folder, not the checkout
    try:
        paths = run_case(lambda: write_exam(**kwargs), *names)
    finally:
        os.chdir(here)
    if paths is None:
        assert sorted(p.name for p in folder.iterdir()) == []  # nothing written, nothing left beside it
    else:
        written = [Path(folder, p) for p in paths]  # a relative path is the test folder's
        assert written and all(p.is_file() and p.stat().st_size > 0 for p in written)
