"""The speed-ups of the Markov family: the textbook's numbers with whole-array operations.

Read :mod:`scratch_genmod.markov.textbook` first. Each function here says
which textbook function it equals, keeps its symbols (p_{i,j}, c(h w),
N1+(h .)), and a test in ``tests/markov/fast/`` proves the equality:

* :mod:`.transitions`: a chain's transition counts in one ``bincount``, M^n by
  repeated squaring, Viterbi's programme one array operation per step;
* :mod:`.counting`: n-grams as sorted integer keys, no dict per context;
* :mod:`.smoothing`: p(w | h) of the four smoothings for a whole batch of
  (h, w) pairs at once;
* :mod:`.hmm`: a hidden Markov model's forward-backward for every sequence
  at once, parallel in time by blocks, rescaled in probability space.
"""
