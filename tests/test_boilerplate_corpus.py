"""Corpus inputs (JSONL / CSV / Parquet), metadata in every table, series and stickiness pairs,
and the same tables from every backend."""
from __future__ import annotations

import csv
import json
from pathlib import Path

import pandas as pd
import pytest

from extract.boilerplate import Fields, Options, run
from extract.boilerplate.sources import Fields as F, corpus_records, parse_time

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "annotations" / "docs").glob("*.txt"))
TABLES = ("documents", "sentences", "sections", "stickiness", "templates", "template_members", "years", "series_years")


def _rows() -> list[dict]:
    """Six rows: two series (units) x three years, texts from the bundled seed reports."""
    texts = [p.read_text(encoding="utf-8") for p in SEEDS]
    rows = []
    for k, (unit, year) in enumerate([(u, y) for u in ("甲局", "乙局") for y in ("2021", "2022", "2024")]):
        rows.append({"rid": f"r{k}", "unit": unit, "year": year, "province": "广东",
                     "content": texts[k % len(texts)]})
    return rows


def _write(rows: list[dict], path: Path) -> Path:
    if path.suffix == ".jsonl":
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    elif path.suffix == ".csv":
        with path.open("w", encoding="utf-8", newline="") as fh:
            w = csv.DictWriter(fh, fieldnames=list(rows[0]))
            w.writeheader()
            w.writerows(rows)
    else:
        pd.DataFrame(rows).to_parquet(path, index=False)
    return path


FIELDS = Fields(text="content", id="rid", time="year", series="unit")


@pytest.fixture(scope="module")
def jsonl_run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("bp")
    src = _write(_rows(), tmp / "corpus.jsonl")
    summary = run([src], tmp / "out", Options(), FIELDS, csv=False, plots=False)
    return summary, tmp


def _tables(out: Path) -> dict[str, pd.DataFrame]:
    return {t: pd.read_parquet(out / f"{t}.parquet") for t in TABLES}


def test_jsonl_corpus_series_time_and_metadata_in_every_table(jsonl_run):
    summary, tmp = jsonl_run
    t = _tables(summary.out)
    docs = t["documents"]
    assert summary.documents == 6 and list(docs["doc_id"]) == [f"r{k}" for k in range(6)]
    assert list(docs["series"]) == ["甲局"] * 3 + ["乙局"] * 3
    assert list(docs["time"]) == [2021, 2022, 2024] * 2
    # metadata columns travel; "unit" collides with a jixiao column and is prefixed
    for name in ("documents", "sentences", "sections", "stickiness", "template_members"):
        assert {"province", "meta_unit", "year", "rid"} <= set(t[name].columns), name
        assert set(t[name]["province"]) == {"广东"}, name
    # one pair per consecutive report of a series (2021->2022, 2022->2024): 2 per series
    st = t["stickiness"]
    assert len(st) == 4
    assert list(zip(st["previous_time"], st["time"], st["gap"])) == [(2021, 2022, 1), (2022, 2024, 2)] * 2
    assert st["previous_doc_id"].tolist() == ["r3", "r4", "r0", "r1"]  # series sorted: 乙局 < 甲局
    assert st["sticky_reused_8gram"].between(0, 1).all() and st["change_score"].between(0, 1).all()
    # year aggregates: one row per year, spread across the two series
    years = t["years"]
    assert list(years["time"]) == [2021, 2022, 2024]
    assert (years["reports"] == 2).all() and (years["boilerplate_word4_n"] == 2).all()
    assert (years["boilerplate_word4_p25"] <= years["boilerplate_word4_p75"]).all()
    assert len(t["series_years"]) == 6


def test_sentence_reuse_share_is_exact_for_an_identical_predecessor(tmp_path):
    rows = _rows()[:1] * 2
    rows = [dict(rows[0], rid="a", year="2020"), dict(rows[1], rid="b", year="2021")]
    src = _write(rows, tmp_path / "twice.jsonl")
    s = run([src], tmp_path / "out", Options(), FIELDS, csv=False, plots=False)
    st = pd.read_parquet(s.out / "stickiness.parquet")
    assert len(st) == 1
    row = st.iloc[0]
    assert row["sentence_reuse_share"] == 1.0 and row["sticky_reused_8gram"] == 1.0
    assert row["change_score"] == pytest.approx(0.0, abs=1e-12)


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_csv_and_parquet_give_the_jsonl_tables(jsonl_run, tmp_path, suffix):
    summary, _ = jsonl_run
    src = _write(_rows(), tmp_path / f"corpus{suffix}")
    other = run([src], tmp_path / "out", Options(), FIELDS, csv=False, plots=False)
    a, b = _tables(summary.out), _tables(other.out)
    for name in TABLES:  # the same rows; only the source path differs
        pd.testing.assert_frame_equal(a[name].drop(columns=["path"], errors="ignore"),
                                      b[name].drop(columns=["path"], errors="ignore"), check_dtype=False, obj=name)


def test_bad_rows_are_reported_by_file_and_row_and_the_run_goes_on(tmp_path):
    rows = _rows()[:2]
    path = tmp_path / "c.jsonl"
    _write(rows, path)
    with path.open("a", encoding="utf-8") as fh:
        fh.write('{"rid": "x", "content": ""}\n{not json\n')
    s = run([path], tmp_path / "out", Options(), FIELDS, csv=False, plots=False)
    assert s.documents == 2
    errors = [json.loads(line) for line in (tmp_path / "out" / "errors.jsonl").read_text().splitlines()]
    assert [e["error"].split(": ", 1)[1] for e in errors] == ["row 3: no text in field 'content'",
                                                              "row 4: invalid JSON (Expecting property name "
                                                              "enclosed in double quotes)"]
    assert all(str(path) in e["error"] for e in errors)


def test_rows_without_time_are_kept_outside_series_or_dropped_on_request(tmp_path):
    rows = _rows()[:3]
    rows[1]["year"] = None
    path = _write(rows, tmp_path / "c.jsonl")
    kept = list(corpus_records(path, FIELDS))
    assert [r.time for r in kept] == [2021, None, 2024]
    dropped = list(corpus_records(path, F(text="content", id="rid", time="year", series="unit", require_time=True)))
    assert [r.doc_id for r in dropped] == ["r0", "r2"]
    s = run([path], tmp_path / "out", Options(), FIELDS, csv=False, plots=False)
    st = pd.read_parquet(s.out / "stickiness.parquet")
    assert st["previous_doc_id"].tolist() == ["r0"] and st["doc_id"].tolist() == ["r2"]  # r1 has no year


def test_parse_time():
    assert [parse_time(v) for v in ("1954", 1954.0, "2020年", None, "n.d.")] == [1954, 1954, 2020, None, None]


def test_whole_corpus_is_one_series_without_series_field(tmp_path):
    path = _write(_rows(), tmp_path / "c.jsonl")
    s = run([path], tmp_path / "out", Options(max_gap=1), Fields(text="content", time="year"), csv=False, plots=False)
    docs = pd.read_parquet(s.out / "documents.parquet")
    assert set(docs["series"]) == {"all"} and docs["doc_id"].iloc[0] == "c-1"
    st = pd.read_parquet(s.out / "stickiness.parquet")
    # one series; years 2021, 2022, 2024 (two reports each): 2022 pairs with a 2021 report, 2024 is 2 years on
    assert len(st) == 2 and set(st["time"]) == {2022} and set(st["gap"]) == {1}


@pytest.mark.slow
def test_dask_local_2_gives_the_same_tables(jsonl_run, tmp_path):
    pytest.importorskip("dask.distributed")
    summary, tmp = jsonl_run
    other = run([tmp / "corpus.jsonl"], tmp_path / "out", Options(dask="local:2", chunk_size=2), FIELDS,
                csv=False, plots=False)
    a, b = _tables(summary.out), _tables(other.out)
    for name in TABLES:
        pd.testing.assert_frame_equal(a[name], b[name], obj=name)


def test_process_pool_gives_the_same_tables(jsonl_run, tmp_path):
    summary, tmp = jsonl_run
    other = run([tmp / "corpus.jsonl"], tmp_path / "out", Options(workers=2, chunk_size=1), FIELDS,
                csv=False, plots=False)
    a, b = _tables(summary.out), _tables(other.out)
    for name in TABLES:
        pd.testing.assert_frame_equal(a[name], b[name], obj=name)
