"""scratch_genmod: the classic generative models, from scratch, in NumPy only.

Read the source in the order of the course (see README.md): ``core``
(conventions), ``bayes`` (generative vs discriminative), ``density`` (KDE,
k-means, Gaussian mixtures by EM), ``markov`` (Markov chains and n-grams),
``nn`` (backpropagation, the autoencoder and the VAE) and ``embed`` (PCA and
t-SNE to look at latent spaces). In each family the ``textbook`` package
holds the course's formulas as plain functions; the estimators below stand on
it, and ``fast/`` holds the speed-ups.

Every model is importable from the top level:

>>> from scratch_genmod import GaussianMixture, VariationalAutoencoder
>>> import scratch_genmod as sg
>>> sg.GaussianMixture is sg.density.GaussianMixture
True
"""

__version__ = "0.1.0"

from scratch_genmod.core import NotFittedError, clone, load, save, set_threads, use_threads
from scratch_genmod.bayes import (BernoulliNB, CategoricalNB, GaussianNB, GenerativeClassifier,
                                  LogisticRegression, bayes_posterior, conditional_table,
                                  joint_table, marginal_table)
from scratch_genmod.density import (BernoulliMixture, CategoricalMixture, GaussianMixture,
                                    KernelDensity, KMeans)
from scratch_genmod.markov import (CategoricalHMM, GaussianHMM, MarkovChain, NGramModel,
                                   detokenize, tokenize)
from scratch_genmod.nn import Autoencoder, ConditionalVAE, VariationalAutoencoder
from scratch_genmod.embed import PCA, TSNE, trustworthiness
from scratch_genmod.datasets import (course_corpus, load_mnist, make_digits, make_mixture,
                                     stdlib_corpus)

__all__ = [
    "save", "load", "clone", "NotFittedError", "set_threads", "use_threads",
    "joint_table", "conditional_table", "marginal_table", "bayes_posterior",
    "GenerativeClassifier", "GaussianNB", "CategoricalNB", "BernoulliNB", "LogisticRegression",
    "KernelDensity", "KMeans", "GaussianMixture", "BernoulliMixture", "CategoricalMixture",
    "MarkovChain", "NGramModel", "tokenize", "detokenize", "CategoricalHMM", "GaussianHMM",
    "Autoencoder", "VariationalAutoencoder", "ConditionalVAE",
    "PCA", "TSNE", "trustworthiness",
    "make_mixture", "make_digits", "load_mnist", "course_corpus", "stdlib_corpus",
]
