"""The ``corpus`` command: parse options, call the library, render. No behaviour of its own."""

from __future__ import annotations

import sys

import click
import orjson

from indexer.analysis import analyze as analyze_text
from indexer.errors import CorpusError


class CorpusGroup(click.Group):
    """Turns library errors into one ``Error: ...`` line and the error's exit code."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except CorpusError as error:
            click.echo(f"Error: {error}", err=True)
            ctx.exit(error.exit_code)
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            ctx.exit(130)


def print_json(data) -> None:
    """Write one JSON document to stdout, Arabic as UTF-8 (not \\u escapes)."""
    sys.stdout.buffer.write(orjson.dumps(data) + b"\n")
    sys.stdout.flush()


@click.group(cls=CorpusGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="corpus-indexer")
def main() -> None:
    """Search a full-text corpus of Arabic news articles."""


@main.command()
@click.argument("text", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print the tokens as one JSON object.")
def analyze(text: str | None, as_json: bool) -> None:
    """Show how TEXT (or standard input) is tokenized, folded and stemmed."""
    if text is None:
        text = sys.stdin.read()
    tokens = analyze_text(text)
    if as_json:
        print_json(
            {
                "tokens": [
                    {
                        "position": t.position,
                        "start": t.start,
                        "end": t.end,
                        "text": t.text,
                        "exact": t.exact,
                        "stem": t.stem,
                        "stopword": t.stopword,
                    }
                    for t in tokens
                ]
            }
        )
        return
    for t in tokens:
        flag = "  stopword" if t.stopword else ""
        click.echo(f"{t.position}\t{t.start}-{t.end}\t{t.text}\t{t.exact}\t{t.stem}{flag}")
