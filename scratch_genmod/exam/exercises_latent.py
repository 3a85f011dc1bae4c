"""Exercises of section 4: autoencoders, PCA and latent spaces."""

from scratch_genmod.exam.sheet import Exercise, colon, tr

__all__ = ["autoencoder_vs_pca", "MAKERS"]

# (English, French, correct?, why in English, why in French)
_CLAIMS = [
    ("its encoder and decoder can be non-linear, so it can follow a curved manifold of the data",
     "son encodeur et son décodeur peuvent être non linéaires : il suit une variété courbe des données",
     True, "PCA can only project onto a flat (linear) subspace",
     "l'ACP ne projette que sur un sous-espace plat (linéaire)"),
    ("its latent axes are always orthogonal and ordered by variance",
     "ses axes latents sont toujours orthogonaux et ordonnés par variance",
     False, "that is PCA's property; even a linear autoencoder finds the same subspace without orthogonality",
     "c'est une propriété de l'ACP ; même un autoencodeur linéaire trouve le même sous-espace sans orthogonalité"),
    ("it has an exact closed-form solution",
     "il a une solution exacte en forme close",
     False, "PCA does (an SVD); the autoencoder is trained by gradient descent on a non-convex loss",
     "c'est l'ACP (une SVD) ; l'autoencodeur s'entraîne par descente de gradient sur une perte non convexe"),
    ("with identity activations it does what PCA does",
     "avec des activations identité il fait ce que fait l'ACP",
     True, "a linear autoencoder minimising the squared error spans the top principal subspace",
     "un autoencodeur linéaire qui minimise l'erreur quadratique engendre le sous-espace principal"),
    ("it needs no training data",
     "il n'a pas besoin de données d'entraînement",
     False, "both are learnt from data", "les deux s'apprennent sur des données"),
]


def autoencoder_vs_pca(rng, lang):
    """The course's question: what does an autoencoder offer over PCA? (true/false claims)."""
    order = rng.permutation(len(_CLAIMS))
    picked = [_CLAIMS[i] for i in order[:4]]
    letters = "abcd"
    statement = tr(lang, "True or false? Compared with PCA, an autoencoder H = D o E ...",
                   "Vrai ou faux ? Par rapport à l'ACP, un autoencodeur H = D o E ...")
    statement += "\n\n" + "\n".join(f"{c}. {tr(lang, m[0], m[1])}" for c, m in zip(letters, picked))
    answer = "\n".join(
        f"{c}. **{tr(lang, 'true' if m[2] else 'false', 'vrai' if m[2] else 'faux')}**{colon(lang)} {tr(lang, m[3], m[4])}."
        for c, m in zip(letters, picked))
    return Exercise("autoencoder_vs_pca", tr(lang, "Autoencoder or PCA?", "Autoencodeur ou ACP ?"),
                    statement, answer, data={"claims": [m[0] for m in picked]},
                    solution={"true": [m[2] for m in picked]})


MAKERS = [autoencoder_vs_pca]
