"""Hugging Face export: self-contained rows from any working folder, integer counts, every SPEC
field, a dataset card."""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

datasets = pytest.importorskip("datasets")
from typer.testing import CliRunner  # noqa: E402

from extract.cli import app  # noqa: E402
from extract.io.hf import export_hf, features  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "annotations" / "docs").glob("*.txt"))[:2]


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    """A batch run the README's way: from the corpus's folder, with relative inputs."""
    from extract.batch import run_batch

    work = tmp_path_factory.mktemp("work")
    (work / "corpus").mkdir()
    for p in SEEDS:
        shutil.copy(p, work / "corpus" / p.name)
    cwd = os.getcwd()
    os.chdir(work)
    try:
        run_batch([Path("corpus")], Path("run"), workers=1, progress=False)
    finally:
        os.chdir(cwd)
    results = {json.loads(p.read_text(encoding="utf-8"))["doc_id"]: json.loads(p.read_text(encoding="utf-8"))
               for p in (work / "run" / "docs").glob("*.json")}
    assert len(results) == 2  # (source paths are stored absolute: the batch resolves them)
    return work, results


@pytest.fixture(scope="module")
def exported(batch, tmp_path_factory):
    work, results = batch
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    cwd = os.getcwd()
    os.chdir(elsewhere)  # neither the batch folder nor the folder it ran in
    try:
        r = CliRunner().invoke(app, ["export", "hf", str(work / "run"), "--to", "hf"])
    finally:
        os.chdir(cwd)
    assert r.exit_code == 0, r.output
    return datasets.load_from_disk(str(elsewhere / "hf")), results, elsewhere / "hf"


def test_rows_carry_their_text_from_any_working_folder(exported):
    ds, results, _ = exported
    assert ds.features == features() and len(ds) == 2
    for r in ds:
        raw = (ROOT / "annotations" / "docs" / f"{r['doc_id']}.txt").read_text(encoding="utf-8")
        assert r["text"] == raw
        for f in r["facts"]:
            assert f["text"] is None or raw[f["span"][0]:f["span"][1]] == f["text"]


def test_counts_are_integers_and_every_spec_field_is_exported(exported):
    ds, results, _ = exported
    assert ds.features["n_facts"].dtype == "int32" and ds.features["facts"].feature["count"].dtype == "int64"
    for r in ds:
        spec = results[r["doc_id"]]
        assert r["n_facts"] == len(spec["facts"]) and r["n_problems"] == len(spec["problems"])
        assert r["checks_pass"] + r["checks_fail"] + r["checks_not_applicable"] == len(spec["checks"]) > 0
        staff = [(f, g) for f, g in zip(r["facts"], spec["facts"]) if g["type"] == "staffing"]
        assert staff and all(type(f["count"]) is int and f["count"] == g["value"] for f, g in staff)
        for f, g in zip(r["facts"], spec["facts"]):
            assert (f["raw_value"], f["unit"], f["evidence"]) == (g.get("raw_value"), g.get("unit"), g["evidence"])
        for p, g in zip(r["problems"], spec["problems"]):
            assert {s["label"]: s["score"] for s in p["category_scores"]} == g["category_scores"]
            assert p["evidence"] == g["evidence"] and p["categories"] == g["categories"]
        for m, g in zip(r["measures"], spec["measures"]):
            assert [m[k] for k in ("actions", "targets", "deadline", "owner", "addresses")] == \
                [g.get(k) if k in ("deadline", "owner") else g.get(k) or [] for k in
                 ("actions", "targets", "deadline", "owner", "addresses")]
            assert m["link_evidence"] == g.get("link_evidence")
        assert [c["name"] for c in r["checks"]] == [c["name"] for c in spec["checks"]]
        assert {e["field"] for e in r["meta_evidence"]} == set(spec["meta_evidence"])
    assert any(m["actions"] for r in ds for m in r["measures"])


def test_parquet_shards_and_dataset_card(exported):
    ds, _, path = exported
    assert sum(len(datasets.Dataset.from_parquet(str(p))) for p in (path / "parquet").glob("*.parquet")) == len(ds)
    card = (path / "README.md").read_text(encoding="utf-8")
    assert card.startswith("---\n") and "language:\n- zh" in card and "## Fields" in card
    assert f"{sum(r['n_facts'] for r in ds)} facts" in card


def test_a_result_whose_text_is_gone_is_refused_by_name(batch, tmp_path):
    work, results = batch
    run = tmp_path / "run"
    shutil.copytree(work / "run", run)
    doc_id = sorted(results)[0]
    spec = json.loads((run / "docs" / f"{doc_id}.json").read_text(encoding="utf-8"))
    spec["source"]["path"] = "nowhere/report.txt"
    (run / "docs" / f"{doc_id}.json").write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")
    r = CliRunner().invoke(app, ["export", "hf", str(run), "--to", str(tmp_path / "hf")])
    assert r.exit_code == 3 and f"{doc_id}.json" in r.output and "no dataset written" in r.output  # nothing done
    assert not (tmp_path / "hf").exists()
    with pytest.raises(Exception, match="without their text"):
        export_hf(run, tmp_path / "hf2")
