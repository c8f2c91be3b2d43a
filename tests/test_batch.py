"""Corpus runs: outputs, errors, resume, interruption, Dask parity, DuckDB, HF export."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from extract.app import batch as batch_mod
from extract.app.batch import TIMING_KEYS, run_batch
from extract.app.inputs import collect_inputs

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "annotations" / "docs"
SEEDS = sorted(p.stem for p in DOCS.glob("*.txt"))


@pytest.fixture()
def corpus(tmp_path) -> tuple[Path, Path]:
    """The five seeds plus a folder of bad inputs."""
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "empty.txt").write_bytes(b"")
    (bad / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (bad / "gbk_junk.txt").write_bytes(b"\xff\xfe\x00\x00\x81" * 50)
    return DOCS, bad


def outputs(out: Path) -> dict[str, object]:
    """Everything a run leaves, comparable across runs (timing fields removed)."""
    found: dict[str, object] = {}
    for p in sorted((out / "docs").glob("*.json")):
        found[f"docs/{p.name}"] = p.read_bytes()
    for p in sorted((out / "tables").glob("*.parquet")):
        found[f"tables/{p.name}"] = pd.read_parquet(p).to_json()
    found["errors.jsonl"] = (out / "errors.jsonl").read_bytes()
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    manifest["timing"] = {k: v for k, v in manifest["timing"].items() if k not in TIMING_KEYS}
    found["manifest.json"] = manifest
    return found


def test_batch_writes_results_tables_and_errors(corpus, tmp_path):
    docs, bad = corpus
    out = tmp_path / "out"
    summary = run_batch([docs, bad], out, workers=1, progress=False)
    assert sorted(p.stem for p in (out / "docs").glob("*.json")) == SEEDS
    errors = [json.loads(l) for l in (out / "errors.jsonl").read_text(encoding="utf-8").splitlines()]
    assert sorted(Path(e["path"]).name for e in errors) == ["binary.txt", "empty.txt", "gbk_junk.txt"]
    for e in errors:
        assert "\n" not in e["message"] and Path(e["path"]).name in e["message"]
    assert summary.failed == 3 and summary.processed == 8
    docs_table = pd.read_parquet(out / "tables" / "documents.parquet")
    assert sorted(docs_table["doc_id"]) == SEEDS
    for table in ("facts", "problems", "measures", "checks", "indicators"):
        assert "doc_id" in pd.read_parquet(out / "tables" / f"{table}.parquet").columns
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["counts"] == {"inputs": 8, "documents": 8, "ok": 5, "failed": 3}
    assert all(len(i["sha256"]) == 64 for i in manifest["inputs"])


def test_rerun_processes_nothing_new(corpus, tmp_path):
    out = tmp_path / "out"
    run_batch(list(corpus), out, workers=1, progress=False)
    before = outputs(out)
    again = run_batch(list(corpus), out, workers=1, progress=False)
    assert again.processed == 0 and again.skipped == 8
    assert again.line().startswith("nothing new")
    assert outputs(out) == before


def test_changed_input_is_reprocessed(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    for name in SEEDS[:2]:
        shutil.copy(DOCS / f"{name}.txt", src)
    out = tmp_path / "out"
    run_batch([src], out, workers=1, progress=False)
    target = src / f"{SEEDS[0]}.txt"
    target.write_text(target.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    again = run_batch([src], out, workers=1, progress=False)
    assert again.processed == 1 and again.skipped == 1


def test_interrupted_run_resumes_to_identical_outputs(corpus, tmp_path, monkeypatch):
    reference = tmp_path / "reference"
    run_batch(list(corpus), reference, workers=1, progress=False)

    out = tmp_path / "out"
    real = batch_mod.process_one
    calls = {"n": 0}

    def dies_on_third(path, doc_id, max_chars=None):
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt  # Ctrl-C in the middle of the corpus
        return real(path, doc_id, max_chars)

    monkeypatch.setattr(batch_mod, "process_one", dies_on_third)
    with pytest.raises(KeyboardInterrupt):
        run_batch(list(corpus), out, workers=1, progress=False)
    assert not list(out.rglob("*.tmp")), "an interrupted run must leave no temporary file"
    done = len(list((out / "docs").glob("*.json")))
    assert done < 5
    # a torn last journal line (killed while writing) is ignored on resume
    with open(out / ".journal.jsonl", "a", encoding="utf-8") as fh:
        fh.write('{"path": "torn')
    monkeypatch.setattr(batch_mod, "process_one", real)
    resumed = run_batch(list(corpus), out, workers=1, progress=False)
    assert resumed.skipped == 2 and resumed.processed == 6
    assert outputs(out) == outputs(reference)


def test_process_pool_equals_inline(corpus, tmp_path):
    inline, pool = tmp_path / "inline", tmp_path / "pool"
    run_batch(list(corpus), inline, workers=1, progress=False)
    run_batch(list(corpus), pool, workers=2, progress=False)
    assert outputs(pool) == outputs(inline)


# (case id, inputs, workers, inputs per pool task)
CHUNK_CASES = {
    "large_corpus_capped": (10_000, 2, 16),
    "balanced_at_8_tasks_per_worker": (160, 2, 10),
    "small_corpus_one_per_task": (20, 2, 1),
    "nothing_to_do": (0, 2, 1),
    "one_worker": (64, 1, 8),
}


@pytest.mark.parametrize("n,workers,expected", CHUNK_CASES.values(), ids=CHUNK_CASES.keys())
def test_chunk_size(n, workers, expected):
    assert batch_mod.chunk_size(n, workers) == expected


def test_chunked_process_pool_equals_inline(corpus, tmp_path, monkeypatch):
    """Several inputs per pool task (good and bad files mixed in one task) write the same outputs."""
    inline, pool = tmp_path / "inline", tmp_path / "pool"
    run_batch(list(corpus), inline, workers=1, progress=False)
    monkeypatch.setattr(batch_mod, "chunk_size", lambda n, workers: 3)
    summary = run_batch(list(corpus), pool, workers=2, progress=False)
    assert summary.processed == len(list(collect_inputs(list(corpus))))
    assert outputs(pool) == outputs(inline)


@pytest.mark.slow
def test_dask_local_cluster_equals_process_pool(corpus, tmp_path):
    pytest.importorskip("dask.distributed", reason="install the dask extra: pip install 'jixiao[dask]'")
    pool, dask_out = tmp_path / "pool", tmp_path / "dask"
    run_batch(list(corpus), pool, workers=2, progress=False)
    run_batch(list(corpus), dask_out, dask="local:2", progress=False)
    assert outputs(dask_out) == outputs(pool)


def test_duplicate_stems_get_distinct_doc_ids(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir(), b.mkdir()
    shutil.copy(DOCS / f"{SEEDS[0]}.txt", a / "report.txt")
    shutil.copy(DOCS / f"{SEEDS[1]}.txt", b / "report.txt")
    out = tmp_path / "out"
    run_batch([a, b], out, workers=1, progress=False)
    ids = sorted(p.stem for p in (out / "docs").glob("*.json"))
    assert len(ids) == 2 and ids[0] == "report" and ids[1].startswith("report__")


def test_db_and_query_answer_sql(corpus, tmp_path):
    from typer.testing import CliRunner

    from extract.cli import app

    out = tmp_path / "out"
    run_batch(list(corpus), out, workers=1, progress=False)
    runner = CliRunner()
    r = runner.invoke(app, ["db", str(out)])
    assert r.exit_code == 0, r.output
    assert (out / "jixiao.duckdb").exists()
    r = runner.invoke(app, ["query", str(out), "SELECT count(*) AS n FROM documents", "--csv"])
    assert r.exit_code == 0, r.output
    assert r.stdout.splitlines() == ["n", "5"]
    r = runner.invoke(app, ["query", str(out), "SELECT * FROM no_such_table"])
    assert r.exit_code == 3 and "query failed" in r.output
    from extract.io.database import query

    cols, rows = query(out, "SELECT count(*) FROM problems_by_category_year")
    assert cols and rows[0][0] >= 0


def test_export_hf_is_loadable_with_declared_features(corpus, tmp_path):
    datasets = pytest.importorskip("datasets")
    out = tmp_path / "out"
    run_batch([corpus[0]], out, workers=1, progress=False)
    from extract.io.hf import export_hf, features

    path = export_hf(out, tmp_path / "hf")
    ds = datasets.load_from_disk(str(path))
    assert ds.features == features()
    assert sorted(ds["doc_id"]) == SEEDS
    row = ds[0]
    assert row["text"] and row["text_sha256"]
    assert list((tmp_path / "hf" / "parquet").glob("*.parquet"))


def test_doctests():
    import doctest

    result = doctest.testmod(batch_mod)
    assert result.attempted >= 1 and result.failed == 0
