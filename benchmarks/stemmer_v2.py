"""The stemmer of ANALYZER_VERSION 2, frozen for comparison (``benchmarks/conflation.py``).

It is ``indexer/analysis/stemming.py`` at commit 2d09d88, before the evidence of its
rule 6 (a word that takes the article keeps its first letter) and the rest; unchanged,
reading the same evidence files (``indexer.analysis.evidence``: the counts and the pairs it
reads are the same as then). Its own description follows.

A light Arabic stemmer that joins the forms of one word and never two words.

It works on the exact (folded) form and removes at most: one conjunction (و ف), one
article or preposition (ال لل بال كال ب ك ل) and one number or pronoun suffix; the affixes
are in ``tables.py``. A suffix may leave the singular's ة or the nisba's ي in its place
(الحكومات → حكومه, السعودية → سعودي); a final ة or ي alone is never removed.

Spelling alone cannot tell an affix from a letter of the word: the ف of فقال is "so", the
ف of فكرة (an idea) is the word's own, and removing it joins "idea" to كرة (ball). So every
affix but the article is removed only when the evidence says that the word is a form of
what remains (``evidence.py`` has the data, built from the ANT news corpus):

1. The spelling before hamza folding, where the text has it: وإلى, وأضاف are و + a word,
   since a word never goes on with أ إ آ after its first letter's و
   (``WORD_INITIAL_HAMZA_ALEFS``). Before the article (والغاز) a letter is a clitic too.
2. What remains must be attested in the ANT counts (``MIN_EVIDENCE`` times, with or
   without the article): سيسهم keeps هم because nobody writes سيس.
3. The word's own count against what the prefix predicts from the rest (the prefix's rate
   over all words): فكرة is seen 47 times where ف + كرة explains 0.3, كيري 5 times where
   ك + يري explains 0.05. More than ``SURPRISE`` times the prediction is surprising.
4. Where both forms were seen ``evidence.MIN_CONTEXTS`` times, their contexts: how alike
   their neighbouring words are, and how much more often than chance they meet in one
   article. What follows وقال is what follows قال (0.50); فكرة and كرة (0.04), فيصل and
   يصل (0.04), لبنان and لبن (0.01, and 1.0× chance) are used apart. A prefix with
   surprising counts goes only when the neighbours agree (``MIN_PREFIX_SIMILARITY``, as a
   clitic leaves what follows a word as it was); one with expected counts stays only when
   the contexts clearly differ (below ``MAX_PREFIX_DISSIMILARITY`` and ``MIN_COOCCURRENCE``).
   A suffix changes the word's syntax, so its neighbours more: it goes when the neighbours
   reach ``MIN_SUFFIX_SIMILARITY`` or the two forms meet in articles ``MIN_COOCCURRENCE``
   times as often as chance (المعلمين and معلم: 9.1×); without contexts it goes before an
   attested rest, except ان (``SUFFIXES_NEEDING_CONTEXTS``), since a suffix's rate varies
   too much from word to word to judge by counts.
5. A word too rare to be counted, before a rest that is (فقال → قال), loses its prefix when
   the rest's light stem is attested; a never-seen word keeps a ف or ك
   (``MIN_RATE_FOR_UNSEEN``); unknown words keep their suffixes.

The thresholds were chosen on the even rows of the conflation table
(``tests/analysis/conflation.py``) and checked on the odd rows (``benchmarks/conflation.py``).

The article ال goes when at least two letters remain, what remains is not a stopword
(الله keeps its article; له is a stopword) and the word does not itself take the article
(الالكترونية and الالتزام are attested: the ال of الكتروني and التزام is the word's own); لل is ل + ال, or ل + ال before a word that
begins with ل (للجنة is ل + اللجنة), whichever is attested. Suffixes go only when at least
three letters remain before it (بيان is not بي; قضية is not قضي + ية). Latin words and numbers are left as they are.

``derive`` returns the stem with the rule behind each affix removed or kept (for
``--explain``); ``stem`` returns the stem only.
"""

from __future__ import annotations

from dataclasses import dataclass

from indexer.analysis.evidence import contexts, count, prefix_rate
from indexer.analysis.stopwords import STOPWORDS
from indexer.analysis.tables import (
    ARTICLES,
    CONJUNCTIONS,
    PREPOSITIONS,
    PRONOUN_SUFFIXES,
    SUFFIX_LEAVES,
    SUFFIXES,
    SUFFIXES_NEEDING_CONTEXTS,
    WORD_INITIAL_HAMZA_ALEFS,
)

MIN_EVIDENCE = 10
MIN_PREFIX_SIMILARITY = 0.2
MAX_PREFIX_DISSIMILARITY = 0.07
MIN_SUFFIX_SIMILARITY = 0.1
MIN_COOCCURRENCE = 2.0
SURPRISE = 10.0
#: A prefix rarer than this as a clitic (ف, ك: 1 word in 1,000) is not taken from a word
#: never seen: its absence says nothing, and most such words are words of their own (كابل).
MIN_RATE_FOR_UNSEEN = 0.01
MIN_STEM = 3
#: Articles merged away when contexts are counted (``tools/build_pairs.py``).
CONTEXT_ARTICLES = ("وال", "بال", "لل", "ال")
_ARABIC_LETTERS = frozenset(chr(c) for c in range(0x0621, 0x064B))


@dataclass(frozen=True, slots=True)
class Step:
    """One affix considered: removed or kept, and the evidence that decided it."""

    affix: str
    kind: str  # "conjunction", "article", "preposition" or "suffix"
    removed: bool
    reason: str

    def __str__(self) -> str:
        shown = f"-{self.affix}" if self.kind == "suffix" else f"{self.affix}-"
        return f"{shown} {'removed' if self.removed else 'kept'} ({self.kind}: {self.reason})"


@dataclass(frozen=True, slots=True)
class Derivation:
    """A word's stem and the steps that led to it."""

    exact: str
    stem: str
    steps: tuple[Step, ...]


def without_context_article(word: str) -> str:
    """``word`` without a leading article: the form whose contexts ``evidence`` counts."""
    for article in CONTEXT_ARTICLES:
        if word.startswith(article) and len(word) - len(article) >= MIN_STEM:
            return word[len(article):]
    return word


def suffix_results(word: str, suffix: str) -> tuple[str, ...]:
    """What ``word`` may become without ``suffix``, most specific first."""
    rest = word[: -len(suffix)]
    leaves = SUFFIX_LEAVES.get(suffix)
    if leaves == "ي":
        return (rest + leaves,)
    if leaves and rest.endswith("ي"):
        return (rest,)  # السعوديات: the plural of السعودية, which stands for السعودي
    if leaves:
        return (rest + leaves, rest)
    if suffix in PRONOUN_SUFFIXES and rest.endswith("ت"):
        return (rest[:-1] + "ه", rest)  # حكومتها: ة is written ت before a pronoun
    return (rest,)


def _family(word: str) -> int:
    """How often ``word`` was seen, with the article or without."""
    return count(word) + (0 if word.startswith("ال") else count("ال" + word))


def _is_arabic(word: str) -> bool:
    return all(ch in _ARABIC_LETTERS for ch in word)


def _strip_article(word: str) -> str:
    if word.startswith("ال") and count("ال" + word) >= MIN_EVIDENCE:
        return word  # الالكترونية is attested: the ال of الكتروني, التزام, العاب is the word's
    for article in ARTICLES:
        if word.startswith(article):
            rest = word[len(article):]
            if article == "لل" and _family("ل" + rest) > _family(rest):
                rest = "ل" + rest  # للجنة: ل + اللجنة, the article's lam not written
            if len(rest) >= 2 and rest not in STOPWORDS:
                return rest
    return word


def _shape_stem(word: str) -> str:
    """The stem by shape alone, no evidence: only to ask whether a rare word's rest is known."""
    word = _strip_article(word)
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= MIN_STEM:
            return suffix_results(word, suffix)[-1]
    return word


def _agree(word: str, rest: str, min_neighbours: float, min_cooccurrence: float) -> tuple[bool | None, str]:
    """Do ``word`` and ``rest`` share their contexts? None when they were seen too rarely."""
    used = contexts(without_context_article(word), without_context_article(rest))
    if used is None:
        return None, ""
    agree = used.neighbours >= min_neighbours or used.cooccurrence >= min_cooccurrence
    return agree, f"neighbours {used.neighbours:.2f}, same articles {used.cooccurrence:.1f}× chance"


def _judge_prefix(word: str, affix: str, hamza_follows: bool) -> tuple[bool, str]:
    rest = word[len(affix):]
    if hamza_follows:
        return True, f"spelled {affix} + hamza: a word begins after it"
    word_count, rest_count = count(word), count(rest)
    if rest.startswith("ال") and len(rest) - 2 >= MIN_STEM and (rest_count >= MIN_EVIDENCE or word_count < MIN_EVIDENCE):
        return True, f"{affix} before the article: {rest} seen {rest_count}×"
    if rest_count < MIN_EVIDENCE:
        if word_count < MIN_EVIDENCE and count(_shape_stem(rest)) >= MIN_EVIDENCE:
            return True, f"{word} is rare; {_shape_stem(rest)} is attested"
        return False, f"{rest} is not attested"
    rate = prefix_rate(affix)
    if word_count == 0 and rate < MIN_RATE_FOR_UNSEEN:
        return False, f"{word} never seen, and {affix} is a clitic on 1 word in {1 / rate:,.0f}"
    expected = rate * rest_count
    surprising = word_count > SURPRISE * expected + 1  # more frequent than the clitic explains
    # Surprising counts need the neighbours to agree (a clitic leaves what follows a word as
    # it was); expected counts are overruled only by contexts clearly different in both ways.
    if surprising:
        agree, used = _agree(word, rest, MIN_PREFIX_SIMILARITY, float("inf"))
    else:
        agree, used = _agree(word, rest, MAX_PREFIX_DISSIMILARITY, MIN_COOCCURRENCE)
    removed = bool(agree) if surprising else agree is not False
    counts = f"{word} seen {word_count}×, {affix} + {rest} explains {expected:.1f}"
    return removed, f"{counts}; {used}" if used else counts


def _judge_suffix(word: str, affix: str) -> tuple[str | None, str]:
    """What ``word`` becomes without ``affix`` (None: the suffix stays), and why. Each result
    of ``suffix_results`` is tried in turn (بيانات: not بيانه, whose contexts differ; بيان)."""
    reason = f"{' / '.join(suffix_results(word, affix))} not attested"
    for rest in suffix_results(word, affix):
        rest_count = _family(rest)
        if rest_count < MIN_EVIDENCE:
            continue
        if rest in STOPWORDS:
            return None, f"{rest} is a stopword"
        agree, used = _agree(word, rest, MIN_SUFFIX_SIMILARITY, MIN_COOCCURRENCE)
        if agree is None:
            if affix in SUFFIXES_NEEDING_CONTEXTS:
                reason = f"{word} and {rest} were not seen often enough to compare"
                continue
            return rest, f"{rest} seen {rest_count}×"
        if agree:
            return rest, f"{word} and {rest}: {used}"
        reason = f"{word} and {rest}: {used}"
    return None, reason


def _hamza_after(spelled: str | None, index: int) -> bool:
    return spelled is not None and spelled[index + 1 : index + 2] in WORD_INITIAL_HAMZA_ALEFS


def derive(exact: str, spelled: str | None = None) -> Derivation:
    """The stem of an exact (folded) form and why each affix went or stayed.

    ``spelled`` is the same word before folding, marks removed (so each letter sits where
    it sits in ``exact``), when known: its hamza seats are evidence.
    """
    if len(exact) < MIN_STEM or not _is_arabic(exact):
        return Derivation(exact, exact, ())
    if spelled is not None and len(spelled) != len(exact):
        spelled = None
    word, at, steps = exact, 0, []
    if word[0] in CONJUNCTIONS and len(word) > MIN_STEM:
        removed, reason = _judge_prefix(word, word[0], _hamza_after(spelled, at))
        steps.append(Step(word[0], "conjunction", removed, reason))
        if removed:
            word, at = word[1:], 1
    without_article = _strip_article(word)
    if without_article != word:
        steps.append(Step(word[: len(word) - len(without_article)], "article", True, "always"))
        word = without_article
    elif word[0] in PREPOSITIONS and len(word) > MIN_STEM:
        removed, reason = _judge_prefix(word, word[0], _hamza_after(spelled, at))
        steps.append(Step(word[0], "preposition", removed, reason))
        if removed:
            word = word[1:]
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= MIN_STEM:
            result, reason = _judge_suffix(word, suffix)
            steps.append(Step(suffix, "suffix", result is not None, reason))
            if result is not None:
                word = result
            break
    return Derivation(exact, word, tuple(steps))


def stem(exact: str, spelled: str | None = None) -> str:
    """The light stem of an exact (folded) form (``spelled``: see ``derive``).

    >>> [stem(w) for w in ("والوزير", "للوزير", "وزير", "فقال", "فكره", "لبنان")]
    ['وزير', 'وزير', 'وزير', 'قال', 'فكره', 'لبنان']
    """
    return derive(exact, spelled).stem
