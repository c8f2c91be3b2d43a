"""`jixiao validate`, `jixiao eval` and `jixiao agree` end to end on annotations/."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from jixiao_eval.schema import dump
from extract.cli import app

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "annotations" / "gold"
DOCS = ROOT / "annotations" / "docs"
runner = CliRunner()


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


def test_schema_file_is_generated_from_eval_schema():
    assert (ROOT / "annotations" / "schema.json").read_text(encoding="utf-8") == dump()


def test_validate_gold_passes_and_hashes_match():
    r = invoke("validate", GOLD, "--docs", DOCS)
    assert r.exit_code == 0, r.output
    assert "5 files valid" in r.output


def test_validate_reports_each_problem_and_exits_1(tmp_path):
    g = json.loads(next(GOLD.glob("000_*.json")).read_text(encoding="utf-8"))
    g["text_sha256"] = "0" * 64
    g["facts"][0]["span"] = [10**7, 10**7 + 3]
    fin = next(i for i, f in enumerate(g["facts"]) if f["type"] == "finance")
    s = g["facts"][fin]["span"][0]
    g["facts"][fin]["span"] = [s - 3, s - 1] if s > 3 else [0, 1]
    g["problems"][0]["categories"] = ["not_a_category"]
    (tmp_path / f"{g['doc_id']}.json").write_text(json.dumps(g, ensure_ascii=False), encoding="utf-8")
    r = invoke("validate", tmp_path, "--docs", DOCS)
    assert r.exit_code == 1
    lines = r.output.strip().splitlines()
    assert any("text_sha256 does not match" in l for l in lines)
    assert any("outside the text" in l for l in lines)
    assert any("schema" in l and "not_a_category" in l for l in lines)
    assert all(l.startswith(str(tmp_path / f"{g['doc_id']}.json")) for l in lines)  # each line names its file


def test_eval_gold_against_itself_is_perfect(tmp_path):
    out = tmp_path / "r.json"
    r = invoke("eval", "--gold", GOLD, "--pred", GOLD, "--docs", DOCS, "--json", out, "--markdown", tmp_path / "r.md")
    assert r.exit_code == 0, r.output
    rep = json.loads(out.read_text(encoding="utf-8"))
    assert rep["meta"]["accuracy"] == 1.0
    for level in ("fact", "mention"):
        assert all(v["f1"] == 1.0 for v in rep["facts"][level].values())
    for k in ("problems", "measures", "indicators"):
        assert rep[k]["f1"] == 1.0
    assert rep["categories"]["micro"]["f1"] == 1.0 and rep["links"]["accuracy"] == 1.0
    assert "Every error" in (tmp_path / "r.md").read_text(encoding="utf-8")


def test_eval_empty_prediction_has_zero_recall_and_names_malformed_files(tmp_path):
    pred = tmp_path / "pred"
    pred.mkdir()
    (pred / "broken.json").write_text("{not json", encoding="utf-8")
    out = tmp_path / "r.json"
    r = invoke("eval", "--gold", GOLD, "--pred", pred, "--docs", DOCS, "--json", out)
    assert r.exit_code == 0
    assert "broken.json" in r.output
    rep = json.loads(out.read_text(encoding="utf-8"))
    assert rep["facts"]["fact"]["overall"]["recall"] == 0
    assert rep["facts"]["mention"]["overall"]["recall"] == 0
    for k in ("problems", "measures", "indicators", "links"):
        assert rep[k]["recall"] == 0


def test_eval_reads_jsonl_predictions(tmp_path):
    jl = tmp_path / "p.jsonl"
    jl.write_text("\n".join(f.read_text(encoding="utf-8").replace("\n", "") for f in sorted(GOLD.glob("*.json"))),
                  encoding="utf-8")
    out = tmp_path / "r.json"
    assert invoke("eval", "--gold", GOLD, "--pred", jl, "--json", out).exit_code == 0
    assert json.loads(out.read_text(encoding="utf-8"))["facts"]["fact"]["overall"]["f1"] == 1.0


def test_agree_gold_with_itself(tmp_path):
    b = tmp_path / "b"
    shutil.copytree(GOLD, b)
    out = tmp_path / "a.json"
    r = invoke("agree", GOLD, b, "--docs", DOCS, "--json", out, "--markdown", tmp_path / "a.md")
    assert r.exit_code == 0, r.output
    rep = json.loads(out.read_text(encoding="utf-8"))
    assert rep["kappa_primary"] == 1.0 and rep["facts"]["fact"]["overall"]["f1"] == 1.0
    assert "Cohen's kappa" in (tmp_path / "a.md").read_text(encoding="utf-8")
