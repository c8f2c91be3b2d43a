"""Training from a (tiny, hand-made) gold folder: determinism, LODO CV, model card, load checks."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from extract.train import load_gold, scores, train

# Hand-made documents for the tests (not from annotations/): (doc_id, text, [(problem, categories)]).
DOCS = [
    ("d1", "一、情况\n本年度工作完成良好。\n（三）存在问题\n1.项目支出进度缓慢，年底集中支付。\n2.工作人员业务水平有待提高。\n"
           "（四）改进措施\n1.加快支出进度。\n",
     [("项目支出进度缓慢，年底集中支付。", ["budget_execution"]), ("工作人员业务水平有待提高。", ["staff_capacity"])]),
    ("d2", "一、情况\n按时公开预决算。\n（三）存在问题\n1.对绩效管理的重视程度不够。\n2.预算编制不够细化，与实际偏差较大。\n",
     [("对绩效管理的重视程度不够。", ["awareness"]), ("预算编制不够细化，与实际偏差较大。", ["budget_preparation"])]),
    ("d3", "一、情况\n资产账实相符。\n（三）存在问题\n绩效评价结果应用不充分，内部控制制度不健全。\n",
     [("绩效评价结果应用不充分，内部控制制度不健全。", ["evaluation_and_use", "rules_and_process"])]),
]


@pytest.fixture
def gold_dir(tmp_path: Path) -> Path:
    docs, gold = tmp_path / "docs", tmp_path / "gold"
    docs.mkdir()
    gold.mkdir()
    for doc_id, text, problems in DOCS:
        (docs / f"{doc_id}.txt").write_text(text, encoding="utf-8")
        ps = []
        for i, (t, cats) in enumerate(problems, 1):
            s = text.index(t)
            ps.append({"id": f"p{i}", "span": [s, s + len(t)], "categories": cats, "source": "section"})
        spec = {"doc_id": doc_id, "text_sha256": hashlib.sha256(text.encode()).hexdigest(), "meta": {},
                "facts": [], "problems": ps, "measures": [], "indicators": []}
        (gold / f"{doc_id}.json").write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")
    return gold


def test_load_gold_cuts_texts_by_span_and_keeps_negatives_outside(gold_dir):
    problems, negatives = load_gold(gold_dir)
    assert [e.text for e in problems][:2] == ["项目支出进度缓慢，年底集中支付。", "工作人员业务水平有待提高。"]
    assert problems[-1].labels == ("evaluation_and_use", "rules_and_process")
    assert negatives and not any("进度缓慢" in e.text for e in negatives)


def test_train_writes_model_metadata_card_and_ablation(gold_dir, tmp_path):
    out, abl = tmp_path / "model", tmp_path / "classification.md"
    r = train(gold_dir, out, ablation=abl)
    meta = json.loads((out / "metadata.json").read_text(encoding="utf-8"))
    assert {"jixiao", "sklearn", "labels", "date", "format"} <= set(meta)
    assert meta["gold_docs"] == ["d1", "d2", "d3"] and r.n_gold == 5
    assert r.cv["docs"] == 3 and set(r.cv["components"]) == {"rules", "model", "ensemble"}
    card = (out / "MODEL_CARD.md").read_text(encoding="utf-8")
    assert "Leave-one-document-out" in card and "synthetic" in card and "| d2 |" in card
    assert "| ensemble |" in abl.read_text(encoding="utf-8")


def test_training_is_deterministic(gold_dir, tmp_path):
    from extract.classify.model import load_model

    texts = ["预算执行进度偏慢", "资产盘点不及时", "人员紧张"]
    a, b = (train(gold_dir, tmp_path / n, synthetic=None) for n in ("a", "b"))
    pa, pb = (load_model(r.out).proba(texts) for r in (a, b))
    assert pa == pb
    assert a.cv == b.cv


def test_cv_never_sees_the_held_out_document(gold_dir, monkeypatch):
    import extract.train as t

    seen = []
    real_fit = t.fit

    def spy(problems, negatives=(), seed=0):
        seen.append({e.doc_id for e in problems})
        return real_fit(problems, negatives, seed)

    monkeypatch.setattr(t, "fit", spy)
    r = t.train(gold_dir, gold_dir.parent / "m")
    held_out = [d["doc_id"] for d in r.cv["per_doc"]]
    assert all(d not in s for d, s in zip(held_out, seen))


def test_scores_micro_macro_primary():
    s = scores([("a",), ("b", "c")], [("a",), ("c",)])
    assert s["micro_f1"] == pytest.approx(2 * 2 / (2 * 2 + 0 + 1))
    assert s["primary_acc"] == 0.5
    assert scores([], [])["micro_f1"] is None


def test_train_command(gold_dir, tmp_path):
    from typer.testing import CliRunner

    from extract.cli import app

    res = CliRunner().invoke(app, ["train", "--gold", str(gold_dir), "--out", str(tmp_path / "m")])
    assert res.exit_code == 0, res.output
    assert "5 gold problems from 3 documents" in res.output and "| ensemble |" in res.output
    assert (tmp_path / "m" / "model.joblib").exists()
