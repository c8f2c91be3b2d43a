"""Corpus-level boilerplate analysis out of core: two streaming passes with DuckDB in between.

Pass 1 (workers: inline, a process pool, or a Dask cluster): each chunk of records is
read, sectioned, extracted and tokenized; the worker returns Arrow tables -- sentences
with their word n-gram hashes, each document's distinct n-gram hashes with their
multiplicity, template units with MinHash sketches, and the per-pair payload
(8-gram hashes, word counts, masked sentence hashes, problems). The parent writes
them as one Parquet partition per chunk, in input order.

Merge (DuckDB, with a memory limit and a spill folder): document frequencies of
every n-gram, grouped on disk; only the n-grams that pass the thresholds (at most
``mean distinct n-grams per document / min_share`` of them, whatever the corpus
size) come back into memory. Templates are clustered from LSH bands grouped in
DuckDB (``templates.py``). Consecutive reports of a series are paired by streaming
the payload sorted by (series, time).

Pass 2 (parent, one partition at a time): sentence flags, per-document scores and
per-section scores, written per partition and copied into the output tables by
DuckDB. Memory therefore depends on the chunk and the DuckDB limit, not on the
number of reports. Hashes are stable (BLAKE2b), so every backend gives the same
tables.
"""
from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections import deque
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable, Iterator

import numpy as np

from . import measures as M
from .sources import Fields, Record, RowError, iter_records
from ..core import JixiaoError
from .corpus import prepare_record
from .hashing import TokenHasher, char_hashes, ngram_hashes, string_hash
from .templates import Sketcher, mask, unit_tables

TABLES = ("docs", "sents", "grams", "units", "sigs", "bands", "pairs")
WORD, CHAR = 0, 1  # kinds of n-gram in the grams table


@dataclass
class Options:
    thresholds: M.Thresholds = field(default_factory=M.Thresholds)
    word_n: int = 4
    char_n: int = 6
    sticky_n: int = 8
    redundancy_n: int = 10
    template_threshold: float = 0.6
    template_min_docs: int = 3
    template_min_chars: int = 12
    num_perm: int = 64
    recurring_similarity: float = 0.35
    drop_sentences: str | None = None  # regex: sentences matching it are left out
    cut_at: str | None = None  # regex: text from its first match on is left out (e.g. a licence footer)
    max_gap: int | None = None  # pair a report with its series' previous report at most this many years back
    workers: int = 1
    dask: str | None = None  # "local:N" or a scheduler address
    chunk_size: int = 32
    memory_limit: str = "512MB"  # DuckDB's buffer limit; it spills to the work folder beyond it
    workdir: str | None = None  # default: a temporary folder, removed at the end


@dataclass
class Summary:
    documents: int
    sentences: int
    templates: int
    pairs: int
    errors: list[dict]
    out: Path
    files: list[Path] = field(default_factory=list)


# --------------------------------------------------------------------------- pass 1 (workers)

def prepare_chunk(job: tuple[int, list[Record], Options]) -> dict:
    """Pass 1 for one chunk of records -> Arrow tables (see module doc) and error lines."""
    import pyarrow as pa  # heavy: Arrow loads only in the workers that write partitions

    first, records, opt = job
    docs_schema, sents_schema, pairs_schema = _schemas()
    hasher = TokenHasher()
    cols: dict[str, dict[str, list]] = {t: {} for t in ("docs", "sents", "grams", "pairs")}
    units, errors = [], []

    def add(table: str, **values) -> None:
        for k, v in values.items():
            cols[table].setdefault(k, []).append(v)

    for k, rec in enumerate(records):
        idx = first + k
        try:
            d = prepare_record(rec, opt.drop_sentences, opt.cut_at)
        except JixiaoError as e:
            errors.append({"doc_id": rec.doc_id, "path": rec.path, "error": str(e)})
            continue
        sents = [s.tokens for s in d.sentences]
        th = [hasher(t) for t in sents]
        w = [ngram_hashes(h, opt.word_n) for h in th]
        c = [ngram_hashes(char_hashes("".join(s.text.split())), opt.char_n) for s in d.sentences]
        masked = [string_hash(mask(s.text)) for s in d.sentences]
        for kind, grams in ((WORD, w), (CHAR, c)):
            flat = np.concatenate(grams) if grams else np.empty(0, np.int64)
            h, mult = np.unique(flat, return_counts=True)
            add("grams", h=h, kind=np.full(len(h), kind, np.int8), doc_idx=np.full(len(h), idx, np.int64),
                mult=mult.astype(np.int32))
        all_tok = np.concatenate(th) if th else np.empty(0, np.int64)
        tok_h, tok_c = np.unique(all_tok, return_counts=True)
        sticky = [ngram_hashes(h, opt.sticky_n) for h in th]
        add("pairs", doc_idx=idx, series=d.series, time=d.time,
            problems=json.dumps(d.problems, ensure_ascii=False),
            sticky=np.concatenate(sticky) if sticky else np.empty(0, np.int64),
            tok_h=tok_h, tok_c=tok_c.astype(np.int32), sent_m=np.asarray(masked, dtype=np.int64))
        add("docs", doc_idx=idx, doc_id=d.doc_id, path=d.path, series=d.series, time=d.time, unit=d.unit,
            fiscal_year=d.year, sentences=len(sents), words=int(sum(map(len, sents))),
            specificity=M.specificity(sents), hard_information=M.hard_information(sents),
            redundancy=M.redundancy(sents, opt.redundancy_n), meta=json.dumps(d.meta, ensure_ascii=False))
        for s, wh, m in zip(d.sentences, w, masked):
            add("sents", doc_idx=idx, sentence=s.index, span_start=s.start, span_end=s.end, section=s.section,
                words=len(s.tokens), text=s.text, w=wh, m=m)
            units.append((idx, s.index, s.start, s.end, s.section, s.text))
            units.extend((idx, s.index, a, b, s.section, text) for a, b, text in s.clauses)

    out = {"errors": errors}
    g = cols["grams"]
    empty = {"h": np.int64, "kind": np.int8, "doc_idx": np.int64, "mult": np.int32}
    out["grams"] = pa.table({k: np.concatenate(g[k]) if g else np.empty(0, t) for k, t in empty.items()})
    out["docs"] = pa.table(cols["docs"], schema=docs_schema) if cols["docs"] else docs_schema.empty_table()
    s = cols["sents"]
    out["sents"] = pa.table({**{k: s[k] for k in sents_schema.names if k != "w"},
                             "w": pa.array(s["w"], pa.list_(pa.int64()))}, schema=sents_schema) if s \
        else sents_schema.empty_table()
    p = cols["pairs"]
    out["pairs"] = pa.table({k: (pa.array(p[k], pairs_schema.field(k).type)) for k in pairs_schema.names},
                            schema=pairs_schema) if p else pairs_schema.empty_table()
    out["units"], out["sigs"], out["bands"] = unit_tables(units, Sketcher(opt.num_perm, opt.template_threshold),
                                                          opt.template_min_chars)
    return out


@lru_cache(maxsize=1)
def _schemas():
    """Arrow schemas of the pass-1 tables docs, sents and pairs (built on first use: pyarrow stays lazy)."""
    import pyarrow as pa

    docs = pa.schema([("doc_idx", pa.int64()), ("doc_id", pa.string()), ("path", pa.string()),
                      ("series", pa.string()), ("time", pa.int64()), ("unit", pa.string()),
                      ("fiscal_year", pa.int64()), ("sentences", pa.int64()), ("words", pa.int64()),
                      ("specificity", pa.float64()), ("hard_information", pa.float64()),
                      ("redundancy", pa.float64()), ("meta", pa.string())])
    sents = pa.schema([("doc_idx", pa.int64()), ("sentence", pa.int64()), ("span_start", pa.int64()),
                       ("span_end", pa.int64()), ("section", pa.string()), ("words", pa.int64()),
                       ("text", pa.string()), ("w", pa.list_(pa.int64())), ("m", pa.int64())])
    pairs = pa.schema([("doc_idx", pa.int64()), ("series", pa.string()), ("time", pa.int64()),
                       ("problems", pa.string()), ("sticky", pa.list_(pa.int64())),
                       ("tok_h", pa.list_(pa.int64())), ("tok_c", pa.list_(pa.int32())),
                       ("sent_m", pa.list_(pa.int64()))])
    return docs, sents, pairs


# --------------------------------------------------------------------------- executors

def _chunks(items: Iterable[Record | RowError], size: int, opt: Options, errors: list[dict]) -> Iterator[tuple]:
    batch: list[Record] = []
    n = 0
    for item in items:
        if isinstance(item, RowError):
            errors.append({"doc_id": None, "path": item.path, "error": item.error})
            continue
        batch.append(item)
        if len(batch) == size:
            yield n, batch, opt
            n += len(batch)
            batch = []
    if batch:
        yield n, batch, opt


def ordered_map(fn: Callable, jobs: Iterable, workers: int = 1, dask: str | None = None) -> Iterator:
    """``map(fn, jobs)`` inline, on a process pool or on Dask, results in job order, with at most
    ``2 x workers`` jobs in flight (so a streamed corpus is never read ahead into memory)."""
    if dask:
        from dask.distributed import Client, LocalCluster

        cluster = None
        if dask.startswith("local"):
            n = int(dask.split(":", 1)[1]) if ":" in dask else (os.cpu_count() or 1)
            cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=None,
                                   silence_logs=40)
            client = Client(cluster)
        else:
            client = Client(dask)
        try:
            width = max(1, len(client.scheduler_info().get("workers", {})))
            yield from _windowed(lambda job: client.submit(fn, job, pure=False), jobs, 2 * width)
        finally:
            client.close()
            if cluster is not None:
                cluster.close()
    elif workers > 1:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        ctx = multiprocessing.get_context("spawn" if os.name == "nt" else "fork")
        with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
            yield from _windowed(lambda job: pool.submit(fn, job), jobs, 2 * workers)
    else:
        yield from map(fn, jobs)


def _windowed(submit: Callable, jobs: Iterable, width: int) -> Iterator:
    window: deque = deque()
    for job in jobs:
        window.append(submit(job))
        if len(window) >= width:
            yield window.popleft().result()
    while window:
        yield window.popleft().result()


# --------------------------------------------------------------------------- the run

def run(inputs: Iterable[str | Path], out: str | Path, options: Options | None = None,
        fields: Fields = Fields(), csv: bool = True, plots: bool = True) -> Summary:
    """Analyse the inputs and write every table (and the plots) to ``out``; see the README."""
    opt = options or Options()
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    if opt.workdir:
        Path(opt.workdir).mkdir(parents=True, exist_ok=True)
    wd = Path(tempfile.mkdtemp(prefix="jixiao-bp-", dir=opt.workdir))
    try:
        return _Run(opt, wd, out).go(inputs, fields, csv, plots)
    finally:
        shutil.rmtree(wd, ignore_errors=True)


class _Run:
    def __init__(self, opt: Options, wd: Path, out: Path) -> None:
        self.opt, self.wd, self.out = opt, wd, out
        self.errors: list[dict] = []
        self.parts = 0

    def go(self, inputs, fields: Fields, csv: bool, plots: bool) -> Summary:
        import duckdb
        import pyarrow.parquet as pq

        for t in TABLES:
            (self.wd / t).mkdir()
        jobs = _chunks(iter_records(inputs, fields), self.opt.chunk_size, self.opt, self.errors)
        for result in ordered_map(prepare_chunk, jobs, self.opt.workers, self.opt.dask):
            self.errors.extend(result["errors"])
            for t in TABLES:
                pq.write_table(result[t], self.wd / t / f"part-{self.parts:06d}.parquet")
            self.parts += 1
        con = duckdb.connect(str(self.wd / "work.duckdb"))
        con.execute(f"SET memory_limit = '{self.opt.memory_limit}'")
        con.execute(f"SET temp_directory = '{self.wd / 'spill'}'")
        con.execute("SET threads = 2")
        con.execute("SET preserve_insertion_order = false")
        self.con = con
        try:
            return self._merge_and_write(csv, plots)
        finally:
            con.close()

    def src(self, table: str) -> str:
        return f"read_parquet('{self.wd / table}/*.parquet', union_by_name = true)"

    # -- merge
    def _merge_and_write(self, csv: bool, plots: bool) -> Summary:
        from .templates import build_templates

        con, opt = self.con, self.opt
        n_docs = con.execute(f"SELECT count(*) FROM {self.src('docs')}").fetchall()[0][0] if self.parts else 0
        if n_docs == 0:
            return self._write_empty()
        self.n_docs = n_docs
        self.flags = self._boilerplate_ngrams(n_docs)
        n_templates = build_templates(con, self.src("units"), self.src("sigs"), self.src("bands"), self.wd,
                                      opt.template_threshold, opt.template_min_docs, opt.num_perm)
        n_pairs = self._pairs()
        n_sents = self._pass2()
        files = self._write_tables(csv)
        if plots:
            from . import plots as P

            files += P.write_plots(self.out)
        return Summary(n_docs, n_sents, n_templates, n_pairs, self.errors, self.out, files)

    def _boilerplate_ngrams(self, n_docs: int) -> dict[str, np.ndarray]:
        """Sorted hash arrays of the word and character n-grams that are boilerplate, and of the word
        n-grams that the reference implementation's (occurrence-count) rule keeps."""
        th = self.opt.thresholds
        lo = max(th.min_docs, int(th.min_share * n_docs) - 1, 1)  # a superset of what passes, bounded
        mts_lo, mts_hi = M.mts_bounds(n_docs, th.min_share, th.max_share)
        rows = arrow_table(self.con, (f"""SELECT kind, h, count(*) AS df, sum(mult) AS occ FROM {self.src('grams')}
            GROUP BY kind, h HAVING count(*) >= {lo} OR (kind = {WORD} AND sum(mult) >= {mts_lo})"""))
        kind, h = rows["kind"].to_numpy(), rows["h"].to_numpy()
        df, occ = rows["df"].to_numpy(), rows["occ"].to_numpy()
        ok = M.is_boilerplate_array(df, n_docs, th)
        mts = (kind == WORD) & (occ >= mts_lo) & (occ <= mts_hi)
        return {"word": np.sort(h[ok & (kind == WORD)]), "char": np.sort(h[ok & (kind == CHAR)]),
                "mts": np.sort(h[mts])}

    def _pairs(self) -> int:
        """One row per report with a predecessor in its series (the latest earlier time), streamed in
        (series, time) order; writes ``stick/part-*.parquet``."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        opt = self.opt
        (self.wd / "stick").mkdir()
        rows: dict[str, list] = {}
        n = 0
        reader = record_batches(self.con, (f"""SELECT doc_idx, series, time, problems, sticky, tok_h, tok_c, sent_m
            FROM {self.src('pairs')} WHERE series IS NOT NULL AND time IS NOT NULL
            ORDER BY series, time, doc_idx"""), 64)
        series = None
        prev_group = cur_group = None  # last report of the previous time and of the current time
        for batch in reader:
            for d in _payloads(batch):
                if d["series"] != series:
                    series, prev_group, cur_group = d["series"], None, None
                elif cur_group is not None and d["time"] != cur_group["time"]:
                    prev_group = cur_group
                p = prev_group
                if p is not None and (opt.max_gap is None or d["time"] - p["time"] <= opt.max_gap):
                    for k, v in _pair_measures(d, p, opt).items():
                        rows.setdefault(k, []).append(v)
                    n += 1
                cur_group = d
        schema = pa.schema([("doc_idx", pa.int64()), ("previous_doc_idx", pa.int64()), ("previous_time", pa.int64()),
                            ("gap", pa.int64()), ("sticky_reused_8gram", pa.float64()), ("change_score", pa.float64()),
                            ("sentence_reuse_share", pa.float64()), ("problems", pa.int64()),
                            ("recurring_problems", pa.int64())])
        table = pa.table(rows, schema=schema) if n else schema.empty_table()
        pq.write_table(table, self.wd / "stick" / "part-000000.parquet")
        return n

    # -- pass 2
    def _pass2(self) -> int:
        import pyarrow as pa
        import pyarrow.parquet as pq

        from .hashing import char_hashes, ngram_hashes

        opt = self.opt
        for t in ("sentrows", "docrows", "secrows", "metarows"):
            (self.wd / t).mkdir()
        total = 0
        for part in range(self.parts):
            name = f"part-{part:06d}.parquet"
            docs = pq.read_table(self.wd / "docs" / name)
            if docs.num_rows == 0:
                continue
            s = pq.read_table(self.wd / "sents" / name)
            n = s.num_rows
            total += n
            doc_idx = s["doc_idx"].to_numpy()
            words = s["words"].to_numpy()
            w = s["w"].combine_chunks()
            w_off = w.offsets.to_numpy()
            w_flat = w.values.to_numpy()
            wflag = _any_per_segment(np.isin(w_flat, self.flags["word"]), w_off)
            mts_words = _sum_per_segment(np.isin(w_flat, self.flags["mts"]), w_off) * opt.word_n
            texts = s["text"].to_pylist()
            stripped = ["".join(t.split()) for t in texts]
            lens = np.fromiter(map(len, stripped), dtype=np.int64, count=n)
            start = np.concatenate([[0], np.cumsum(lens)])
            allh = ngram_hashes(char_hashes("".join(stripped)), opt.char_n)
            pos = np.arange(len(allh))
            sent_of = np.searchsorted(start, pos, side="right") - 1
            valid = pos + opt.char_n <= start[sent_of + 1]
            hit = np.zeros(n, bool)
            np.logical_or.at(hit, sent_of[valid], np.isin(allh[valid], self.flags["char"]))
            cflag = hit
            lo, hi = int(doc_idx.min()), int(doc_idx.max())
            tmap = self.con.execute(f"SELECT doc_idx, sentence, template_id FROM tsent WHERE doc_idx BETWEEN {lo} AND {hi}").fetchnumpy()
            tid = np.full(n, -1, np.int64)
            if len(tmap["doc_idx"]):
                key = doc_idx * (1 << 32) + s["sentence"].to_numpy()
                tkey = np.asarray(tmap["doc_idx"], np.int64) * (1 << 32) + np.asarray(tmap["sentence"], np.int64)
                order = np.argsort(tkey)
                at = np.searchsorted(tkey[order], key)
                at = np.clip(at, 0, len(tkey) - 1)
                found = tkey[order][at] == key
                tid[found] = np.asarray(tmap["template_id"], np.int64)[order][at[found]]
            pq.write_table(pa.table({
                "doc_idx": doc_idx, "sentence": s["sentence"], "span_start": s["span_start"],
                "span_end": s["span_end"], "section": s["section"], "words": words,
                "boilerplate_word4": wflag, "boilerplate_char6": cflag,
                "template_id": pa.array(tid, mask=tid < 0), "text": s["text"]}), self.wd / "sentrows" / name)
            self._doc_rows(docs, doc_idx, s["section"].to_pylist(), words, wflag, cflag, mts_words, tid, name)
        return total

    def _doc_rows(self, docs, doc_idx, sections, words, wflag, cflag, mts_words, tid, name: str) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        idx = docs["doc_idx"].to_numpy()
        pos = np.searchsorted(idx, doc_idx)
        n_docs = len(idx)

        def per_doc(values) -> np.ndarray:
            return np.bincount(pos, weights=values, minlength=n_docs)

        total = per_doc(words.astype(float))
        with np.errstate(divide="ignore", invalid="ignore"):
            share = lambda v: np.where(total > 0, per_doc(v) / np.where(total > 0, total, 1), np.nan)  # noqa: E731
            cols = {"boilerplate_word4": share(words * wflag), "boilerplate_char6": share(words * cflag),
                    "boilerplate_mts_word4": share(mts_words.astype(float)),
                    "template_share": share(words * (tid >= 0))}
        table = docs.drop_columns(["meta"])
        for k, v in cols.items():
            table = table.append_column(k, pa.array(v, mask=np.isnan(v)))
        # per-section scores, long (secrows) and wide (boilerplate_word4__<label>)
        sec_rows: dict[str, list] = {"doc_idx": [], "section": [], "sentences": [], "words": [], "boilerplate_words": []}
        agg: dict[tuple[int, str], list[int]] = {}
        for p, sec, nw, f in zip(pos.tolist(), sections, words.tolist(), wflag.tolist()):
            a = agg.setdefault((p, sec), [0, 0, 0])
            a[0] += 1
            a[1] += nw
            a[2] += nw * f
        wide: dict[str, np.ndarray] = {}
        for (p, sec), (ns, nw, nb) in sorted(agg.items()):
            sec_rows["doc_idx"].append(int(idx[p]))
            sec_rows["section"].append(sec)
            sec_rows["sentences"].append(ns)
            sec_rows["words"].append(nw)
            sec_rows["boilerplate_words"].append(nb)
            col = wide.setdefault(f"boilerplate_word4__{sec}", np.full(n_docs, np.nan))
            col[p] = nb / nw if nw else np.nan
        for k in sorted(wide):
            table = table.append_column(k, pa.array(wide[k], mask=np.isnan(wide[k])))
        pq.write_table(table, self.wd / "docrows" / name)
        pq.write_table(pa.table(sec_rows, schema=pa.schema([("doc_idx", pa.int64()), ("section", pa.string()),
                                                            ("sentences", pa.int64()), ("words", pa.int64()),
                                                            ("boilerplate_words", pa.int64())])),
                       self.wd / "secrows" / name)
        metas = [json.loads(m) for m in docs["meta"].to_pylist()]
        keys = sorted({k for m in metas for k in m})
        meta_cols = {"doc_idx": pa.array(idx, pa.int64())}
        for k in keys:
            meta_cols[meta_name(k)] = pa.array([m.get(k) for m in metas], pa.string())
        pq.write_table(pa.table(meta_cols), self.wd / "metarows" / name)

    # -- outputs
    def _write_tables(self, csv: bool) -> list[Path]:
        con, out = self.con, self.out
        meta = self.src("metarows")
        con.execute(f"CREATE TABLE meta AS SELECT * FROM {meta}")
        meta_cols = [c for c in arrow_table(con, ("SELECT * FROM meta LIMIT 0")).column_names if c != "doc_idx"]
        mcols = "".join(f', m."{c}"' for c in meta_cols)
        con.execute(f"CREATE TABLE d AS SELECT * FROM {self.src('docrows')}")
        con.execute(f"CREATE TABLE st AS SELECT * FROM {self.src('stick')}")
        pair_cols = ("previous_time, st.gap, st.sticky_reused_8gram, st.change_score, st.sentence_reuse_share, "
                     "st.problems, st.recurring_problems")
        queries = {
            "documents": f"""SELECT d.* EXCLUDE (doc_idx), pd.doc_id AS previous_doc_id, st.{pair_cols}{mcols}
                FROM d LEFT JOIN st ON st.doc_idx = d.doc_idx LEFT JOIN d pd ON pd.doc_idx = st.previous_doc_idx
                LEFT JOIN meta m ON m.doc_idx = d.doc_idx ORDER BY d.doc_idx""",
            "stickiness": f"""SELECT d.series, d.time, st.{pair_cols}, d.doc_id, pd.doc_id AS previous_doc_id,
                    pd.boilerplate_word4 AS previous_boilerplate_word4, d.boilerplate_word4{mcols}
                FROM st JOIN d ON d.doc_idx = st.doc_idx JOIN d pd ON pd.doc_idx = st.previous_doc_idx
                LEFT JOIN meta m ON m.doc_idx = d.doc_idx ORDER BY d.series, d.time, d.doc_idx""",
            "sentences": f"""SELECT d.doc_id, d.series, d.time, s.* EXCLUDE (doc_idx){mcols}
                FROM {self.src('sentrows')} s JOIN d ON d.doc_idx = s.doc_idx LEFT JOIN meta m ON m.doc_idx = s.doc_idx
                ORDER BY s.doc_idx, s.sentence""",
            "sections": f"""SELECT d.doc_id, d.series, d.time, x.* EXCLUDE (doc_idx),
                    x.boilerplate_words / nullif(x.words, 0) AS boilerplate_word4{mcols}
                FROM {self.src('secrows')} x JOIN d ON d.doc_idx = x.doc_idx LEFT JOIN meta m ON m.doc_idx = x.doc_idx
                ORDER BY x.doc_idx, x.section""",
            "templates": """SELECT t.template_id, t.doc_frequency, t.representative, t.members,
                    y.first_time, y.last_time, y.n_times, y.times, sec.sections
                FROM templates t
                LEFT JOIN (SELECT template_id, min(time) AS first_time, max(time) AS last_time,
                                  count(DISTINCT time) AS n_times,
                                  string_agg(DISTINCT CAST(time AS VARCHAR), ' ' ORDER BY CAST(time AS VARCHAR)) AS times
                           FROM tmember JOIN d ON d.doc_idx = tmember.doc_idx WHERE time IS NOT NULL
                           GROUP BY template_id) y USING (template_id)
                LEFT JOIN (SELECT template_id, string_agg(section || ':' || n, ' ' ORDER BY n DESC, section) AS sections
                           FROM (SELECT template_id, section, count(*) AS n FROM tmember GROUP BY ALL)
                           GROUP BY template_id) sec USING (template_id)
                ORDER BY t.template_id""",
            "template_members": f"""SELECT t.template_id, d.doc_id, d.series, d.time, t.sentence, t.span_start,
                    t.span_end, t.section{mcols}
                FROM tmember t JOIN d ON d.doc_idx = t.doc_idx LEFT JOIN meta m ON m.doc_idx = t.doc_idx
                ORDER BY t.template_id, t.doc_idx, t.sentence, t.span_start, t.span_end""",
        }
        files = []
        for name, q in queries.items():
            files += self._copy(name, q, csv)
        con.execute(f"CREATE TABLE docs_out AS {queries['documents']}")
        files += self._copy("years", year_query("docs_out", ["time"]), csv)
        files += self._copy("series_years", year_query("docs_out", ["series", "time"]), csv)
        self._write_json()
        files += [out / "templates.json", out / "errors.jsonl"]
        return files

    def _copy(self, name: str, query: str, csv: bool) -> list[Path]:
        paths = [self.out / f"{name}.parquet"]
        self.con.execute(f"COPY ({query}) TO '{paths[0]}' (FORMAT parquet)")
        if csv:
            paths.append(self.out / f"{name}.csv")
            self.con.execute(f"COPY ({query}) TO '{paths[1]}' (FORMAT csv, HEADER)")
        return paths

    def _write_json(self) -> None:
        from ..app.files import write_atomic

        rows = self.con.execute(f"SELECT * FROM read_parquet('{self.out / 'templates.parquet'}')").fetchall()
        cols = [c[0] for c in self.con.description]
        templates = {}
        for r in rows:
            t = dict(zip(cols, r))
            templates[str(t.pop("template_id"))] = t
        write_atomic(self.out / "templates.json", json.dumps(templates, ensure_ascii=False, indent=1) + "\n")
        write_atomic(self.out / "errors.jsonl",
                     "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in self.errors))

    def _write_empty(self) -> Summary:
        from ..app.files import write_atomic

        write_atomic(self.out / "errors.jsonl",
                     "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in self.errors))
        return Summary(0, 0, 0, 0, self.errors, self.out, [self.out / "errors.jsonl"])


# --------------------------------------------------------------------------- helpers

RESERVED = {"doc_id", "doc_idx", "path", "series", "time", "unit", "fiscal_year", "sentences", "words", "sentence",
            "span_start", "span_end", "section", "text", "template_id", "specificity", "hard_information",
            "redundancy", "boilerplate_word4", "boilerplate_char6", "boilerplate_mts_word4", "template_share",
            "previous_doc_id", "previous_time", "gap", "sticky_reused_8gram", "change_score",
            "sentence_reuse_share", "problems", "recurring_problems", "boilerplate_words"}


def meta_name(key: str) -> str:
    """Output column of a metadata field: its own name, or ``meta_<name>`` when jixiao uses that name."""
    return f"meta_{key}" if key in RESERVED or key.startswith("boilerplate_") else key


MEASURES = ("boilerplate_word4", "boilerplate_char6", "boilerplate_mts_word4", "template_share", "specificity",
            "hard_information", "redundancy", "words", "sticky_reused_8gram", "change_score",
            "sentence_reuse_share")


def year_query(table: str, keys: list[str]) -> str:
    """Aggregates per key (year, or series and year): reports, and for each measure n, mean, sd,
    median, quartiles, min and max (the spread across series)."""
    parts = []
    for m in MEASURES:
        parts += [f"count({m}) AS {m}_n", f"avg({m}) AS {m}_mean", f"stddev_samp({m}) AS {m}_sd",
                  f"median({m}) AS {m}_median", f"quantile_cont({m}, 0.25) AS {m}_p25",
                  f"quantile_cont({m}, 0.75) AS {m}_p75", f"min({m}) AS {m}_min", f"max({m}) AS {m}_max"]
    k = ", ".join(keys)
    return (f"SELECT {k}, count(*) AS reports, count(DISTINCT series) AS series_count, {', '.join(parts)} "
            f"FROM {table} WHERE time IS NOT NULL GROUP BY {k} ORDER BY {k}")


def arrow_table(con, query: str):
    """The Arrow table of a query (``to_arrow_table`` in duckdb 2, ``arrow`` in 1.x)."""
    rel = con.sql(query)
    return rel.to_arrow_table() if hasattr(rel, "to_arrow_table") else rel.arrow()


def record_batches(con, query: str, size: int):
    """A streaming reader of a query's record batches (duckdb 1.x and 2)."""
    rel = con.sql(query)
    return rel.to_arrow_reader(size) if hasattr(rel, "to_arrow_reader") else rel.fetch_arrow_reader(size)


def _any_per_segment(hits: np.ndarray, off: np.ndarray) -> np.ndarray:
    return _sum_per_segment(hits, off) > 0


def _sum_per_segment(hits: np.ndarray, off: np.ndarray) -> np.ndarray:
    csum = np.concatenate([[0], np.cumsum(hits, dtype=np.int64)])
    return csum[off[1:]] - csum[off[:-1]]


def _payloads(batch) -> Iterator[dict]:
    """Rows of a pair-payload record batch, list columns as numpy slices."""
    cols = {}
    for name in ("sticky", "tok_h", "tok_c", "sent_m"):
        arr = batch.column(name)
        cols[name] = (arr.offsets.to_numpy(), arr.values.to_numpy())
    idx, series, time = batch.column("doc_idx").to_pylist(), batch.column("series").to_pylist(), \
        batch.column("time").to_pylist()
    problems = batch.column("problems").to_pylist()
    for i in range(batch.num_rows):
        row = {"doc_idx": idx[i], "series": series[i], "time": time[i], "problems": json.loads(problems[i])}
        for name, (off, vals) in cols.items():
            row[name] = vals[off[i]:off[i + 1]]
        yield row


def _pair_measures(d: dict, p: dict, opt: Options) -> dict:
    cur, prev = d["sticky"], p["sticky"]
    dot = 0.0
    common, ia, ib = np.intersect1d(d["tok_h"], p["tok_h"], assume_unique=True, return_indices=True)
    if len(common):
        dot = float(np.dot(d["tok_c"][ia].astype(float), p["tok_c"][ib].astype(float)))
    na = float(np.sqrt(np.sum(d["tok_c"].astype(float) ** 2)))
    nb = float(np.sqrt(np.sum(p["tok_c"].astype(float) ** 2)))
    recurring = [any(cat == pcat and M.text_similarity(text, ptext) >= opt.recurring_similarity
                     for ptext, pcat in p["problems"]) for text, cat in d["problems"]]
    return {"doc_idx": d["doc_idx"], "previous_doc_idx": p["doc_idx"], "previous_time": p["time"],
            "gap": d["time"] - p["time"],
            "sticky_reused_8gram": float(np.isin(cur, prev).mean()) if len(cur) else None,
            "change_score": 1.0 - (dot / (na * nb) if na and nb else 0.0),
            "sentence_reuse_share": float(np.isin(d["sent_m"], p["sent_m"]).mean()) if len(d["sent_m"]) else None,
            "problems": len(recurring), "recurring_problems": sum(recurring)}
