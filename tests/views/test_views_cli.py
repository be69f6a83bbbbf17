"""The view commands as a user runs them (click's CliRunner) on a small index of Arabic
articles made here: output formats, copies counted once, charts, errors and exit codes."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from indexer import Article, Corpus
from indexer.analysis import analyze
from indexer.cli import main
from datetime import datetime

BODY = "أعلن وزير الخارجية أن أسعار النفط ارتفعت اليوم، وقال وزير الخارجية إن النفط مهم."
REPO = Path(__file__).resolve().parents[2]

ARTICLES = [
    Article("a1", "النفط يرتفع", BODY, datetime(2015, 7, 1), "2015-07-01", "sabq", "", "a1"),
    Article("a2", "ارتفاع النفط", "أعلن وَزِيرُ الخارجية أن أسعار النفط ارتفعت اليوم، وقال وزير الخارجية إن النفط مهم!", datetime(2015, 7, 3), "2015-07-03", "alriyadh", "", "a2"),
    Article("a3", "النفط", BODY, datetime(2015, 8, 2), "2015-08-02", "okaz", "", "a3"),
    Article("a4", "الذهب", "سعر الذهب ثابت والنفط يتراجع في الأسواق.", datetime(2015, 8, 9), "2015-08-09", "sabq", "", "a4"),
    Article("a5", "بلا تاريخ", "النفط بلا تاريخ.", None, "", "sabq", "", "a5"),
]


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("views") / "index"
    with Corpus(path) as corpus:
        corpus.add(ARTICLES)
    return str(path)


def run(index: str, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, [*args, "--index", index])
    return result.exit_code, result.stdout, result.stderr


def test_kwic_json_counts_every_occurrence_not_the_page(index: str) -> None:
    code, out, _ = run(index, "kwic", "النفط", "--json", "-n", "2")
    data = json.loads(out)
    assert code == 0
    # a1, a2, a3: 1 in the title + 2 in the body; a4: 1; a5: 1 (undated)
    assert data["total"] == 11 and data["articles"] == 5 and len(data["lines"]) == 2
    assert set(data["lines"][0]) >= {"id", "field", "date", "source", "left", "match", "right"}
    assert data["deduplicated"] is False


def test_kwic_in_a_pipe_is_tab_separated_with_the_word_as_written(index: str) -> None:
    code, out, err = run(index, "kwic", "وزير", "--sort", "date", "--width", "10")
    rows = [line.split("\t") for line in out.splitlines()]
    assert code == 0 and all(len(r) == 7 for r in rows)
    assert [r[5] for r in rows if r[0] == "a2"] == ["وَزِيرُ", "وزير"]  # diacritics kept
    assert "6 occurrences" in err


def test_counts_are_told_in_words_a_person_would_write(index: str) -> None:
    assert "1 occurrence in 1 article;" in run(index, "kwic", "يتراجع")[2]
    assert "6 occurrences in 3 articles;" in run(index, "kwic", "وزير")[2]


def test_dedupe_counts_an_identical_body_once(index: str) -> None:
    # a1, a2 and a3 carry one body (a2 with diacritics and other punctuation): the
    # earliest (a1) is kept.
    data = json.loads(run(index, "kwic", "وزير", "--json", "--dedupe")[1])
    assert data["deduplicated"] is True
    assert data["total"] == 2 and {ln["id"] for ln in data["lines"]} == {"a1"}


def test_trend_json_by_month_with_undated_apart(index: str) -> None:
    code, out, _ = run(index, "trend", "النفط", "الذهب", "--json", "--per", "articles")
    data = json.loads(out)
    assert code == 0 and data["by"] == "month"
    oil, gold = data["series"]
    assert oil["label"] == "النفط"
    assert [(p["period"], p["articles"], p["occurrences"]) for p in oil["points"]] == [("2015-07", 2, 6), ("2015-08", 2, 4)]
    assert [p["normalized"] for p in oil["points"]] == [1.0, 1.0]
    assert oil["undated"] == {"articles": 1, "occurrences": 1}
    assert [p["normalized"] for p in gold["points"]] == [0.0, 0.5]


def test_trend_in_a_pipe_is_tab_separated_and_says_whether_copies_counted(index: str) -> None:
    code, out, err = run(index, "trend", "النفط", "--dedupe")
    # a2 and a3 are copies of a1: July keeps a1 (title once, body twice), August a4 (والنفط)
    assert code == 0 and [line.split("\t")[:4] for line in out.splitlines()[:2]] == [["النفط", "2015-07", "1", "3"], ["النفط", "2015-08", "1", "1"]]
    assert "identical bodies counted once" in err


def test_trend_split_by_source(index: str) -> None:
    data = json.loads(run(index, "trend", "النفط", "--split", "source", "--json", "--by", "year")[1])
    assert {s["label"]: s["points"][0]["articles"] for s in data["series"]} == {"alriyadh": 1, "okaz": 1, "sabq": 2}


@pytest.mark.parametrize("suffix, magic", [(".png", b"\x89PNG"), (".svg", b"<?xml")])
def test_trend_plot_writes_a_chart(index: str, tmp_path: Path, suffix: str, magic: bytes) -> None:
    chart = tmp_path / f"trend{suffix}"
    code, _, err = run(index, "trend", "النفط", "--plot", str(chart))
    assert code == 0 and chart.read_bytes().startswith(magic)
    assert "wrote" in err


def test_trend_plot_refuses_another_format(index: str, tmp_path: Path) -> None:
    code, _, err = run(index, "trend", "النفط", "--plot", str(tmp_path / "trend.pdf"))
    assert code == 2 and "--plot writes .png or .svg" in err


def test_arabic_labels_are_drawn_joined_and_right_to_left() -> None:
    """Lay the label out as matplotlib does (libraqm from 3.11 on, glyph by glyph before)."""
    from matplotlib import _text_helpers
    from matplotlib.font_manager import FontProperties, findfont, get_font

    from indexer.views.plot import for_display

    font = get_font(findfont(FontProperties(family="DejaVu Sans")))
    font.set_size(12, 72)
    glyphs = [item.glyph_index for item in sorted(_text_helpers.layout(for_display("النفط"), font), key=lambda item: item.x)]
    # ط, the last letter, in its final form, drawn leftmost; ا, the first, rightmost; ن joined on both sides
    assert glyphs[0] == font.get_char_index(0xFEC2)
    assert glyphs[-1] in (font.get_char_index(0x0627), font.get_char_index(0xFE8D))
    assert font.get_char_index(0xFEE8) in glyphs


def test_sparkline_on_a_terminal() -> None:
    from indexer.views.plot import sparkline

    assert sparkline([0, 1, 2, 4]) == "▁▃▅█"


def test_collocates_csv(index: str) -> None:
    code, out, err = run(index, "collocates", "وزير", "--min-freq", "2", "--csv")
    header, *rows = out.splitlines()
    assert "copies counted" in err
    assert code == 0 and header == "word,stem,cooccurrences,frequency,score"
    stem = analyze("الخارجية")[0].stem
    assert f"الخارجية,{stem},6,6" in [r.rsplit(",", 1)[0] for r in rows]  # shown as the articles write it


def test_collocates_csv_keeps_the_scores_a_spreadsheet_can_sort(index: str) -> None:
    """Four decimals, never a power of ten: a G2 of 22154.21 written 2.215e+04 lost its
    last digits and read as text in some spreadsheets."""
    for measure in ("logdice", "llr"):
        scores = {c["stem"]: c["score"] for c in json.loads(run(index, "collocates", "وزير", "--min-freq", "1", "--measure", measure, "--json")[1])["collocates"]}
        rows = list(csv.DictReader(io.StringIO(run(index, "collocates", "وزير", "--min-freq", "1", "--measure", measure, "--csv")[1])))
        assert rows and all("e" not in row["score"] and len(row["score"].split(".")[1]) == 4 for row in rows)
        assert all(float(row["score"]) == pytest.approx(scores[row["stem"]], abs=5e-5) for row in rows)


def test_kwic_csv_is_one_row_per_line_and_runs_no_formula(tmp_path: Path) -> None:
    """A paragraph break before قال (a fifth of its lines in the news) made a row several
    lines high in a spreadsheet; an article starting with = ran as a formula in Excel."""
    with Corpus(tmp_path / "index") as corpus:
        corpus.add([
            Article("f1", "", '=HYPERLINK("http://example.com","اضغط") قال الوزير', datetime(2015, 7, 1), "", "sabq", "", "f1"),
            Article("f2", "", "بيان الوزارة\n\nقال الوزير إن\u00a0الحكومة -3 مستعدة", datetime(2015, 7, 2), "", "sabq", "", "f2"),
        ])
    index = str(tmp_path / "index")
    rows = list(csv.DictReader(io.StringIO(run(index, "kwic", "قال", "--csv")[1])))
    exact = json.loads(run(index, "kwic", "قال", "--json")[1])["lines"]
    assert [r["id"] for r in rows] == [ln["id"] for ln in exact] == ["f1", "f2"]
    assert rows[0]["left"] == "'" + exact[0]["left"] and rows[0]["left"].startswith("'=HYPERLINK(")
    assert exact[1]["left"] == "بيان الوزارة\n\n" and rows[1]["left"] == "بيان الوزارة "
    assert rows[1]["right"] == " الوزير إن الحكومة -3 مستعدة"
    keyed = list(csv.DictReader(io.StringIO(run(index, "freq", "الوزير", "--sort", "keyness", "--csv")[1])))
    assert all(not row["keyness"].startswith("'") for row in keyed)  # numbers stay numbers


def test_freq_json_flags_stopwords(index: str) -> None:
    data = json.loads(run(index, "freq", "--by", "exact", "--json", "--top", "3")[1])  # a4 has والنفط
    assert data["by"] == "exact"
    assert data["terms"][0] == {"term": "النفط", "frequency": 10, "documents": 4, "stopword": False, "keyness": None, "written": "النفط", "log_ratio": None}
    assert {t["term"]: t["stopword"] for t in data["terms"]}.get("ان", True)


@pytest.mark.parametrize(
    "args, message",
    [
        (["kwic", '"وزير'], "position 0"),
        (["freq", "--sort", "keyness"], "needs a QUERY"),
        (["kwic", "النفط", "--json", "--csv"], "just one of"),
        (["trend", "النفط", "--since", "2015-13-01"], "YYYY-MM-DD"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(index: str, args: list[str], message: str) -> None:
    code, _, err = run(index, *args)
    assert code == 2 and message in err and "Traceback" not in err


def test_no_index_is_exit_1(tmp_path: Path) -> None:
    code, _, err = run(str(tmp_path / "none"), "kwic", "النفط")
    assert code == 1 and err.startswith("Error:")


def test_search_dedupe_keeps_the_earliest_copy(index: str) -> None:
    copies = json.loads(run(index, "query", "وزير", "--json")[1])
    once = json.loads(run(index, "query", "وزير", "--json", "--dedupe")[1])
    assert (copies["total"], copies["deduplicated"]) == (3, False)
    assert (once["total"], once["deduplicated"]) == (1, True)
    assert [h["id"] for h in once["hits"]] == ["a1"]
    assert "identical bodies counted once" in run(index, "query", "وزير", "--dedupe")[1]


def test_streams_follow_the_segments(tmp_path: Path) -> None:
    """The writer keeps one stream per segment and field: a merge removes those of the
    segments merged away, and a half-written one left by a killed build goes too."""
    path = tmp_path / "index"
    with Corpus(path) as corpus:
        corpus.add(ARTICLES[:2])
        views = corpus.location.require_live_generation() / "views"
        (views / "leftover.tmp").mkdir()
        for article in ARTICLES[2:]:
            corpus.add([article])  # small commits: segments pile up, then merge
        reader = corpus.open_index().reader()
        segments = {leaf.segment().segment_id() for leaf, _ in reader.leaf_readers()}
        reader.close()
        assert {p.name.split(".")[0] for p in views.iterdir()} == segments
        assert len(list(views.iterdir())) == 4 * len(segments)
        assert corpus.kwic("النفط", limit=0).total == 11


def test_the_writer_saves_the_streams_it_would_read_back(tmp_path: Path, monkeypatch) -> None:
    """Each segment's streams are saved as its postings are written (merges included):
    the same arrays as reading the postings back, and no view or commit reads them back."""
    from indexer.store import streams

    rebuilt = []
    monkeypatch.setattr(streams, "build", lambda reader, field: rebuilt.append(field))
    path = tmp_path / "index"
    with Corpus(path) as corpus:
        corpus.add(ARTICLES[:2])
        for article in ARTICLES[2:]:
            corpus.add([article])  # small commits, then merges
        corpus.index([REPO / "corpus"])
        assert corpus.kwic("النفط", limit=0).total > 11
        assert rebuilt == []
        generation = corpus.location.require_live_generation()
        reader = corpus.open_index().reader()
        monkeypatch.undo()
        for leaf, _ in reader.leaf_readers():
            for field in streams.TEXT_FIELDS:
                saved = streams._load(generation / streams.CACHE_DIR / f"{leaf.segment().segment_id()}.{field}")
                read_back = streams.build(leaf, field)
                assert saved.words == read_back.words
                assert np.array_equal(saved.tokens, read_back.tokens) and np.array_equal(saved.starts, read_back.starts)
        reader.close()


def on_a_terminal(index: str, *args: str, columns: int = 200) -> list[str]:
    """The lines a person sees running the command in a terminal (a pseudo-terminal, so
    the command takes its terminal branch), colour escapes removed."""
    import os
    import pty
    import re
    import subprocess
    import sys

    leader, follower = pty.openpty()
    env = {**os.environ, "PYTHONPATH": str(REPO), "TERM": "xterm", "COLUMNS": str(columns)}
    process = subprocess.Popen([sys.executable, "-m", "indexer", *args, "--index", index], stdout=follower, stderr=subprocess.PIPE, env=env)
    os.close(follower)
    out = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the command closed the terminal
            break
        if not chunk:
            break
        out += chunk
    os.close(leader)
    assert process.wait(timeout=60) == 0, process.stderr.read().decode() if process.stderr else ""
    return re.sub(r"\x1b\[[0-9;]*m", "", out.decode("utf-8")).replace("\r", "").splitlines()


def test_kwic_on_a_terminal_lines_up_the_matches_whatever_the_diacritics(index: str) -> None:
    from indexer.terminal import cells

    # a2's left context of the second وزير holds وَزِيرُ: four diacritics, no columns
    header, *lines = on_a_terminal(index, "kwic", "الخارجية", "--width", "20", "--sort", "source")
    assert header.startswith("6 occurrences in 3 articles")
    columns = {cells(line[: line.index("الخارجية")]) for line in lines}
    assert len(lines) == 6 and len(columns) == 1


MIXED = [  # contexts with Latin words and numbers, of different widths
    Article("m1", "", "قال مدرب PSG في 2015 إن وزير الخارجية زار Paris يوم 12 مايو مع الوفد.", datetime(2015, 7, 1), "", "sabq", "", "m1"),
    Article("m2", "", "وزير الخارجية", datetime(2015, 7, 2), "", "sabq", "", "m2"),
    Article("m3", "", "أمس التقى وَزِيرُ الخارجية الفرنسي Jean-Yves Le Drian نظيره في الرياض لمدة 3 ساعات.", datetime(2015, 7, 3), "", "okaz", "", "m3"),
]


def visual_columns(line: str, parts: list[str]) -> list[int]:
    """Where a terminal that orders text by the Unicode bidi algorithm (a line is an LTR
    paragraph, as in GNOME Terminal, Konsole, macOS Terminal) draws each of ``parts``,
    each shown as a right-to-left text of its own: the cell its drawing starts at."""
    from bidi import get_display

    from indexer.terminal import cells

    shown = get_display(line, base_dir="L")
    found = []
    for part in parts:
        drawn = get_display(part, base_dir="R")
        assert drawn in shown, (part, shown)
        found.append(cells(shown[: shown.index(drawn)]))
    return found


@pytest.mark.parametrize("isolates", [True, False], ids=["terminal-with-isolates", "terminal-ignoring-isolates"])
def test_kwic_on_a_terminal_reads_right_to_left_with_latin_and_numbers(tmp_path: Path, isolates: bool) -> None:
    """The match in one column, the words before it on its right and those after on its
    left, each context read right to left with its Latin words and numbers in place."""
    with Corpus(tmp_path / "index") as corpus:
        corpus.add(MIXED)
    index = str(tmp_path / "index")
    header, *lines = on_a_terminal(index, "kwic", "الخارجية", "--width", "30")
    records = json.loads(run(index, "kwic", "الخارجية", "--width", "30", "--json")[1])["lines"]
    assert len(lines) == len(records) == 3
    match_columns = set()
    for line, record in zip(lines, records):
        if not isolates:
            line = line.replace("\u2067", "").replace("\u2069", "")
        preceding, following = record["left"].strip(), record["right"].strip()
        (match,) = visual_columns(line, [record["match"]])
        match_columns.add(match)
        if isolates or not any(c.isascii() and c.isalnum() for c in preceding + following):
            if preceding:
                assert visual_columns(line, [preceding])[0] > match, line
            if following:
                assert visual_columns(line, [following])[0] < match, line
    assert len(match_columns) == 1


def test_kwic_on_a_terminal_fits_each_line_in_its_width(tmp_path: Path) -> None:
    """50 characters each side beside a date, a source and an ANT id made lines of about
    170 columns: folded in two on a terminal of 80 or 120, the match column was lost.
    Each context is cut at its far end, in whole words; a --width asked for is kept."""
    from indexer.terminal import cells

    with Corpus(tmp_path / "index") as corpus:
        corpus.add(MIXED)
    index = str(tmp_path / "index")
    records = json.loads(run(index, "kwic", "الخارجية", "--json")[1])["lines"]
    for columns in (80, 120):
        header, *lines = on_a_terminal(index, "kwic", "الخارجية", columns=columns)
        assert len(lines) == 3 and all(cells(line) <= columns for line in lines), [cells(line) for line in lines]
        assert len({visual_columns(line, [r["match"]])[0] for line, r in zip(lines, records)}) == 1
        for line, record in zip(lines, records):  # whole words, the nearest kept
            preceding, following = line.split("\u2067")[3].rstrip("\u2069"), line.split("\u2067")[1].split("\u2069")[0]
            assert record["left"].strip().endswith(preceding) and record["right"].strip().startswith(following)
            assert preceding == "" or record["left"].strip() == preceding or record["left"].strip()[-len(preceding) - 1] == " "
    asked = on_a_terminal(index, "kwic", "الخارجية", "--width", "50", columns=80)[1:]
    assert any(cells(line) > 80 for line in asked)


def test_kwic_on_a_terminal_shows_whole_ids(tmp_path: Path) -> None:
    long_id = "JA-localNews-4174-20140615-copy"  # ANT ids run to 26 characters and more
    with Corpus(tmp_path / "index") as corpus:
        corpus.add([Article(long_id, "النفط", "النفط يرتفع", datetime(2015, 7, 1), "2015-07-01", "Jawhara FM", "", long_id)])
    lines = on_a_terminal(str(tmp_path / "index"), "kwic", "النفط")
    assert all(long_id in line for line in lines[1:]) and len(lines) == 3


def test_collocates_of_a_subcorpus_are_weighed_against_that_subcorpus(index: str) -> None:
    # sabq holds a1 (وزير الخارجية twice in its body), a4 and a5; a2 and a3 are elsewhere
    data = json.loads(run(index, "collocates", "وزير", "--source", "sabq", "--min-freq", "1", "--json")[1])
    sabq = json.loads(run(index, "freq", "--source", "sabq", "--json", "--top", "1000")[1])
    assert data["node_frequency"] == 2 and data["corpus_words"] == sabq["words"]
    stem = analyze("الخارجية")[0].stem
    foreign = next(c for c in data["collocates"] if c["stem"] == stem)
    assert foreign["frequency"] == next(t["frequency"] for t in sabq["terms"] if t["term"] == stem) == 2
    assert foreign["score"] == 14.0  # logDice: 2 x 2 / (2 + 2), both only ever together


def test_kwic_context_never_shows_part_of_a_word(index: str) -> None:
    # 12 characters each side of a1's first النفط are "ية أن أسعار " and " ارتفعت اليو":
    # the pieces of الخارجية and اليوم are left out, not shown as words they are not
    lines = json.loads(run(index, "kwic", "النفط", "--width", "12", "--json", "--source", "sabq", "--sort", "date")[1])["lines"]
    first = next(ln for ln in lines if ln["id"] == "a1" and ln["field"] == "body")
    assert (first["left"], first["right"]) == (" أن أسعار ", " ارتفعت ")


def test_trend_on_a_terminal_names_no_peak_for_a_word_never_found(index: str) -> None:
    header, oil, nothing = on_a_terminal(index, "trend", "النفط", "البنفسج")
    assert header.startswith("2015-07 .. 2015-08 by month")
    assert oil.endswith("النفط: 5 articles, 11 occurrences, peak 2015-07")
    assert nothing.endswith("البنفسج: 0 articles, 0 occurrences, peak -")
    gold = on_a_terminal(index, "trend", "الذهب")[1]
    assert gold.endswith("الذهب: 1 article, 2 occurrences, peak 2015-08")


def test_a_chart_of_many_series_draws_each_its_own_way(tmp_path: Path) -> None:
    """--split source over the news gives 13 series: more than matplotlib's 10 colours."""
    import re

    from indexer.views.plot import plot
    from indexer.views.trend import Point, Series, Trend

    months = ["2015-07", "2015-08", "2015-09"]
    result = Trend("month", "million-words", False, [Series(f"source{k}", [Point(m, 1, k, float(k + i)) for i, m in enumerate(months)]) for k in range(13)])
    plot(result, tmp_path / "chart.svg", "النفط")
    svg = (tmp_path / "chart.svg").read_text()
    styles = set()
    for group in re.findall(r'<g id="line2d_\d+">(.*?)</g>', svg, re.S):
        style = re.search(r'style="([^"]*)"', group)
        if style and "stroke-opacity" not in style.group(1) and "stroke: #000000" not in style.group(1):
            styles.add(re.sub(r"stroke-dashoffset: [\d.]+;?", "", style.group(1)))
    assert len(styles) == 13


def test_trend_csv_keeps_the_undated_articles(index: str) -> None:
    # a5 has no date: the pipe's rows and the JSON count it apart, and so must the CSV
    code, out, _ = run(index, "trend", "النفط", "--csv")
    assert code == 0 and out.splitlines() == [
        "series,period,articles,occurrences,normalized",
        "النفط,2015-07,2,6,187500",  # 6 of the 32 words of July
        "النفط,2015-08,2,4,173913",
        "النفط,undated,1,1,",
    ]


def test_trend_split_names_each_source_as_its_articles_write_it(tmp_path: Path) -> None:
    with Corpus(tmp_path / "index") as corpus:
        corpus.add([
            Article("j1", "النفط", "النفط يرتفع", datetime(2015, 7, 1), "2015-07-01", "Jawhara FM", "", "j1"),
            Article("s1", "النفط", "النفط يتراجع", datetime(2015, 7, 2), "2015-07-02", "sabq", "", "s1"),
        ])
    data = json.loads(run(str(tmp_path / "index"), "trend", "النفط", "--split", "source", "--json")[1])
    assert [s["label"] for s in data["series"]] == ["Jawhara FM", "sabq"]  # as `corpus stats` lists them


def test_views_of_an_any_query_count_every_word_it_matched(index: str) -> None:
    # --any ranks a bag of words (a plan of its own); its occurrences are those of each word:
    # النفط 11, الذهب 2 (a4's title and body)
    data = json.loads(run(index, "kwic", "النفط", "الذهب", "--any", "--json")[1])
    assert (data["total"], data["articles"]) == (13, 5)
    trend = json.loads(run(index, "trend", "النفط الذهب", "--any", "--json")[1])
    assert [p["occurrences"] for p in trend["series"][0]["points"]] == [6, 6]
    collocates = json.loads(run(index, "collocates", "النفط", "الذهب", "--any", "--min-freq", "1", "--json")[1])
    assert collocates["node_frequency"] == 13 and collocates["collocates"]


def test_a_window_query_counts_each_shortest_window_once(tmp_path: Path) -> None:
    # "ولي ولي العهد" (deputy crown prince), common in the 2015 news, holds one shortest
    # window of ولي and العهد, not two: "ولي ولي العهد" also holds both but is not shortest
    with Corpus(tmp_path / "index") as corpus:
        corpus.add([Article("w1", "", "قال ولي ولي العهد إن ولي العهد", datetime(2015, 7, 1), "2015-07-01", "sabq", "", "w1")])
    data = json.loads(run(str(tmp_path / "index"), "kwic", '"ولي العهد"~2', "--json", "--sort", "date")[1])
    assert [ln["match"] for ln in data["lines"]] == ["ولي العهد", "العهد إن ولي", "ولي العهد"]
    assert data["total"] == 3


def test_collocates_on_a_terminal_say_when_min_freq_left_nothing(index: str) -> None:
    # يتراجع occurs once: no neighbour of it is seen the default 5 times
    lines = on_a_terminal(index, "collocates", "يتراجع")
    assert lines[0].startswith("1 occurrence of the node; ±5 words")
    assert lines[1:] == ["no word stands within 5 words of it 5 times or more (--min-freq 5)"]
