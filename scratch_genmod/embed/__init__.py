"""Looking at latent spaces: PCA, t-SNE and the trustworthiness of an embedding."""

from scratch_genmod.embed.pca import PCA
from scratch_genmod.embed.solvers import randomized_svd
from scratch_genmod.embed.trustworthiness import trustworthiness
from scratch_genmod.embed.tsne import TSNE

__all__ = ["PCA", "TSNE", "trustworthiness", "randomized_svd"]
