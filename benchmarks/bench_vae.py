"""Variational autoencoder training vs PyTorch: seconds per epoch, test ELBO after 5 epochs.

Run from the repository root, one benchmark at a time, threads fixed:

    OMP_NUM_THREADS=2 flock /tmp/bench.lock python benchmarks/bench_vae.py [--quick]

The course's sizes (784-1024-256, then two heads of 128 for mu and
log sigma^2, decoder 128-256-1024-784 with Bernoulli logits), float32, Adam
lr=1e-3, batch 128, the loss the negative ELBO per image (BCE summed over the
pixels + KL, averaged over the batch), MNIST from ``../shared/data/mnist``
(``make_digits`` when absent). Both sides see the *same* batches (one shuffle
per epoch, made outside the timed region), epochs interleaved (ours, theirs,
...) so that load from other processes hits both alike. Unlike the
autoencoder benchmark each side starts from *its own default initialisation*
and draws its own ``eps``, so their ELBOs differ by more than rounding.
Issue 17's targets: seconds per epoch <= 1.1x PyTorch's, test ELBO after 5
epochs within 2 % of PyTorch's.
"""

import argparse
import os

os.environ.setdefault("OMP_NUM_THREADS", "2")  # before NumPy loads its BLAS

import numpy as np  # noqa: E402

from _bench import interleaved_epochs, ratio, report  # noqa: E402
from bench_autoencoder import load_data  # noqa: E402

from scratch_genmod.nn import Adam, VariationalAutoencoder, train  # noqa: E402

THREADS = int(os.environ["OMP_NUM_THREADS"])


class Ours:
    def __init__(self, X_train):
        self.vae = VariationalAutoencoder.course_mnist(epochs=1, progress=False, random_state=0)
        # fit on one row builds the network (one tiny step); a fresh Adam starts below
        self.vae.fit(X_train[:1])
        self.optimizer = Adam(lr=1e-3, n_threads=THREADS)

    def epoch(self, X):
        """One pass over ``X`` in its order (the caller shuffled it), by batches of 128."""
        train(self.vae.network_, X, X, self.vae.loss_, self.optimizer, epochs=1,
              batch_size=128, shuffle=False, progress=False)

    def test_elbo(self, X):
        return float(self.vae.elbo(X, random_state=0).mean())


class Theirs:
    def __init__(self, torch):
        self.torch = torch
        nn = torch.nn
        torch.manual_seed(0)
        self.encoder = nn.Sequential(nn.Linear(784, 1024), nn.ReLU(), nn.Linear(1024, 256),
                                     nn.ReLU())
        self.mu, self.log_var = nn.Linear(256, 128), nn.Linear(256, 128)
        self.decoder = nn.Sequential(nn.Linear(128, 256), nn.ReLU(), nn.Linear(256, 1024),
                                     nn.ReLU(), nn.Linear(1024, 784))
        parts = [self.encoder, self.mu, self.log_var, self.decoder]
        self.opt = torch.optim.Adam([p for m in parts for p in m.parameters()], lr=1e-3)

    def negative_elbo(self, x):
        """Mean over the batch of BCE summed over pixels + KL(q || N(0, I))."""
        F = self.torch.nn.functional
        h = self.encoder(x)
        mu, log_var = self.mu(h), self.log_var(h)
        z = mu + self.torch.exp(log_var / 2) * self.torch.randn_like(mu)
        rec = F.binary_cross_entropy_with_logits(self.decoder(z), x, reduction="sum")
        kl = 0.5 * (mu * mu + log_var.exp() - log_var - 1).sum()
        return (rec + kl) / len(x)

    def epoch(self, X):
        """One pass over ``X`` in its order, by the same batches of 128 as ours."""
        Xt = self.torch.from_numpy(X)
        for start in range(0, len(X), 128):
            self.opt.zero_grad()
            self.negative_elbo(Xt[start:start + 128]).backward()
            self.opt.step()

    def test_elbo(self, X):
        with self.torch.no_grad():
            Xt = self.torch.from_numpy(X)
            return -float(sum(self.negative_elbo(Xt[s:s + 1000]) * len(Xt[s:s + 1000])
                              for s in range(0, len(X), 1000)) / len(X))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="6,000 rows, 2 epochs")
    args = parser.parse_args()
    epochs = 2 if args.quick else 5
    X_train, X_test, source = load_data(args.quick)
    print(f"data: {source}; train {X_train.shape}, test {X_test.shape}; {THREADS} threads")

    ours = Ours(X_train)
    try:
        import torch
        torch.set_num_threads(THREADS)
        theirs, peer = Theirs(torch), f"PyTorch {torch.__version__}"
    except ImportError:
        theirs, peer = None, "peer not installed"
        print("PyTorch: peer not installed, reporting our figures only")

    times = interleaved_epochs(ours, theirs, X_train, epochs, peer)

    ours_s = float(np.median(times["ours"]))
    theirs_s = float(np.median(times["theirs"])) if theirs else None
    elbo_ours, elbo_theirs = ours.test_elbo(X_test), theirs.test_elbo(X_test) if theirs else None
    figures = [("seconds per epoch (median)", ours_s, theirs_s, "<= 1.1"),
               ("seconds per epoch (best)", min(times["ours"]),
                min(times["theirs"]) if theirs else None, ""),
               (f"test ELBO after {epochs} epochs (nats)", elbo_ours, elbo_theirs, "0.98 - 1.02")]
    report(f"VAE 784-1024-256-(2 x 128), Bernoulli decoder, Adam, batch 128 ({source})",
           [[name, a, b, ratio(a, b), target] for name, a, b, target in figures],
           header=("measure", "scratch_genmod", peer, "ratio ours/peer", "target"))


if __name__ == "__main__":
    main()
