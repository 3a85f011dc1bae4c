"""The speed-ups of density estimation: blocks, threads, bounds.

Each function says which textbook function (:mod:`scratch_genmod.density.textbook`)
it equals and keeps its symbols; the tests prove the equality. The
estimators call this layer (``algorithm="fast"``, the default); nothing here
calls an estimator.

* :mod:`.kde_sums` - ``textbook.log_kde`` as block-by-block log-sum-exp sums
  within a memory budget;
* :mod:`.nearest_centers` - the E-step of ``textbook.lloyd_step``: one
  matrix product per chunk, a tournament, or one pass from the old labels
  (in float32 first, in float64 where float32 cannot decide);
* :mod:`.bracket_tables` - the tools of those passes: the product in
  parts, the tournament, the rounding bound, the chunks;
* :mod:`.lloyd` - ``textbook.lloyd_step`` on those labels, the sums updated
  from the points that moved;
* :mod:`.hamerly` - a bound per point that skips the distances of the points
  which provably keep their centre;
* :mod:`.gmm_em` - one EM iteration (``textbook.e_step`` then
  ``textbook.m_step``) in a single blockwise pass over the data.
"""
