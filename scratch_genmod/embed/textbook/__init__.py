"""The embed family as the course writes it: PCA, t-SNE and trustworthiness in plain NumPy.

The ground floor: each function one formula, no blocks, buffers or sparse
pairs. The estimators (:class:`~scratch_genmod.embed.PCA`,
:class:`~scratch_genmod.embed.TSNE`) run end to end on these with
``algorithm="textbook"``; :mod:`scratch_genmod.embed.fast` gives the same
numbers faster.
"""

from scratch_genmod.embed.textbook.pca import pca, pca_decode, pca_encode, ppca_log_density
from scratch_genmod.embed.textbook.trustworthiness import trustworthiness
from scratch_genmod.embed.textbook.tsne import (conditional_p, descent_step, gaussian_row, joint_p,
                                                kl_divergence, kl_gradient, student_t_q)

__all__ = ["pca", "pca_encode", "pca_decode", "ppca_log_density",
           "gaussian_row", "conditional_p", "joint_p", "student_t_q", "kl_divergence",
           "kl_gradient", "descent_step", "trustworthiness"]
