"""The pages' messages in Arabic: every message a query, a date filter or a hand-edited
address can fail with, in one table of English wording and its Arabic.

The library, the CLI and the JSON API speak English; only the pages, written for an Arabic
reader, translate, here. Each ``Wording`` writes the English as the source does, a
``{name}`` where a part varies (a quoted query part, a number), and the Arabic with the same
``{name}`` where that part goes: a query part as typed, inside « », and numbers in the
Western digits the page uses. A message no wording matches is shown in English, as it comes.

A failed query's hint can be a list of notes joined by "; " ("nothing left to search for":
what was dropped and why); ``notes`` translates each note.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property

from markupsafe import Markup, escape

from indexer.server.render import clean

_PLACEHOLDER = re.compile(r"\{(\w+)\}")
_CHOICE = re.compile(r"'([^']*)'")
#: Characters of the text at a query error's position quoted in the sentence (the page marks it in the query too).
_TYPED_SHOWN = 30
#: How a date is written, as the page says it (examples rather than YYYY-MM-DD).
_DATE_FORMS = "بالصيغة «2015-07-21» أو «2015-07» أو «2015»"


def _choices(english: str) -> str:
    """``'a', 'b' or 'c'`` (pydantic's list of allowed values) as «a» أو «b» أو «c»."""
    return " أو ".join(f"«{choice}»" for choice in _CHOICE.findall(english))


@dataclass(frozen=True)
class Wording:
    """One message: ``english`` as the source writes it (``{name}`` for a varying part),
    ``arabic`` with the same names. ``parts`` gives a part's regex where ``.+?`` would be
    too loose; ``convert`` rewrites a part before it is shown (and then it is not quoted)."""

    english: str
    arabic: str
    parts: Mapping[str, str] = field(default_factory=dict)
    convert: Mapping[str, Callable[[str], str]] = field(default_factory=dict)

    @cached_property
    def pattern(self) -> re.Pattern[str]:
        pieces, last = [], 0
        for found in _PLACEHOLDER.finditer(self.english):
            name = found.group(1)
            pieces += [re.escape(self.english[last : found.start()]), f"(?P<{name}>{self.parts.get(name, '.+?')})"]
            last = found.end()
        pieces.append(re.escape(self.english[last:]))
        return re.compile("".join(pieces), re.DOTALL)

    def render(self, found: re.Match[str]) -> Markup:
        """The Arabic with the message's parts: each one escaped and isolated (``<bdi>``), so
        a Latin or mixed part keeps its own direction inside the Arabic sentence."""
        values = {
            name: escape(self.convert[name](value)) if name in self.convert else Markup("<bdi>%s</bdi>") % clean(value)
            for name, value in found.groupdict().items()
        }
        out, last = [], 0
        for placeholder in _PLACEHOLDER.finditer(self.arabic):
            out += [escape(self.arabic[last : placeholder.start()]), values[placeholder.group(1)]]
            last = placeholder.end()
        out.append(escape(self.arabic[last:]))
        return Markup("").join(out)


#: Every message, grouped by where it comes from. The first wording that matches the
#: whole message is used.
WORDINGS: tuple[Wording, ...] = (
    # The query layer: reading the query (indexer/query/lexer.py, parse.py).
    Wording("'{operator}' must be directly followed by a term", "يجب أن تلي «{operator}» كلمةٌ مباشرةً، دون مسافة"),
    Wording("unbalanced quote", "علامة التنصيص لم تُغلق"),
    Wording("'~' after a phrase needs a number of words, e.g. \"a b\"~3",
            "تحتاج «~» بعد العبارة إلى عدد من الكلمات، مثل «\"وزير الخارجية\"~3»"),
    Wording("missing value after '{field}'", "لم تُكتب قيمة بعد «{field}»"),
    Wording("unknown field '{field}'", "الحقل «{field}» غير معروف"),
    Wording("known fields: title/عنوان, body/نص, source/مصدر, date/تاريخ, url, id",
            "الحقول المعروفة: «عنوان» أو «title»، و«نص» أو «body»، و«مصدر» أو «source»، و«تاريخ» أو «date»، و«url»، و«id»"),
    Wording("date: takes a date, a comparison or a range [A TO B], not a group",
            "يأخذ الحقل «date:» تاريخًا أو مقارنةً مثل «>=2015» أو مدى مثل «[2015 TO 2016]»، لا مجموعةً بين قوسين"),
    Wording("unbalanced '[' in date range", "القوس «[» في مدى التاريخ لم يُغلق"),
    Wording("'{word}': NEAR/ needs a number of words, e.g. NEAR/5",
            "«{word}»: يحتاج «NEAR/» إلى عدد من الكلمات، مثل «NEAR/5»"),
    Wording("'{operator}' needs a term on each side", "يحتاج «{operator}» إلى كلمة على كلٍّ من جانبيه"),
    Wording("'{operator}' needs a term after it", "يحتاج «{operator}» إلى كلمة بعده"),
    Wording("'{operator}' needs a word or phrase on each side", "يحتاج «{operator}» إلى كلمة أو عبارة على كلٍّ من جانبيه"),
    Wording("'{operator}' needs both sides in the same field ({left}, {right})",
            "يحتاج «{operator}» إلى جانبين في حقل واحد، وهما هنا في «{left}» و«{right}»"),
    Wording("unmatched ')'", "قوس الإغلاق «)» لا يقابله قوس فتح"),
    Wording("unexpected '{token}'", "«{token}» في غير موضعه"),
    Wording("more than {depth} nested parentheses", "الأقواس المتداخلة أعمق من الحد المسموح به، وهو {depth}"),
    Wording("unbalanced parenthesis", "قوس الفتح «(» لم يُغلق"),
    Wording("empty parentheses", "لا شيء بين القوسين"),
    Wording("empty phrase", "لا شيء بين علامتي التنصيص"),
    Wording("a word cannot be both a wildcard and fuzzy",
            "لا يجتمع في كلمة واحدة نمطٌ («*» أو «?») وبحثٌ تقريبي («~»)"),
    Wording("fuzzy distance must be 0, 1 or 2", "يُكتب بعد «~» في البحث التقريبي 0 أو 1 أو 2 فقط: عدد الأحرف التي يجوز أن تختلف"),
    Wording("wildcard '{pattern}' needs at least one letter", "يحتاج النمط «{pattern}» إلى حرف واحد على الأقل"),
    Wording("empty query", "الاستعلام فارغ"),
    # Dates in a query (indexer/query/dates.py).
    Wording("date: needs a value; use YYYY-MM-DD, YYYY-MM or YYYY", f"يحتاج الحقل «date:» إلى تاريخ، يُكتب {_DATE_FORMS}"),
    Wording("empty date range: {start} is after {end}", "مدى التاريخ فارغ: «{start}» يقع بعد «{end}»"),
    Wording("a date range reads like [2015-07-21 TO 2015-07-31]", "يُكتب مدى التاريخ هكذا: «[2015-07-21 TO 2015-07-31]»"),
    Wording("date out of range", "التاريخ خارج المدى الممكن"),
    Wording("invalid date '{date}'; use YYYY-MM-DD, YYYY-MM or YYYY", f"التاريخ «{{date}}» غير صالح؛ يُكتب التاريخ {_DATE_FORMS}"),
    Wording("'{date}' reads as the Gregorian year {year}, before any news: dates are Gregorian (a Hijri date must be converted first)",
            "يُقرأ التاريخ «{date}» بالتقويم الميلادي، أي في سنة {year}، قبل أي خبر: التواريخ هنا ميلادية، فحوّل التاريخ الهجري إلى الميلادي أولًا",
            convert={"year": str}),
    # What one query may ask (indexer/query/bounds.py, expansion.py).
    Wording("the query is {length} characters long; at most {most} are searched",
            "عدد أحرف الاستعلام {length}، والحد الأقصى لما يُبحث عنه {most}"),
    Wording("the query has {count} words; at most {most} are searched",
            "عدد كلمات الاستعلام {count}، والحد الأقصى لما يُبحث عنه {most}"),
    Wording("shorten it", "اختصر الاستعلام"),
    Wording("the wildcards and fuzzy words up to '{pattern}' stand for more than {most} terms together",
            "الأنماط وكلمات البحث التقريبي حتى «{pattern}» تقابل معًا كلماتٍ في الفهرس يزيد عددها على {most}"),
    Wording("use fewer of them, or longer ones", "استعمل أنماطًا أقل أو أطول"),
    Wording("fuzzy term '{word}' matches more than {most} terms",
            "البحث التقريبي عن «{word}» يقابل كلماتٍ في الفهرس يزيد عددها على {most}"),
    Wording("use ~1 or a longer word", "استعمل «~1» أو كلمة أطول"),
    Wording("pattern '{pattern}' matches more than {most} terms", "النمط «{pattern}» يقابل كلماتٍ في الفهرس يزيد عددها على {most}"),
    Wording("make it longer", "أطِل النمط"),
    # What is left to search (indexer/query/build.py) and the notes on what was dropped.
    Wording("a query needs at least one positive term", "يحتاج الاستعلام إلى كلمة واحدة على الأقل يُبحث عنها، لا إلى كلمات مستبعدة فقط"),
    Wording("NOT cannot stand alone on one side of OR",
            "لا يكون أحد جانبي «OR» كلمةً مستبعدة وحدها («NOT» أو «-»)"),
    Wording("nothing left to search for", "لم يبقَ في الاستعلام ما يُبحث عنه"),
    Wording("'{word}' has no letters: ignored", "أُهمل «{word}» لخلوّه من الحروف"),
    Wording("'{word}' is a stopword: ignored", "أُهملت «{word}» لأنها من الكلمات الشائعة التي لا يُبحث عنها"),
    Wording("\"{phrase}\" has no letters: ignored", "أُهملت العبارة «{phrase}» لخلوّها من الحروف"),
    # The page's filters (indexer/search.py), as the address carries them.
    Wording("since takes a date as YYYY-MM-DD, YYYY-MM or YYYY, not '{date}'", f"يُكتب تاريخ «من» {_DATE_FORMS}، لا «{{date}}»"),
    Wording("until takes a date as YYYY-MM-DD, YYYY-MM or YYYY, not '{date}'", f"يُكتب تاريخ «إلى» {_DATE_FORMS}، لا «{{date}}»"),
    Wording("since={since} is after until={until}, so no date can match both: did you swap them?",
            "تاريخ «من» «{since}» يأتي بعد تاريخ «إلى» «{until}»، فلا يقع بينهما أي تاريخ؛ لعلّك عكست الترتيب؟"),
    Wording("since={date} reads as the Gregorian year {year}, before any news: dates are Gregorian (a Hijri date must be converted first)",
            "يُقرأ تاريخ «من» «{date}» بالتقويم الميلادي، أي في سنة {year}، قبل أي خبر: التواريخ هنا ميلادية، فحوّل التاريخ الهجري إلى الميلادي أولًا",
            convert={"year": str}),
    Wording("until={date} reads as the Gregorian year {year}, before any news: dates are Gregorian (a Hijri date must be converted first)",
            "يُقرأ تاريخ «إلى» «{date}» بالتقويم الميلادي، أي في سنة {year}، قبل أي خبر: التواريخ هنا ميلادية، فحوّل التاريخ الهجري إلى الميلادي أولًا",
            convert={"year": str}),
    # A hand-edited address (indexer/server/errors.py, utf8.py; pydantic's and Starlette's wording).
    Wording("{parameter}: Input should be less than or equal to {most}",
            "يجب ألا تزيد قيمة «{parameter}» في عنوان الصفحة على {most}", parts={"parameter": r"\w+", "most": r"[\d,.]+"}),
    Wording("{parameter}: Input should be greater than or equal to {least}",
            "يجب ألا تقل قيمة «{parameter}» في عنوان الصفحة عن {least}", parts={"parameter": r"\w+", "least": r"[\d,.]+"}),
    Wording("{parameter}: Input should be a valid integer, {why}",
            "يجب أن تكون قيمة «{parameter}» في عنوان الصفحة عددًا صحيحًا", parts={"parameter": r"\w+"}),
    Wording("{parameter}: Input should be a valid boolean, {why}",
            "يجب أن تكون قيمة «{parameter}» في عنوان الصفحة «1» أو «0»", parts={"parameter": r"\w+"}),
    Wording("{parameter}: Input should be {choices}", "تأخذ «{parameter}» في عنوان الصفحة إحدى القيم: {choices}",
            parts={"parameter": r"\w+", "choices": r"'[^']*'(?:, '[^']*')*(?: or '[^']*')?"}, convert={"choices": _choices}),
    Wording("the path: not UTF-8 (byte {byte} at byte {offset}): percent-encode the text as UTF-8",
            "مسار الصفحة ليس بترميز «UTF-8» (فيه البايت «{byte}»)؛ رمّز النص بترميز «UTF-8»"),
    Wording("{parameter}: not UTF-8 (byte {byte} at byte {offset}): percent-encode the text as UTF-8",
            "قيمة «{parameter}» في عنوان الصفحة ليست بترميز «UTF-8» (فيها البايت «{byte}»)؛ رمّز النص بترميز «UTF-8»"),
    Wording("Not Found", "لا توجد صفحة بهذا العنوان"),
    Wording("Method Not Allowed", "لا تقبل هذه الصفحة هذا النوع من الطلبات"),
    Wording("internal error: {kind}", "خطأ داخلي في الخادم («{kind}»)، سُجّل في سجله ليُصلح"),
    # A source filter no article answers (indexer/source_names.py).
    Wording("no article of the index comes from the source '{name}'; did you mean '{close}'? (/api/stats lists the sources)",
            "لا توجد في الفهرس مقالة من المصدر «{name}»؛ هل تقصد «{close}»؟"),
    Wording("no article of the index comes from the source '{name}' (/api/stats lists the sources)",
            "لا توجد في الفهرس مقالة من المصدر «{name}»"),
    # A date: of the query that the page's date filters cannot meet (indexer/search.py).
    Wording("the query's date:{spec} ends before since={since} begins, so no date can match both",
            "ينتهي التاريخ «{spec}» في الاستعلام قبل تاريخ «من» «{since}»، فلا يقع فيهما معًا أي تاريخ"),
    Wording("the query's date:{spec} begins after until={until} ends, so no date can match both",
            "يبدأ التاريخ «{spec}» في الاستعلام بعد تاريخ «إلى» «{until}»، فلا يقع فيهما معًا أي تاريخ"),
)


def wording_of(message: str, table: tuple[Wording, ...] = WORDINGS) -> Wording | None:
    """The table's wording for ``message``, or None."""
    return next((w for w in table if w.pattern.fullmatch(message)), None)


def in_arabic(message: str, table: tuple[Wording, ...] = WORDINGS) -> Markup:
    """``message`` in Arabic, or, where the table has no wording for it, the English as it
    is, marked as English so it reads left to right inside the Arabic page."""
    for wording in table:
        found = wording.pattern.fullmatch(message)
        if found:
            return wording.render(found)
    return Markup('<bdi lang="en" dir="ltr">%s</bdi>') % clean(message)


def notes(hint: str | None, table: tuple[Wording, ...] = WORDINGS) -> list[Markup]:
    """A failed query's hint as the notes it joins with "; ", each in Arabic (or, when the
    notes cannot all be told apart and worded, the hint as one English note). A note can
    itself hold "; " (a phrase of punctuation), so the split is the one whose every piece
    the table words."""
    if not hint:
        return []
    pieces = hint.split("; ")
    # worded[i]: a way to word pieces[i:] as whole notes (the notes' ends), or None.
    worded: list[list[int] | None] = [None] * len(pieces) + [[]]
    for start in range(len(pieces) - 1, -1, -1):
        for end in range(start + 1, len(pieces) + 1):
            rest = worded[end]
            if rest is not None and wording_of("; ".join(pieces[start:end]), table) is not None:
                worded[start] = [end, *rest]
                break
    ends = worded[0]
    if ends is None:
        return [in_arabic(hint, table)]
    starts = [0, *ends[:-1]]
    return [in_arabic("; ".join(pieces[start:end]), table) for start, end in zip(starts, ends)]


def where(query: str, position: int | None) -> Markup:
    """Where in ``query`` the problem is, as a reader counts (the first character is 1),
    and what was typed there: the run of text from that character to the next space."""
    if position is None or not 0 <= position <= len(query):
        return Markup("")
    if position == len(query):
        return Markup("في نهاية الاستعلام")
    if query[position].isspace():
        return Markup("عند الحرف %d: مسافة") % (position + 1)
    typed = query[position:].split(maxsplit=1)[0]
    if len(typed) > _TYPED_SHOWN:
        typed = typed[:_TYPED_SHOWN] + "…"
    return Markup("عند الحرف %d: «<bdi>%s</bdi>»") % (position + 1, clean(typed))


# How the search page says what the stemmer did to each word of the query ("كيف فُهم
# البحث", from ``Corpus.explanation``): each decision (``indexer.analysis.stemming.Step``,
# as ``str(step)`` writes it) and the evidence behind it (its ``reason``, whose pieces
# are joined by "; "). The counts stay as the stemmer gives them.

_COUNT = r"[\d,.]+"


def _reason(reason: str) -> Markup:
    """A stemmer's ``reason`` in Arabic, its pieces joined by the Arabic semicolon."""
    return Markup("؛ ").join(notes(reason, REASON_WORDINGS))


#: The evidence for keeping or removing an affix (``_judge_prefix``, ``_weigh_prefix``,
#: ``_judge_suffix`` and ``_agree`` of indexer/analysis/stemming.py). A longer wording comes
#: before a shorter one that would match the same text.
REASON_WORDINGS: tuple[Wording, ...] = (
    Wording("spelled {affix} + hamza: a word begins after it", "كُتب «{affix}» تليه همزة، فبعده تبدأ كلمة"),
    Wording("{affix} before the article: {rest} seen {count}×",
            "«{affix}» قبل أداة التعريف، وعدد مرات ورود «{rest}»: {count}", parts={"count": _COUNT}, convert={"count": str}),
    Wording("but {form} seen {count}×: a clitic comes before the article, so {affix} is the word's",
            "لكن عدد مرات ورود «{form}»: {count}، والحرف المتصل يسبق أداة التعريف ولا يليها، فـ«{affix}» من أصل الكلمة",
            parts={"count": _COUNT}, convert={"count": str}),
    Wording("{word} is rare; {rest} is attested with the article", "«{word}» نادرة، و«{rest}» واردة مع أداة التعريف"),
    Wording("{word} is rare; {stem} is attested", "«{word}» نادرة، و«{stem}» واردة"),
    Wording("{rest} is not attested", "«{rest}» غير واردة"),
    Wording("{word} never seen, and {affix} is a clitic on 1 word in {words}",
            "«{word}» لم ترد قط، و«{affix}» لا يتصل إلا بكلمة واحدة من كل {words}", parts={"words": _COUNT}, convert={"words": str}),
    Wording("{word} seen {count}×, {affix} + {rest} explains {expected}",
            "عدد مرات ورود «{word}»: {count}، والمتوقع منها لو كانت «{affix}» + «{rest}»: {expected}",
            parts={"count": _COUNT, "expected": _COUNT}, convert={"count": str, "expected": str}),
    Wording("neighbours {neighbours}, same articles {together}× chance",
            "تشابه السياقات {neighbours}، واجتماعهما في المقالات {together} ضعف المصادفة",
            parts={"neighbours": _COUNT, "together": _COUNT}, convert={"neighbours": str, "together": str}),
    Wording("{word} and {rest}: {evidence}", "«{word}» و«{rest}»: {evidence}", convert={"evidence": _reason}),
    Wording("{word} and {rest} were not seen often enough to compare", "لم ترد «{word}» و«{rest}» بما يكفي للمقارنة بينهما"),
    Wording("{forms} not attested", "لم ترد «{forms}»"),
    Wording("{rest} is a stopword", "«{rest}» من الكلمات الشائعة"),
    Wording("{rest} seen {count}×", "عدد مرات ورود «{rest}»: {count}", parts={"count": _COUNT}, convert={"count": str}),
)

#: Each decision as ``str(Step)`` writes it: the affix, removed or kept, and its kind.
STEP_WORDINGS: tuple[Wording, ...] = (
    Wording("{affix}- removed (article: always)", "حُذفت «{affix}»: أداة التعريف تُحذف دائمًا"),
    Wording("{affix}- removed (conjunction: {reason})", "حُذف حرف العطف «{affix}»: {reason}", convert={"reason": _reason}),
    Wording("{affix}- kept (conjunction: {reason})", "أُبقي «{affix}» من أصل الكلمة، لا حرف عطف: {reason}", convert={"reason": _reason}),
    Wording("{affix}- removed (preposition: {reason})", "حُذف حرف الجر «{affix}»: {reason}", convert={"reason": _reason}),
    Wording("{affix}- kept (preposition: {reason})", "أُبقي «{affix}» من أصل الكلمة، لا حرف جر: {reason}", convert={"reason": _reason}),
    Wording("-{affix} removed (suffix: {reason})", "حُذفت اللاحقة «{affix}»: {reason}", convert={"reason": _reason}),
    Wording("-{affix} kept (suffix: {reason})", "أُبقيت «{affix}» في آخر الكلمة، لا لاحقة: {reason}", convert={"reason": _reason}),
)


def step_in_arabic(step: object) -> Markup:
    """One decision of the stemmer (an ``indexer.analysis.stemming.Step``) as an Arabic sentence."""
    return in_arabic(str(step), STEP_WORDINGS)


# How the collocates and distinctive-words tabs name their scores and say what each means:
# the reader chooses a measure by what it rewards. The thresholds are those of the
# measures themselves (indexer/views/measures.py).

#: Each collocation measure of ``/api/collocates``: its name on the page, its column's
#: heading (short: a phone's table is narrow), and what its score says.
MEASURES: dict[str, tuple[str, str, str]] = {
    "logdice": ("logDice", "logDice", "يقيس قوة الاقتران بنسبة مرات ورود الكلمة قرب الاستعلام إلى مجموع مرات ورود كلٍّ منهما، "
                "ولا يتأثر بحجم المدوّنة: أقصاه 14، وكل زيادة بمقدار 1 تعني أن الاقتران ضعف ما قبله. "
                "يصلح لمقارنة المرشحات والمدوّنات بعضها ببعض."),
    "mi": ("المعلومات المتبادلة (MI)", "MI", "تقيس كم مرة يزيد ورود الكلمة قرب الاستعلام على ما تعطيه المصادفة، بلوغاريتم الأساس 2: "
           "3 تعني ثمانية أضعاف المصادفة. ترفع الكلمات النادرة، فارفع الحد الأدنى للتكرار لتستبعدها."),
    "t": ("درجة t", "t", "تقيس مدى الثقة في أن اقتران الكلمة بالاستعلام ليس مصادفة: تفضّل الكلمات الكثيرة الورود، "
          "وما فوق 2 لا يكاد يكون مصادفة."),
    "llr": ("نسبة الأرجحية (log-likelihood)", "LL", "تقيس بُعد ما رُصد عن المصادفة، فتجمع بين قوة الاقتران وكثرة الورود: "
            "ما فوق 6.63 لا يكاد يكون مصادفة (احتمالها أقل من 1%)، والسالبة لكلمة تتجنّب الاستعلام."),
}

#: What the distinctive-words tab's score (``Corpus.freq(sort="keyness")``) says.
KEYNESS_EXPLAINED = ("التميّز درجة نسبة الأرجحية (log-likelihood): تقيس كم تزيد نسبة ورود الكلمة في المقالات المطابقة "
                     "على نسبتها في بقية المقالات تحت المرشحات نفسها؛ ما فوق 6.63 لا يكاد يكون مصادفة (احتمالها أقل من 1%). "
                     "لا تظهر هنا إلا الكلمات التي تستعملها المقالات المطابقة أكثر من غيرها، بدرجة {least} على الأقل (احتمال المصادفة أقل من 5%).")
