"""The embed family's speed-ups: each gives the numbers of a function of :mod:`..textbook`.

Read after the textbook, one room at a time:

* :mod:`.principal_axes` - PCA by the thin SVD, by ``A^T A`` in chunks, or
  randomized (:func:`~scratch_genmod.embed.textbook.pca`);
* :mod:`.neighbors` - squared distances and nearest neighbours by blocks of rows;
* :mod:`.joint_probabilities` - every row's ``beta_i`` at once by safeguarded
  Newton steps, dense or over the nearest neighbours
  (:func:`~scratch_genmod.embed.textbook.joint_p`);
* :mod:`.dense_gradient` - the KL gradient over every pair by blocks of rows
  (:func:`~scratch_genmod.embed.textbook.kl_gradient`);
* :mod:`.sparse_gradient` - the same for a sparse ``P``, the attraction in
  parts on several threads, the repulsion by :mod:`.pair_repulsion` (every
  unordered pair once, float32) or :mod:`.grid_repulsion` (interpolation on a
  grid and the FFT, its pieces in :mod:`.lagrange_grid`).
"""
