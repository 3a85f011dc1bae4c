"""Generative vs discriminative models: probability tables and Bayes-rule classifiers.

A discriminative model learns P(Y | X) (:class:`LogisticRegression`); a
generative model learns P(X | Y) and P(Y) (:class:`GaussianNB`,
:class:`GenerativeClassifier` over any density of the library), decides by
Bayes' rule, and can also generate observations of a class.
"""

from scratch_genmod.bayes.bayes_rule import BayesRuleClassifier, bayes_posterior, log_posterior
from scratch_genmod.bayes.classifier import ProbabilisticClassifier
from scratch_genmod.bayes.discrete_naive_bayes import BernoulliNB, CategoricalNB
from scratch_genmod.bayes.generative import GenerativeClassifier
from scratch_genmod.bayes.logistic import LogisticRegression, log_loss_and_gradient
from scratch_genmod.bayes.naive_bayes import GaussianNB
from scratch_genmod.bayes.tables import (
    ProbabilityTable,
    conditional_table,
    joint_table,
    marginal_table,
)

__all__ = [
    "ProbabilityTable", "joint_table", "conditional_table", "marginal_table", "bayes_posterior",
    "log_posterior",
    "ProbabilisticClassifier", "BayesRuleClassifier", "GenerativeClassifier", "GaussianNB",
    "CategoricalNB", "BernoulliNB",
    "LogisticRegression", "log_loss_and_gradient",
]
