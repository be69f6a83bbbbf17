"""A light Arabic stemmer that joins the forms of one word and never two words.

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
2. What remains must be attested in the ANT counts (``MIN_EVIDENCE`` times): سيسهم keeps
   هم because nobody writes سيس.
3. The word's own count against what the prefix predicts from the rest (the prefix's rate
   over all words): فكرة is seen 47 times where ف + كرة explains 0.3, كيري 5 times where
   ك + يري explains 0.05. More than ``SURPRISE`` times the prediction is surprising.
4. Where both forms were seen ``evidence.MIN_CONTEXTS`` times, their contexts: how alike
   their neighbouring words are, and how much more often than chance they meet in one
   article. What follows وقال is what follows قال (0.50); فكرة and كرة (0.04), فيصل and
   يصل (0.04), لبنان and لبن (0.01, and 1.0× chance) are used apart. A prefix with
   surprising counts goes only when the contexts are clearly shared: the neighbours agree
   (``MIN_PREFIX_SIMILARITY``, as a clitic leaves what follows a word as it was) or the
   forms meet in articles ``MIN_SURPRISING_COOCCURRENCE`` times as often as chance (لعلاج
   and علاج: 8.7×); one with expected counts stays only when the contexts clearly differ
   (below ``MAX_PREFIX_DISSIMILARITY`` and ``MIN_COOCCURRENCE``).
   A suffix changes the word's syntax, so its neighbours more: it goes when the neighbours
   reach ``MIN_SUFFIX_SIMILARITY`` or the two forms meet in articles ``MIN_COOCCURRENCE``
   times as often as chance (المعلمين and معلم: 9.1×); without contexts it goes before an
   attested rest, since a suffix's rate varies too much from word to word to judge by
   counts, except ان (``SUFFIXES_NEEDING_CONTEXTS``), which ends more names than duals
   and so needs contexts as clearly shared as a surprising prefix (سليمان and سليم: 2.2×,
   apart). A plural in ات is stemmed as its singular (العمليات → عملية; السعوديات →
   السعودية → سعودي).
5. A word too rare to be counted, before a rest that is (فقال → قال), loses its prefix when
   the rest's light stem is attested, or, for و ب ل, the rest with the article (وشعب → شعب,
   as الشعب is; not ف or ك, too rare as clitics for an unseen word to say so: فيمن is not
   ف + يمن); a never-seen word keeps a ف or ك (``MIN_RATE_FOR_UNSEEN``); unknown words keep
   their suffixes.
6. Last, whatever the counts said: a word that itself takes the article keeps its first
   letter, since a clitic comes before the article, never after it (الواحد, البحرية,
   البعيد, اللسان are attested: واحد, بحرية, بعيد, لسان are words, not و + أحد, ب + حرية,
   ب + عيد, ل + سان). The same word with a pronoun counts (وجوده: الوجود), a final ه only
   when it was written ه, not ة: as the text spells it (``spelled``; بعده is بعد + ه, بعدة
   is ب + عدة), or, the text not at hand, as the counts mostly spell it
   (``evidence.pronoun_count``). An ال the counts saw written with a hamza alef is not the
   article (``evidence.article_count``: ألوان is no ال + وان).

The thresholds were chosen on the even rows of the conflation table
(``tests/analysis/conflation.py``) and checked on the odd rows (``benchmarks/conflation.py``);
``MIN_SURPRISING_COOCCURRENCE`` by reading every pair of the ANT counts it decides.

The article ال goes when at least two letters remain, what remains is not a stopword
(الله keeps its article; له is a stopword) and the word does not itself take the article
(الالكترونية and الالتزام are attested: the ال of الكتروني and التزام is the word's own);
لل is ل + ال, or ل + ال before a word that begins with ل (للجنة is ل + اللجنة), whichever is
attested. Suffixes go only when a stem of at least three letters remains (بيان is not بي),
the ي that ية leaves counting; a stem that short needs contexts as clearly shared as a
surprising prefix does (طبية and طبي meet 10× as often as chance; قضية and قضي, 2.4×, stay
apart). Latin words and numbers are left as they are.

``derive`` returns the stem with the rule behind each affix removed or kept (for
``--explain``); ``stem`` returns the stem only.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from indexer.analysis.evidence import article_count, contexts, count, prefix_rate, pronoun_count
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
#: Forms this much more often in one article than chance are forms of one word even when
#: their counts are surprising (لعلاج and علاج 8.7×, بمناسبة and مناسبة 3.0×). Chosen by
#: reading every such pair of the ANT counts, not the table: the 52 pairs at 3× and above
#: are all a clitic before a word; of those between 2× and 3×, some are two words (كمال, كلما).
MIN_SURPRISING_COOCCURRENCE = 3.0
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
    if leaves:
        return (rest + leaves, rest)
    if suffix in PRONOUN_SUFFIXES and rest.endswith("ت"):
        return (rest[:-1] + "ه", rest)  # حكومتها: ة is written ت before a pronoun
    return (rest,)


def takes_suffix(word: str, suffix: str) -> bool:
    """Whether ``word`` ends in ``suffix`` with a stem of ``MIN_STEM`` letters left: the
    ي the nisba's يه leaves counts (طبية → طبي)."""
    return word.endswith(suffix) and min(map(len, suffix_results(word, suffix))) >= MIN_STEM


def _family(word: str) -> int:
    """How often ``word`` was seen, with the article or without."""
    return count(word) + (0 if word.startswith("ال") else count("ال" + word))


def _with_article(word: str, last_letter: str | None) -> str | None:
    """The article form of ``word`` (الواحد for واحد, الوجود for وجوده), when the counts have it.

    A clitic always comes before the article (وال, بال), never after it: if ``word`` or the
    same word without a pronoun takes the article, its first letter is its own. A final ه is
    read as the pronoun when it was written ه (``last_letter``, as spelled) or, the spelling
    unknown, when the word was mostly spelled so, not with ة (وجوده is وجود + ه; بعدة and
    بقاعة are ب + عدة, ب + قاعة).
    """
    if last_letter is None:
        final_heh_is_pronoun = 2 * pronoun_count(word) > count(word)
    else:
        final_heh_is_pronoun = last_letter == "ه"
    pronouns = [*PRONOUN_SUFFIXES, "ه"] if final_heh_is_pronoun else PRONOUN_SUFFIXES
    for pronoun in ("", *pronouns):
        if word.endswith(pronoun) and len(word) - len(pronoun) >= MIN_STEM:
            form = "ال" + word[: len(word) - len(pronoun)]
            if article_count(form):
                return form
    return None


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


def _judge_prefix(word: str, affix: str, hamza_follows: bool, last_letter: str | None) -> tuple[bool, str]:
    if hamza_follows:
        return True, f"spelled {affix} + hamza: a word begins after it"
    rest, word_count, rest_count = word[len(affix):], count(word), count(word[len(affix):])
    if rest.startswith("ال") and len(rest) - 2 >= MIN_STEM and (rest_count >= MIN_EVIDENCE or word_count < MIN_EVIDENCE):
        return True, f"{affix} before the article: {rest} seen {rest_count}×"
    removed, reason = _weigh_prefix(word, affix)
    with_article = _with_article(word, last_letter)
    if removed and with_article:
        return False, f"{reason}; but {with_article} seen {article_count(with_article)}×: a clitic comes before the article, so {affix} is the word's"
    return removed, reason


def _weigh_prefix(word: str, affix: str) -> tuple[bool, str]:
    """Counts and contexts: is ``word`` a form of what remains without ``affix``?"""
    rest = word[len(affix):]
    word_count, rest_count = count(word), count(rest)
    rate = prefix_rate(affix)
    if rest_count < MIN_EVIDENCE:
        if word_count < MIN_EVIDENCE:
            if _family(rest) >= MIN_EVIDENCE and rate >= MIN_RATE_FOR_UNSEEN:
                return True, f"{word} is rare; {rest} is attested with the article"
            if count(_shape_stem(rest)) >= MIN_EVIDENCE:
                return True, f"{word} is rare; {_shape_stem(rest)} is attested"
        return False, f"{rest} is not attested"
    if word_count == 0 and rate < MIN_RATE_FOR_UNSEEN:
        return False, f"{word} never seen, and {affix} is a clitic on 1 word in {1 / rate:,.0f}"
    expected = rate * rest_count
    surprising = word_count > SURPRISE * expected + 1  # more frequent than the clitic explains
    # Surprising counts need contexts clearly shared (a clitic leaves what follows a word as
    # it was); expected counts are overruled only by contexts clearly different in both ways.
    if surprising:
        agree, used = _agree(word, rest, MIN_PREFIX_SIMILARITY, MIN_SURPRISING_COOCCURRENCE)
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
        # طبية → طبي, a stem so short; ان, which ends more names than duals: the shape is
        # weak evidence, so the contexts must be as clearly shared as for a surprising prefix
        weak_shape = len(word) - len(affix) < MIN_STEM or affix in SUFFIXES_NEEDING_CONTEXTS
        if weak_shape:
            agree, used = _agree(word, rest, MIN_PREFIX_SIMILARITY, MIN_SURPRISING_COOCCURRENCE)
        else:
            agree, used = _agree(word, rest, MIN_SUFFIX_SIMILARITY, MIN_COOCCURRENCE)
        if agree is None:
            if weak_shape:
                reason = f"{word} and {rest} were not seen often enough to compare"
                continue
            return rest, f"{rest} seen {rest_count}×"
        if agree:
            return rest, f"{word} and {rest}: {used}"
        reason = f"{word} and {rest}: {used}"
    return None, reason


def reads_spelling(original: str, exact: str) -> bool:
    """Whether the stem of ``exact`` may depend on how ``original`` spelled it: with a hamza
    alef (وإلى), or when a clitic letter begins it and ه ends it (بعده, بعدة)."""
    return not _HAMZA_ALEFS.isdisjoint(original) or (exact[0] in _CLITIC_LETTERS and exact[-1] == "ه")


#: The prefixes `candidate_forms` puts before a stem: clitics, the article, and both.
FORM_PREFIXES = (
    "", "و", "ف", "ب", "ك", "ل", "ال", "وال", "فال", "بال", "كال", "لل",
    "وب", "ول", "وك", "فب", "فل", "وبال", "ولل", "فبال", "فلل",
)


def candidate_forms(stem: str) -> Iterator[str]:
    """Every form the stemmer's affixes can build on ``stem``."""
    endings = ["", *SUFFIXES]
    if stem.endswith("ه"):
        base = stem[:-1]
        endings_on_base = ["ات", *(f"ت{p}" for p in PRONOUN_SUFFIXES)]
    elif stem.endswith("ي"):
        base, endings_on_base = stem, ["ه"]
    else:
        base, endings_on_base = stem, []
    for prefix in FORM_PREFIXES:
        for ending in endings:
            yield prefix + stem + ending
        for ending in endings_on_base:
            yield prefix + base + ending


def possible_stems(exact: str) -> set[str]:
    """Every stem ``exact`` may get as the text spells it: a clitic word in ه was written with
    ه or with ة (بعده: بعده or عده). Hamza seats are not guessed."""
    stems = {derive(exact).stem}
    if exact[:1] in _CLITIC_LETTERS and exact.endswith("ه"):
        stems.update(derive(exact, exact[:-1] + last).stem for last in ("ه", "\u0629"))
    return stems


_HAMZA_ALEFS = frozenset(WORD_INITIAL_HAMZA_ALEFS)
_CLITIC_LETTERS = frozenset(CONJUNCTIONS + PREPOSITIONS)


def _hamza_after(spelled: str | None, index: int) -> bool:
    return spelled is not None and spelled[index + 1 : index + 2] in WORD_INITIAL_HAMZA_ALEFS


def derive(exact: str, spelled: str | None = None) -> Derivation:
    """The stem of an exact (folded) form and why each affix went or stayed.

    ``spelled`` is the same word before folding, marks removed (so each letter sits where
    it sits in ``exact``), when known: its hamza seats and a final ة or ه are evidence
    (``reads_spelling`` says for which words).
    """
    if len(exact) < MIN_STEM or not _is_arabic(exact):
        return Derivation(exact, exact, ())
    if spelled is not None and len(spelled) != len(exact):
        spelled = None
    last_letter = spelled[-1] if spelled else None
    word, at, steps = exact, 0, []
    if word[0] in CONJUNCTIONS and len(word) > MIN_STEM:
        removed, reason = _judge_prefix(word, word[0], _hamza_after(spelled, at), last_letter)
        steps.append(Step(word[0], "conjunction", removed, reason))
        if removed:
            word, at = word[1:], 1
    without_article = _strip_article(word)
    if without_article != word:
        steps.append(Step(word[: len(word) - len(without_article)], "article", True, "always"))
        word = without_article
    elif word[0] in PREPOSITIONS and len(word) > MIN_STEM:
        removed, reason = _judge_prefix(word, word[0], _hamza_after(spelled, at), last_letter)
        steps.append(Step(word[0], "preposition", removed, reason))
        if removed:
            word = word[1:]
    word = _remove_suffix(word, steps)
    return Derivation(exact, word, tuple(steps))


def _remove_suffix(word: str, steps: list[Step]) -> str:
    """``word`` without its suffix, when the evidence says so; a plural in ات is stemmed as
    its singular (العمليات → عملية, السعوديات → السعودية → سعودي)."""
    for suffix in SUFFIXES:
        if takes_suffix(word, suffix):
            result, reason = _judge_suffix(word, suffix)
            steps.append(Step(suffix, "suffix", result is not None, reason))
            if result is None:
                return word
            if suffix == "ات" and result == word[: -len(suffix)] + SUFFIX_LEAVES[suffix]:
                return _remove_suffix(result, steps)  # the singular, which may end in يه
            return result
    return word


def stem(exact: str, spelled: str | None = None) -> str:
    """The light stem of an exact (folded) form (``spelled``: see ``derive``).

    >>> [stem(w) for w in ("والوزير", "للوزير", "وزير", "فقال", "فكره", "لبنان")]
    ['وزير', 'وزير', 'وزير', 'قال', 'فكره', 'لبنان']
    """
    return derive(exact, spelled).stem
