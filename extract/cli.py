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


def _done(code: int) -> None:
    """Exit with one of the shared exit codes (extract.app.policy: 0 all ok, 1 some failed, 2 usage, 3 nothing done)."""
    if code:
        raise typer.Exit(code)


_MAX_CHARS = typer.Option(None, "--max-chars", min=1,
                          help="Refuse a file with more characters of text than this (a warning is given above 2 MB).")


@app.command()
def extract(
    paths: List[str] = typer.Argument(..., help="Files, folders or globs (txt, pdf, docx, html, doc, wps)."),
    out: Path = typer.Option(..., "--out", "-o", help="Output folder."),
    format: str = typer.Option("json", "--format", help="json: DIR/<doc_id>.json; jsonl: DIR/predictions.jsonl"),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print errors only."),
    max_chars: Optional[int] = _MAX_CHARS,
) -> None:
    """Extract SPEC-shaped JSON from reports; one line per bad file, the rest still written."""
    from .app.commands import extract_paths

    if format not in ("json", "jsonl"):
        _err(f"--format must be one of: json, jsonl (got {format!r})")
        raise typer.Exit(2)
    tally = extract_paths(paths, out, fmt=format, echo=(lambda _: None) if quiet else typer.echo, echo_err=_err,
                          max_chars=max_chars)
    if not quiet:
        typer.echo(f"{tally.ok} written to {out}, {tally.failed} failed")
    _done(tally.exit_code())


@app.command()
def sections(file: Path = typer.Argument(..., help="A report file.")) -> None:
    """Print the labelled section tree of a report, with raw offsets."""
    from .app.commands import read_report
    from .app.policy import NOTHING_DONE, file_error
    from .sections import format_tree, parse_sections

    try:
        doc = read_report(file, echo_err=_err)
    except Exception as e:
        _err(f"error: {file_error(file, e).message}")
        raise typer.Exit(NOTHING_DONE)
    typer.echo(format_tree(doc, parse_sections(doc)))


@app.command()
def batch(
    inputs: List[str] = typer.Argument(..., help="Files, folders or globs (txt, pdf, docx, html, doc, wps)."),
    out: Path = typer.Option(..., "--out", "-o", help="Output folder (docs/, tables/, errors.jsonl, manifest.json)."),
    workers: Optional[int] = typer.Option(None, "--workers", "-w", help="Processes (default: all cores)."),
    csv: bool = typer.Option(False, "--csv", help="Also write the tables as CSV."),
    dask: Optional[str] = typer.Option(None, "--dask", help="Dask scheduler address, or local:N for a LocalCluster."),
    html: bool = typer.Option(False, "--html", help="Also write an evidence view per document and an index page."),
    progress: bool = typer.Option(True, "--progress/--no-progress", help="Show a progress bar."),
    max_chars: Optional[int] = _MAX_CHARS,
) -> None:
    """Run the whole pipeline over a corpus; resumable, safe to interrupt (Ctrl-C or SIGTERM)."""
    from .app.batch import run_batch

    summary = run_batch(inputs, out, workers=workers, csv=csv, dask=dask, html=html,
                        progress=progress and sys.stderr.isatty(), echo=_err, max_chars=max_chars)
    typer.echo(summary.line())
    _done(summary.exit_code)


@app.command()
def db(out: Path = typer.Argument(..., help="A batch output folder.")) -> None:
    """Build OUT/jixiao.duckdb from the batch tables, with ready views."""
    from .core import JixiaoError
    from .io.database import VIEWS, build_database

    try:
        path = build_database(out)
    except JixiaoError as e:
        _err(f"error: {e}")
        raise typer.Exit(3)
    typer.echo(f"wrote {path} (views: {', '.join(VIEWS)})")


@app.command()
def query(
    out: Path = typer.Argument(..., help="A batch output folder."),
    sql: str = typer.Argument(..., help="SQL over documents, facts, problems, measures, checks, indicators."),
    csv: bool = typer.Option(False, "--csv", help="Print CSV instead of a table."),
) -> None:
    """Run a SQL query over a batch's DuckDB database and print the result."""
    from .core import JixiaoError
    from .io.database import query as run_query

    try:
        cols, rows = run_query(out, sql)
    except JixiaoError as e:
        _err(f"error: {e}")
        raise typer.Exit(3)
    except Exception as e:  # duckdb errors: show the message, not a traceback
        _err(f"query failed: {type(e).__name__}: {e}")
        raise typer.Exit(3)
    if csv:
        import csv as _csv

        w = _csv.writer(sys.stdout)
        w.writerow(cols)
        w.writerows(rows)
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(*cols)
    for row in rows:
        table.add_row(*("" if v is None else str(v) for v in row))
    Console().print(table)


export_app = typer.Typer(help="Export results to other tools (Hugging Face datasets, Label Studio, doccano).",
                         no_args_is_help=True)
app.add_typer(export_app, name="export")


@export_app.command("hf")
def export_hf(
    batch_dir: Path = typer.Argument(..., help="A batch output folder."),
    to: Path = typer.Option(..., "--to", help="Folder for the saved dataset (and parquet/ shards)."),
) -> None:
    """Write the corpus results as a Hugging Face dataset (save_to_disk + Parquet shards)."""
    from .core import JixiaoError
    from .io.hf import export_hf as run

    try:
        path = run(batch_dir, to)
    except JixiaoError as e:
        _err(f"error: {e}")
        raise typer.Exit(3)
    except (OSError, ValueError) as e:
        _err(f"error: {batch_dir}: cannot export ({e})")
        raise typer.Exit(3)
    typer.echo(f"wrote dataset to {path} (load with datasets.load_from_disk)")


@app.command()
def boilerplate(
    inputs: List[str] = typer.Argument(..., help="Report files, folders or globs, or JSONL / CSV / Parquet corpora."),
    out: Path = typer.Option(..., "--out", "-o", help="Output folder for tables, templates and plots."),
    text_field: Optional[str] = typer.Option(None, "--text-field", help="Corpus column holding the text."),
    id_field: Optional[str] = typer.Option(None, "--id-field", help="Corpus column holding the document id."),
    time_field: Optional[str] = typer.Option(None, "--time-field", help="Corpus column holding the year."),
    series_field: Optional[str] = typer.Option(
        None, "--series-field", help="Corpus column holding the unit (default: the whole corpus is one series)."),
    require_time: bool = typer.Option(
        False, "--require-time/--keep-missing-time",
        help="Drop corpus rows with no year in --time-field (kept by default, outside every series)."),
    workers: int = typer.Option(1, "--workers", "-w", help="Processes for reading and tokenizing."),
    dask: Optional[str] = typer.Option(None, "--dask", help="Dask scheduler address, or local:N for a LocalCluster."),
    min_share: float = typer.Option(0.30, help="An n-gram is boilerplate in at least this share of documents..."),
    max_share: float = typer.Option(0.75, help="...and in less than this share (applied from --cap-min-docs documents)."),
    min_docs: int = typer.Option(2, help="...and in at least this many documents."),
    cap_min_docs: int = typer.Option(20, help="Corpus size from which the upper cap applies."),
    template_min_docs: int = typer.Option(3, help="A template cluster spans at least this many documents."),
    drop_sentences: Optional[str] = typer.Option(None, help="Regex: leave out sentences matching it."),
    cut_at: Optional[str] = typer.Option(
        None, help="Regex: leave out each text from its first match on (e.g. a licence notice appended to every text)."),
    max_gap: Optional[int] = typer.Option(
        None, help="Pair a report with its series' previous report only if at most this many years earlier."),
    memory_limit: str = typer.Option("512MB", help="DuckDB memory limit for the on-disk merge (it spills beyond)."),
    workdir: Optional[Path] = typer.Option(
        None, help="Folder for the run's temporary partitions (default: the system temp folder; removed after)."),
    csv: bool = typer.Option(True, "--csv/--no-csv", help="Also write CSV copies of the tables."),
) -> None:
    """Measure template language, specificity, stickiness and redundancy across a corpus."""
    from .boilerplate import Fields, Options, run
    from .boilerplate.measures import Thresholds

    opts = Options(thresholds=Thresholds(min_share, max_share, min_docs, cap_min_docs),
                   template_min_docs=template_min_docs, workers=workers, dask=dask, max_gap=max_gap,
                   drop_sentences=drop_sentences, cut_at=cut_at,
                   memory_limit=memory_limit, workdir=str(workdir) if workdir else None)
    fields = Fields(text=text_field, id=id_field, time=time_field, series=series_field, require_time=require_time)
    summary = run(inputs, out, opts, fields, csv=csv)
    for e in summary.errors:
        _err(f"error: {e['error']}")
    typer.echo(f"{summary.documents} documents, {summary.sentences} sentences, {summary.templates} templates, "
               f"{summary.pairs} consecutive pairs; tables and plots in {out}")
    if not summary.documents and summary.errors:
        raise typer.Exit(1)


@app.command()
def view(
    file: Path = typer.Argument(..., help="A report (extracted now) or a SPEC JSON file (gold or prediction)."),
    out: Path = typer.Option(..., "--out", "-o", help="The HTML file to write."),
    docs: Path = typer.Option(Path("annotations/docs"), "--docs", help="Where a SPEC JSON's document text is."),
) -> None:
    """Write a self-contained HTML page with every fact, problem and measure highlighted."""
    from .app.commands import view as run

    tally = run(file, out, docs, echo_err=_err)
    if tally.ok:
        typer.echo(f"wrote {out}")
    _done(tally.exit_code())


@export_app.command("label-studio")
def export_label_studio(
    paths: List[str] = typer.Argument(None, help="Reports (extracted now) or folders/files of SPEC JSON."),
    out: Path = typer.Option(Path("tasks.json"), "--out", "-o", help="Tasks file (or the config XML with --config)."),
    as_: str = typer.Option("predictions", "--as", help="predictions (pre-annotations) or annotations (finished)."),
    docs: Path = typer.Option(Path("annotations/docs"), "--docs", help="Document texts for SPEC JSON inputs."),
    config: bool = typer.Option(False, "--config", help="Write the matching labeling config XML instead."),
    select: Optional[str] = typer.Option(None, "--select", help="'uncertain': least certain problems and failing checks first."),
    n: int = typer.Option(50, "--n", help="With --select: how many documents."),
) -> None:
    """Write Label Studio tasks (or, with --config, the labeling config)."""
    import json

    from .app.commands import spec_inputs
    from .app.files import output_file, write_atomic
    from .app.policy import Tally
    from .io.labelstudio import labeling_config, select_uncertain, to_task

    if config:
        write_atomic(output_file(out), labeling_config())
        typer.echo(f"wrote labeling config to {out}")
        return
    if as_ not in ("predictions", "annotations"):
        _err(f"--as must be one of: predictions, annotations (got {as_!r})")
        raise typer.Exit(2)
    if select not in (None, "uncertain"):
        _err(f"--select must be: uncertain (got {select!r})")
        raise typer.Exit(2)
    output_file(out)
    tally = Tally()
    pairs = [(s, r) for _, s, r in spec_inputs(paths or [], docs, tally, _err)]
    raw_of = {s["doc_id"]: r for s, r in pairs}
    tasks = []
    if select:
        for priority, spec, reasons in select_uncertain([s for s, _ in pairs], n)[:n]:
            task = to_task(spec, raw_of[spec["doc_id"]], as_)
            task["data"].update(priority=priority, reasons=reasons)
            tasks.append(task)
    else:
        tasks = [to_task(s, r, as_) for s, r in pairs]
    write_atomic(out, json.dumps(tasks, ensure_ascii=False, indent=1) + "\n")
    typer.echo(f"wrote {len(tasks)} tasks to {out}")
    _done(tally.exit_code())


import_app = typer.Typer(help="Import corrected annotations (Label Studio, doccano) as gold.", no_args_is_help=True)
app.add_typer(import_app, name="import")


@import_app.command("label-studio")
def import_label_studio(
    export: Path = typer.Argument(..., help="A Label Studio export, JSON or JSON_MIN."),
    docs: Path = typer.Option(Path("annotations/docs"), "--docs", help="The documents the tasks were made from."),
    out: Path = typer.Option(..., "--out", "-o", help="Gold folder to write <doc_id>.json into."),
    by_annotator: bool = typer.Option(False, "--by-annotator", help="One folder per annotator: OUT/<annotator>/."),
) -> None:
    """Turn a Label Studio export back into SPEC gold files; bad regions are refused by name."""
    import json
    import re

    from .app.commands import refuse, write_gold
    from .app.files import output_folder
    from .app.policy import Tally
    from .io.labelstudio import import_export

    output_folder(out)
    try:
        data = json.loads(export.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        _err(f"error: {export}: cannot read the export ({e})")
        raise typer.Exit(3)
    by, errors, notes = import_export(data, docs)
    for n in notes:
        _err(f"note: {n}")
    if len(by) > 1 and not by_annotator:
        _err(f"error: {export}: annotations by {len(by)} annotators ({', '.join(by)}): use --by-annotator")
        raise typer.Exit(2)
    tally = Tally()
    refuse(tally, errors, _err)
    for who, golds in by.items():
        folder = out / re.sub(r"[^\w@.-]", "_", who) if by_annotator else out
        written = write_gold(golds, folder, tally, _err)
        typer.echo(f"wrote {len(written)} gold files to {folder}")
    typer.echo(f"{tally.failed} tasks refused")
    _done(tally.exit_code())


@export_app.command("doccano")
def export_doccano(
    paths: List[str] = typer.Argument(..., help="Reports (extracted now) or folders/files of SPEC JSON."),
    out: Path = typer.Option(..., "--out", "-o", help="JSONL file."),
    task: str = typer.Option("sequence", "--task", help="sequence (spans + relations) or classification (problem categories)."),
    docs: Path = typer.Option(Path("annotations/docs"), "--docs", help="Document texts for SPEC JSON inputs."),
) -> None:
    """Write doccano JSONL for sequence labeling or problem classification."""
    import json

    from .app.commands import spec_inputs
    from .app.files import output_file, write_atomic
    from .app.policy import Tally
    from .io.doccano import to_classification_lines, to_sequence_line

    if task not in ("sequence", "classification"):
        _err(f"--task must be one of: sequence, classification (got {task!r})")
        raise typer.Exit(2)
    output_file(out)
    tally = Tally()
    lines = []
    for _, spec, raw in spec_inputs(paths, docs, tally, _err):
        lines += [to_sequence_line(spec, raw)] if task == "sequence" else to_classification_lines(spec, raw)
    write_atomic(out, "".join(json.dumps(l, ensure_ascii=False) + "\n" for l in lines))
    typer.echo(f"wrote {len(lines)} lines to {out}")
    _done(tally.exit_code())


@import_app.command("doccano")
def import_doccano(
    file: Path = typer.Argument(..., help="A doccano JSONL export."),
    out: Path = typer.Option(..., "--out", "-o", help="Gold folder (read and updated for --task classification)."),
    task: str = typer.Option("sequence", "--task", help="sequence or classification."),
    docs: Path = typer.Option(Path("annotations/docs"), "--docs", help="The documents."),
) -> None:
    """Turn a doccano export back into gold (sequence), or apply corrected categories (classification)."""
    import json

    from .app.commands import refuse, write_gold
    from .app.files import output_folder
    from .app.naming import UnsafeName, output_path
    from .app.policy import Tally
    from .io.doccano import DoccanoError, apply_classification, from_sequence_line, read_jsonl

    if task not in ("sequence", "classification"):
        _err(f"--task must be one of: sequence, classification (got {task!r})")
        raise typer.Exit(2)
    output_folder(out)
    try:
        lines = read_jsonl(file)
    except (OSError, ValueError, DoccanoError) as e:
        _err(f"error: {file}: cannot read the export ({e})")
        raise typer.Exit(3)
    errors: list[str] = []
    golds = []
    if task == "sequence":
        for n, line in enumerate(lines, 1):
            try:
                path = output_path(docs, str(line.get("doc_id")), ".txt")
            except UnsafeName as e:
                errors.append(f"line {n}: {e}")
                continue
            if not path.exists():
                errors.append(f"line {n}: no document {path}")
                continue
            raw_bytes = path.read_bytes()
            try:
                golds.append(from_sequence_line(line, raw_bytes.decode("utf-8"), raw_bytes, f"line {n} ({line.get('doc_id')})"))
            except DoccanoError as e:
                errors.append(str(e))
    else:
        existing = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(out.glob("*.json"))}
        errors = apply_classification(existing, lines)
        golds = list(existing.values())
    tally = Tally()
    refuse(tally, errors, _err)
    written = write_gold(golds, out, tally, _err)
    typer.echo(f"wrote {len(written)} gold files to {out}, {tally.failed} problems")
    _done(tally.exit_code())


@app.command("classify")
def classify_cmd(
    texts: Optional[List[str]] = typer.Argument(None, help="Problem statements (or use --file)."),
    file: Optional[Path] = typer.Option(None, "--file", "-f",
                                        help="One statement per line, or JSONL with a `text` field per line."),
    component: str = typer.Option("ensemble", "--component", "-c", help="rules, model or ensemble."),
    model: Optional[Path] = typer.Option(None, "--model", help="Model folder (default models/problem_classifier)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON lines."),
    select: Optional[str] = typer.Option(None, "--select",
                                         help="'uncertain': only the --n statements the model is least sure of, "
                                              "most uncertain first (margin of its two best labels)."),
    n: int = typer.Option(20, "--n", help="With --select: how many statements."),
) -> None:
    """Print the SPEC categories of problem statements: labels, calibrated probabilities, confidence and why."""
    import json

    from . import classify as C
    from .classify.confidence import uncertainty
    from .core import JixiaoError

    if select not in (None, "uncertain"):
        _err(f"--select must be: uncertain (got {select!r})")
        raise typer.Exit(2)
    rows = [{"text": t} for t in texts or []]
    if file is not None:
        try:
            rows += _statement_rows(file)
        except (OSError, ValueError) as e:
            _err(f"{file}: cannot read statements: {e}")
            raise typer.Exit(1)
    if not rows:
        _err("give problem statements or --file FILE")
        raise typer.Exit(2)
    try:
        clf = C.get_classifier("model" if select else component, model)
        results = clf.classify([r["text"] for r in rows])
    except (JixiaoError, FileNotFoundError) as e:
        _err(str(e))
        raise typer.Exit(1)
    if component == "ensemble" and not select and getattr(clf, "name", "") == "rules":
        _err(f"note: rules only ({C.fallback_reason})")
    order = list(range(len(rows)))
    if select:
        order = sorted(order, key=lambda i: (-uncertainty(results[i].scores), i))[:n]
    for i in order:
        row, c = rows[i], results[i]
        scores = sorted(c.scores.items(), key=lambda kv: -kv[1])[:4]
        unc = uncertainty(c.scores) if c.calibrated else None
        if as_json:
            line = {**row, "labels": list(c.labels), "primary": c.primary,
                    "scores": {k: round(v, 4) for k, v in scores},
                    "calibrated": c.calibrated, "confidence": c.band,
                    "uncertainty": None if unc is None else round(unc, 4),
                    "evidence": c.evidence.to_json()}
            typer.echo(json.dumps(line, ensure_ascii=False))
            continue
        typer.echo(row["text"])
        typer.echo(f"  labels: {', '.join(c.labels)}   (primary {c.primary})")
        kind = "calibrated probabilities" if c.calibrated else "rule cue weights"
        typer.echo(f"  scores: {', '.join(f'{k} {v:.2f}' for k, v in scores)}   ({kind})")
        if c.calibrated:
            typer.echo(f"  confidence: {c.band} ({c.primary} {c.confidence:.2f}; uncertainty {unc:.2f})")
        typer.echo(f"  why:    [{c.evidence.extractor}] {c.evidence.explanation}")


def _statement_rows(file: Path) -> list[dict]:
    """Statements of a file: JSONL objects with ``text`` (other fields kept) when every
    non-empty line is one, else one statement per non-empty line."""
    import json

    lines = [l.strip() for l in file.read_text(encoding="utf-8").splitlines() if l.strip()]
    try:
        objs = [json.loads(l) for l in lines]
    except ValueError:
        return [{"text": l} for l in lines]
    if all(isinstance(o, dict) for o in objs):
        bad = [k for k, o in enumerate(objs, 1) if not isinstance(o.get("text"), str)]
        if bad:
            raise ValueError(f"JSONL line {bad[0]} has no text field")
        return objs
    return [{"text": l} for l in lines]


@app.command("train")
def train_cmd(
    gold: List[Path] = typer.Option([Path("annotations/gold")], "--gold",
                                    help="Gold folder (SPEC JSON); repeatable, e.g. annotations/dev/gold too."),
    extra: List[Path] = typer.Option([], "--extra", help="More gold folders or example .jsonl files (repeatable)."),
    out: Path = typer.Option(Path("models/problem_classifier"), "--out", "-o", help="Model folder to write."),
    docs: Optional[Path] = typer.Option(None, "--docs", help="Document texts (default: GOLD/../docs)."),
    seed: int = typer.Option(0, "--seed", help="Random seed (training is deterministic for a seed)."),
    ablation: Optional[Path] = typer.Option(None, "--ablation", help="Also write the evaluation report (markdown)."),
    written: Optional[Path] = typer.Option(None, "--written",
                                           help="Written statements JSONL with a train/test split "
                                                "(default extract/data/category_written.jsonl)."),
    eval_gold: List[Path] = typer.Option([], "--eval-gold",
                                         help="Gold folders only evaluated, never trained on (repeatable)."),
    synthetic: Optional[str] = typer.Option(None, "--synthetic",
                                            help="Synthetic examples JSONL (default extract/data/category_examples.jsonl; "
                                                 "'none' to leave them out)."),
) -> None:
    """Train, calibrate and evaluate the problem classifier (LODO on gold, held-out written split); write MODEL_CARD.md."""
    from .train import SYNTHETIC, WRITTEN, cv_table, heldout_table, train

    syn = None if synthetic == "none" else synthetic or SYNTHETIC
    try:
        r = train(gold, out, extra=extra, docs_dir=docs, seed=seed, ablation=ablation, written=written or WRITTEN,
                  synthetic=syn, eval_gold=eval_gold)
    except (FileNotFoundError, ValueError) as e:
        _err(f"cannot train: {e}")
        raise typer.Exit(1)
    typer.echo(f"trained on {r.n_gold} gold problems from {r.n_gold_docs} documents + {r.n_written_train} written "
               f"+ {r.n_synthetic} synthetic + {r.n_extra} extra; {r.n_written_test} written held out; wrote {r.out}")
    typer.echo("leave-one-document-out on gold:\n" + cv_table(r.cv))
    typer.echo("held-out written statements:\n" + heldout_table(r.heldout))
    if r.eval_gold:
        typer.echo(f"evaluation-only gold ({', '.join(r.eval_dirs)}):\n" + heldout_table(r.eval_gold))


@app.command()
def commitments(
    paths: List[str] = typer.Argument(..., help="Files, folders or globs of reports."),
    csv: Optional[Path] = typer.Option(None, "--csv", help="Also write the table as CSV to this file."),
) -> None:
    """List improvement measures with their links, actions, targets, deadline and owner."""
    from .app.commands import COMMITMENT_COLUMNS, commitment_rows, write_csv
    from .app.files import output_file
    from .app.policy import Tally

    if csv is not None:
        output_file(csv)
    tally = Tally()
    rows = commitment_rows(paths, tally, _err)
    if csv is not None:
        write_csv(csv, COMMITMENT_COLUMNS, rows)
    from rich.console import Console
    from rich.table import Table

    table = Table(*COMMITMENT_COLUMNS, show_lines=False)
    for row in rows:
        table.add_row(*(str(v) for v in row[:-1]), row[-1][:40] + ("…" if len(row[-1]) > 40 else ""))
    Console().print(table)
    _done(tally.exit_code())


@app.command()
def check(
    paths: List[str] = typer.Argument(..., help="Reports (extracted now), or SPEC JSON/JSONL files or folders."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON: a list of {doc_id, path, checks}."),
    recompute: bool = typer.Option(False, "--recompute", help="Recompute a SPEC JSON's checks from its facts."),
    docs: Path = typer.Option(Path("annotations/docs"), "--docs", help="Document texts for SPEC JSON inputs."),
) -> None:
    """Arithmetic cross-checks per document: identity, status, computed vs stated, and why."""
    import json

    from .app.commands import check_inputs
    from .app.policy import Tally

    tally = Tally()
    done = check_inputs(paths, docs, recompute, tally, _err)
    if as_json:
        typer.echo(json.dumps(done, ensure_ascii=False, indent=1))
    else:
        from rich.console import Console
        from rich.markup import escape
        from rich.table import Table

        console, style = Console(), {"pass": "green", "fail": "bold red", "not_applicable": "yellow"}
        for d in done:
            table = Table("check", "status", "computed", "stated", "message",
                          title=escape(f"{d['doc_id']}  ({d['path']})"), show_lines=True)
            for c in d["checks"]:
                table.add_row(f"{escape(c['name'])}\n[dim]{escape(c['identity'])}[/]",
                              f"[{style.get(c['status'], 'default')}]{c['status']}[/]", c["computed"] or "",
                              c["stated"] or "", escape(c["message"]))
            console.print(table)
            counts = {s: sum(c["status"] == s for c in d["checks"]) for s in style}
            console.print(", ".join(f"{n} {s}" for s, n in counts.items()))
    _done(tally.exit_code())


# --------------------------------------------------------------------------- scoring (eval/)

@app.command()
def validate(
    paths: List[Path] = typer.Argument(..., help="Gold or prediction folders, or JSON/JSONL files."),
    docs: Path = typer.Option(Path("annotations/docs"), "--docs", help="Folder of <doc_id>.txt documents."),
) -> None:
    """Check files against the schema, the documents' hashes and span bounds; exit 1 on any problem."""
    from jixiao_eval.validate import validate_path

    n, problems = validate_path(paths, docs)
    where = ", ".join(map(str, paths))
    for line in problems:
        typer.echo(line)
    if problems or n == 0:
        if n == 0 and not problems:
            typer.echo(f"{where}: no annotation files found")
        raise typer.Exit(1)
    typer.echo(f"OK: {n} files valid ({where}; schema, text_sha256 and spans against {docs})")


@app.command("eval")
def eval_cmd(
    gold: Path = typer.Option(Path("annotations/gold"), "--gold", help="Gold folder."),
    pred: Path = typer.Option(..., "--pred", help="Prediction folder or JSONL file."),
    docs: Path = typer.Option(Path("annotations/docs"), "--docs", help="Documents, for error texts."),
    json_out: Optional[Path] = typer.Option(None, "--json", help="Write the full report as JSON."),
    md_out: Optional[Path] = typer.Option(None, "--markdown", help="Write the report as Markdown."),
) -> None:
    """Score predictions against gold (SPEC.md "Scoring"): summary table, per document, every error."""
    from jixiao_eval import load_set, score_sets
    from jixiao_eval.report import print_rich, write_reports

    g, gp = load_set(gold)
    for line in gp:
        _err(line)
    if gp or not g:
        _err(f"{gold}: the gold must be readable and non-empty")
        raise typer.Exit(1)
    p, pp = load_set(pred)
    rep = score_sets(g, p, docs)
    rep["load_problems"] = pp  # printed under the tables and listed in the reports
    print_rich(rep, f"jixiao eval: {pred} vs {gold}")
    write_reports(rep, json_out, md_out, f"Extractor vs gold ({pred})")


@app.command()
def agree(
    a: Path = typer.Argument(..., help="First annotation pass (folder or JSONL)."),
    b: Path = typer.Argument(..., help="Second annotation pass (folder or JSONL)."),
    docs: Path = typer.Option(Path("annotations/docs"), "--docs", help="Documents, for disagreement texts."),
    md_out: Optional[Path] = typer.Option(None, "--markdown", help="Write the agreement report as Markdown."),
    json_out: Optional[Path] = typer.Option(None, "--json", help="Write the full comparison as JSON."),
) -> None:
    """Inter-annotator agreement: fact, mention and span F1, Cohen's kappa for primary categories, meta."""
    from jixiao_eval.agree import agreement
    from jixiao_eval.load import load_set
    from jixiao_eval.report import print_rich, write_reports

    sa, pa = load_set(a)
    sb, pb = load_set(b)
    rep = agreement(sa, sb, docs)
    rep["load_problems"] = pa + pb  # printed under the tables and listed in the reports
    print_rich(rep, f"jixiao agree: {b} against {a}", agree=True)
    write_reports(rep, json_out, md_out, f"Agreement: {b} against {a}", agree=True)


def _guarded(command):
    """Every command: a usage error (``--out`` naming a file…) exits 2 with one line, Ctrl-C 130,
    SIGTERM 143 (finished outputs kept), never a traceback."""
    import functools

    @functools.wraps(command)
    def run(*args, **kwargs):
        from .app.files import UsageError
        from .app.policy import INTERRUPTED, TERMINATED, USAGE
        from .app.workers import Terminated

        try:
            return command(*args, **kwargs)
        except UsageError as e:
            _err(f"error: {e}")
            raise typer.Exit(USAGE)
        except KeyboardInterrupt:
            _err("interrupted; finished outputs are kept, run the same command again to resume")
            raise typer.Exit(INTERRUPTED)
        except Terminated:
            _err("terminated; finished outputs are kept, run the same command again to resume")
            raise typer.Exit(TERMINATED)

    return run


for _group in (app, export_app, import_app):
    for _info in _group.registered_commands:
        _info.callback = _guarded(_info.callback)


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        _err("interrupted")
        sys.exit(130)


if __name__ == "__main__":
    main()
