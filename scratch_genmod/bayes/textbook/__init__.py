r"""The textbook layer of section 1: generative vs discriminative models as the course writes them.

Read these first, in plain NumPy, one formula a function: :mod:`.tables`
(counts -> P(X, Y), marginals, P(Y | X), P(X | Y), Bayes' rule, the generative
decision), :mod:`.gaussians` (maximum-likelihood Gaussian classes and their
posterior, naive Bayes), :mod:`.discrete_nb` (naive Bayes over discrete
features: smoothed count tables), :mod:`.logistic` (the discriminative baseline's loss
and gradient). The fast layer (:mod:`scratch_genmod.bayes.tables`,
:mod:`~scratch_genmod.bayes.bayes_rule`, :mod:`~scratch_genmod.bayes.naive_bayes`,
:mod:`~scratch_genmod.bayes.generative`, :mod:`~scratch_genmod.bayes.logistic`)
gives the same numbers, and the tests prove it.
"""

from scratch_genmod.bayes.textbook.tables import (
    count_pairs,
    joint,
    marginal_x,
    marginal_y,
    y_given_x,
    x_given_y,
    bayes_rule,
    generative_decision,
)
from scratch_genmod.bayes.textbook.gaussians import (
    fit_gaussians,
    gaussian_log_density,
    gaussian_posterior,
    fit_naive_bayes,
    naive_bayes_log_likelihood,
    sample_naive_bayes_class,
)
from scratch_genmod.bayes.textbook.logistic import class_probabilities, log_loss, log_loss_gradient
from scratch_genmod.bayes.textbook.discrete_nb import (
    bernoulli_nb_log_likelihood,
    categorical_nb_log_likelihood,
    fit_bernoulli_nb,
    fit_categorical_nb,
)

__all__ = ['count_pairs', 'joint', 'marginal_x', 'marginal_y', 'y_given_x', 'x_given_y', 'bayes_rule', 'generative_decision', 'fit_gaussians', 'gaussian_log_density', 'gaussian_posterior', 'fit_naive_bayes', 'naive_bayes_log_likelihood', 'sample_naive_bayes_class', 'class_probabilities', 'log_loss', 'log_loss_gradient',
           'fit_categorical_nb', 'categorical_nb_log_likelihood', 'fit_bernoulli_nb',
           'bernoulli_nb_log_likelihood']
