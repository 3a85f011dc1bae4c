"""Markov chains, n-gram text models and hidden Markov models."""

from scratch_genmod.markov.chain import MarkovChain
from scratch_genmod.markov.hmm_categorical import CategoricalHMM
from scratch_genmod.markov.hmm_gaussian import GaussianHMM
from scratch_genmod.markov.ngram import NGramModel
from scratch_genmod.markov.tokenizer import detokenize, sentences, tokenize

__all__ = ["tokenize", "sentences", "detokenize", "MarkovChain", "NGramModel",
           "CategoricalHMM", "GaussianHMM"]
