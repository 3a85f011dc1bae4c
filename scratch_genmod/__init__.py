"""scratch_genmod: the classic generative models, from scratch, in NumPy only.

Read the source in the order of the course (see README.md):
``core`` (conventions), ``bayes`` (generative vs discriminative),
``density`` (KDE, k-means, Gaussian mixtures by EM), ``markov`` (Markov
chains and n-grams), ``nn`` (backpropagation and the autoencoder) and
``embed`` (PCA and t-SNE to look at latent spaces).

The models are also reachable from the top level; a family is imported the
first time one of its names is used, so ``import scratch_genmod`` stays cheap:

>>> import scratch_genmod as sg
>>> sg.GaussianMixture is sg.density.GaussianMixture
True
"""

import importlib

__version__ = "0.1.0"

# Top-level name -> the family (sub-package) that defines it, in the course's order.
_EXPORTS = {
    "save": "core", "load": "core", "NotFittedError": "core",
    "joint_table": "bayes", "conditional_table": "bayes", "marginal_table": "bayes",
    "bayes_posterior": "bayes", "GenerativeClassifier": "bayes", "GaussianNB": "bayes",
    "LogisticRegression": "bayes",
    "KernelDensity": "density", "KMeans": "density", "GaussianMixture": "density",
    "MarkovChain": "markov", "NGramModel": "markov", "tokenize": "markov", "detokenize": "markov",
    "CategoricalHMM": "markov", "GaussianHMM": "markov",
    "Autoencoder": "nn",
    "PCA": "embed", "TSNE": "embed", "trustworthiness": "embed",
    "make_mixture": "datasets", "make_digits": "datasets", "load_mnist": "datasets",
    "course_corpus": "datasets", "stdlib_corpus": "datasets",
}
_FAMILIES = ("core", "bayes", "density", "markov", "nn", "embed", "datasets", "viz", "exam")

__all__ = list(_EXPORTS)


def __getattr__(name):
    """Import a family, or the family of a top-level name, on first use (PEP 562)."""
    if name in _FAMILIES:
        return importlib.import_module(f"{__name__}.{name}")
    if name in _EXPORTS:
        return getattr(importlib.import_module(f"{__name__}.{_EXPORTS[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_EXPORTS) | set(_FAMILIES))
