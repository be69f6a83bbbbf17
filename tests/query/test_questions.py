"""A bag of words that reads as a question (`indexer.query.questions`) is ranked with a
lead that decays with position (`ranking.QUESTION_LEAD_DECAY`); a headline keeps the lead
of the first 40 words. The exact scores are checked against a model in test_execute.py;
here: which queries read as questions, and what a user asking one sees."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from indexer import Article, Corpus
from indexer.query import compile_query, plan, ranking
from indexer.query.nodes import And
from indexer.query.parse import parse_lenient
from indexer.query.questions import is_question


def reads_as_question(text: str) -> bool:
    node, _ = parse_lenient(text)
    return is_question(node.children if isinstance(node, And) else (node,))


@pytest.mark.parametrize("text", [
    "ما هي عاصمة مصر؟",
    "متى ولد المتنبي",
    "كم عدد سور القرآن الكريم",
    "لماذا سميت مكة بأم القرى",
    "هل الحوت من الثدييات",
    "أين تقع جزيرة سقطرى",
    "كيف يتكون قوس قزح",
    "ماذا قال الله عن الصبر",
    "من هو أول الخلفاء الراشدين",
    "أيّ الكواكب أقرب إلى الشمس",
    "وما جزاء الصابرين",
    "فمن أظلم ممن افترى على الله كذبا",
    "في أي عام فتحت الأندلس",
    "إلى متى يبقى المسجد مغلقا",
    "مَتَى نَزَلَ القُرْآنُ",
    "الحكومة تعلن موعد الانتخابات؟",
    "الحكومة تعلن موعد الانتخابات ؟",
    "الحكومة تعلن موعد الانتخابات?",
])
def test_a_question_reads_as_one(text: str) -> None:
    assert reads_as_question(text)


@pytest.mark.parametrize("text", [
    "احباط 9 عمليات تهريب بقابس",
    "افتتاح مهرجان التمور في بريدة",
    "وزير الخارجية يلتقي نظيره الروسي في موسكو",
    "لم يعد الإفريقي ينافس على اللقب",  # لم: the negation of the past, far more than "why"
    "هلال رمضان يظهر مساء الخميس",  # هلال opens with هل, a word of its own
    "كمال الجنزوري رئيسا للحكومة",
    "إني أرى الحكومة عاجزة عن حل الأزمة",  # إني (I), not أنّى (how)
    "منتخب تونس يتأهل إلى نهائي كأس العرب",
    "في الرياض: أمير المنطقة يفتتح معرض الكتاب",  # a preposition, then no interrogative
])
def test_a_headline_does_not(text: str) -> None:
    assert not reads_as_question(text)


def leads(text: str, mode: str = "any") -> set[float]:
    """The lead decay of every `Closeness` in the plan of `text`."""
    found: set[float] = set()

    def walk(node: object) -> None:
        if isinstance(node, plan.Closeness):
            found.add(node.lead_decay)
        for value in getattr(node, "__dict__", {}).values():
            for item in value if isinstance(value, tuple) else (value,):
                if hasattr(item, "__dataclass_fields__"):
                    walk(item)

    node, _ = parse_lenient(text)
    walk(compile_query(node, mode=mode).plan)  # type: ignore[arg-type]
    return found


def test_the_plan_carries_the_questions_lead() -> None:
    assert leads("متى افتتح مهرجان التمور في بريدة") == {ranking.QUESTION_LEAD_DECAY}
    assert leads("افتتاح مهرجان التمور في بريدة") == {0.0}
    assert leads("متى افتتح مهرجان التمور في بريدة", mode="all") == set()  # mode "all" has no bag


OPENING = (
    "تحتفل المدن العربية كل عام بمناسبات ثقافية متعددة تجمع الأدباء والفنانين والجمهور، وتتنافس "
    "فيها الهيئات على تقديم برامج متنوعة تناسب الكبار والصغار، وتخصص لها الصحف مساحات واسعة "
    "من صفحاتها، ويتابعها الناس في الإذاعة والتلفزيون وعلى مواقع التواصل، "
)
ANSWER = "وقد ولد الشاعر أبو الطيب المتنبي في الكوفة سنة ثلاث وثلاثمائة للهجرة. "


@pytest.fixture(scope="module")
def passages(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Corpus]:
    """Two passages of the same words, the poet's birth past their first 100 (so neither
    the headline's lead nor the telling words tell them apart): "early" names it after
    111 words, "late" after 222, at its end."""
    early = OPENING * 3 + ANSWER + OPENING * 3
    late = OPENING * 6 + ANSWER
    corpus = Corpus(tmp_path_factory.mktemp("passages") / "index")
    corpus.add([
        Article("early", "", early, None, "", "arcd", "", ""),
        Article("late", "", late, None, "", "arcd", "", ""),
    ])
    yield corpus
    corpus.close()


def scores(corpus: Corpus, text: str) -> dict[str, float]:
    return {h.id: h.score for h in corpus.search(text, mode="any").hits}


def test_a_question_finds_the_passage_that_answers_nearer_its_start(passages: Corpus) -> None:
    found = scores(passages, "متى ولد المتنبي في الكوفة؟")
    assert found["early"] > found["late"] * 1.005


def test_the_same_words_as_a_headline_tell_them_apart_no_more(passages: Corpus) -> None:
    # Neither passage has the words in its first 40: the headline's lead adds nothing.
    found = scores(passages, "ولد المتنبي في الكوفة")
    assert found["early"] == pytest.approx(found["late"], rel=1e-12)


@pytest.mark.parametrize("typed", [
    "متى ولد المتنبي في الكوفة?",  # a Latin ? stuck to the last word: not a wildcard
    "متى ولد المتنبي في الكوفة ?",  # standing alone
])
def test_a_latin_question_mark_is_the_questions_mark(passages: Corpus, typed: str) -> None:
    assert scores(passages, typed) == scores(passages, "متى ولد المتنبي في الكوفة؟")


def test_a_latin_question_mark_alone_makes_a_question(passages: Corpus) -> None:
    found = scores(passages, "ولد المتنبي في الكوفة ?")
    assert found["early"] > found["late"] * 1.005


def test_a_misspelt_last_word_keeps_its_question_mark(passages: Corpus) -> None:
    # المتنبيي is in neither passage: searched as المتنبيي~1, the ؟ stays with the query.
    found = scores(passages, "ولد في الكوفة المتنبيي؟")
    assert found["early"] > found["late"] * 1.005
    assert "المتنبيي~1" in passages.explain("ولد في الكوفة المتنبيي؟", mode="any")


def test_a_question_mark_inside_a_word_is_still_a_wildcard(passages: Corpus) -> None:
    assert passages.explain("متى ولد المتن?بي", mode="any").startswith("OR(متى, ولد, المتن?بي)")
    assert set(scores(passages, "متى ولد المتن?بي")) == {"early", "late"}
