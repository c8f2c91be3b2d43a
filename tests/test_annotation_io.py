"""Label Studio and doccano round trips, validated with label-studio-sdk where installed."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from extract.cli import app
from extract.io import doccano, labelstudio

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "annotations" / "docs"
GOLD = ROOT / "annotations" / "gold"

RAW = "评价年度：2024年度\n行政编制20名，实有在职19人。收入预算2724.71万元。\n问题：预算编制不精准。\n措施：细化预算编制。𠀋"


def spec() -> dict:
    def span(s, after=0):
        i = RAW.index(s, after)
        return [i, i + len(s)]

    return {
        "doc_id": "toy", "text_sha256": "x",
        "meta": {"title": None, "report_kind": "overall", "fiscal_year": 2024, "unit": "测试单位",
                 "filing_date": None, "notice_ref": None, "self_score": 97.5, "grade": "优"},
        "facts": [
            {"type": "staffing", "name": "authorized_admin", "value": 20, "entity": None, "span": span("20名")},
            {"type": "staffing", "name": "active_total", "value": 19, "entity": "下属中心", "span": span("19")},
            {"type": "finance", "name": "income", "stage": "budget", "qualifier": None, "value": 27247100.0,
             "entity": None, "span": span("2724.71万元")},
        ],
        "problems": [{"id": "p1", "span": span("预算编制不精准。"), "categories": ["budget_preparation", "other"],
                      "source": "section"}],
        "measures": [{"id": "m1", "span": span("细化预算编制。"), "addresses": ["p1"]},
                     {"id": "m2", "span": span("𠀋"), "addresses": []}],
        "indicators": [{"level1": "履职效能", "level2": "整体效能", "level3": "部门预算资金支出率", "weight": 10,
                        "score": 9, "reason_span": None, "measure_span": None}],
    }


def comparable(gold: dict) -> dict:
    return {k: v for k, v in gold.items() if k != "text_sha256"}


@pytest.mark.parametrize("as_", ["predictions", "annotations"])
def test_label_studio_tasks_validate_with_the_sdk(as_):
    li_mod = pytest.importorskip("label_studio_sdk.label_interface",
                                 reason="label-studio-sdk not installed (pip install -e '.[labelstudio]')")
    li = li_mod.LabelInterface(labelstudio.labeling_config())
    task = labelstudio.to_task(spec(), RAW, as_)
    if as_ == "predictions":
        assert li.validate_prediction(task["predictions"][0])
    else:
        assert li.validate_annotation(task["annotations"][0])
    bad = json.loads(json.dumps(task))
    regions = bad[as_][0]["result"]
    next(r for r in regions if r["type"] == "labels")["value"]["labels"] = ["no.such_label"]
    validate = li.validate_prediction if as_ == "predictions" else li.validate_annotation
    assert not validate(bad[as_][0])


def test_label_studio_round_trip_is_lossless_on_a_toy_document():
    task = labelstudio.to_task(spec(), RAW, "annotations")
    back = labelstudio.from_task(task, RAW, RAW.encode(), "task 1")
    assert comparable(back) == comparable(spec())


def test_label_studio_import_refuses_a_region_whose_text_does_not_match():
    task = labelstudio.to_task(spec(), RAW, "annotations")
    region = next(r for r in task["annotations"][0]["result"] if r.get("id") == "p1" and r["type"] == "labels")
    region["value"]["start"] += 1
    with pytest.raises(labelstudio.LabelStudioError, match=r"task 7 region p1: text"):
        labelstudio.from_task(task, RAW, RAW.encode(), "task 7")


def test_select_uncertain_ranks_least_certain_problems_and_failing_checks_first():
    certain = {"doc_id": "a", "problems": [{"id": "p1", "category_scores": {"x": 0.95}}], "checks": []}
    unsure = {"doc_id": "b", "problems": [{"id": "p1", "category_scores": {"x": 0.4, "y": 0.35}}], "checks": []}
    failing = {"doc_id": "c", "problems": [], "checks": [{"name": "sum", "status": "fail"}]}
    quiet = {"doc_id": "d", "problems": [], "checks": [{"name": "sum", "status": "pass"}]}
    ranked = labelstudio.select_uncertain([certain, unsure, failing, quiet], n=5)
    assert [s["doc_id"] for _, s, _ in ranked] == ["c", "b", "a"]
    assert ranked[1][0] == pytest.approx(0.95)  # margin uncertainty 1 - (0.40 - 0.35)


def test_doccano_sequence_round_trip_is_lossless_on_a_toy_document():
    line = doccano.to_sequence_line(spec(), RAW)
    assert [e["label"] for e in line["entities"]][:3] == ["staffing.authorized_admin", "staffing.active_total",
                                                           "finance.income"]
    # entities 1-3 are facts, 4 is p1, 5 and 6 are m1 and m2: m1 answers p1
    assert line["relations"] == [{"id": 1, "from_id": 5, "to_id": 4, "type": "addresses"}]
    back = doccano.from_sequence_line(json.loads(json.dumps(line)), RAW, RAW.encode(), "line 1")
    assert comparable(back) == comparable(spec())


def test_doccano_classification_lines_bring_corrected_categories_back():
    lines = doccano.to_classification_lines(spec(), RAW)
    assert lines == [{"text": "预算编制不精准。", "label": ["budget_preparation", "other"], "doc_id": "toy",
                      "problem_id": "p1", "span": spec()["problems"][0]["span"]}]
    golds = {"toy": spec()}
    lines[0]["label"] = ["performance_targets"]
    assert doccano.apply_classification(golds, lines) == []
    assert golds["toy"]["problems"][0]["categories"] == ["performance_targets"]


def gold_files() -> list[Path]:
    files = sorted(GOLD.glob("*.json"))
    assert len(files) == len(list(DOCS.glob("*.txt"))), "every bundled document has a gold file"
    return files


def test_label_studio_round_trip_of_every_gold_file_via_cli(tmp_path):
    files = gold_files()
    runner = CliRunner()
    tasks = tmp_path / "tasks.json"
    r = runner.invoke(app, ["export", "label-studio", str(GOLD), "--as", "annotations", "--out", str(tasks),
                            "--docs", str(DOCS)])
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["import", "label-studio", str(tasks), "--docs", str(DOCS), "--out", str(tmp_path / "back")])
    assert r.exit_code == 0, r.output
    for f in files:
        original = json.loads(f.read_text(encoding="utf-8"))
        back = json.loads((tmp_path / "back" / f.name).read_text(encoding="utf-8"))
        assert back == original, f.name


def test_doccano_round_trip_of_every_gold_file_via_cli(tmp_path):
    files = gold_files()
    runner = CliRunner()
    out = tmp_path / "seq.jsonl"
    r = runner.invoke(app, ["export", "doccano", str(GOLD), "--out", str(out), "--docs", str(DOCS)])
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["import", "doccano", str(out), "--docs", str(DOCS), "--out", str(tmp_path / "back")])
    assert r.exit_code == 0, r.output
    for f in files:
        assert json.loads((tmp_path / "back" / f.name).read_text(encoding="utf-8")) == \
            json.loads(f.read_text(encoding="utf-8")), f.name


def test_a_corrected_import_changes_the_gold(tmp_path):
    files = gold_files()
    tasks = [labelstudio.to_task(json.loads(f.read_text(encoding="utf-8")), (DOCS / f"{f.stem}.txt").read_text(
        encoding="utf-8"), "annotations") for f in files]
    # an annotator corrects the primary category of the first problem found
    for task in tasks:
        prim = next((r for r in task["annotations"][0]["result"] if r["from_name"] == "primary"), None)
        if prim:
            prim["value"]["choices"] = ["disclosure"]
            doc_id = task["data"]["doc_id"]
            pid = prim["id"]
            break
    golds, errors = labelstudio.import_export(tasks, DOCS)
    assert errors == []
    changed = next(g for g in golds if g["doc_id"] == doc_id)
    assert next(p for p in changed["problems"] if p["id"] == pid)["categories"][0] == "disclosure"
    # ... and scoring against the corrected gold reflects the correction (what `make eval` runs)
    from eval import score_sets

    original = json.loads((GOLD / f"{doc_id}.json").read_text(encoding="utf-8"))
    rep = score_sets({doc_id: changed}, {doc_id: original})
    assert rep["categories"]["primary_accuracy"] < 1.0
    assert rep["categories"]["confusion"]["disclosure"]
