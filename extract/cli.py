"""The ``jixiao`` command line: thin typer commands over plain functions.

Keep module-level imports to typer and the standard library: ``jixiao --help`` must
not import spaCy, scikit-learn or datasets. Each command imports what it needs.
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import List, Optional

import typer

from . import __version__

app = typer.Typer(
    name="jixiao",
    help="Grounded extraction from Chinese performance self-evaluation reports (绩效自评报告).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"jixiao {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version and exit."),
) -> None:
    """jixiao: reports in, grounded facts, problems and measures out."""


def _err(msg: str) -> None:
    typer.echo(msg, err=True)


@app.command()
def extract(
    paths: List[str] = typer.Argument(..., help="Files, folders or globs (txt, pdf, docx, html)."),
    out: Path = typer.Option(..., "--out", "-o", help="Output folder."),
    format: str = typer.Option("json", "--format", help="json: DIR/<doc_id>.json; jsonl: DIR/predictions.jsonl"),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print errors only."),
) -> None:
    """Extract SPEC-shaped JSON from reports; one line per bad file, the rest still written."""
    from .runner import extract_paths

    if format not in ("json", "jsonl"):
        _err(f"--format must be one of: json, jsonl (got {format!r})")
        raise typer.Exit(2)
    ok, failed = extract_paths(paths, out, fmt=format, echo=None if quiet else typer.echo, echo_err=_err)
    if not quiet:
        typer.echo(f"{ok} written to {out}, {failed} failed")
    if ok == 0 and failed > 0:
        raise typer.Exit(1)


@app.command()
def sections(file: Path = typer.Argument(..., help="A report file.")) -> None:
    """Print the labelled section tree of a report, with raw offsets."""
    from .core import JixiaoError
    from .ingest import read_document
    from .sections import format_tree, parse_sections

    try:
        doc = read_document(file)
    except JixiaoError as e:
        _err(str(e))
        raise typer.Exit(1)
    typer.echo(format_tree(doc, parse_sections(doc)))


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        _err("interrupted")
        sys.exit(130)


if __name__ == "__main__":
    main()
