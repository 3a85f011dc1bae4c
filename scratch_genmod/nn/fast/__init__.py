"""The neural-network family's speed-ups; a first reading may skip them.

Each function computes what a function of :mod:`scratch_genmod.nn.textbook`
computes, says which one, and keeps its symbols:

* :mod:`~scratch_genmod.nn.fast.dense`: every matrix product of a dense layer
  (``dense_forward``, ``dense_backward``), with fewer temporaries;
* :mod:`~scratch_genmod.nn.fast.optimizer_updates`: the optimisers' steps
  (``sgd_step``, ``adam_step``) in place, on every parameter at once;
* :mod:`~scratch_genmod.nn.fast.blocks`: the element-wise loop under them,
  by cache-sized blocks on several threads;
* :mod:`~scratch_genmod.nn.fast.elementwise`: the sigmoid (``sigmoid``)
  from non-positive exponents only.

The estimators call them when ``algorithm="fast"`` (the default); never the
reverse.
"""

from scratch_genmod.nn.fast.blocks import for_each_block
from scratch_genmod.nn.fast.dense import dense_backward_into, dense_forward_fused
from scratch_genmod.nn.fast.elementwise import logistic
from scratch_genmod.nn.fast.optimizer_updates import adam_update_in_place, sgd_update_in_place

__all__ = ["for_each_block", "dense_forward_fused", "dense_backward_into", "logistic",
           "adam_update_in_place", "sgd_update_in_place"]
