"""The training loop: mini-batch gradient descent with backpropagation.

One epoch visits the training set once, in a shuffled order, by mini-batches
``B`` of ``batch_size`` rows; for each batch

    1. forward:   Y_hat = model(X_B)
    2. loss:      l = loss(Y_hat, Y_B) and G = dl/dY_hat
    3. backward:  model.backward(G) fills every dl/dtheta
    4. step:      optimizer.step(params, grads) updates theta in place.

``textbook.training.train_autoencoder`` is this loop written out for one network;
here it works for any model, loss and optimiser. After each epoch the
validation loss (if any) is computed; with ``early_stopping=p``, training
stops after ``p`` epochs without improvement and the best weights are put
back.

Two ways to stop early keep the model usable: Ctrl-C (``KeyboardInterrupt``)
ends training after the current step, and divergence (a loss that becomes
NaN or infinite, checked at every batch, or a weight that overflows, checked
at the end of every epoch: see :mod:`~scratch_genmod.nn.divergence`) puts
back the weights of the start of that epoch and raises
:class:`~scratch_genmod.nn.divergence.DivergenceError`, naming the epoch and
what to try.
"""

import numpy as np

from scratch_genmod.core import (
    check_array, check_bool, check_random_state, check_same_length, check_scalar,
)
from scratch_genmod.core.progress import ProgressBar, check_progress
from scratch_genmod.nn.divergence import DivergenceError, divergence_remedy, weight_overflow
from scratch_genmod.nn.optimizers import OPTIMIZERS

__all__ = ["train", "evaluate", "Corruption", "resumed_history", "check_trained_state"]


def train(model, X, Y, loss, optimizer, *, epochs=10, batch_size=128, validation_data=None,
          validation_split=0.0, shuffle=True, random_state=None, progress=True,
          early_stopping=None, corrupt=None, desc="fit"):
    """Train ``model`` (a Layer) to map ``X`` to ``Y``; returns the history.

    For an autoencoder with ``MSELoss`` and ``Adam``: same numbers as
    ``textbook.training.train_autoencoder`` from the same weights and ``random_state``.

    Parameters
    ----------
    model : Layer
        Built network (``forward``, ``backward``, ``params``, ``grads``).
    X : ndarray of shape (n_samples, n_inputs)
    Y : ndarray of shape (n_samples, n_outputs)
        Both already in the model's dtype (they are not copied when they are).
    loss : Loss
    optimizer : SGD or Adam
    epochs : int, default=10
    batch_size : int, default=128
    validation_data : tuple (X_val, Y_val) or None, default=None
    validation_split : float, default=0.0
        When no ``validation_data``: this fraction of the rows, drawn at
        random, is held out for validation, in [0, 1).
    shuffle : bool, default=True
        Visit the training rows in a new random order every epoch.
    random_state : None, int or numpy.random.Generator, default=None
    progress : bool or "always", default=True
        A :class:`~scratch_genmod.core.progress.ProgressBar` with the loss, rate and ETA.
    early_stopping : int or None, default=None
        Patience: stop after this many epochs without a better monitored
        loss (validation loss if any, else training loss); best weights kept.
    corrupt : callable or None, default=None
        ``corrupt(X_batch, rng)`` returns the input actually fed to the model
        (a denoising autoencoder learns to map it back to ``Y_batch``).

    Returns
    -------
    history : dict
        ``"loss"`` and ``"val_loss"`` (lists of floats, one per epoch, the
        second empty without validation), ``"best_epoch"`` (int, 1-based)
        and ``"stopped"`` ("completed", "early_stopping" or "interrupted").
    """
    epochs = check_scalar(epochs, "epochs", int, min_val=1)
    batch_size = check_scalar(batch_size, "batch_size", int, min_val=1)
    split = check_scalar(validation_split, "validation_split", min_val=0.0, max_val=1.0,
                         include_max=False)
    if early_stopping is not None:
        early_stopping = check_scalar(early_stopping, "early_stopping", int, min_val=1)
    shuffle = check_bool(shuffle, "shuffle")
    check_progress(progress)
    rng = check_random_state(random_state)
    X_train, Y_train, X_val, Y_val = _split(X, Y, validation_data, split, rng)

    params = model.params()
    epoch_start = [p.copy() for p in params]   # put back if the loss diverges
    best = _BestWeights(params, early_stopping)
    history = {"loss": [], "val_loss": [], "best_epoch": 0, "stopped": "completed"}
    n_batches = -(-X_train.shape[0] // batch_size)
    bar = ProgressBar(epochs * n_batches, desc=desc, unit="batch", enabled=progress)
    try:
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"), bar:
            for epoch in range(1, epochs + 1):
                _copy_into(epoch_start, params)
                batches = _batches(X_train.shape[0], batch_size, shuffle, rng)
                value = _train_epoch(model, X_train, Y_train, loss, optimizer, batches, corrupt,
                                     rng, lambda batch_loss: bar.update(epoch=epoch,
                                                                        loss=batch_loss))
                if not np.isfinite(value):
                    raise _diverged(value, epoch, params, epoch_start, optimizer, history)
                overflow = weight_overflow(params)   # the last step's, which no loss saw
                if overflow is not None:
                    raise _diverged(overflow[0], epoch, params, epoch_start, optimizer, history,
                                    "the largest weight", overflow[1])
                history["loss"].append(value)
                if X_val is not None:
                    history["val_loss"].append(evaluate(model, loss, X_val, Y_val, batch_size))
                monitored = (history["val_loss"] if X_val is not None else history["loss"])[-1]
                if best.stop_after(monitored, epoch, history):
                    break
    except KeyboardInterrupt:
        history["stopped"] = "interrupted"
    return history


def _train_epoch(model, X, Y, loss, optimizer, batches, corrupt, rng, report):
    """One pass over the batches: the mean loss of the rows, or the first loss not finite."""
    params, grads = model.params(), model.grads()
    total = 0.0
    for rows in batches:
        x, y = X[rows], Y[rows]
        model.zero_grad()
        y_hat = model.forward(x if corrupt is None else corrupt(x, rng))   # 1. forward
        grad = np.empty_like(y_hat)
        value = loss.value_and_grad(y_hat, y, grad)                         # 2. loss
        if not np.isfinite(value):
            return value
        model.backward(grad, input_grad=False)                              # 3. backward
        optimizer.step(params, grads)                                       # 4. step
        total += value * len(rows)
        report(value)
    return total / X.shape[0]


def _batches(n, batch_size, shuffle, rng):
    """The row indices of each batch of one epoch, in a new random order when ``shuffle``."""
    order = rng.permutation(n) if shuffle else np.arange(n)
    return [order[start:start + batch_size] for start in range(0, n, batch_size)]


def _diverged(value, epoch, params, epoch_start, optimizer, history, quantity="the loss",
              detail=""):
    """Put back the weights of the epoch's start; the error to raise, naming the epoch."""
    _copy_into(params, epoch_start)
    remedy = divergence_remedy(getattr(optimizer, "lr", "?"), [
        ("weight_decay", getattr(optimizer, "weight_decay", 0.0), 1.0, "smaller")])
    # the finished epochs go with it, for a post-mortem
    return DivergenceError(epoch, value, remedy, history, quantity, detail)


class _BestWeights:
    """The best weights so far, and the patience of early stopping."""

    def __init__(self, params, patience):
        self.params, self.patience = params, patience
        self.saved = [p.copy() for p in params]
        self.loss, self.waited = np.inf, 0

    def stop_after(self, monitored, epoch, history):
        """Record this epoch's monitored loss; True when training should stop."""
        if monitored < self.loss:
            self.loss, self.waited, history["best_epoch"] = monitored, 0, epoch
            _copy_into(self.saved, self.params)
            return False
        self.waited += 1
        if self.patience is not None and self.waited >= self.patience:
            _copy_into(self.params, self.saved)
            history["stopped"] = "early_stopping"
            return True
        return False


def evaluate(model, loss, X, Y, batch_size=1024):
    """Mean loss of ``model`` over ``(X, Y)``, by chunks of ``batch_size`` rows."""
    total = 0.0
    for start in range(0, X.shape[0], batch_size):
        stop = min(start + batch_size, X.shape[0])
        total += loss.value(model.forward(X[start:stop]), Y[start:stop]) * (stop - start)
    return total / X.shape[0]


def _split(X, Y, validation_data, split, rng):
    check_same_length(X=X, Y=Y)
    if validation_data is not None:
        if not (isinstance(validation_data, (tuple, list)) and len(validation_data) == 2):
            raise TypeError("validation_data must be a tuple (X_val, Y_val)")
        X_val = check_array(validation_data[0], "validation_data[0]", dtype=X.dtype,
                            n_features=X.shape[1])
        Y_val = check_array(validation_data[1], "validation_data[1]", dtype=Y.dtype,
                            n_features=Y.shape[1])
        check_same_length(X_val=X_val, Y_val=Y_val)
        return X, Y, X_val, Y_val
    if split == 0.0:
        return X, Y, None, None
    n_val = int(round(split * X.shape[0]))
    if n_val < 1 or n_val >= X.shape[0]:
        raise ValueError(f"validation_split={split} leaves {n_val} validation rows out of "
                         f"{X.shape[0]}; it must leave at least one row on each side")
    order = rng.permutation(X.shape[0])
    val, tr = order[:n_val], order[n_val:]
    return X[tr], Y[tr], X[val], Y[val]


def _copy_into(destination, source):
    """Copy each array of ``source`` into the same-shape array of ``destination``."""
    for d, s in zip(destination, source):
        np.copyto(d, s)


def resumed_history(previous, history):
    """The history of a resumed training: the new epochs after the ``previous`` ones (or None).

    >>> resumed_history({"loss": [3.0], "val_loss": [], "best_epoch": 1},
    ...                 {"loss": [2.0], "val_loss": [], "best_epoch": 1, "stopped": "completed"})
    {'loss': [3.0, 2.0], 'val_loss': [], 'best_epoch': 2, 'stopped': 'completed'}
    """
    if previous is None:
        return history
    n = len(previous["loss"])
    return {**history, "loss": previous["loss"] + history["loss"],
            "val_loss": previous["val_loss"] + history["val_loss"],
            "best_epoch": n + history["best_epoch"]}


class Corruption:
    """The noise of a denoising autoencoder, applied to each training batch (``corrupt``).

    ``kind="gaussian"``: ``x~ = x + level N(0, I)``; ``kind="masking"``: each
    entry zeroed with probability ``level``.

    >>> Corruption("masking", 1.0)(np.ones((1, 3)), np.random.default_rng(0))
    array([[0., 0., 0.]])
    """

    def __init__(self, kind, level):
        self.kind, self.level = kind, level

    def __call__(self, x, rng):
        if self.kind == "gaussian":
            return x + (self.level * rng.standard_normal(x.shape)).astype(x.dtype)
        return x * (rng.random(x.shape) >= self.level)


def check_trained_state(optimizer, history):
    """The optimiser and training history of a network read from a file."""
    if not isinstance(optimizer, tuple(OPTIMIZERS.values())):
        raise ValueError(f"optimizer_ must be one of {sorted(OPTIMIZERS)}, got "
                         f"{type(optimizer).__name__}")
    if not (isinstance(history, dict) and isinstance(history.get("loss"), list)):
        raise ValueError("history_ must be a dict with a list of losses under 'loss'")
