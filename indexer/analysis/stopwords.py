"""Arabic stopwords, folded with the same rules as the text, so every spelling is caught.

The list follows the usual start, Savoy's list as shipped with Lucene's ArabicAnalyzer:
prepositions, pronouns, demonstratives, relatives, conjunctions and the commonest
particles and auxiliaries, written here in plain spelling and folded at import (so إلى,
الى and الي are one entry). Two more: the era letters written after a year (2015م,
1436هـ), which the tokenizer cuts from the digits. Stopwords stay in the index with their
positions; only bag-of-words queries drop them.
"""

from __future__ import annotations

from indexer.analysis.folding import fold

_WORDS = """
من ومن فمن ب ا ف و ل ال في وفي فيها فيه وفيها وفيه على وعلى عليه عليها إلى وإلى إليه
عن وعن مع ومع معه هذا وهذا هذه وهذه ذلك وذلك تلك وتلك هذان هاتان هؤلاء أولئك هنا هناك
التي والتي الذي والذي الذين والذين اللذان اللتان اللواتي اللاتي ما وما ماذا متى أين كيف كم لماذا
هو وهو هي وهي هم وهم هما هن أنا نحن أنت أنتم أنتما أنتن له لها لهم لهما لنا لي
أن وأن إن وإن أو ثم بل لكن ولكن لا ولا لم ولم لن ولن قد وقد لقد إذ إذا وإذا لو كل وكل
بعض أي أيضا حتى حيث حين بين وبين عند وعند منذ خلال ضد دون غير سوى عبر نحو لدى لدي
كان وكان كانت وكانت يكون تكون كانوا ليس وليس ليست أصبح صار ظل عدة بعد وبعد قبل وقبل
فوق تحت أمام خلف كما وكما مثل إلا أما وأما هل يا به بها بهم بين لدى وهذا أكثر
م هـ
""".split()

STOPWORDS: frozenset[str] = frozenset(f for f in (fold(w) for w in _WORDS) if f)


def is_stopword(exact: str) -> bool:
    """True when the folded word ``exact`` is a stopword."""
    return exact in STOPWORDS
