"""`eval.agree` and `jixiao agree`: the scorer's comparison read as inter-annotator agreement."""
from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jixiao_eval.agree import agreement, cohen_kappa, kappa_from_confusion
from jixiao_eval.load import load_set
from extract.cli import app

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "annotations" / "gold"
DOCS = ROOT / "annotations" / "docs"

# (id, labels of A, labels of B, kappa)
KAPPA_CASES = [
    ("perfect_two_labels", ["a", "b", "a"], ["a", "b", "a"], 1.0),
    ("one_label_throughout_is_observed_agreement", ["a", "a"], ["a", "a"], 1.0),
    ("chance_level", ["a", "b", "a", "b"], ["a", "a", "b", "b"], 0.0),
    ("worse_than_chance", ["a", "b"], ["b", "a"], -1.0),
    # p_o = 0.8, p_e = 0.6*0.4 + 0.4*0.6 = 0.48 -> (0.8 - 0.48) / 0.52
    ("textbook", ["a", "a", "a", "b", "b"], ["a", "a", "b", "b", "b"], 0.32 / 0.52),
    # p_o = 5/8, p_e = (3*4 + 2*3 + 3*1) / 64 = 21/64 -> (40 - 21) / (64 - 21)
    ("three_labels", list("xyzxxyzz"), list("xyxxyyzx"), 19 / 43),
    ("nothing_to_compare", [], [], None),
]


@pytest.mark.parametrize("name,a,b,k", KAPPA_CASES, ids=[c[0] for c in KAPPA_CASES])
def test_cohen_kappa(name, a, b, k):
    assert cohen_kappa(a, b) == (None if k is None else pytest.approx(k, abs=1e-6))


def test_kappa_from_confusion_equals_kappa_from_sequences():
    conf = {"x": {"x": 3, "y": 1}, "y": {"y": 2}, "z": {"x": 1}}
    a = ["x"] * 4 + ["y"] * 2 + ["z"]
    b = ["x"] * 3 + ["y"] + ["y"] * 2 + ["x"]
    assert kappa_from_confusion(conf) == pytest.approx(cohen_kappa(a, b))


def test_unequal_sequences_are_refused():
    with pytest.raises(ValueError, match="differ in length"):
        cohen_kappa(["a"], [])


@pytest.fixture(scope="module")
def gold():
    g, problems = load_set(GOLD)
    assert problems == [] and len(g) == 5
    return g


def test_gold_agrees_with_itself(gold):
    rep = agreement(gold, copy.deepcopy(gold), DOCS)
    assert rep["kappa_primary"] == 1.0
    assert rep["meta"]["accuracy"] == 1.0
    for path in (("facts", "fact", "overall"), ("facts", "mention", "overall"), ("problems",), ("measures",)):
        s = rep
        for k in path:
            s = s[k]
        assert s["f1"] == 1.0 and s["tp"] > 0


def test_a_changed_primary_lowers_kappa_only(gold):
    b = copy.deepcopy(gold)
    doc = next(d for d in sorted(b) if b[d]["problems"])
    p = b[doc]["problems"][0]
    p["categories"] = ["other" if p["categories"][0] != "other" else "assets"]
    rep = agreement(gold, b, DOCS)
    assert rep["kappa_primary"] < 1.0
    assert rep["problems"]["f1"] == 1.0  # the spans still agree


def test_documents_in_one_pass_only_are_listed(gold):
    b = {d: v for d, v in gold.items() if not d.startswith("004")}
    rep = agreement(gold, b, DOCS)
    assert rep["documents"] == 4 and rep["documents_only_in_a"] == [d for d in gold if d.startswith("004")]


def test_agree_cli_lists_disagreements_as_only_in_a_or_b(tmp_path, gold):
    b = tmp_path / "b"
    b.mkdir()
    dropped = None
    for d, ann in gold.items():
        ann = copy.deepcopy(ann)
        if d.startswith("000"):
            dropped = ann["facts"].pop(0)
        (b / f"{d}.json").write_text(json.dumps(ann, ensure_ascii=False), encoding="utf-8")
    md = tmp_path / "agree.md"
    r = CliRunner().invoke(app, ["agree", str(GOLD), str(b), "--docs", str(DOCS), "--markdown", str(md)])
    assert r.exit_code == 0, r.output
    assert "Cohen's kappa" in r.output
    text = md.read_text(encoding="utf-8")
    assert "| facts F1 (mention level) |" in text and "## Every disagreement" in text
    assert f"- only in A {dropped['type']}.{dropped['name']}" in text
