"""The speed-ups of the Bayes family: the textbook's numbers in fewer, larger array operations.

Read :mod:`scratch_genmod.bayes.textbook` first. Each function here says which
textbook function it equals and keeps its symbols; ``tests/bayes/fast/``
proves the equality:

* :mod:`.naive_bayes`: log P(x | y) of every class, one row-wise product per class;
* :mod:`.logistic_loss`: J and its gradient over the free columns only (class 0's
  score is fixed at 0 for two classes), the softmax computed once for both;
* :mod:`.discrete_nb`: categorical and Bernoulli naive Bayes, tables by
  bincount and log-likelihoods by gathers and matrix products.
"""
