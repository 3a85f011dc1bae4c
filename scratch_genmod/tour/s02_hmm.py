"""Hidden Markov models: a casino's dice, sampled, decoded and learnt back.

A hidden Markov model joins the mixture (a hidden component chooses how x is
drawn) and the Markov chain (the next state depends on the current one).
The casino switches, now and then, between a fair die and a loaded one
(six half of the time). From the rolls alone this section finds the most
probable hidden path (Viterbi), the probability of the loaded die at each
roll (forward-backward), and learns the dice and the switching back by
Baum-Welch, whose log-likelihood never goes down.
"""

import warnings

import numpy as np

from scratch_genmod.markov import CategoricalHMM
from scratch_genmod.viz import Figure, sparkline
from scratch_genmod.viz.axes import class_colour

TITLE = "Hidden Markov models: the fair and the loaded die"

START = [0.5, 0.5]
SWITCH = [[0.95, 0.05],   # fair -> fair, fair -> loaded
          [0.10, 0.90]]   # loaded -> fair, loaded -> loaded
DICE = [[1 / 6] * 6,                 # fair
        [0.1] * 5 + [0.5]]           # loaded: a six half of the time


def run(ctx):
    casino = CategoricalHMM(n_components=2, n_symbols=6, startprob_init=START,
                            transmat_init=SWITCH, emissionprob_init=DICE, max_iter=1)
    _set_known(casino)
    n = 1500 if ctx.quick else 5000
    X, states = casino.sample(n, random_state=ctx.seed)
    rolls = "".join(str(int(x) + 1) for x in X[:60, 0])
    path = "".join("L" if s else "F" for s in states[:60])
    ctx.say(f"The first 60 of {n:,} rolls, and the die behind each (F fair, L loaded):")
    ctx.chart(f"  rolls {rolls}\n  dice  {path}")
    decoded = casino.predict(X)
    posterior = casino.predict_proba(X)[:, 1]
    ctx.table([["Viterbi path (most probable sequence of dice)", np.mean(decoded == states)],
               ["posterior P(loaded) > 1/2, roll by roll", np.mean((posterior > 0.5) == states)],
               ["always 'fair'", np.mean(states == 0)]],
              header=["decoding from the rolls alone", "share of dice right"],
              title="Decoding with the true model")
    figure = ctx.figure("02_hmm_posterior.svg",
                        "P(loaded die | all the rolls) at each of the first 300 rolls (solid), "
                        "against the die really used (dashed, 1 = loaded).")
    shown = np.arange(min(300, n))
    fig = Figure(title="Forward-backward: P(loaded | rolls)", xlabel="roll t",
                 ylabel="P(Y_t = loaded | x_1..x_T)", ylim=(-0.05, 1.05))
    fig.line(shown, posterior[shown], label="posterior", color=class_colour(1))
    fig.line(shown, states[shown].astype(float), label="true die", color=class_colour(0),
             width=1.0, dashed=True)
    fig.save(figure)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a start that stops at max_iter is one of n_init
        # Start from dice that tend to stay (p_ii = 0.9; from uniform transitions EM
        # leaves the symmetric start only slowly) and random faces, 4 times.
        learnt = CategoricalHMM(n_components=2, n_init=4, max_iter=1000, tol=1e-6,
                                transmat_init=[[0.9, 0.1], [0.1, 0.9]],
                                random_state=ctx.seed).fit(X)
    loaded = int(np.argmax(learnt.emissionprob_[:, 5]))
    order = [1 - loaded, loaded]
    P = learnt.transmat_[np.ix_(order, order)]
    ctx.table([["p(fair -> loaded)", SWITCH[0][1], P[0, 1]],
               ["p(loaded -> fair)", SWITCH[1][0], P[1, 0]],
               ["P(six | fair)", DICE[0][5], learnt.emissionprob_[order[0], 5]],
               ["P(six | loaded)", DICE[1][5], learnt.emissionprob_[order[1], 5]],
               ["mean log-likelihood per roll", casino.score(X), learnt.score(X)]],
              header=["", "true", "learnt by Baum-Welch"],
              title=f"Baum-Welch from {learnt.n_init} starts (random faces), the rolls only")
    ctx.say("Maximum likelihood explains these rolls at least as well as the true model "
            "(compare the last row): with a few thousand rolls the dice are learnt only "
            "approximately, and more rolls bring them closer (run without --quick).")
    history = np.array(learnt.log_likelihood_history_)
    ctx.say(f"Baum-Welch's mean log-likelihood per roll, {len(history)} iterations: "
            f"{sparkline(history[:60])} (from {history[0]:.4f} to {history[-1]:.4f}; "
            f"never lower: largest step down {max(0.0, -np.diff(history).min(initial=0)):.1e})")
    figure = ctx.figure("02_hmm_em.svg",
                        "The mean log-likelihood per roll at each Baum-Welch iteration of the "
                        "kept start: it only goes up, to the level of the true model (dashed).")
    fig = Figure(title="Baum-Welch climbs", xlabel="iteration",
                 ylabel="mean log-likelihood per roll")
    fig.line(np.arange(1, len(history) + 1), history, label="Baum-Welch", color=class_colour(0))
    fig.line([1, len(history)], [casino.score(X)] * 2, label="true model",
             color=class_colour(1), width=1.0, dashed=True)
    fig.save(figure)


def _set_known(model):
    """The casino's own model: its parameters set as if fitted (no data needed)."""
    model.startprob_ = np.array(START)
    model.transmat_ = np.array(SWITCH)
    model.emissionprob_ = np.array(DICE)
    model.n_symbols_ = 6
