"""The analysis caches under many threads: every call returns the words and forms of its own
text, and none raises, while other threads fill and empty the same caches."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest

from indexer.analysis import analyzers, fold, stem
from indexer.analysis.analyzers import iter_words, word_forms, words_with_forms

THREADS = 16
ROUNDS = 3  # passes over the texts per thread, each evicting at every text
LETTERS = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"


def distinct_words(count: int) -> list[str]:
    """``count`` different four-letter words, a third with the article, a third with a fatha."""
    words = []
    for n in range(count):
        a, b, c = LETTERS[n % 28], LETTERS[n // 28 % 28], LETTERS[n // 784 % 28]
        word = f"{a}{b}{c}{LETTERS[n % 7]}"
        words.append("ال" + word if n % 3 == 0 else word + "\u064e" if n % 3 == 1 else word)
    return words


def hammer(work: Callable[[int], None]) -> list[BaseException]:
    """Run ``work(thread_number)`` in ``THREADS`` threads at once; the errors they raised."""
    errors: list[BaseException] = []
    start = threading.Barrier(THREADS)

    def run(number: int) -> None:
        try:
            start.wait()
            work(number)
        except BaseException as error:  # noqa: BLE001 - every error fails the test
            errors.append(error)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_recent_texts_from_many_threads(fast_switching: None) -> None:
    words = distinct_words(4000)
    texts = [f"{word} {words[n // 2]}" for n, word in enumerate(words)]
    expected = {text: list(iter_words(text)) for text in texts}
    forms = {text: [(exact, stemmed) for _, _, _, exact, stemmed in found] for text, found in expected.items()}

    def work(number: int) -> None:
        start = number * len(texts) // THREADS
        for text in (texts[start:] + texts[:start]) * ROUNDS:
            assert words_with_forms(text) == expected[text]
            assert word_forms(text) == forms[text]

    errors = hammer(work)
    assert not errors, errors[:3]


def test_word_forms_cache_emptied_by_other_threads(fast_switching: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(analyzers, "CACHE_SIZE", 50)  # emptied every 50 new words
    monkeypatch.setattr(analyzers, "_forms", analyzers._Forms())
    words = distinct_words(3000)
    expected = {word: (fold(word), stem(fold(word))) for word in words}

    def work(number: int) -> None:
        forms = analyzers._forms
        for word in words[number * 150 :] + words[: number * 150]:
            assert forms[word] == expected[word]

    errors = hammer(work)
    assert not errors, errors[:3]
