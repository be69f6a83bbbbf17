"""The stemmer of ANALYZER_VERSION 1, frozen for comparison (``benchmarks/conflation.py``).

It is ``indexer/analysis/stemming.py`` as it was before issue 12, unchanged but for its word
counts, read from ``indexer.analysis.evidence`` (the same file). Its own description follows.

A light Arabic stemmer that decides ambiguous prefixes with corpus evidence.

It works on the exact (folded) form and removes at most: one conjunction (و ف), one
article or preposition (ال لل بال كال ب ك ل), one number or pronoun suffix, and a final
ه (teh marbuta after folding) or ي (nisba). Rules, and why:

* Light10 (Larkey et al.; Lucene's ArabicStemmer) strips a leading و from any word of four
  letters or more, so وزير (minister) becomes زير, وزارة becomes زار (visited), وجود
  becomes جود. The و or ف of وقال is a conjunction; the و of وزير is the word's first
  root letter. Spelling cannot tell them apart; usage can: "قال" is a common word, "زير"
  is not. So a one-letter prefix (و ف ب ك ل) is removed only when the rest of the word is
  itself attested: seen at least ``MIN_EVIDENCE`` times in ``data/wordfreq.tsv.gz`` (folded
  word counts from the Apache-2.0 ANT news corpus, built by ``tools/build_wordfreq.py``)
  and at least ``RATIO`` times as often as the whole word. The ratio keeps وسائل whole:
  "سائل" (liquid) is seen 5 times, "وسائل" 358 times.
* A word too rare to be in the table cannot speak for itself; then the prefix goes when the
  light stem of the rest is attested (فقال, seen 8 times, still meets قال).
* The article ال goes when at least two letters remain and what remains is not a stopword
  (الله keeps its article; له is a stopword).
* Suffixes go only when at least three letters remain (بيان is not بي), which is also
  why a stem never gets shorter than three letters through a suffix.

Latin words and numbers are left as they are.
"""

from __future__ import annotations

from indexer.analysis.evidence import word_counts
from indexer.analysis.stopwords import STOPWORDS

MIN_EVIDENCE = 10
RATIO = 0.05

CONJUNCTIONS = ("و", "ف")
ARTICLES = ("بال", "كال", "لل", "ال")  # longest first; لل is ل + ال with the alef elided
PREPOSITIONS = ("ب", "ك", "ل")
#: Tried longest first; one of these at most.
SUFFIXES = ("هما", "كما", "ها", "هم", "هن", "كم", "كن", "نا", "ات", "ون", "ين", "ان", "يه")
#: Then one final letter: teh marbuta (folded to ه) or the nisba ي.
FINAL_LETTERS = ("ه", "ي")
MIN_STEM = 3
_ARABIC_LETTERS = frozenset(chr(c) for c in range(0x0621, 0x064B))


def _is_arabic(word: str) -> bool:
    return all(ch in _ARABIC_LETTERS for ch in word)


def _attested(word: str) -> bool:
    return word_counts().get(word, 0) >= MIN_EVIDENCE


def _prefix_belongs_to_rest(word: str, rest: str) -> bool:
    """Is the one-letter prefix of ``word`` a clitic (True) or part of the word (False)?"""
    if len(rest) < MIN_STEM:
        return False
    counts = word_counts()
    whole, remainder = counts.get(word, 0), counts.get(rest, 0)
    if whole >= MIN_EVIDENCE:
        return remainder >= MIN_EVIDENCE and remainder >= RATIO * whole
    return remainder >= MIN_EVIDENCE or _attested(_strip_suffixes(_strip_article(rest)))


def _strip_article(word: str) -> str:
    for article in ARTICLES:
        if word.startswith(article):
            rest = word[len(article):]
            if len(rest) >= 2 and rest not in STOPWORDS:
                return rest
    return word


def _strip_suffixes(word: str) -> str:
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= MIN_STEM:
            word = word[: -len(suffix)]
            break
    for letter in FINAL_LETTERS:
        if word.endswith(letter) and len(word) - 1 >= MIN_STEM:
            return word[:-1]
    return word


def stem(exact: str) -> str:
    """The light stem of an exact (folded) form.

    >>> [stem(w) for w in ("والوزير", "للوزير", "وزير", "وزاره", "فقال")]
    ['وزير', 'وزير', 'وزير', 'وزار', 'قال']
    """
    if len(exact) < MIN_STEM or not _is_arabic(exact):
        return exact
    word = exact
    if word[0] in CONJUNCTIONS and _prefix_belongs_to_rest(word, word[1:]):
        word = word[1:]
    without_article = _strip_article(word)
    if without_article != word:
        word = without_article
    elif word[0] in PREPOSITIONS and _prefix_belongs_to_rest(word, word[1:]):
        word = word[1:]
    return _strip_suffixes(word)
