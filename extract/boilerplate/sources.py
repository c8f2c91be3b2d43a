"""Inputs of a boilerplate run: report files, or rows of a JSONL / CSV / Parquet corpus.

A corpus row becomes one :class:`Record` with its text, an id, a time (year), a
series (unit) and every other column as metadata, which travels into each output
table. Rows are read as a stream (a JSONL line, a CSV row, a Parquet row batch at
a time), so a large corpus is never held in memory. A row that cannot be used (no
text, bad JSON) becomes one error line naming the file and the row.
"""
from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from ..app.inputs import collect_inputs
from ..app.naming import assign_doc_ids

CORPUS_SUFFIXES = (".jsonl", ".ndjson", ".csv", ".parquet")
WHOLE_CORPUS = "all"  # series of every row when no --series-field is given


@dataclass(frozen=True)
class Fields:
    """Which corpus columns hold the text, id, time (year) and series (unit)."""

    text: str | None = None
    id: str | None = None
    time: str | None = None
    series: str | None = None
    require_time: bool = False  # drop rows whose time is empty (e.g. resolutions without a year)


@dataclass(frozen=True)
class Record:
    """One document to analyse: a report file (``path``) or a corpus row (``text``)."""

    doc_id: str
    text: str | None = None
    path: str | None = None
    time: int | None = None
    series: str | None = None
    meta: dict = field(default_factory=dict)
    time_from_meta: bool = False  # True when a time field was named: then never fall back to the text's year


@dataclass(frozen=True)
class RowError:
    path: str
    error: str


def parse_time(value) -> int | None:
    """A year from a metadata value (``2025``, ``"2025"``, ``"2025-03-05"``); None when absent.

    >>> [parse_time(v) for v in (2025, "2025", "2025-03-05", None, "", "n/a")]
    [2025, 2025, 2025, None, None, None]
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return int(value) if value == value else None  # NaN
    s = str(value).strip()
    head = s[:4]
    return int(head) if len(head) == 4 and head.isdigit() else None


def _rows(path: Path) -> Iterator[tuple[int, dict | RowError]]:
    """(1-based row number, row dict or error) for each row of a corpus file, streamed."""
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
        with path.open(encoding="utf-8") as fh:
            for n, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                try:
                    row = json.loads(line)
                except json.JSONDecodeError as e:
                    yield n, RowError(str(path), f"{path}: row {n}: invalid JSON ({e.msg})")
                    continue
                yield n, row if isinstance(row, dict) else RowError(str(path), f"{path}: row {n}: not an object")
    elif suffix == ".csv":
        with path.open(encoding="utf-8-sig", newline="") as fh:
            for n, row in enumerate(csv.DictReader(fh), 1):
                yield n, row
    else:
        import pyarrow.parquet as pq

        n = 0
        for batch in pq.ParquetFile(path).iter_batches(batch_size=256):
            for row in batch.to_pylist():
                n += 1
                yield n, row


def _meta_value(v):
    if v is None or isinstance(v, str):
        return v
    if isinstance(v, float) and v != v:
        return None
    if isinstance(v, (int, float, bool)):
        return str(v)
    return json.dumps(v, ensure_ascii=False, default=str)


def corpus_records(path: Path, fields: Fields) -> Iterator[Record | RowError]:
    """Records of one corpus file (see module doc); metadata values are strings or None."""
    if not fields.text:
        yield RowError(str(path), f"{path}: a corpus file needs --text-field (the column holding the text)")
        return
    if not path.exists():
        yield RowError(str(path), f"{path}: no such file")
        return
    seen: set[str] = set()
    try:
        for n, row in _rows(path):
            if isinstance(row, RowError):
                yield row
                continue
            text = row.get(fields.text)
            if not isinstance(text, str) or not text.strip():
                yield RowError(str(path), f"{path}: row {n}: no text in field {fields.text!r}")
                continue
            time = parse_time(row.get(fields.time)) if fields.time else None
            if fields.require_time and time is None:
                continue
            doc_id = str(row.get(fields.id)) if fields.id and row.get(fields.id) not in (None, "") else f"{path.stem}-{n}"
            if doc_id in seen:
                doc_id = f"{doc_id}-{n}"
            seen.add(doc_id)
            series = row.get(fields.series) if fields.series else WHOLE_CORPUS
            meta = {k: _meta_value(v) for k, v in row.items() if k != fields.text}
            yield Record(doc_id=doc_id, text=text, path=f"{path}#{n}", time=time,
                         series=None if series in (None, "") else str(series), meta=meta,
                         time_from_meta=bool(fields.time))
    except (OSError, UnicodeDecodeError, ValueError) as e:
        yield RowError(str(path), f"{path}: {type(e).__name__}: {e}".splitlines()[0])


def iter_records(inputs: Iterable[str | Path], fields: Fields = Fields()) -> Iterator[Record | RowError]:
    """Every record of the inputs, in order: corpus files row by row, report files one each.

    Report files get their series and time from the extracted unit and fiscal year
    (filled in by the worker); paths are made absolute so any worker can open them.
    """
    files: list[Path] = []
    for p in collect_inputs(inputs):
        if p.suffix.lower() in CORPUS_SUFFIXES:
            yield from _flush_files(files, assign_doc_ids)
            files = []
            yield from corpus_records(p, fields)
        else:
            files.append(p)
    yield from _flush_files(files, assign_doc_ids)


def _flush_files(files: list[Path], assign_doc_ids) -> Iterator[Record]:
    if not files:
        return
    ids = assign_doc_ids(files)
    for p in files:
        yield Record(doc_id=ids[str(p)], path=str(p.resolve()) if p.exists() else str(p))
