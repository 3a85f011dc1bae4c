"""Looking at latent spaces: PCA, t-SNE and the trustworthiness of an embedding.

Read bottom-up: :mod:`.textbook` (the course's formulas), then the
estimators :mod:`.pca`, :mod:`.tsne` and :mod:`.trustworthiness` that stand
on it, then :mod:`.fast` (what each speed-up adds).
"""

from scratch_genmod.embed.fast.principal_axes import randomized_svd
from scratch_genmod.embed.pca import PCA
from scratch_genmod.embed.trustworthiness import trustworthiness
from scratch_genmod.embed.tsne import TSNE

__all__ = ["PCA", "TSNE", "trustworthiness", "randomized_svd"]
