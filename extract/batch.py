"""Corpus runs: many reports in, per-document JSON + tidy tables + errors + manifest out.

Layout of an output folder::

    DIR/docs/<doc_id>.json   SPEC-shaped result per document (with checks)
    DIR/tables/*.parquet     documents, facts, problems, measures, checks, indicators (+ .csv)
    DIR/errors.jsonl         one line per failed input: path, error type, message
    DIR/manifest.json        inputs with sha256, doc_id, status; versions; timing
    DIR/.journal.jsonl       append-only progress log (what makes a run resumable)

Safety: every file is written to a temporary name and renamed; the journal gets
one line per finished input, flushed at once, so a killed run loses at most the
documents in flight. Re-running skips inputs whose sha256 and jixiao version are
unchanged since they were last processed (failures included: they fail the same
way), so a re-run over the same inputs processes nothing new and says so.

Execution backends: in-process (``workers=1``), a process pool (one loaded
pipeline per worker, via the pool initializer), or a Dask cluster
(``dask="local:N"`` or a scheduler address). All write through the same code in
this process, so their outputs are identical.
"""
from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from . import __version__, models_dir
from .runner import collect_inputs, dumps, write_atomic

TIMING_KEYS = ("started", "finished", "seconds", "docs_per_second", "workers", "backend")


@dataclass
class BatchSummary:
    total: int = 0
    processed: int = 0
    skipped: int = 0
    failed: int = 0
    seconds: float = 0.0
    out: Path | None = None
    errors: list[dict] = field(default_factory=list)

    def line(self) -> str:
        if self.processed == 0 and self.total:
            return (f"nothing new: {self.total} inputs unchanged since the last run "
                    f"({self.total - self.failed} done, {self.failed} failed); outputs in {self.out}")
        rate = self.processed / self.seconds if self.seconds else 0.0
        return (f"{self.processed} processed ({rate:.1f} docs/s), {self.skipped} unchanged and skipped, "
                f"{self.failed} failed; outputs in {self.out}")


# --------------------------------------------------------------------------- worker side

def _init_worker() -> None:
    """Load the pipeline once per worker (imports, lexicons, models) by running it on a tiny text."""
    from .pipeline import extract_text

    extract_text("2024年度整体绩效自评报告\n一、单位基本情况\n行政编制5名。", doc_id="warmup")


def file_sha256(path: Path) -> str | None:
    h = hashlib.sha256()
    try:
        with open(path, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
    except OSError:
        return None
    return h.hexdigest()


def process_one(path: str, doc_id: str) -> dict:
    """Extract one input; never raises. Returns a journal record (+ ``json``, the result's
    file text, when ok: serialized here, in the worker, so the main process only writes)."""
    from .core import JixiaoError
    from .pipeline import extract_file

    t0 = time.perf_counter()
    record = {"path": path, "doc_id": doc_id, "version": __version__}
    try:
        result = extract_file(path).to_spec()
        result["doc_id"] = doc_id
        record.update(status="ok", sha256=result["text_sha256"], json=dumps(result) + "\n")
    except JixiaoError as e:
        record.update(status="error", sha256=file_sha256(Path(path)), error_type=type(e).__name__,
                      kind=getattr(e, "kind", None), message=str(e))
    except Exception as e:  # an extractor bug on one file must not stop the corpus
        record.update(status="error", sha256=file_sha256(Path(path)), error_type=f"internal:{type(e).__name__}",
                      kind="internal", message=f"{path}: internal error {type(e).__name__}: {e}")
    record["seconds"] = round(time.perf_counter() - t0, 4)
    return record


def process_chunk(jobs: list[tuple[str, str]]) -> list[dict]:
    """:func:`process_one` for a few inputs: one pool task, one result message."""
    return [process_one(p, d) for p, d in jobs]


#: At most this many inputs per pool task (a killed run loses at most the tasks in flight).
MAX_CHUNK = 16


def chunk_size(n_jobs: int, workers: int) -> int:
    """Inputs per pool task: up to :data:`MAX_CHUNK`, but at least 8 tasks per worker so the
    work stays balanced.

    >>> chunk_size(600, 2), chunk_size(20, 2), chunk_size(0, 2)
    (16, 1, 1)
    """
    return max(1, min(MAX_CHUNK, n_jobs // (8 * max(1, workers))))


# --------------------------------------------------------------------------- main side

def _read_journal(path: Path) -> dict[str, dict]:
    """Latest record per input path; a torn last line (killed mid-write) is ignored."""
    latest: dict[str, dict] = {}
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                rec = json.loads(line)
            except json.JSONDecodeError:
                continue
            latest[rec["path"]] = rec
    return latest


def assign_doc_ids(paths: list[Path]) -> dict[str, str]:
    """doc_id = file stem; a later file with a stem already taken gets ``stem__<sha8 of its path>``."""
    ids: dict[str, str] = {}
    taken: set[str] = set()
    for p in paths:
        doc_id = p.stem
        if doc_id in taken:
            doc_id = f"{p.stem}__{hashlib.sha256(str(p).encode()).hexdigest()[:8]}"
        taken.add(doc_id)
        ids[str(p)] = doc_id
    return ids


def _executor(workers: int, dask: str | None):
    """Yield-style runner: returns a function mapping [(path, doc_id)] -> iterator of records."""
    if dask:
        def run_dask(jobs):
            from dask.distributed import Client, LocalCluster, as_completed

            if dask.startswith("local"):
                n = int(dask.split(":", 1)[1]) if ":" in dask else (os.cpu_count() or 1)
                cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                                       dashboard_address=None, silence_logs=40)
                client = Client(cluster)
            else:
                cluster, client = None, Client(dask)
            try:
                client.run(_init_worker)
                futures = client.map(process_one, [p for p, _ in jobs], [d for _, d in jobs], pure=False)
                for fut in as_completed(futures):
                    yield fut.result()
            finally:
                client.close()
                if cluster is not None:
                    cluster.close()

        return run_dask, f"dask:{dask}"
    if workers <= 1:
        def run_inline(jobs):
            for p, d in jobs:
                yield process_one(p, d)

        return run_inline, "inline"

    def run_pool(jobs):
        from concurrent.futures import ProcessPoolExecutor, as_completed

        size = chunk_size(len(jobs), workers)
        with ProcessPoolExecutor(max_workers=workers, initializer=_init_worker) as pool:
            futures = [pool.submit(process_chunk, jobs[i:i + size]) for i in range(0, len(jobs), size)]
            try:
                for fut in as_completed(futures):
                    yield from fut.result()
            except BaseException:
                for f in futures:
                    f.cancel()
                raise

    return run_pool, f"processes:{workers}"


def _progress(total: int, enabled: bool):
    if not enabled or total == 0:
        return None
    from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn,
                               TimeRemainingColumn)

    class Rate(TextColumn):
        def render(self, task):  # docs per second
            speed = task.finished_speed or task.speed
            from rich.text import Text
            return Text(f"{speed:.1f} docs/s" if speed else "… docs/s")

    return Progress(TextColumn("[bold]jixiao batch"), BarColumn(), MofNCompleteColumn(), Rate(""),
                    TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(), transient=False)


def run_batch(inputs: Iterable[str | Path], out: str | Path, workers: int | None = None, csv: bool = False,
              dask: str | None = None, progress: bool = True, html: bool = False,
              echo: Callable[[str], None] | None = None) -> BatchSummary:
    """Run the pipeline over ``inputs`` into ``out`` (see module doc); resumable and idempotent."""
    out = Path(out)
    (out / "docs").mkdir(parents=True, exist_ok=True)
    journal_path = out / ".journal.jsonl"
    paths = list(collect_inputs(inputs))
    doc_ids = assign_doc_ids(paths)
    previous = _read_journal(journal_path)
    summary = BatchSummary(total=len(paths), out=out)

    jobs = []
    for p in paths:
        key = str(p)
        prev = previous.get(key)
        if (prev and prev.get("version") == __version__ and prev.get("sha256") is not None
                and prev.get("sha256") == file_sha256(p) and prev.get("doc_id") == doc_ids[key]
                and (prev["status"] == "error" or (out / "docs" / f"{doc_ids[key]}.json").exists())):
            summary.skipped += 1
            continue
        jobs.append((key, doc_ids[key]))

    n_workers = workers or os.cpu_count() or 1
    run, backend = _executor(n_workers, dask)
    started = time.time()
    t0 = time.perf_counter()
    bar = _progress(len(jobs), progress)
    task = bar.add_task("extract", total=len(jobs)) if bar else None
    if bar:
        bar.start()
    try:
        with open(journal_path, "a", encoding="utf-8") as journal:
            if journal_path.stat().st_size and not journal_path.read_bytes().endswith(b"\n"):
                journal.write("\n")  # seal a line torn by a kill so the next record starts clean
            for rec in run(jobs) if jobs else ():
                text = rec.pop("json", None)
                if text is not None:
                    write_atomic(out / "docs" / f"{rec['doc_id']}.json", text)
                    if html:
                        _write_view(out, json.loads(text))
                journal.write(json.dumps(rec, ensure_ascii=False) + "\n")
                journal.flush()
                summary.processed += 1
                if rec["status"] == "error" and echo:
                    echo(f"error: {rec['message']}")
                if bar:
                    bar.advance(task)
    finally:
        if bar:
            bar.stop()
    summary.seconds = time.perf_counter() - t0

    latest = _read_journal(journal_path)
    current = [latest[str(p)] for p in paths if str(p) in latest]
    summary.failed = sum(1 for r in current if r["status"] == "error")
    summary.errors = [{k: r.get(k) for k in ("path", "error_type", "kind", "message")}
                      for r in sorted(current, key=lambda r: r["path"]) if r["status"] == "error"]
    write_atomic(out / "errors.jsonl", "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in summary.errors))
    _write_tables(out, latest, csv)
    _write_manifest(out, paths, latest, started, summary, n_workers, backend)
    # compact the journal to one line per input
    write_atomic(journal_path, "".join(json.dumps(r, ensure_ascii=False) + "\n"
                                       for _, r in sorted(latest.items())))
    if html:
        _write_index(out)
    return summary


def _load_results(out: Path, latest: dict[str, dict]) -> list[dict]:
    results = []
    for rec in latest.values():
        doc = out / "docs" / f"{rec['doc_id']}.json"
        if rec["status"] == "ok" and doc.exists():
            results.append(json.loads(doc.read_text(encoding="utf-8")))
    return results


def _write_tables(out: Path, latest: dict[str, dict], csv: bool) -> None:
    from .io.tables import build_tables, write_tables

    write_tables(build_tables(_load_results(out, latest)), out / "tables", csv=csv)


def _write_manifest(out: Path, paths: list[Path], latest: dict[str, dict], started: float,
                    summary: BatchSummary, workers: int, backend: str) -> None:
    inputs = [{"path": str(p), "sha256": latest.get(str(p), {}).get("sha256"),
               "doc_id": latest.get(str(p), {}).get("doc_id"), "status": latest.get(str(p), {}).get("status")}
              for p in paths]
    manifest = {
        "jixiao_version": __version__,
        "models": _model_versions(),
        "inputs": inputs,
        "counts": {"inputs": len(paths), "ok": sum(1 for i in inputs if i["status"] == "ok"),
                   "failed": sum(1 for i in inputs if i["status"] == "error")},
        "timing": {"started": time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime(started)),
                   "finished": time.strftime("%Y-%m-%dT%H:%M:%S"), "seconds": round(summary.seconds, 3),
                   "docs_per_second": round(summary.processed / summary.seconds, 3) if summary.seconds else None,
                   "workers": workers, "backend": backend},
    }
    write_atomic(out / "manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1) + "\n")


def _model_versions() -> dict:
    """Versions of the trained models shipped in models/ (read from their metadata files)."""
    root = models_dir()
    found = {}
    for meta in sorted(root.glob("*/metadata.json")) if root.exists() else []:
        try:
            data = json.loads(meta.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            continue
        found[meta.parent.name] = {k: data.get(k) for k in ("version", "jixiao_version", "sklearn_version", "trained")
                                   if k in data}
    return found


def _write_view(out: Path, result: dict) -> None:
    try:
        from .view import render_result
    except ImportError:
        return
    write_atomic(out / "html" / f"{result['doc_id']}.html", render_result(result))


def _write_index(out: Path) -> None:
    try:
        from .view import render_index
    except ImportError:
        return
    write_atomic(out / "html" / "index.html", render_index(out))
