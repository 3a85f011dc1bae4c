r"""The textbook layer of section 3: the course's formulas as plain functions.

Read these first: :mod:`.chain` (a finite Markov chain: counting, p_{i,j},
pi_0 M^n, the stationary law, greedy and most probable paths) then
:mod:`.ngram` (order-k n-gram counts as dicts of tuples and the add-k,
Witten-Bell and Kneser-Ney probabilities), then :mod:`.hmm` (a hidden chain
whose states emit through densities Phi_i: forward, backward, Viterbi,
Baum-Welch) with its emissions in :mod:`.hmm_emissions`. Plain loops and dicts, no index
tricks; :class:`MarkovChain` and :class:`NGramModel` compute the same numbers
fast, and the tests prove it.
"""

from scratch_genmod.markov.textbook.chain import (
    count_transitions,
    draw_state,
    initial_law,
    sample_path,
    sequence_log_prob,
    greedy_path,
    most_probable_path,
    n_step_law,
    stationary_distribution,
    transition_matrix,
)
from scratch_genmod.markov.textbook.hmm import (
    backward,
    baum_welch_step,
    forward,
    sample_states,
    state_posteriors,
    transition_posteriors,
    viterbi,
)
from scratch_genmod.markov.textbook.hmm_emissions import (
    categorical_log_emissions,
    categorical_m_step,
    gaussian_log_emissions,
    gaussian_m_step,
    sample_categorical,
    sample_gaussian,
)
from scratch_genmod.markov.textbook.ngram import (
    add_k_probability,
    continuation_counts,
    kneser_ney_probability,
    lower_order_counts,
    mle_probability,
    next_token_probabilities,
    ngram_counts,
    sentence_log_probs,
    smoothed_probability,
    witten_bell_probability,
)

__all__ = [
    "count_transitions", "initial_law", "transition_matrix", "n_step_law",
    "stationary_distribution", "sequence_log_prob", "draw_state", "sample_path",
    "greedy_path", "most_probable_path",
    "ngram_counts", "lower_order_counts", "continuation_counts",
    "mle_probability", "add_k_probability", "witten_bell_probability", "kneser_ney_probability",
    "smoothed_probability", "next_token_probabilities", "sentence_log_probs",
    "forward", "backward", "state_posteriors", "transition_posteriors", "viterbi",
    "baum_welch_step", "sample_states",
    "categorical_log_emissions", "gaussian_log_emissions", "categorical_m_step",
    "gaussian_m_step", "sample_categorical", "sample_gaussian",
]
