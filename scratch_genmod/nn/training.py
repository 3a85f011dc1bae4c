"""The training loop: mini-batch gradient descent with backpropagation.

One epoch visits the training set once, in a shuffled order, by mini-batches
``B`` of ``batch_size`` rows; for each batch

    1. forward:   Y_hat = model(X_B)
    2. loss:      l = loss(Y_hat, Y_B) and G = dl/dY_hat
    3. backward:  model.backward(G) fills every dl/dtheta
    4. step:      optimizer.step(params, grads) updates theta in place.

The batch is copied into a preallocated buffer (``np.take(..., out=)``) and
every layer reuses its own buffers, so the inner loop allocates no large
array. After each epoch the validation loss (if any) is computed; with
``early_stopping=p``, training stops after ``p`` epochs without improvement
and the best weights are put back.

Two ways to stop early keep the model usable: Ctrl-C (``KeyboardInterrupt``)
ends training after the current step, and a loss that becomes NaN or
infinite (a learning rate too large) puts back the weights of the start of
that epoch and raises :class:`DivergenceError`, naming the epoch.
"""

import numpy as np

from scratch_genmod.core import (
    check_array, check_bool, check_random_state, check_same_length, check_scalar,
)
from scratch_genmod.viz import ProgressBar, check_progress

__all__ = ["train", "evaluate", "DivergenceError"]


class DivergenceError(ArithmeticError):
    """The training loss became NaN or infinite; the weights were restored.

    Its ``history`` attribute holds the history of the epochs completed.
    """


def train(model, X, Y, loss, optimizer, *, epochs=10, batch_size=128, validation_data=None,
          validation_split=0.0, shuffle=True, random_state=None, progress=True,
          early_stopping=None, corrupt=None, desc="fit"):
    """Train ``model`` (a Layer) to map ``X`` to ``Y``; returns the history.

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
        A :class:`~scratch_genmod.viz.ProgressBar` with the loss, rate and ETA.
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

    params, grads = model.params(), model.grads()
    best = [p.copy() for p in params]          # best weights so far (early stopping)
    epoch_start = [p.copy() for p in params]   # put back if the loss diverges
    n = X_train.shape[0]
    x_buf = np.empty((min(batch_size, n),) + X_train.shape[1:], dtype=X_train.dtype)
    y_buf = np.empty((min(batch_size, n),) + Y_train.shape[1:], dtype=Y_train.dtype)
    g_buf = np.empty_like(y_buf)
    history = {"loss": [], "val_loss": [], "best_epoch": 0, "stopped": "completed"}
    best_loss, waited = np.inf, 0
    n_batches = -(-n // batch_size)
    bar = ProgressBar(epochs * n_batches, desc=desc, unit="batch", enabled=progress)
    try:
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"), bar:
            for epoch in range(1, epochs + 1):
                for saved, p in zip(epoch_start, params):
                    np.copyto(saved, p)
                order = rng.permutation(n) if shuffle else np.arange(n)
                total = 0.0
                for start in range(0, n, batch_size):
                    rows = order[start:start + batch_size]
                    xb = np.take(X_train, rows, axis=0, out=x_buf[: len(rows)])
                    yb = np.take(Y_train, rows, axis=0, out=y_buf[: len(rows)])
                    model.zero_grad()
                    y_hat = model.forward(xb if corrupt is None else corrupt(xb, rng))
                    value = loss.value_and_grad(y_hat, yb, g_buf[: len(rows)])
                    if not np.isfinite(value):
                        _restore(params, epoch_start)
                        error = DivergenceError(
                            f"training diverged at epoch {epoch}: the loss became {value} "
                            f"(the weights of the start of epoch {epoch} were put back); "
                            f"try a smaller lr than {getattr(optimizer, 'lr', '?')}")
                        error.history = history  # the finished epochs, for a post-mortem
                        raise error
                    model.backward(g_buf[: len(rows)], input_grad=False)
                    optimizer.step(params, grads)
                    total += value * len(rows)
                    bar.update(epoch=epoch, loss=value)
                history["loss"].append(total / n)
                if X_val is not None:
                    history["val_loss"].append(evaluate(model, loss, X_val, Y_val, batch_size))
                monitored = history["val_loss"][-1] if X_val is not None else total / n
                if monitored < best_loss:
                    best_loss, waited, history["best_epoch"] = monitored, 0, epoch
                    for saved, p in zip(best, params):
                        np.copyto(saved, p)
                else:
                    waited += 1
                    if early_stopping is not None and waited >= early_stopping:
                        _restore(params, best)
                        history["stopped"] = "early_stopping"
                        break
    except KeyboardInterrupt:
        history["stopped"] = "interrupted"
    return history


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


def _restore(params, saved):
    for p, s in zip(params, saved):
        np.copyto(p, s)
