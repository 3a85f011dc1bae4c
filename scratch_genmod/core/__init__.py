"""Core conventions: estimator base, input checks, log-space maths, distances, save/load,
threads, and the progress bar and text tables that models print."""

from scratch_genmod.core.base import BaseEstimator, NotFittedError, check_is_fitted, clone
from scratch_genmod.core.distances import squared_distances
from scratch_genmod.core.logmath import (
    cholesky,
    gaussian_log_density,
    gaussian_log_pdf,
    log_softmax,
    logsumexp,
    precision_cholesky,
)
from scratch_genmod.core.persistence import load, save
from scratch_genmod.core.progress import ProgressBar, check_progress, track
from scratch_genmod.core.table import format_table
from scratch_genmod.core.threads import check_n_threads, map_in_threads, set_threads, use_threads
from scratch_genmod.core.validation import (
    check_array,
    check_bool,
    check_choice,
    check_interval,
    check_random_state,
    check_same_length,
    check_sample_weight,
    check_scalar,
)

__all__ = [
    "BaseEstimator", "NotFittedError", "check_is_fitted", "clone",
    "check_array", "check_bool", "check_choice", "check_interval", "check_random_state", "check_same_length",
    "check_sample_weight", "check_scalar",
    "logsumexp", "log_softmax", "cholesky", "precision_cholesky",
    "gaussian_log_density", "gaussian_log_pdf", "squared_distances",
    "save", "load", "check_n_threads", "map_in_threads", "set_threads", "use_threads",
    "ProgressBar", "check_progress", "track", "format_table",
]
