"""Near-duplicate sentences across documents -> template clusters (MinHash, LSH bands grouped in DuckDB).

A unit (a sentence, or a long clause of one) is masked -- whitespace removed, digit
runs -> ``0``, so the same template with other figures still matches -- and
identical masked units are sketched once: a MinHash signature over character
5-gram shingles (64 multiply-shift permutations) cut into LSH bands (bands and rows
as datasketch chooses them for the threshold). Workers write ``(m, band, band
hash)`` rows per partition; DuckDB groups them on disk, so no step holds every
sentence in memory. In each LSH bucket a unit is compared with the bucket's first
unit and with its predecessor (linear in the bucket size, where all pairs would be
quadratic); a pair whose estimated Jaccard similarity is at least the threshold is
an edge, and connected components of the edges are the clusters. A cluster is a
template when its units come from at least ``min_docs`` documents; its
representative is the wording used by most documents (ties: the smallest text).
"""
from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np

from .hashing import band_hashes, char_hashes, lsh_params, minhash_signatures, ngram_hashes, permutations, string_hash

DIGITS = re.compile(r"\d+(?:[.,]\d+)*")
SHINGLE = 5
SEED = 1


def mask(text: str) -> str:
    """Whitespace removed, digit runs replaced by ``0``.

    >>> mask("2024 年收入 2724.71 万元")
    '0年收入0万元'
    """
    return DIGITS.sub("0", "".join(text.split()))


@dataclass
class Template:
    id: int
    representative: str
    doc_frequency: int
    members: list[tuple[str, int, int, int]]  # (doc_id, sentence index, raw start, raw end)
    sections: dict[str, int]


class Sketcher:
    """MinHash signatures and LSH band hashes of masked texts (one instance per worker chunk)."""

    def __init__(self, num_perm: int = 64, threshold: float = 0.6) -> None:
        self.num_perm = num_perm
        self.bands, self.rows = lsh_params(threshold, num_perm)
        self.perms = permutations(num_perm, SEED)

    def sketch(self, masked: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """(signatures uint32 (n, num_perm), band hashes int64 (n, bands)) of non-empty masked texts."""
        parts, off = [], [0]
        for text in masked:
            h = ngram_hashes(char_hashes(text), min(SHINGLE, len(text)))
            parts.append(h)
            off.append(off[-1] + len(h))
        if not parts:
            return np.empty((0, self.num_perm), np.uint32), np.empty((0, self.bands), np.int64)
        sig = minhash_signatures(np.concatenate(parts), np.asarray(off, dtype=np.int64), self.perms)
        return sig, band_hashes(sig[:, : self.bands * self.rows], self.bands, self.rows)


def build_templates(con, units: str, sigs: str, bands: str, workdir: Path, threshold: float = 0.6,
                    min_docs: int = 3, num_perm: int = 64) -> int:
    """Cluster the units into templates inside DuckDB; returns the number of templates.

    Inputs are relations (tables, views or ``read_parquet(...)`` calls): ``units``
    (doc_idx, sentence, span_start, span_end, section, text, m), ``sigs`` (m, sig:
    num_perm uint32 as bytes) and ``bands`` (m, band, bh). Creates the tables
    ``templates`` (template_id, comp, representative, doc_frequency, members),
    ``tmember`` (template_id, doc_idx, sentence, span_start, span_end, section) and
    ``tsent`` (doc_idx, sentence, template_id: the most widespread template of a sentence).
    """
    import pyarrow as pa
    from scipy.sparse import coo_matrix

    from .analysis import record_batches  # analysis imports this module: a top-level import would be a circle
    from scipy.sparse.csgraph import connected_components

    con.execute(f"CREATE OR REPLACE TABLE sig AS SELECT m, any_value(sig) AS sig FROM {sigs} GROUP BY m")
    con.execute("CREATE OR REPLACE TABLE uid AS SELECT m, (row_number() OVER (ORDER BY m) - 1)::BIGINT AS id FROM sig")
    n = con.execute("SELECT count(*) FROM uid").fetchall()[0][0]
    if n == 0:
        return _empty_templates(con)
    mat = np.memmap(workdir / "signatures.u32", dtype=np.uint32, mode="w+", shape=(n, num_perm))
    reader = record_batches(con, ("SELECT u.id, s.sig FROM sig s JOIN uid u USING (m) ORDER BY u.id"), 65536)
    for batch in reader:
        ids = batch.column(0).to_numpy()
        raw = b"".join(batch.column(1).to_pylist())
        mat[ids] = np.frombuffer(raw, dtype=np.uint32).reshape(len(ids), num_perm)
    con.execute("DROP TABLE sig")
    con.execute(f"CREATE OR REPLACE TABLE bk AS SELECT DISTINCT b.band, b.bh, u.id FROM {bands} b JOIN uid u USING (m)")
    edges = record_batches(con, ("""
        WITH r AS (SELECT id, first_value(id) OVER w AS anchor, lag(id) OVER w AS prev FROM bk
                   WINDOW w AS (PARTITION BY band, bh ORDER BY id))
        SELECT DISTINCT a, b FROM (SELECT anchor AS a, id AS b FROM r WHERE id <> anchor
                                   UNION ALL SELECT prev AS a, id AS b FROM r WHERE prev IS NOT NULL AND prev <> anchor)
        ORDER BY a, b"""), 262144)
    keep_a, keep_b = [], []
    for batch in edges:
        a, b = batch.column(0).to_numpy(), batch.column(1).to_numpy()
        ok = (mat[a] == mat[b]).mean(axis=1) >= threshold
        keep_a.append(a[ok])
        keep_b.append(b[ok])
    con.execute("DROP TABLE bk")
    a = np.concatenate(keep_a) if keep_a else np.empty(0, np.int64)
    b = np.concatenate(keep_b) if keep_b else np.empty(0, np.int64)
    graph = coo_matrix((np.ones(len(a), np.int8), (a, b)), shape=(n, n))
    _, comp = connected_components(graph, directed=False)
    del graph, a, b, mat
    con.register("comp_arrow", pa.table({"id": np.arange(n, dtype=np.int64), "comp": comp.astype(np.int64)}))
    con.execute("CREATE OR REPLACE TABLE comp AS SELECT * FROM comp_arrow")
    con.unregister("comp_arrow")
    con.execute(f"""CREATE OR REPLACE TABLE um AS
        SELECT x.doc_idx, x.sentence, x.span_start, x.span_end, x.section, x.text, c.comp
        FROM {units} x JOIN uid USING (m) JOIN comp c USING (id)""")
    con.execute(f"""CREATE OR REPLACE TABLE tc AS SELECT comp, count(DISTINCT doc_idx) AS doc_frequency,
        count(*) AS members FROM um GROUP BY comp HAVING count(DISTINCT doc_idx) >= {int(min_docs)}""")
    con.execute("""CREATE OR REPLACE TABLE rep AS SELECT comp, text FROM (
            SELECT comp, text, count(DISTINCT doc_idx) AS nd FROM um SEMI JOIN tc USING (comp) GROUP BY comp, text)
        QUALIFY row_number() OVER (PARTITION BY comp ORDER BY nd DESC, text) = 1""")
    con.execute("""CREATE OR REPLACE TABLE templates AS
        SELECT row_number() OVER (ORDER BY tc.doc_frequency DESC, rep.text) AS template_id, tc.comp,
               rep.text AS representative, tc.doc_frequency, tc.members
        FROM tc JOIN rep USING (comp)""")
    con.execute("""CREATE OR REPLACE TABLE tmember AS
        SELECT t.template_id, um.doc_idx, um.sentence, um.span_start, um.span_end, um.section
        FROM um JOIN templates t USING (comp)""")
    con.execute("""CREATE OR REPLACE TABLE tsent AS
        SELECT doc_idx, sentence, min(template_id) AS template_id FROM tmember GROUP BY doc_idx, sentence
        ORDER BY doc_idx, sentence""")
    for t in ("um", "tc", "rep", "comp", "uid"):
        con.execute(f"DROP TABLE {t}")
    return con.execute("SELECT count(*) FROM templates").fetchall()[0][0]


def _empty_templates(con) -> int:
    con.execute("""CREATE OR REPLACE TABLE templates (template_id BIGINT, comp BIGINT, representative VARCHAR,
                   doc_frequency BIGINT, members BIGINT)""")
    con.execute("""CREATE OR REPLACE TABLE tmember (template_id BIGINT, doc_idx BIGINT, sentence BIGINT,
                   span_start BIGINT, span_end BIGINT, section VARCHAR)""")
    con.execute("CREATE OR REPLACE TABLE tsent (doc_idx BIGINT, sentence BIGINT, template_id BIGINT)")
    return 0


def unit_tables(units: Sequence[tuple[int, int, int, int, str, str]], sketcher: Sketcher, min_chars: int = 12):
    """Arrow tables (units, sigs, bands) of ``(doc_idx, sentence, start, end, section, text)`` units whose
    masked text has at least ``min_chars`` characters; identical masked texts are sketched once."""
    import pyarrow as pa

    rows, new = [], {}
    for doc_idx, sentence, start, end, section, text in units:
        masked = mask(text)
        if len(masked) < min_chars:
            continue
        m = string_hash(masked)
        new.setdefault(m, masked)
        rows.append((doc_idx, sentence, start, end, section, text, m))
    cols = list(zip(*rows)) if rows else [[] for _ in range(7)]
    unit_t = pa.table({name: pa.array(c, type=t) for name, c, t in zip(
        ("doc_idx", "sentence", "span_start", "span_end", "section", "text", "m"), cols,
        (pa.int64(), pa.int64(), pa.int64(), pa.int64(), pa.string(), pa.string(), pa.int64()))})
    ms = list(new)
    sig, bh = sketcher.sketch([new[m] for m in ms])
    sig_t = pa.table({"m": pa.array(ms, pa.int64()),
                      "sig": pa.array([row.tobytes() for row in sig], pa.binary())})
    band_t = pa.table({"m": pa.array(np.repeat(np.asarray(ms, dtype=np.int64), sketcher.bands), pa.int64()),
                       "band": pa.array(np.tile(np.arange(sketcher.bands, dtype=np.int16), len(ms)), pa.int16()),
                       "bh": pa.array(bh.reshape(-1), pa.int64())})
    return unit_t, sig_t, band_t


def cluster_templates(sentences: Sequence[tuple[str, int, int, int, str, str]], threshold: float = 0.6,
                      num_perm: int = 64, min_chars: int = 12, min_docs: int = 3) -> list[Template]:
    """Cluster ``(doc_id, index, start, end, section, text)`` sentences held in memory into templates
    (the same DuckDB steps as a corpus run, on an in-memory database)."""

    import duckdb

    doc_ids = sorted({s[0] for s in sentences})
    idx = {d: i for i, d in enumerate(doc_ids)}
    unit_t, sig_t, band_t = unit_tables([(idx[d], i, a, b, sec, text) for d, i, a, b, sec, text in sentences],
                                        Sketcher(num_perm, threshold), min_chars)
    con = duckdb.connect()
    for name, t in (("u_in", unit_t), ("s_in", sig_t), ("b_in", band_t)):
        con.register(name, t)
    with tempfile.TemporaryDirectory(prefix="jixiao-templates-") as wd:
        build_templates(con, "u_in", "s_in", "b_in", Path(wd), threshold, min_docs, num_perm)
    out = []
    for tid, rep, df in con.execute("SELECT template_id, representative, doc_frequency FROM templates "
                                    "ORDER BY template_id").fetchall():
        members = con.execute("SELECT doc_idx, sentence, span_start, span_end, section FROM tmember "
                              "WHERE template_id = ? ORDER BY doc_idx, sentence, span_start", [tid]).fetchall()
        sections: dict[str, int] = {}
        for *_, sec in members:
            sections[sec] = sections.get(sec, 0) + 1
        out.append(Template(int(tid), rep, int(df), [(doc_ids[d], int(i), int(a), int(b)) for d, i, a, b, _ in members],
                            sections))
    con.close()
    return out
