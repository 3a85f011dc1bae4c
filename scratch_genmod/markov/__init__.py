"""Markov chains and n-gram text models: tokenizer, finite chain, order-k n-grams."""

from scratch_genmod.markov.chain import MarkovChain
from scratch_genmod.markov.ngram import NGramModel
from scratch_genmod.markov.tokenizer import detokenize, sentences, tokenize

__all__ = ["tokenize", "sentences", "detokenize", "MarkovChain", "NGramModel"]
