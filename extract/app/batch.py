"""Corpus runs: many reports in, per-document JSON + tidy tables + errors + manifest out.

Layout of an output folder::

    DIR/docs/<doc_id>.json   SPEC-shaped result per document (with checks)
    DIR/tables/*.parquet     documents, facts, problems, measures, checks, indicators (+ .csv)
    DIR/errors.jsonl         one line per failed input: path, error type, kind, message
    DIR/manifest.json        inputs with sha256, doc_id, status; warnings; versions; timing
    DIR/.journal.jsonl       append-only progress log (what makes a run resumable)

Identity by content: a document is the sha256 of its file's bytes (with the jixiao
version). A rerun finds documents by content wherever they now are (``corpus`` or
``$PWD/corpus``, a moved or renamed folder) and extracts only contents it has not
finished; the output folder always describes the inputs of the last run: one JSON and one
``documents`` row per document, tables rebuilt from those documents and swapped in as a
whole folder (never appended), results of inputs no longer given removed.

Safety: every file is written to a temporary name and renamed; the journal gets one line
per finished input, flushed at once, so a killed run loses at most the documents in
flight, and leftovers of a killed run are removed by the next. SIGTERM stops a run like
Ctrl-C (finished outputs kept, exit 143); pool workers die with their parent, even after
a ``kill -9``.

Execution backends: in-process (``workers=1``), a process pool (one loaded pipeline per
worker, via the pool initializer), or a Dask cluster (``dask="local:N"`` or a scheduler
address; inputs are given to workers as absolute paths). All write through the same code
in this process, so their outputs are identical.
"""
from __future__ import annotations

import json
import os
import shutil
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from .. import __version__
from ..core import IngestError
from ..ingest import read_document
from ..io.tables import build_tables, write_tables
from ..pipeline import extract_text, run_stages
from ..view import render_index, render_result
from .files import output_folder, remove_leftovers, swap_folder, write_atomic
from .inputs import gather
from .naming import assign_doc_ids, file_sha256
from .policy import exit_code, file_error
from .workers import sigterm_as_exception, stop_pool, worker_setup

TIMING_KEYS = ("started", "finished", "seconds", "docs_per_second", "workers", "backend")
#: Above this many bytes of text (UTF-8) a file is surely not one report: a warning is given.
WARN_BYTES = 2_000_000


@dataclass
class BatchSummary:
    total: int = 0          # input files
    documents: int = 0      # distinct contents among them
    processed: int = 0
    skipped: int = 0
    failed: int = 0
    seconds: float = 0.0
    out: Path | None = None
    errors: list[dict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def line(self) -> str:
        if not self.total:
            return f"nothing done: no input files; outputs in {self.out}"
        if self.processed == 0:
            return (f"nothing new: {self.documents} documents unchanged since the last run "
                    f"({self.documents - self.failed} done, {self.failed} failed); outputs in {self.out}")
        rate = self.processed / self.seconds if self.seconds else 0.0
        return (f"{self.processed} processed ({rate:.1f} docs/s), {self.skipped} unchanged and skipped, "
                f"{self.failed} failed; outputs in {self.out}")

    @property
    def exit_code(self) -> int:
        return exit_code(self.documents - self.failed, self.failed)


# --------------------------------------------------------------------------- worker side

def _init_worker(parent: int | None = None) -> None:
    """Pool initializer: die with the parent, then load the pipeline once by running it on a tiny text."""
    worker_setup(parent)
    _warm_up()


def _warm_up() -> None:
    extract_text("2024年度整体绩效自评报告\n一、单位基本情况\n行政编制5名。", doc_id="warmup")


def size_check(path: str | Path, raw: str, max_chars: int | None) -> str | None:
    """Refuse text longer than ``max_chars`` (IngestError ``too_large``); a warning above :data:`WARN_BYTES`."""
    if max_chars is not None and len(raw) > max_chars:
        raise IngestError(path, f"{len(raw):,} characters of text, more than --max-chars {max_chars:,} [too_large]",
                          "too_large")
    size = len(raw.encode("utf-8"))
    if size > WARN_BYTES:
        return (f"{path}: {size / 1e6:.1f} MB of text, more than one report ever is ({WARN_BYTES / 1e6:.0f} MB): "
                f"check that it is one report (--max-chars refuses such files)")
    return None


def nothing_extracted(path: str | Path, result: dict) -> str | None:
    """A warning for a report that yields no fact, problem, measure or scoring row."""
    if any(result.get(k) for k in ("facts", "problems", "measures", "indicators")):
        return None
    return f"{path}: read as a report, but nothing was extracted from it"


def process_one(path: str, doc_id: str, max_chars: int | None = None) -> dict:
    """Extract one input; never raises. Returns a journal record (+ ``json``, the result's
    file text, when ok: serialized here, in the worker, so the main process only writes)."""
    t0 = time.perf_counter()
    record: dict = {"path": path, "doc_id": doc_id, "version": __version__}
    try:
        doc = read_document(path)
        warning = size_check(path, doc.raw, max_chars)
        result = run_stages(doc).to_spec()
        result["doc_id"] = doc_id
        record.update(status="ok", sha256=result["text_sha256"], json=dumps(result) + "\n")
        warning = nothing_extracted(path, result) or warning
        if warning:
            record["warning"] = warning
    except Exception as e:  # the per-file policy: one line naming the file, the corpus goes on
        err = file_error(path, e)
        record.update(status="error", sha256=file_sha256(Path(path)), **{k: v for k, v in err.to_json().items()
                                                                        if k != "path"})
    record["seconds"] = round(time.perf_counter() - t0, 4)
    return record


def process_chunk(jobs: list[tuple[str, str, int | None]]) -> list[dict]:
    """:func:`process_one` for a few inputs: one pool task, one result message."""
    return [process_one(*job) for job in jobs]


#: At most this many inputs per pool task (a killed run loses at most the tasks in flight).
MAX_CHUNK = 16


def chunk_size(n_jobs: int, workers: int) -> int:
    """Inputs per pool task: up to :data:`MAX_CHUNK`, but at least 8 tasks per worker so the
    work stays balanced.

    >>> chunk_size(600, 2), chunk_size(20, 2), chunk_size(0, 2)
    (16, 1, 1)
    """
    return max(1, min(MAX_CHUNK, n_jobs // (8 * max(1, workers))))


def dumps(obj: dict, indent: int | None = 1) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=indent)


# --------------------------------------------------------------------------- main side

def record_key(sha: str | None, path: str) -> str:
    """Journal key: the content and the jixiao version; a file that cannot be hashed by its path."""
    return f"{sha}:{__version__}" if sha else f"path:{path}"


def _read_journal(path: Path) -> dict[str, dict]:
    """Latest record per key; a torn last line (killed mid-write) and records of the old
    path-keyed format are ignored (those inputs are simply done again)."""
    latest: dict[str, dict] = {}
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                rec = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(rec, dict) and "key" in rec:
                latest[rec["key"]] = rec
    return latest


def _executor(workers: int, dask: str | None):
    """Returns ``(run, backend)``: ``run`` maps [(path, doc_id, max_chars)] to an iterator of records."""
    if dask:
        def run_dask(jobs):
            from dask.distributed import Client, LocalCluster, as_completed  # optional extra

            if dask.startswith("local"):
                n = int(dask.split(":", 1)[1]) if ":" in dask else (os.cpu_count() or 1)
                cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                                       dashboard_address=None, silence_logs=40)
                client = Client(cluster)
            else:
                cluster, client = None, Client(dask)
            try:
                client.run(_warm_up)
                futures = client.map(process_one, *zip(*jobs), pure=False)
                try:
                    for fut in as_completed(futures):
                        yield fut.result()
                except BaseException:
                    client.cancel(futures)
                    raise
            finally:
                client.close()
                if cluster is not None:
                    cluster.close()

        return run_dask, f"dask:{dask}"
    if workers <= 1:
        def run_inline(jobs):
            for job in jobs:
                yield process_one(*job)

        return run_inline, "inline"

    def run_pool(jobs):
        size = chunk_size(len(jobs), workers)
        pool = ProcessPoolExecutor(max_workers=workers, initializer=_init_worker, initargs=(os.getpid(),))
        try:
            futures = [pool.submit(process_chunk, jobs[i:i + size]) for i in range(0, len(jobs), size)]
            for fut in as_completed(futures):
                yield from fut.result()
        except BaseException:
            stop_pool(pool)  # Ctrl-C, SIGTERM or an error: the workers end with the run
            raise
        pool.shutdown(wait=True)

    return run_pool, f"processes:{workers}"


def _progress(total: int, enabled: bool):
    if not enabled or total == 0:
        return None
    # rich's progress machinery is imported only when a bar is shown
    from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn,
                               TimeRemainingColumn)

    class Rate(TextColumn):
        def render(self, task):  # docs per second
            speed = task.finished_speed or task.speed
            from rich.text import Text
            return Text(f"{speed:.1f} docs/s" if speed else "… docs/s")

    return Progress(TextColumn("[bold]jixiao batch"), BarColumn(), MofNCompleteColumn(), Rate(""),
                    TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(), transient=False)


def _relocate(out: Path, moves: list[tuple[str, dict, str, str]]) -> list[dict]:
    """Finished documents found under another path or name: rewrite their JSON's doc_id and
    source path (no extraction), so each equals what a fresh run would write. All are read
    before any is written, as one's new name may be another's old one."""
    results = [json.loads((out / "docs" / f"{prev['doc_id']}.json").read_text(encoding="utf-8"))
               for _, prev, _, _ in moves]
    records = []
    for (key, prev, doc_id, path), result in zip(moves, results):
        result["doc_id"] = doc_id
        result.setdefault("source", {})["path"] = path
        write_atomic(out / "docs" / f"{doc_id}.json", dumps(result) + "\n")
        (out / "html" / f"{doc_id}.html").unlink(missing_ok=True)  # its page names the old place: made anew
        records.append({**prev, "key": key, "doc_id": doc_id, "path": path})
    return records


def run_batch(inputs: Iterable[str | Path], out: str | Path, workers: int | None = None, csv: bool = False,
              dask: str | None = None, progress: bool = True, html: bool = False,
              echo: Callable[[str], None] | None = None, max_chars: int | None = None) -> BatchSummary:
    """Run the pipeline over ``inputs`` into ``out`` (see module doc); resumable and idempotent."""
    out = output_folder(out)
    docs_dir = out / "docs"
    docs_dir.mkdir(exist_ok=True)
    for folder in (out, docs_dir, out / "html"):
        remove_leftovers(folder)
    journal_path = out / ".journal.jsonl"
    # absolute paths: resolvable from anywhere and by Dask workers, the same whatever the working folder
    found = gather([os.path.abspath(str(i)) for i in inputs])
    paths = [Path(os.path.abspath(p)) for p in found.files]
    shas = {str(p): file_sha256(p) for p in paths}
    doc_ids = assign_doc_ids(paths, shas)
    previous = _read_journal(journal_path)
    summary = BatchSummary(total=len(paths), out=out, warnings=list(found.warnings))
    for w in found.warnings:
        if echo:
            echo(f"warning: {w}")

    # one entry per document (distinct content): its key, first path, doc_id
    current: dict[str, tuple[str, str]] = {}
    for p in paths:
        current.setdefault(record_key(shas[str(p)], str(p)), (str(p), doc_ids[str(p)]))
    summary.documents = len(current)

    jobs, relocated = [], []
    for key, (path, doc_id) in current.items():
        prev = previous.get(key)
        if prev and prev["status"] == "ok" and (docs_dir / f"{prev['doc_id']}.json").exists():
            summary.skipped += 1
            if (prev["doc_id"], prev["path"]) != (doc_id, path):
                relocated.append((key, prev, doc_id, path))
        elif prev and prev["status"] == "error" and not key.startswith("path:") and prev["path"] == path:
            summary.skipped += 1  # same content, same version, same name: it fails the same way
        else:
            jobs.append((path, doc_id, max_chars))

    n_workers = workers or os.cpu_count() or 1
    run, backend = _executor(n_workers, dask)
    started = time.time()
    t0 = time.perf_counter()
    bar = _progress(len(jobs), progress)
    task = bar.add_task("extract", total=len(jobs)) if bar else None
    keys = {path: key for key, (path, _) in current.items()}
    if bar:
        bar.start()
    try:
        with sigterm_as_exception(), open(journal_path, "a", encoding="utf-8") as journal:
            if journal_path.stat().st_size and not journal_path.read_bytes().endswith(b"\n"):
                journal.write("\n")  # seal a line torn by a kill so the next record starts clean
            for rec in _relocate(out, relocated):
                journal.write(json.dumps(rec, ensure_ascii=False) + "\n")
            journal.flush()
            for rec in run(jobs) if jobs else ():
                text = rec.pop("json", None)
                rec["key"] = keys[rec["path"]]
                if text is not None:
                    write_atomic(docs_dir / f"{rec['doc_id']}.json", text)
                    if html:
                        _write_view(out, json.loads(text))
                journal.write(json.dumps(rec, ensure_ascii=False) + "\n")
                journal.flush()
                summary.processed += 1
                if echo and rec["status"] == "error":
                    echo(f"error: {rec['message']}")
                if echo and rec.get("warning"):
                    echo(f"warning: {rec['warning']}")
                if bar:
                    bar.advance(task)
    finally:
        if bar:
            bar.stop()
    summary.seconds = time.perf_counter() - t0

    latest = _read_journal(journal_path)
    records = {key: latest[key] for key in current if key in latest}
    ok = {r["doc_id"] for r in records.values() if r["status"] == "ok"}
    failed = sorted((r for r in records.values() if r["status"] == "error"), key=lambda r: r["path"])
    summary.failed = len(failed)
    summary.errors = [{k: r.get(k) for k in ("path", "error_type", "kind", "message")} for r in failed]
    summary.warnings += [r["warning"] for key, r in sorted(records.items(), key=lambda kv: kv[1]["path"])
                         if r.get("warning")]
    for stale in docs_dir.glob("*.json"):  # results of inputs no longer given
        if stale.stem not in ok:
            stale.unlink()
            (out / "html" / f"{stale.stem}.html").unlink(missing_ok=True)
    write_atomic(out / "errors.jsonl", "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in summary.errors))
    _write_tables(out, sorted(ok), csv)
    _write_manifest(out, paths, shas, doc_ids, records, started, summary, n_workers, backend)
    write_atomic(journal_path, "".join(json.dumps(r, ensure_ascii=False) + "\n"  # compacted: one line per document
                                       for _, r in sorted(records.items())))
    if html:
        for doc_id in sorted(ok):  # pages of documents extracted by an earlier run without --html
            if not (out / "html" / f"{doc_id}.html").exists():
                _write_view(out, json.loads((docs_dir / f"{doc_id}.json").read_text(encoding="utf-8")))
        _write_index(out, sorted(ok))
    return summary


def _load_results(out: Path, doc_ids: list[str]) -> Iterable[dict]:
    for doc_id in doc_ids:
        yield json.loads((out / "docs" / f"{doc_id}.json").read_text(encoding="utf-8"))


def _write_tables(out: Path, doc_ids: list[str], csv: bool) -> None:
    """Build the tables of the current documents in a new folder and swap it in whole."""
    new = out / f".tables.{os.getpid()}.tmp"
    shutil.rmtree(new, ignore_errors=True)
    write_tables(build_tables(_load_results(out, doc_ids)), new, csv=csv)
    swap_folder(new, out / "tables")


def _write_manifest(out: Path, paths: list[Path], shas: dict, doc_ids: dict, records: dict, started: float,
                    summary: BatchSummary, workers: int, backend: str) -> None:
    inputs = []
    for p in paths:
        rec = records.get(record_key(shas[str(p)], str(p)), {})
        inputs.append({"path": str(p), "sha256": shas[str(p)], "doc_id": doc_ids[str(p)],
                       "status": rec.get("status")})
    manifest = {
        "jixiao_version": __version__,
        "models": model_versions(),
        "inputs": inputs,
        "warnings": summary.warnings,
        "counts": {"inputs": len(paths), "documents": summary.documents,
                   "ok": summary.documents - summary.failed, "failed": summary.failed},
        "timing": {"started": time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime(started)),
                   "finished": time.strftime("%Y-%m-%dT%H:%M:%S"), "seconds": round(summary.seconds, 3),
                   "docs_per_second": round(summary.processed / summary.seconds, 3) if summary.seconds else None,
                   "workers": workers, "backend": backend},
    }
    write_atomic(out / "manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1) + "\n")


#: Fields of a model's metadata.json recorded in the manifest.
MODEL_FIELDS = ("format", "jixiao", "sklearn", "weights_format", "version", "trained")


def model_versions() -> dict:
    """The trained models jixiao would load (inside the package or in the repository's ``models/``):
    their metadata's version fields and the sha256 of their weights."""
    pkg = Path(__file__).resolve().parent.parent
    found: dict[str, dict] = {}
    for root in (pkg / "models", pkg.parent / "models"):
        for meta in sorted(root.glob("*/metadata.json")) if root.is_dir() else []:
            if meta.parent.name in found:
                continue
            try:
                data = json.loads(meta.read_text(encoding="utf-8"))
            except (OSError, json.JSONDecodeError):
                continue
            entry = {k: data[k] for k in MODEL_FIELDS if k in data}
            weights = meta.parent / "weights.npz"
            if weights.exists():
                entry["weights_sha256"] = file_sha256(weights)
            found[meta.parent.name] = entry
    return found


def _write_view(out: Path, result: dict) -> None:
    write_atomic(out / "html" / f"{result['doc_id']}.html", render_result(result))


def _write_index(out: Path, doc_ids: list[str]) -> None:
    write_atomic(out / "html" / "index.html", render_index(out, doc_ids))
