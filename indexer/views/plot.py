"""Drawing a trend: a chart file (matplotlib, headless) and sparklines for a terminal.

Matplotlib 3.11 and later lay out text with libraqm (shaping and bidi): an Arabic label
goes to them as it is. Earlier ones draw text left to right, glyph by glyph: there a
label is first shaped (arabic-reshaper joins the letters into their contextual forms)
and put in visual order (python-bidi), or it comes out as isolated letters reading
backwards. Doing both would reverse the label twice. DejaVu Sans, which matplotlib
ships, has the Arabic presentation forms.
"""

from __future__ import annotations

from datetime import date
from importlib.util import find_spec
from pathlib import Path

from indexer.errors import UsageError
from indexer.views.trend import Trend

PLOT_FORMATS = (".png", ".svg")
SPARKS = "▁▂▃▄▅▆▇█"
#: A sparkline's most columns; longer series are averaged over this many groups of periods.
SPARK_WIDTH = 60
#: One per ten series: matplotlib's colour cycle holds ten colours.
LINE_STYLES = ("-", "--", ":", "-.")
_AXIS_LABEL = {"articles": "share of articles", "million-words": "occurrences per million words"}


def lays_out_text() -> bool:
    """Whether matplotlib shapes and orders complex text itself (built with libraqm)."""
    from matplotlib import ft2font

    return hasattr(ft2font, "__libraqm_version__")


def for_display(text: str) -> str:
    """``text`` as matplotlib must receive it to draw it readably: as it is where it lays
    out text itself (`lays_out_text`), else shaped and in visual order."""
    if lays_out_text():
        return text
    import arabic_reshaper
    from bidi import get_display

    return get_display(arabic_reshaper.reshape(text))


def period_start(period: str) -> date:
    """The first day of a period label (2015, 2015-07, 2015-W30, 2015-07-25)."""
    if "-W" in period:
        return date.fromisocalendar(int(period[:4]), int(period[6:]), 1)
    parts = [int(p) for p in period.split("-")] + [1, 1]
    return date(parts[0], parts[1], parts[2])


def plot(result: Trend, path: Path, title: str) -> None:
    """Write the trend as a line chart (one line per series) to ``path`` (.png or .svg)."""
    if path.suffix.lower() not in PLOT_FORMATS:
        raise UsageError(f"--plot writes {' or '.join(PLOT_FORMATS)}, not {path.name!r}")
    if not find_spec("matplotlib") or not (lays_out_text() or all(find_spec(name) for name in ("arabic_reshaper", "bidi"))):
        raise UsageError("--plot needs matplotlib: pip install 'corpus-indexer[plot]'")
    # Figure, not pyplot: no backend is chosen, so a host app's matplotlib is left as it was.
    from matplotlib.figure import Figure

    figure = Figure(figsize=(10, 5), layout="constrained")
    axes = figure.subplots()
    for k, series in enumerate(result.series):
        x = [period_start(p.period) for p in series.points]
        y = [p.normalized * (100 if result.per == "articles" else 1) for p in series.points]
        # past the 10 colours of the cycle (--split source over 15 sources), another dash
        style = {"color": f"C{k % 10}", "linestyle": LINE_STYLES[k // 10 % len(LINE_STYLES)]}
        axes.plot(x, y, marker="o" if len(x) < 40 else None, markersize=3, label=for_display(series.label), **style)
    axes.set_title(for_display(title))
    axes.set_xlabel(result.by)
    axes.set_ylabel("% of articles" if result.per == "articles" else _AXIS_LABEL[result.per])
    axes.grid(alpha=0.3)
    if result.series:
        axes.legend()
    figure.autofmt_xdate()
    try:
        figure.savefig(path)
    except OSError as error:
        raise UsageError(f"cannot write {path}: {error.strerror or error}") from None


def sparkline(values: list[float]) -> str:
    """One block character per value, scaled from the lowest (▁) to the highest (█)."""
    if not values:
        return ""
    top = max(values)
    if top <= 0:
        return SPARKS[0] * len(values)
    return "".join(SPARKS[min(len(SPARKS) - 1, int(v / top * (len(SPARKS) - 1) + 0.5))] for v in values)


def grouped(values: list[float], width: int = SPARK_WIDTH) -> list[float]:
    """``values`` averaged into at most ``width`` consecutive groups."""
    if len(values) <= width:
        return values
    size = -(-len(values) // width)
    return [sum(values[i:i + size]) / len(values[i:i + size]) for i in range(0, len(values), size)]
