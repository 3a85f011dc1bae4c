"""Every warning of the library is reported at the user's line, not inside the library.

Each case below triggers one warning from a line of this file; the warning's
``filename`` must be this file (a fixed ``stacklevel`` reported
``GaussianMixture.fit``'s warning at a line of ``core/base.py``).
"""

import warnings

import numpy as np
import pytest

from scratch_genmod.bayes import GaussianNB, GenerativeClassifier, LogisticRegression
from scratch_genmod.core.warning import ConvergenceWarning, warn_user
from scratch_genmod.density import BernoulliMixture, GaussianMixture, KernelDensity
from scratch_genmod.markov import GaussianHMM, MarkovChain, NGramModel
from scratch_genmod.markov.textbook import transition_matrix
from scratch_genmod.nn import Autoencoder

X = np.random.default_rng(0).normal(size=(60, 2))
Y = (X[:, 0] > 0).astype(int)


def _reducible_chain():
    chain = MarkovChain.from_transition_matrix([[0.5, 0.5], [0.0, 1.0]], ["a", "b"])
    return chain.stationary_distribution()


CASES = {
    "EM not converged": lambda: GaussianMixture(2, max_iter=1, random_state=0).fit(X),
    "discrete EM not converged": lambda: BernoulliMixture(2, max_iter=1, random_state=0).fit(
        (X > 0).astype(float)),
    "Baum-Welch not converged": lambda: GaussianHMM(2, max_iter=1, random_state=0).fit(X),
    "KDE fit given y": lambda: KernelDensity().fit(X, Y),
    "logistic not converged": lambda: LogisticRegression(max_iter=1).fit(X, Y),
    "column-vector y": lambda: GaussianNB().fit(X, Y[:, None]),
    "class of one sample": lambda: GenerativeClassifier(KernelDensity()).fit(X[:3], [0, 0, 1]),
    "reducible chain": _reducible_chain,
    "never-left state (estimator)": lambda: MarkovChain().fit([["a", "b"]]),
    "never-left state (textbook)": lambda: transition_matrix([[0, 1], [0, 0]]),
    "mle perplexity inf": lambda: NGramModel(order=1, smoothing="mle").fit(
        "a b a b .").perplexity("b b a ."),
    "unseen context": lambda: NGramModel(order=2, random_state=0).fit("a b c . a b d .").generate(
        max_tokens=3, prompt="c a"),
    "sigmoid cannot reach X": lambda: Autoencoder((2, 2), output_activation="sigmoid",
                                                  epochs=1, random_state=0).fit(X),
}


@pytest.mark.parametrize("name", list(CASES))
def test_a_warning_points_at_the_line_that_called_the_library(name):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        CASES[name]()
    assert caught, f"{name}: no warning"
    assert {w.filename for w in caught} == {__file__}, [(w.filename, w.lineno) for w in caught]


@pytest.mark.parametrize("name, method", [("EM not converged", "EM"),
                                          ("discrete EM not converged", "EM"),
                                          ("Baum-Welch not converged", "Baum-Welch")])
def test_every_em_fit_says_the_same_thing_when_it_runs_out_of_iterations(name, method):
    with pytest.warns(ConvergenceWarning, match=rf"^{method} did not converge in max_iter=1 "
                                                r"iterations \(last change of the mean "
                                                r"log-likelihood above tol=0\.00?01\); raise "
                                                r"max_iter or tol$"):
        CASES[name]()


def test_warn_user_skips_every_library_frame_but_not_the_application_side(tmp_path):
    # a call from code outside the package is the user's line itself
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        warn_user("here", RuntimeWarning)
    [w] = caught
    assert (w.filename, w.lineno, w.category) == (__file__, _line_of("warn_user(\"here\""), RuntimeWarning)


def _line_of(text):
    with open(__file__, encoding="utf-8") as fh:
        return next(i for i, line in enumerate(fh, start=1) if text in line and "_line_of" not in line)
