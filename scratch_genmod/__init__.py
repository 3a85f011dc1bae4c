"""scratch_genmod: the classic generative models, from scratch, in NumPy only.

Read the source in the order of the course (see README.md):
``core`` (conventions), ``bayes`` (generative vs discriminative),
``density`` (KDE, k-means, Gaussian mixtures by EM), ``markov`` (Markov
chains and n-grams), ``nn`` (backpropagation and the autoencoder) and
``embed`` (PCA and t-SNE to look at latent spaces).
"""

__version__ = "0.1.0"
