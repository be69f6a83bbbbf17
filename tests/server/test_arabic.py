"""The pages' messages in Arabic (``indexer/server/arabic.py``): every wording of the table
is shown by a real query or address on a live server, with no English left in it, and no
message of the query layer is without a wording."""

from __future__ import annotations

import ast
import html
import itertools
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from indexer import Corpus
from indexer.server.arabic import WORDINGS, Wording, notes
from tests.server.live import LiveServer
from tests.server.test_source_notes_page import SHOWN_NOTES

REPO = Path(__file__).resolve().parents[2]
QUERY_LAYER = REPO / "indexer" / "query"

#: Wordings no request can show, and why (the table words them for when one can).
UNREACHABLE = {
    "unexpected '{token}'": "the parser takes every token it is given (parse.py: 'cannot happen by construction')",
    "empty query": "the page searches only a query with more than spaces, or browses by its filters",
    "internal error: {kind}": "only a bug in the server answers 500",
}

#: A request (a query, or an address from "/"), the Arabic message the page must show,
#: and the Arabic notes under it.
CASES: list[tuple[str, str, tuple[str, ...]]] = [
    # Reading the query.
    ("القطار +", "يجب أن تلي «+» كلمةٌ مباشرةً، دون مسافة", ()),
    ('وزير "الخارجية', "علامة التنصيص لم تُغلق", ()),
    ('"القطار السريع"~س', "تحتاج «~» بعد العبارة إلى عدد من الكلمات، مثل «\"وزير الخارجية\"~3»", ()),
    ("عنوان:", "لم تُكتب قيمة بعد «عنوان:»", ()),
    ("مؤلف:القطار", "الحقل «مؤلف» غير معروف", (
        "الحقول المعروفة: «عنوان» أو «title»، و«نص» أو «body»، و«مصدر» أو «source»، و«تاريخ» أو «date»، و«url»، و«id»",)),
    ("تاريخ:(2031)", "يأخذ الحقل «date:» تاريخًا أو مقارنةً مثل «>=2015» أو مدى مثل «[2015 TO 2016]»، لا مجموعةً بين قوسين", ()),
    ("تاريخ:[2031", "القوس «[» في مدى التاريخ لم يُغلق", ()),
    ("القطار NEAR/س المحطة", "«NEAR/س»: يحتاج «NEAR/» إلى عدد من الكلمات، مثل «NEAR/5»", ()),
    ("القطار AND", "يحتاج «AND» إلى كلمة على كلٍّ من جانبيه", ()),
    ("القطار NOT", "يحتاج «NOT» إلى كلمة بعده", ()),
    ("القطار NEAR/3 (المحطة الركاب)", "يحتاج «NEAR/3» إلى كلمة أو عبارة على كلٍّ من جانبيه", ()),
    ("عنوان:القطار NEAR/3 نص:المحطة", "يحتاج «NEAR/3» إلى جانبين في حقل واحد، وهما هنا في «title» و«body»", ()),
    ("القطار)", "قوس الإغلاق «)» لا يقابله قوس فتح", ()),
    ("(" * 51 + "القطار" + ")" * 51, "الأقواس المتداخلة أعمق من الحد المسموح به، وهو 50", ()),
    ("(القطار", "قوس الفتح «(» لم يُغلق", ()),
    ("القطار ()", "لا شيء بين القوسين", ()),
    ('القطار ""', "لا شيء بين علامتي التنصيص", ()),
    ("قطا*~1", "لا يجتمع في كلمة واحدة نمطٌ («*» أو «?») وبحثٌ تقريبي («~»)", ()),
    ("القطار~3", "يُكتب بعد «~» في البحث التقريبي 0 أو 1 أو 2 فقط: عدد الأحرف التي يجوز أن تختلف", ()),
    ("القطار ***", "يحتاج النمط «***» إلى حرف واحد على الأقل", ()),
    # Dates in the query.
    ('تاريخ:""', "يحتاج الحقل «date:» إلى تاريخ، يُكتب بالصيغة «2015-07-21» أو «2015-07» أو «2015»", ()),
    ("تاريخ:[2032 TO 2031]", "مدى التاريخ فارغ: «2032» يقع بعد «2031»", ()),
    ("تاريخ:[2031]", "يُكتب مدى التاريخ هكذا: «[2015-07-21 TO 2015-07-31]»", ()),
    ("تاريخ:<0001", "التاريخ خارج المدى الممكن", ()),
    ("تاريخ:>=1446-09", "يُقرأ التاريخ «1446-09» بالتقويم الميلادي، أي في سنة 1446، قبل أي خبر: التواريخ هنا ميلادية، فحوّل التاريخ الهجري إلى الميلادي أولًا", ()),
    ("/?q=القطار تاريخ:2031-02&since=2031-06-01", "ينتهي التاريخ «2031-02» في الاستعلام قبل تاريخ «من» «2031-06-01»، فلا يقع فيهما معًا أي تاريخ", ()),
    ("/?q=القطار تاريخ:2032&until=2031-03-01", "يبدأ التاريخ «2032» في الاستعلام بعد تاريخ «إلى» «2031-03-01»، فلا يقع فيهما معًا أي تاريخ", ()),
    ("تاريخ:2031-13", "التاريخ «2031-13» غير صالح؛ يُكتب التاريخ بالصيغة «2015-07-21» أو «2015-07» أو «2015»", ()),
    # What one query may ask.
    ("ب" * 1001, "عدد أحرف الاستعلام 1,001، والحد الأقصى لما يُبحث عنه 1,000", ("اختصر الاستعلام",)),
    ("ب " * 201, "عدد كلمات الاستعلام 201، والحد الأقصى لما يُبحث عنه 200", ("اختصر الاستعلام",)),
    # What is left to search.
    ("-القطار", "يحتاج الاستعلام إلى كلمة واحدة على الأقل يُبحث عنها، لا إلى كلمات مستبعدة فقط", ()),
    ("المحطة OR -القطار", "يحتاج الاستعلام إلى كلمة واحدة على الأقل يُبحث عنها، لا إلى كلمات مستبعدة فقط",
     ("لا يكون أحد جانبي «OR» كلمةً مستبعدة وحدها («NOT» أو «-»)",)),
    ("من ؟ ـ*", "لم يبقَ في الاستعلام ما يُبحث عنه", (
        "أُهملت «من» لأنها من الكلمات الشائعة التي لا يُبحث عنها", "أُهمل «؟» لخلوّه من الحروف", "أُهمل «ـ*» لخلوّه من الحروف")),
    ('"؟ ؛"', "لم يبقَ في الاستعلام ما يُبحث عنه", ("أُهملت العبارة «؟ ؛» لخلوّها من الحروف",)),
    # The filters and the address, edited by hand.
    ("/?q=القطار&since=أمس", "يُكتب تاريخ «من» بالصيغة «2015-07-21» أو «2015-07» أو «2015»، لا «أمس»", ()),
    ("/?q=القطار&until=2031-02-30", "يُكتب تاريخ «إلى» بالصيغة «2015-07-21» أو «2015-07» أو «2015»، لا «2031-02-30»", ()),
    ("/?q=القطار&since=2031-05-01&until=2031-01", "تاريخ «من» «2031-05-01» يأتي بعد تاريخ «إلى» «2031-01-31»، فلا يقع بينهما أي تاريخ؛ لعلّك عكست الترتيب؟", ()),
    ("/?q=القطار&since=1452-10-09", "يُقرأ تاريخ «من» «1452-10-09» بالتقويم الميلادي، أي في سنة 1452، قبل أي خبر: التواريخ هنا ميلادية، فحوّل التاريخ الهجري إلى الميلادي أولًا", ()),
    ("/?q=القطار&until=١٤٥٢", "يُقرأ تاريخ «إلى» «١٤٥٢» بالتقويم الميلادي، أي في سنة 1452، قبل أي خبر: التواريخ هنا ميلادية، فحوّل التاريخ الهجري إلى الميلادي أولًا", ()),
    ("/?q=القطار&offset=20000", "يجب ألا تزيد قيمة «offset» في عنوان الصفحة على 10000", ()),
    ("/?q=القطار&offset=-1", "يجب ألا تقل قيمة «offset» في عنوان الصفحة عن 0", ()),
    ("/?q=القطار&offset=عشرة", "يجب أن تكون قيمة «offset» في عنوان الصفحة عددًا صحيحًا", ()),
    ("/?q=القطار&exact=ربما", "يجب أن تكون قيمة «exact» في عنوان الصفحة «1» أو «0»", ()),
    ("/?q=القطار&sort=random", "تأخذ «sort» في عنوان الصفحة إحدى القيم: «relevance» أو «date» أو «-date»", ()),
    ("/?q=%E3%C8", "قيمة «q» في عنوان الصفحة ليست بترميز «UTF-8» (فيها البايت «0xE3»)؛ رمّز النص بترميز «UTF-8»", ()),
    ("/articles/%E3%C8", "مسار الصفحة ليس بترميز «UTF-8» (فيه البايت «0xE3»)؛ رمّز النص بترميز «UTF-8»", ()),
    ("/no-such-page", "لا توجد صفحة بهذا العنوان", ()),
    ("POST /", "لا تقبل هذه الصفحة هذا النوع من الطلبات", ()),
]

#: Wildcards and fuzzy words that stand for too many terms, on an index with that many.
EXPANSION_CASES: list[tuple[str, str, tuple[str, ...]]] = [
    ("سف*", "النمط «سف*» يقابل كلماتٍ في الفهرس يزيد عددها على 1000", ("أطِل النمط",)),
    ("سفبب~2", "البحث التقريبي عن «سفبب» يقابل كلماتٍ في الفهرس يزيد عددها على 1000", ("استعمل «~1» أو كلمة أطول",)),
    ("قط* " * 14, "الأنماط وكلمات البحث التقريبي حتى «قط*» تقابل معًا كلماتٍ في الفهرس يزيد عددها على 10,000",
     ("استعمل أنماطًا أقل أو أطول",)),
]

_LETTERS = "بتثجحخدذرزسشصضطظعغفقكلمنهوي"


@pytest.fixture(scope="module")
def many_terms_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A server over an index with 729 words of the form قطXY and 1,458 starting with سف:
    enough for one pattern to stand for more than 1,000 terms."""
    path = tmp_path_factory.mktemp("many-terms") / "index"
    words = [start + x + y for start in ("قط", "سف", "سفب") for x in _LETTERS for y in _LETTERS]
    with Corpus(path) as corpus:
        corpus.add([{"id": f"words-{n}", "title": "كلمات", "body": " ".join(words[n::4]), "date": "2031-01-01", "source": "test"} for n in range(4)])
    live = LiveServer(path)
    yield live
    live.stop()


def shown(server: LiveServer, request: str) -> tuple[int, str, list[str], str]:
    """The status, the message, the notes and the position the page shows for ``request``."""
    if request.startswith("POST "):
        answer = server.client.post(request[5:])
    elif request.startswith("/"):
        answer = server.client.get(request)
    else:
        answer = server.client.get("/", params={"q": request})
    assert answer.headers["content-type"].startswith("text/html"), request
    page = answer.text
    message = re.search(r'class="message">(.*?)</(?:span|p)>', page, re.S)
    assert message, f"{request!r}: no message on the page"
    notes_list = re.search(r'<ul class="notes">(.*?)</ul>', page, re.S)
    notes_shown = re.findall(r"<li>(.*?)</li>", notes_list.group(1), re.S) if notes_list else []
    where = re.search(r'<span class="where">(.*?)</span>', page, re.S)
    return answer.status_code, _text(message.group(1)), [_text(n) for n in notes_shown], _text(where.group(1)) if where else ""


def _text(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", fragment)).split())


def english_outside_quotes(text: str) -> list[str]:
    """Latin words of ``text`` outside « » (inside are query parts and syntax as typed)."""
    return re.findall(r"[A-Za-z]+", re.sub(r"«[^»]*»", "", text))


def _check(server: LiveServer, request: str, message: str, notes_expected: tuple[str, ...]) -> None:
    status, shown_message, shown_notes, _ = shown(server, request)
    assert status in (400, 404, 405, 422), (request, status)
    assert shown_message == message, request
    assert shown_notes == list(notes_expected), request
    for text in (shown_message, *shown_notes):
        assert not english_outside_quotes(text), (request, text)


@pytest.mark.parametrize(("request_", "message", "notes_expected"), CASES, ids=[c[0][:40] for c in CASES])
def test_the_page_words_each_error_in_arabic(server, request_, message, notes_expected):
    _check(server, request_, message, notes_expected)


@pytest.mark.parametrize(("request_", "message", "notes_expected"), EXPANSION_CASES, ids=[c[0][:12] for c in EXPANSION_CASES])
def test_the_page_words_each_expansion_error_in_arabic(many_terms_server, request_, message, notes_expected):
    _check(many_terms_server, request_, message, notes_expected)


def arabic_pattern(wording: Wording) -> re.Pattern[str]:
    """What ``wording`` reads as on the page, any part in place of each ``{name}``."""
    return re.compile(re.sub(r"\\\{\w+\\\}", ".+?", re.escape(wording.arabic)))


def test_every_wording_is_shown_by_some_request():
    shown_texts = [text for _, message, notes_expected in CASES + EXPANSION_CASES for text in (message, *notes_expected)]
    shown_texts += SHOWN_NOTES  # the notes of a source filter no article answers
    unshown = [
        w.english for w in WORDINGS
        if w.english not in UNREACHABLE and not any(arabic_pattern(w).fullmatch(text) for text in shown_texts)
    ]
    assert not unshown, f"no request in CASES shows these wordings: {unshown}"
    assert set(UNREACHABLE) <= {w.english for w in WORDINGS}


def test_the_position_is_the_character_a_reader_counts_and_what_was_typed_there(server):
    assert shown(server, 'وزير "الخارجية')[3] == "عند الحرف 6: «\"الخارجية»"
    assert shown(server, "القطار AND")[3] == "عند الحرف 8: «AND»"
    assert shown(server, "ب" * 1001)[3] == "عند الحرف 1001: «ب»"


def test_a_quoted_part_is_text_on_the_page_never_markup(server):
    page = server.client.get("/", params={"q": 'القطار "<script>alert(1)</script>'}).text
    assert "<script>alert(1)" not in page
    assert shown(server, 'القطار "<script>alert(1)</script>')[3] == 'عند الحرف 8: «"<script>alert(1)</script>»'


def test_a_message_without_a_wording_is_shown_in_english_as_it_comes():
    assert notes("a note nobody has worded") == ['<bdi lang="en" dir="ltr">a note nobody has worded</bdi>']


def test_a_note_holding_the_separator_is_still_one_note():
    assert [_text(n) for n in notes('"; ;" has no letters: ignored; \'من\' is a stopword: ignored')] == [
        "أُهملت العبارة «; ;» لخلوّها من الحروف", "أُهملت «من» لأنها من الكلمات الشائعة التي لا يُبحث عنها",
    ]


# Completeness: every message the query layer can fail with has a wording.

#: Calls whose string arguments are messages a query can fail with, and (build.py) the
#: notes that a "nothing left to search for" hint lists.
_ERROR_CALLS = {"QueryError", "QuerySyntaxError", "DateSpecError"}
_NOTES_FILE = "build.py"


def _module_strings(tree: ast.Module) -> dict[str, str]:
    """Module-level ``NAME = "text"`` constants."""
    return {
        target.id: node.value.value
        for node in tree.body if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)
        for target in node.targets if isinstance(target, ast.Name)
    }


def _local_strings(function: ast.AST) -> dict[str, list[ast.expr]]:
    """The string expressions assigned to each local name (``kind, fix = "a", "b"`` too)."""
    found: dict[str, list[ast.expr]] = {}
    for node in ast.walk(function):
        if not isinstance(node, ast.Assign):
            continue
        for target in node.targets:
            if isinstance(target, ast.Name):
                found.setdefault(target.id, []).append(node.value)
            elif isinstance(target, ast.Tuple) and isinstance(node.value, ast.Tuple):
                for name, value in zip(target.elts, node.value.elts):
                    if isinstance(name, ast.Name):
                        found.setdefault(name.id, []).append(value)
    return found


def _templates(expr: ast.expr, constants: dict[str, str], local: dict[str, list[ast.expr]]) -> list[str]:
    """The messages ``expr`` can be, a ``{}`` for each part that varies: f-strings with
    their constants filled in and each value a local name can hold spelled out."""
    if isinstance(expr, ast.Constant):
        return [expr.value] if isinstance(expr.value, str) else []
    if isinstance(expr, ast.Name):
        if expr.id in constants:
            return [constants[expr.id]]
        return [t for value in local.get(expr.id, []) for t in _templates(value, constants, {})]
    if isinstance(expr, ast.JoinedStr):
        choices: list[list[str]] = []
        for part in expr.values:
            if isinstance(part, ast.Constant):
                choices.append([part.value])
            else:
                filled = _templates(part.value, constants, local) if isinstance(part.value, ast.Name) else []
                choices.append(filled or ["{}"])
        return ["".join(combination) for combination in itertools.product(*choices)]
    return []


def query_layer_messages() -> set[str]:
    """Every message (and hint, and dropped-word note) the source of indexer/query/ can
    raise, as a template: ``{}`` where a part varies."""
    messages: set[str] = set()
    for path in sorted(QUERY_LAYER.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        constants = _module_strings(tree)
        functions = [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
        for function in functions:
            local = _local_strings(function)
            for call in (n for n in ast.walk(function) if isinstance(n, ast.Call)):
                callee = call.func
                name = callee.id if isinstance(callee, ast.Name) else callee.attr if isinstance(callee, ast.Attribute) else ""
                owner = callee.value if isinstance(callee, ast.Attribute) else None
                is_error = name in _ERROR_CALLS or (name == "error" and isinstance(owner, ast.Name) and owner.id == "self")
                is_note = path.name == _NOTES_FILE and name == "append" and (
                    isinstance(owner, ast.Attribute) and owner.attr == "notes" or isinstance(owner, ast.Name) and owner.id == "notes")
                if is_error or is_note:
                    for argument in [*call.args, *(k.value for k in call.keywords)]:
                        messages.update(_templates(argument, constants, local))
    return messages


def _shape(template: str) -> str:
    return re.sub(r"\{[^{}]*\}", "{}", template)


def test_the_source_scan_finds_the_messages_it_is_meant_to():
    """The scan itself: messages written each way the query layer writes them."""
    found = query_layer_messages()
    assert {
        "unbalanced quote",  # self.error("…", i) in the lexer
        "unknown field '{}'",  # an f-string
        "known fields: title/عنوان, body/نص, source/مصدر, date/تاريخ, url, id",  # a module constant inside an f-string
        "'{}' needs a term on each side",  # a local `message = f"…"` passed on
        "a query needs at least one positive term",  # a module constant passed by name
        "fuzzy term '{}' matches more than {} terms", "use ~1 or a longer word",  # `kind, fix = …` spelled out
        "invalid date '{}'; use YYYY-MM-DD, YYYY-MM or YYYY",  # DateSpecError
        "'{}' is a stopword: ignored",  # a note of build.py
    } <= found


def test_every_message_of_the_query_layer_has_an_arabic_wording():
    worded = {_shape(w.english) for w in WORDINGS}
    missing = sorted(m for m in query_layer_messages() if m not in worded)
    assert not missing, f"add these to indexer/server/arabic.py WORDINGS: {missing}"
