"""Plain functions behind the CLI commands: each loops over its inputs with the per-file
policy of :mod:`.policy`, names outputs with :mod:`.naming` and writes with :mod:`.files`.

They report through ``echo`` (progress lines) and ``echo_err`` (warnings and one line per
failed input) and return a :class:`~.policy.Tally` whose ``exit_code()`` the CLI exits with.
"""
from __future__ import annotations

import csv
import glob
import io
import json
import os
import re
from pathlib import Path
from typing import Callable, Iterable, Iterator

from ..checks import result_from_spec, run_checks
from ..core import IngestError
from ..ingest import read_document
from ..io.specs import gold_json
from ..pipeline import run_stages
from ..view import render
from .batch import dumps, nothing_extracted, size_check
from .files import output_file, output_folder, write_atomic
from .inputs import gather
from .naming import UnsafeName, assign_doc_ids, file_sha256, output_path
from .policy import FileError, Tally

Echo = Callable[[str], None]


def _quiet(_: str) -> None:
    pass


def _absolute(paths: Iterable[Path]) -> list[Path]:
    return [Path(os.path.abspath(p)) for p in paths]


def read_report(path: Path, max_chars: int | None = None, echo_err: Echo = _quiet):
    """Read one report (the size check of the batch included); raises on bad input."""
    doc = read_document(path)
    warning = size_check(path, doc.raw, max_chars)
    if warning:
        echo_err(f"warning: {warning}")
    return doc


def reports(paths: Iterable[str | Path], tally: Tally, echo_err: Echo = _quiet,
            max_chars: int | None = None) -> Iterator[tuple[Path, str, object]]:
    """Yield ``(path, doc_id, Document)`` per distinct report among ``paths``; bad inputs go to
    ``tally`` and ``echo_err``, inputs with the content of an earlier one are said once and skipped."""
    found = gather(paths)
    tally.warnings += found.warnings
    for w in found.warnings:
        echo_err(f"warning: {w}")
    files = _absolute(found.files)
    shas = {str(p): file_sha256(p) for p in files}
    ids = assign_doc_ids(files, shas)
    first: dict[str, Path] = {}
    for path in files:
        sha = shas[str(path)]
        if sha is not None and sha in first:
            echo_err(f"warning: {path}: same content as {first[sha]}; one document ({ids[str(path)]})")
            tally.ok += 1
            continue
        if sha is not None:
            first[sha] = path
        try:
            doc = read_report(path, max_chars, echo_err)
        except Exception as e:
            tally.record(path, e, echo_err)
            continue
        yield path, ids[str(path)], doc


def _extracted(paths, tally: Tally, echo_err: Echo, max_chars: int | None = None) -> Iterator[tuple[Path, dict, str]]:
    """``(path, SPEC dict, raw text)`` per report, the pipeline run under the per-file policy."""
    for path, doc_id, doc in reports(paths, tally, echo_err, max_chars):
        try:
            spec = run_stages(doc).to_spec()
        except Exception as e:  # an extractor bug on one file must not stop the others
            tally.record(path, e, echo_err)
            continue
        spec["doc_id"] = doc_id
        tally.ok += 1
        warning = nothing_extracted(path, spec)
        if warning:
            tally.warnings.append(warning)
            echo_err(f"warning: {warning}")
        yield path, spec, doc.raw


# --------------------------------------------------------------------------- extract

def extract_paths(paths: Iterable[str | Path], out: Path, fmt: str = "json", echo: Echo = _quiet,
                  echo_err: Echo = _quiet, max_chars: int | None = None) -> Tally:
    """Extract every input to ``out/<doc_id>.json`` (or ``out/predictions.jsonl``)."""
    out = output_folder(out)
    tally = Tally()
    lines: list[str] = []
    for path, spec, _ in _extracted(paths, tally, echo_err, max_chars):
        if fmt == "jsonl":
            lines.append(dumps(spec, indent=None))
        else:
            write_atomic(output_path(out, spec["doc_id"], ".json"), dumps(spec) + "\n")
        echo(f"{path} -> {spec['doc_id']}: {len(spec['facts'])} facts, {len(spec['problems'])} problems, "
             f"{len(spec['measures'])} measures")
    if fmt == "jsonl":
        write_atomic(out / "predictions.jsonl", "".join(l + "\n" for l in lines))
    return tally


# --------------------------------------------------------------------------- SPEC inputs (JSON or reports)

def _spec_files(p: Path) -> list[Path]:
    if p.is_dir():
        return sorted([*p.glob("*.json"), *p.glob("*.jsonl")])
    return [p] if p.suffix in (".json", ".jsonl") else []


def _specs_in(j: Path) -> Iterator[tuple[str, dict]]:
    if j.suffix == ".jsonl":
        for n, line in enumerate(j.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip():
                yield f"{j}:{n}", json.loads(line)
    else:
        yield str(j), json.loads(j.read_text(encoding="utf-8"))


def source_text(spec: dict, docs: Path | None, where: Path | None = None) -> str:
    """The raw text of a SPEC result: ``docs/<doc_id>.txt``, else its ``source.path`` (a relative
    path is tried from the working folder, then from the folder of the JSON file ``where``)."""
    cands: list[Path] = []
    doc_id = spec.get("doc_id")
    if docs is not None and doc_id:
        cands.append(output_path(Path(docs), str(doc_id), ".txt"))
    src = (spec.get("source") or {}).get("path")
    if src:
        cands.append(Path(src))
        if where is not None and not Path(src).is_absolute():
            cands.append(where.parent / src)
    for c in cands:
        if c.is_file():
            return read_document(c, check=False).raw
    raise IngestError(where or doc_id, f"no document text for doc_id {doc_id!r} (tried "
                                       f"{', '.join(map(str, cands)) or 'nothing'})", "missing")


def spec_inputs(paths: Iterable[str | Path], docs: Path | None, tally: Tally, echo_err: Echo = _quiet,
                need_text: bool = True) -> Iterator[tuple[str, dict, str]]:
    """``(where, SPEC dict, raw text)`` for SPEC JSON/JSONL files and folders, and for report files
    (extracted now); one error line per bad file or line, the rest go on. Without ``need_text`` a
    SPEC whose text cannot be found comes with ``""`` instead of an error."""
    reports_given: list[Path] = []
    for arg in paths:
        arg = str(arg)
        matches = sorted(glob.glob(arg)) if glob.has_magic(arg) else [arg]
        for m in matches or [arg]:
            p = Path(m)
            jsons = _spec_files(p)
            if not jsons:
                reports_given.append(p)
                continue
            for j in jsons:
                try:
                    for where, spec in _specs_in(j):
                        try:
                            raw = source_text(spec, docs, j)
                        except Exception as e:
                            if need_text:
                                tally.record(where, e, echo_err)
                                continue
                            raw = ""
                        tally.ok += 1
                        yield where, spec, raw
                except (OSError, ValueError, KeyError, TypeError) as e:
                    tally.record(j, ValueError(f"cannot read SPEC JSON: {e}"), echo_err)
    if reports_given:
        for path, spec, raw in _extracted(reports_given, tally, echo_err):
            yield str(path), spec, raw


# --------------------------------------------------------------------------- check

def check_inputs(paths: Iterable[str | Path], docs: Path | None, recompute: bool, tally: Tally,
                 echo_err: Echo = _quiet) -> list[dict]:
    """``[{doc_id, path, checks}]``: a SPEC file's own checks (recomputed from its facts when it has
    none, or with ``recompute``; its text gives the figures as written), a report's checks now."""
    done = []
    # without a text the checks still run, without the figures as written
    for where, spec, raw in spec_inputs(paths, docs, tally, echo_err, need_text=False):
        if "checks" in spec and not recompute:
            checks = spec["checks"]
        else:
            checks = [c.to_json() for c in run_checks(result_from_spec(spec, raw))]
        done.append({"doc_id": spec.get("doc_id", where), "path": where, "checks": checks})
    return done


# --------------------------------------------------------------------------- commitments

COMMITMENT_COLUMNS = ("doc_id", "id", "addresses", "link_rule", "actions", "targets", "deadline", "owner", "text")
_LINEBREAK = re.compile(r"\s*\n\s*")


def commitment_rows(paths: Iterable[str | Path], tally: Tally, echo_err: Echo = _quiet) -> list[tuple]:
    """One row per improvement measure of each report (:data:`COMMITMENT_COLUMNS`)."""
    rows = []
    for path, doc_id, doc in reports(paths, tally, echo_err):
        try:
            measures = run_stages(doc).measures
        except Exception as e:
            tally.record(path, e, echo_err)
            continue
        tally.ok += 1
        for m in measures:
            link = getattr(m, "link_evidence", None)
            rows.append((doc_id, m.id, " ".join(m.addresses), link.rule if link else "", "、".join(m.actions),
                         "; ".join(m.targets), m.deadline or "", m.owner or "",
                         _LINEBREAK.sub("", doc.raw[m.span.start:m.span.end])))
    return rows


def write_csv(path: Path, header: Iterable[str], rows: Iterable[Iterable]) -> Path:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(header)
    w.writerows(rows)
    return write_atomic(output_file(path), buf.getvalue())


# --------------------------------------------------------------------------- import / export

def write_gold(golds: Iterable[dict], out: Path, tally: Tally, echo_err: Echo = _quiet) -> list[Path]:
    """Write each gold as ``out/<doc_id>.json``; a doc_id that is not a plain file name is refused."""
    out = output_folder(out)
    written = []
    for g in golds:
        try:
            path = output_path(out, str(g.get("doc_id")), ".json")
        except UnsafeName as e:
            tally.record(out, e, echo_err)
            continue
        write_atomic(path, gold_json(g))  # the gold files' own key order: an import equals the export
        written.append(path)
        tally.ok += 1
    return written


def refuse(tally: Tally, messages: Iterable[str], echo_err: Echo = _quiet) -> None:
    """Count items an importer refused (its own one-line messages)."""
    for m in messages:
        tally.fail(FileError("", "refused", "refused", m))
        echo_err(f"error: {m}")


# --------------------------------------------------------------------------- view

def view(file: Path, out: Path, docs: Path | None, echo_err: Echo = _quiet) -> Tally:
    """Write the evidence page of a report (extracted now) or a SPEC JSON file to ``out``."""
    tally = Tally()
    out = output_file(out)
    file = Path(os.path.abspath(file))
    try:
        if file.suffix.lower() == ".json":
            result = json.loads(file.read_text(encoding="utf-8"))
            raw = source_text(result, docs, file)
        else:
            items = list(_extracted([file], tally, echo_err))
            if not items:
                return tally
            _, result, raw = items[0]
            tally.ok -= 1
    except Exception as e:
        tally.record(file, e, echo_err)
        return tally
    write_atomic(out, render(result, raw))
    tally.ok += 1
    return tally
