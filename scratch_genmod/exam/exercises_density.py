"""Exercises of section 2: kernel density estimation and EM for mixtures."""

MAKERS = []
