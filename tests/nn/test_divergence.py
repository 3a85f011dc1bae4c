"""What counts as divergence, and the advice its error gives (nn/divergence.py)."""

import numpy as np

from scratch_genmod.nn.divergence import DivergenceError, divergence_remedy, weight_overflow


def test_the_remedy_names_only_the_suspects_beyond_their_usual_range():
    suspects = [("beta", 2.0, 100.0, "smaller"), ("weight_decay", 5.0, 1.0, "smaller"),
                ("decoder_variance", 1e-6, 1e-3, "larger"), ("noise_level", 0.1, 10.0, "smaller")]
    assert divergence_remedy(0.01, suspects) == (
        "try a smaller weight_decay than 5 (usually <= 1), or a larger decoder_variance than "
        "1e-06 (usually >= 0.001), or a smaller lr than 0.01")
    assert divergence_remedy(1e300) == "try a smaller lr than 1e+300"


def test_a_weight_not_finite_or_beyond_the_square_root_of_the_largest_float_diverged():
    # sqrt(np.finfo(np.float64).max) = 1.34e154, sqrt(np.finfo(np.float32).max) = 1.84e19
    assert weight_overflow([np.full(2, 1e150), np.zeros(0)]) is None
    assert weight_overflow([np.array([1.0, 2e154])])[0] == 2e154
    largest, why = weight_overflow([np.ones(2), np.array([np.nan], np.float32)])
    assert np.isnan(largest) and why.endswith("1.845e+19 where its product with an input as "
                                              "large overflows float32")
    assert weight_overflow([np.array([-np.inf])])[0] == np.inf


def test_the_message_says_what_diverged_and_why_a_finite_value_counts():
    error = DivergenceError(2, 3e20, "try a smaller lr than 10", quantity="the largest weight",
                            detail=", beyond 1.845e+19")
    assert str(error) == ("training diverged at epoch 2: the largest weight became 3e+20, beyond "
                          "1.845e+19 (the weights of the start of epoch 2 were put back); try a "
                          "smaller lr than 10")
    assert str(error.suggest("use float64")).endswith("put back); use float64")
