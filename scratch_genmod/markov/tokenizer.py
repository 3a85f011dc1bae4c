"""Words and punctuation as tokens, sentences as token lists, and back to text.

A text model counts *tokens*, so the first step is to cut text into them:

* words (letters and digits, hyphenated words kept whole: "peut-être");
* punctuation marks, each its own token ("." "," "?" "«" "»" ...; "..."
  and a dash typed as "--" are one token each);
* French elisions split with the apostrophe kept on the left, as the
  elided word is written: "d'Ali" -> "d'", "Ali"; "l'intelligence" ->
  "l'", "intelligence"; at the end of a prompt too ("le vélo d'" -> ...,
  "d'"). The typographic apostrophe ’ is read as ' so
  both spellings give the same token. English keeps "don't" whole.

Sentences end after ".", "!", "?", "..." or "…" (with a closing quote or
bracket that follows them) and at a blank line (a paragraph break, also
chapter titles of a book).

>>> tokenize("Le vélo d’Ali est bleu.")
['Le', 'vélo', "d'", 'Ali', 'est', 'bleu', '.']
>>> sentences("Ali est ici. Qui est Ali ?", lowercase=True)
[['ali', 'est', 'ici', '.'], ['qui', 'est', 'ali', '?']]
>>> detokenize(['«', 'Qui', 'est', "l'", 'ami', "d'", 'Ali', '?', '»'])
"« Qui est l'ami d'Ali ? »"
>>> detokenize(['"', 'Who', 'is', 'Ali', '?', '"', 'she', 'asked', '.'], lang="en")
'"Who is Ali?" she asked.'
"""

import re
from itertools import chain

import numpy as np

from scratch_genmod.core import check_bool, check_choice
from scratch_genmod.markov.checks import LANGS, check_token_lists

__all__ = ["tokenize", "sentences", "detokenize", "guess_lang"]

SENTENCE_ENDS = (".", "!", "?", "...", "…")
_CLOSERS = ("»", "”", ")", "]", '"')
# A paragraph break (blank line) becomes this private-use character, a token
# of its own while splitting, never returned.
_PARAGRAPH = "\ue000"
_BLANK_LINE = re.compile(r"\n[^\S\n]*\n\s*")

_WORD = r"[^\W_]+(?:-[^\W_]+)*"
# Elision: letters, an apostrophe, then a letter. "aujourd'hui" is one word.
# French's elided words keep their apostrophe with nothing after it too, so a
# prompt that ends in one ("Le vélo d'") asks for the same token as "d'Ali".
_ELIDED = r"(?:d|l|qu|j|n|s|c|m|t|jusqu|lorsqu|puisqu|quoiqu)'(?![^\W\d_])"
_ELISION = rf"aujourd'hui\b|[^\W\d_]+'(?=[^\W\d_])|\b{_ELIDED}"
_PUNCT = r"\.\.\.|--+|[^\w\s]"  # "--": a dash typed as two hyphens, one token
_PATTERNS = {
    "fr": re.compile(rf"{_ELISION}|{_WORD}|{_PUNCT}", re.IGNORECASE),
    "en": re.compile(rf"{_WORD}(?:['’]{_WORD})*|{_PUNCT}", re.IGNORECASE),
}

# guess_lang: the signs of each language's typography.
_FRENCH_SPACING = re.compile(r"\w[ \u00a0\u202f][?!:;](?=\s|$)")
_ENGLISH_SPACING = re.compile(r"\w[?!:;](?=\s|$)")
_FRENCH_ELISION = re.compile(rf"\b{_ELIDED}(?=[^\W\d_])", re.IGNORECASE)
_ENGLISH_CONTRACTION = re.compile(r"[^\W\d_]'(?:t|s|re|ve|ll|d|m)\b", re.IGNORECASE)

# detokenize: no space before these; no space after the "openers".
_NO_SPACE_BEFORE = {"fr": {".", ",", ")", "]", "}", "...", "…"},
                    "en": {".", ",", ")", "]", "}", "...", "…", "?", "!", ";", ":", "»"}}
_NO_SPACE_AFTER = {"fr": {"(", "[", "{", "“"}, "en": {"(", "[", "{", "“", "«"}}


def tokenize(text, lowercase=False, lang="fr"):
    """Cut ``text`` into word and punctuation tokens.

    Parameters
    ----------
    text : str
    lowercase : bool, default=False
        Lowercase every token ("Ali" and "ali" become one word).
    lang : {"fr", "en"}, default="fr"
        "fr" splits elisions ("d'Ali" -> "d'", "Ali"); "en" keeps words with
        an inner apostrophe whole ("don't").

    Returns
    -------
    tokens : list of str
        The typographic apostrophe ’ is returned as '.
    """
    return [t for sentence in sentences(text, lowercase, lang) for t in sentence]


def sentences(text, lowercase=False, lang="fr"):
    """Cut ``text`` into sentences, each a list of tokens (see :func:`tokenize`).

    Returns
    -------
    sentences : list of list of str
        Empty sentences are dropped; an empty text gives ``[]``.
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    check_choice(lang, "lang", LANGS)
    if check_bool(lowercase, "lowercase"):
        text = text.lower()
    text = _BLANK_LINE.sub(f" {_PARAGRAPH} ", text.replace("’", "'"))
    tok = np.array(_PATTERNS[lang].findall(text), dtype=object)
    if tok.size == 0:
        return []
    is_break = tok == _PARAGRAPH
    is_end = np.isin(tok, SENTENCE_ENDS)
    # A closing quote right after ". ! ?" still belongs to the sentence.
    is_end[1:] |= np.isin(tok[1:], _CLOSERS) & is_end[:-1]
    # The sentence ends after the last of a run of end marks ("?!", "?»").
    boundary = is_end & ~np.append(is_end[1:], False)
    boundary |= is_break
    cuts = np.flatnonzero(boundary) + 1
    pieces = np.split(np.arange(len(tok)), cuts)
    keep = ~is_break
    return [tok[piece[keep[piece]]].tolist() for piece in pieces if keep[piece].any()]


def detokenize(tokens, lang="fr"):
    """Join tokens into text with the spacing the language writes.

    French puts a space before ``; : ! ? »`` and after ``«``; English puts
    none before ``; : ! ?``. Neither puts a space before ``. , ) ...`` nor
    after an elision (``d'``), ``(`` or ``“``. Straight double quotes alternate
    between opening and closing.

    Parameters
    ----------
    tokens : sequence of str
    lang : {"fr", "en"}, default="fr"

    Returns
    -------
    text : str
    """
    check_choice(lang, "lang", LANGS)
    tokens = list(tokens)
    if not all(isinstance(t, str) for t in tokens):
        raise TypeError("tokens must all be str")
    if not tokens:
        return ""
    tok = np.array(tokens, dtype=object)
    quote = tok == '"'
    opening_quote = quote & (np.cumsum(quote) % 2 == 1)
    closing_quote = quote & ~opening_quote
    no_before = np.isin(tok, list(_NO_SPACE_BEFORE[lang])) | closing_quote
    no_after = np.isin(tok, list(_NO_SPACE_AFTER[lang])) | opening_quote
    no_after |= np.char.endswith(np.array(tokens, dtype=str), "'") & (tok != "'")
    space = ~(no_after[:-1] | no_before[1:])
    gaps = np.where(space, " ", "").tolist() + [""]
    return "".join(chain.from_iterable(zip(tokens, gaps)))


#: Characters of raw text that guess_lang reads.
GUESS_CHARS = 100_000


def guess_lang(corpus):
    """"fr" or "en": the spacing and the apostrophes a text (or token lists) shows.

    French writes a space before ``? ! : ;`` and elides ("l'ami", tokens like
    "l'"); English writes none and contracts ("don't", "it's"). Each sign is
    counted (in token lists, each token that shows one); English wins a tie,
    so that text with no sign at all is not given French spacing. Raw text
    is read up to its first ``GUESS_CHARS`` characters: a book shows its
    language long before, and the four searches over a whole novel cost as
    much as tokenizing it.

    >>> guess_lang("Qui est Ali ? C'est l'ami de Léa."), guess_lang("Who is Ali? It's me.")
    ('fr', 'en')
    >>> guess_lang([["l'", "ami", "?"]]), guess_lang("no sign at all")
    ('fr', 'en')
    """
    if isinstance(corpus, str):
        text = corpus[:GUESS_CHARS].replace("’", "'")
        french = len(_FRENCH_SPACING.findall(text)) + len(_FRENCH_ELISION.findall(text))
        english = len(_ENGLISH_SPACING.findall(text)) + len(_ENGLISH_CONTRACTION.findall(text))
    else:
        tokens = [t for sentence in corpus for t in sentence if isinstance(t, str)]
        french = sum(t.endswith("'") and len(t) > 1 for t in tokens)
        english = sum(bool(_ENGLISH_CONTRACTION.search(t)) for t in tokens)
    return "fr" if french > english else "en"


def read_corpus(corpus, name="corpus", tokens="words", lowercase=False, lang="fr",
                check_tokens=True):
    """A corpus as a list of token lists: raw text is cut here, token lists are checked.

    Parameters
    ----------
    corpus : str or sequence of sequences of str
        Raw text, or sentences already tokenized (used as given: not
        lowercased).
    name : str, default="corpus"
        The argument's name, for messages.
    tokens : {"words", "chars"}, default="words"
        How raw text is cut: into sentences of words (:func:`sentences`), or
        into paragraphs (split at blank lines, newlines read as spaces) of
        characters.
    lowercase : bool, default=False
    lang : {"fr", "en"}, default="fr"
    check_tokens : bool, default=True
        Check that every token is a str. ``fit`` checks the distinct tokens
        instead (:func:`~scratch_genmod.markov.checks.check_token_types` on its
        vocabulary), which is faster.

    Returns
    -------
    list of list of str
    """
    if isinstance(corpus, str):
        if tokens == "words":
            return sentences(corpus, lowercase, lang)
        text = corpus.lower() if lowercase else corpus
        paragraphs = (" ".join(p.split()) for p in _BLANK_LINE.split(text))
        return [list(p) for p in paragraphs if p]
    return check_token_lists(corpus, name, check_tokens)
