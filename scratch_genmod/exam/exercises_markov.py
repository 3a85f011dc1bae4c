"""Exercises of section 3: Markov chains and n-grams."""

MAKERS = []
