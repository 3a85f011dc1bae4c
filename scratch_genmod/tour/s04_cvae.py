"""Section 4, draw me a 3: a conditional VAE, and whether it draws the digit asked for.

A VAE samples digits, but one cannot choose which. A conditional VAE learns
``p(x | y)``: the label ``y`` (one-hot ``c``) is given to the encoder and to
the decoder, so that asking for a 3 means decoding ``[z | c_3]`` with
``z ~ N(0, I)``. The picture has one row per digit asked for; a logistic
regression trained on real digits says how often it sees the digit asked for.

Runs after :mod:`s04_autoencoder` (it reuses its digits) or alone.
"""

import time

import numpy as np

from scratch_genmod.datasets import make_digits
from scratch_genmod.density import classifier_score
from scratch_genmod.nn import ConditionalVAE
from scratch_genmod.tour.s04_vae import digit_classifier
from scratch_genmod.viz import image_grid, sparkline, write_png

TITLE = "Draw me a 3: a conditional VAE"

N_PER_DIGIT = 10


def run(ctx):
    X, y, source = _digits(ctx)
    # a 2-D code: too small to hold the digit's class, which the decoder is told instead
    sizes = (784, 128, 2) if ctx.quick else (784, 256, 2)
    epochs, lr = (6, 5e-3) if ctx.quick else (15, 3e-3)
    ctx.say(f"Training a conditional VAE {'-'.join(map(str, sizes[:-1]))}-(2 x {sizes[-1]}), "
            f"the label given to the encoder and the decoder, on {len(X)} {source} for "
            f"{epochs} epochs (Bernoulli decoder, Adam, lr {lr:g}).")
    start = time.perf_counter()
    cvae = ConditionalVAE(sizes, epochs=epochs, lr=lr, progress=True,
                          random_state=ctx.seed).fit(X, y)
    loss = cvae.history_["loss"]
    ctx.say(f"{time.perf_counter() - start:.1f} s; negative ELBO per image {sparkline(loss)} "
            f"{loss[0]:.1f} -> {loss[-1]:.1f} nats.")

    digits = cvae.classes_
    asked = np.repeat(digits, N_PER_DIGIT)
    images, _ = cvae.sample(len(asked), y=asked, random_state=ctx.seed)
    judge = digit_classifier(ctx, X, y)
    seen = classifier_score(judge, images.astype(np.float64), requested=asked)
    per_digit = ", ".join(f"{d}: {share:.0%}" for d, share in
                          zip(judge.classes_, seen["recognised_per_class"])
                          if not np.isnan(share))
    ctx.say(f"A logistic regression trained on real digits sees the digit asked for in "
            f"{seen['recognised']:.0%} of the {len(asked)} samples ({per_digit}).")
    write_png(ctx.figure("04_cvae_digits.png",
                         f"Each row decodes {N_PER_DIGIT} draws z ~ N(0, I) with the label of "
                         f"one digit, {digits[0]} at the top to {digits[-1]} at the bottom; the "
                         f"classifier sees the digit asked for in {seen['recognised']:.0%} of "
                         f"them."),
              image_grid(np.clip(images, 0, 1), ncols=N_PER_DIGIT, scale=2))
    ctx.shared["cvae"] = cvae


def _digits(ctx):
    """Training digits as rows, their labels and where they come from."""
    if "digits" in ctx.shared:                       # the tour: s04_autoencoder's digits
        X, y = ctx.shared["digits"]
        source = "MNIST digits" if ctx.mnist is not None else "generated digits"
    else:
        X, y = make_digits(2000 if ctx.quick else 10000, random_state=ctx.seed)
        source = "generated digits"
    X = np.asarray(X).reshape(len(X), -1)
    n = 1500 if ctx.quick else len(X)
    return X[:n], np.asarray(y)[:n], source

