"""Boilerplate measures on tiny hand-made corpora, each checked against a hand-computed value."""
from __future__ import annotations

from pathlib import Path

import pytest

from extract.boilerplate import measures as M
from extract.boilerplate.corpus import unit_key
from extract.boilerplate.templates import cluster_templates, mask

ROOT = Path(__file__).resolve().parents[1]

# -- thresholds: (df, n_docs, expected) with the defaults 30 % / 75 % / min 2 docs / cap from 20 docs
THRESHOLD_CASES = {
    "below 30 %": (5, 20, False),          # 25 %
    "exactly 30 %": (6, 20, True),
    "74 % in a large corpus": (37, 50, True),
    "exactly 75 % is generic": (15, 20, False),
    "above cap in a large corpus": (19, 20, False),
    "tiny corpus keeps near-universal phrases": (4, 5, True),
    "one document is never boilerplate": (1, 3, False),  # 33 % but below min_docs
}


@pytest.mark.parametrize("df,n,expected", THRESHOLD_CASES.values(), ids=THRESHOLD_CASES.keys())
def test_thresholds(df, n, expected):
    assert M.Thresholds().is_boilerplate(df, n) is expected


def test_sentence_flags_and_document_score_hand_computed():
    # three documents, sentences as token lists; n = 2 for readability
    docs = [
        [["a", "b", "c"], ["x", "y"]],       # doc 0
        [["a", "b", "d"], ["p", "q", "r"]],  # doc 1
        [["m", "n"]],                        # doc 2
    ]
    grams = [[M.ngrams(s, 2) for s in d] for d in docs]
    df = M.document_frequency(grams)
    assert df[("a", "b")] == 2 and df[("x", "y")] == 1
    th = M.Thresholds(min_share=0.5, max_share=0.75, min_docs=2, cap_min_docs=2)
    # ('a','b') is in 2/3 = 67 % of documents: >= 50 % and < 75 % -> boilerplate
    flags0 = M.boilerplate_flags(grams[0], df, 3, th)
    assert flags0 == [True, False]
    # doc 0 has 3 + 2 words, 3 of them in the boilerplate sentence
    assert M.boilerplate_score([3, 2], flags0) == pytest.approx(0.6)
    # with the cap at 60 %, ('a','b') at 67 % is too common -> nothing flagged
    assert M.boilerplate_flags(grams[0], df, 3, M.Thresholds(0.5, 0.6, 2, 2)) == [False, False]


def test_specificity_and_hard_information():
    sents = [["2024年", "收入", "2724.71", "万元"], ["加强", "管理"], ["坡头区", "财政局", "培训"]]
    # specific: 2024年, 2724.71, 坡头区, 财政局 -> 4 of 9 tokens
    assert M.specificity(sents) == pytest.approx(4 / 9)
    # sentences with a figure: the first only
    assert M.hard_information(sents) == pytest.approx(1 / 3)
    assert M.specificity([]) is None


def test_stickiness_reuse_and_change_hand_computed():
    prev = [list("abcdefghij")]
    cur = [list("abcdefghiX")]
    # 8-grams of cur: abcdefgh (reused), bcdefghi (reused), cdefghiX (new) -> 2/3
    assert M.reused_share(cur, prev, 8) == pytest.approx(2 / 3)
    # word counts differ in one of ten tokens: cosine = 9 / (sqrt(10) * sqrt(10)) = 0.9
    assert M.change_score(cur, prev) == pytest.approx(0.1)
    assert M.change_score(prev, prev) == pytest.approx(0.0)


def test_redundancy_hand_computed():
    # 2-grams of "abab": ab, ba, ab -> ab repeated: 2 of 3
    assert M.redundancy([list("abab")], n=2) == pytest.approx(2 / 3)
    assert M.redundancy([list("abc")], n=10) is None


def test_year_to_year_unit_matching_key():
    assert unit_key("中国共产党湛江市委员会组织部（本级）") == unit_key("中共湛江市委员会组织部")
    assert unit_key("坡头区 财政局") == "坡头区财政局"
    assert unit_key(None) is None


def test_templates_cluster_across_documents_and_ignore_figures():
    shared = "我单位对所报送自评材料真实性、完整性、一致性、规范性负责。"
    sentences = [
        ("d1", 0, 0, 10, "self_evaluation_process", shared),
        ("d2", 0, 0, 10, "self_evaluation_process", "我办对所报送自评材料真实性、完整性、一致性、规范性负责。"),
        ("d3", 0, 0, 10, "self_evaluation_process", shared),
        ("d1", 1, 20, 40, "spending_overview", "2024年本部门收入预算2724.71万元。"),
        ("d2", 1, 20, 40, "annual_work", "区委编办为正科级单位，无下属单位，设四个内设机构。"),
    ]
    templates = cluster_templates(sentences, min_docs=3)
    assert len(templates) == 1
    t = templates[0]
    assert t.doc_frequency == 3 and t.representative == shared
    assert {m[0] for m in t.members} == {"d1", "d2", "d3"}
    assert mask("收入 2724.71 万元") == mask("收入588.55万元")


@pytest.mark.slow
def test_cli_on_seeds_writes_tables_plots_and_finds_shared_templates(tmp_path):
    from typer.testing import CliRunner

    from extract.cli import app

    r = CliRunner().invoke(app, ["boilerplate", str(ROOT / "annotations" / "docs"), "--out", str(tmp_path)])
    assert r.exit_code == 0, r.output
    for name in ("sentences.parquet", "documents.parquet", "templates.parquet", "templates.json"):
        assert (tmp_path / name).exists()
    for png in ("boilerplate_distribution.png", "boilerplate_by_section.png", "top_templates.png"):
        data = (tmp_path / png).read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 2000
    import json

    templates = json.loads((tmp_path / "templates.json").read_text(encoding="utf-8"))
    reps = [t["representative"] for t in templates.values() if t["doc_frequency"] >= 3]
    for phrase in ("真实性、完整性、一致性、规范性负责", "数据表、评分表与公开的", "成立自评工作小组"):
        assert any(phrase in "".join(r.split()) for r in reps), phrase
    # no template is built on a sentence whose content is a figure of one unit
    import pandas as pd

    sents = pd.read_parquet(tmp_path / "sentences.parquet")
    figures = sents[sents["text"].str.contains("2724.71|588.55|295.82", regex=True)]
    assert figures["template_id"].isna().all()


def test_hashes_are_the_same_in_every_process():
    """Partitions from different workers (or Dask machines) merge only if hashes are process-independent."""
    import os
    import subprocess
    import sys

    import numpy as np

    from extract.boilerplate.hashing import TokenHasher, char_hashes, ngram_hashes

    code = ("from extract.boilerplate.hashing import TokenHasher, ngram_hashes, char_hashes;"
            "print(list(ngram_hashes(TokenHasher()(['加强','预算','绩效','管理','工作']), 4)),"
            " list(char_hashes('预算绩效')))")
    outs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           env=dict(os.environ, PYTHONHASHSEED=seed, PYTHONPATH=str(ROOT))).stdout
            for seed in ("1", "2")}
    assert len(outs) == 1
    here = ngram_hashes(TokenHasher()(["加强", "预算", "绩效", "管理", "工作"]), 4)
    assert len(here) == 2 and here[0] != here[1]
    assert outs.pop().strip() == f"{list(here)} {list(char_hashes('预算绩效'))}"
    assert len(np.unique(char_hashes("预算绩效"))) == 4
