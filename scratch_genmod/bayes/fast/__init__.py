"""The Bayes family's speed-ups; each function names the textbook function it equals."""
