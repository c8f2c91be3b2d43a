"""extract.load(): zh + jixiao's own jieba tokenizer with the domain dictionary, results on the Doc
as serializable data, span attributes, multiprocessing, saving and loading in a fresh process."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

spacy = pytest.importorskip("spacy")
import extract  # noqa: E402
from spacy.tokens import Doc, DocBin  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "annotations" / "docs").glob("*.txt"))
SEED = SEEDS[0]


@pytest.fixture(scope="module")
def nlp():
    return extract.load()


@pytest.fixture(scope="module")
def doc(nlp):
    return nlp(SEED.read_text(encoding="utf-8"))


def as_json(x) -> str:
    return json.dumps(x, ensure_ascii=False, sort_keys=True)


def spans(doc) -> list:
    return [(g, s.start_char, s.end_char, s.label_, s.id_, as_json([getattr(s._, a) for a in
             ("value", "unit", "stage", "qualifier", "entity", "category", "evidence")]))
            for g in ("facts", "problems", "measures", "sections") for s in doc.spans[g]]


def test_tokenizer_is_a_private_jieba_with_the_user_dictionary(nlp):
    import jieba

    doc = nlp.make_doc("行政编制20名，预决算差异率为零")
    assert nlp.config["nlp"]["tokenizer"]["@tokenizers"] == "jixiao.JiebaTokenizer.v1"
    assert "行政编制" in [t.text for t in doc] and "预决算差异率" in [t.text for t in doc]
    assert nlp.tokenizer.jieba is not jieba.dt
    assert "预决算差异率" not in jieba.lcut("预决算差异率为零"), "the global jieba must stay untouched"


def test_a_saved_dictionary_is_the_tokenizers_own(nlp):
    from extract.text import tokens

    tok = type(nlp.tokenizer)(nlp.vocab, "").from_bytes(nlp.tokenizer.to_bytes())
    assert tok.jieba is tokens.with_userdict(), "the package's dictionary: the shared segmenter"
    data = nlp.tokenizer.to_bytes()
    own = type(nlp.tokenizer)(nlp.vocab, "").from_bytes(data)
    own.userdict += "绩效自评报告批复单 100 n\n"
    assert "绩效自评报告批复单" in [t.text for t in own("关于绩效自评报告批复单的说明")]
    assert "绩效自评报告批复单" not in tokens.with_userdict().lcut("关于绩效自评报告批复单的说明")


def test_results_live_on_the_doc_as_data_and_spans_cover_their_evidence(doc):
    spec = doc._.jixiao
    assert isinstance(spec, dict) and spec["doc_id"] and len(doc.spans["facts"]) == len(spec["facts"]) > 0
    assert doc.spans["problems"] and doc.spans["measures"] and doc.spans["sections"]
    for fact, span in zip(spec["facts"], doc.spans["facts"]):
        assert span.start_char <= fact["span"][0] and fact["span"][1] <= span.end_char
        assert span.label_.split("|")[0] == fact["name"]
        assert (span._.value, span._.entity, span._.evidence) == (fact["value"], fact["entity"], fact["evidence"])
        assert span._.unit == fact.get("unit") and span._.stage == fact.get("stage")
    for p, span in zip(spec["problems"], doc.spans["problems"]):
        assert span._.category == p["categories"][0] == span.label_
    assert {s.label_ for s in doc.spans["sections"]} >= {"basic_info", "problems", "measures"}


def test_labels_tell_facts_of_one_name_apart(doc):
    by_name: dict[str, set] = {}
    for f, s in zip(doc._.jixiao["facts"], doc.spans["facts"]):
        by_name.setdefault(f["name"], set()).add((f.get("stage"), f.get("qualifier"), f.get("entity"), s.label_))
    distinct = [v for v in by_name.values() if len({x[:3] for x in v}) > 1]
    assert distinct, "the seed has facts of one name with different entities or stages"
    for v in distinct:
        assert len({x[3] for x in v}) == len({x[:3] for x in v})
    assert "authorized_total|区党建指导中心" in {s.label_ for s in doc.spans["facts"]}


def test_doc_to_bytes_round_trip_keeps_spans_and_attributes(nlp, doc):
    back = Doc(nlp.vocab).from_bytes(doc.to_bytes())
    assert as_json(back._.jixiao) == as_json(doc._.jixiao)
    assert spans(back) == spans(doc) and len(spans(doc)) > 40


def test_docbin_with_user_data_round_trip_keeps_spans_and_attributes(nlp, doc):
    db = DocBin(store_user_data=True)
    db.add(doc)
    (back,) = DocBin().from_bytes(db.to_bytes()).get_docs(nlp.vocab)
    # msgpack gives lists back as tuples: equal as JSON
    assert as_json(back._.jixiao) == as_json(doc._.jixiao)
    assert spans(back) == spans(doc)


def test_pipe_with_two_processes_equals_one(nlp):
    texts = [p.read_text(encoding="utf-8") for p in SEEDS[:3]]
    one = [(as_json(d._.jixiao), spans(d)) for d in nlp.pipe(texts, n_process=1)]
    two = [(as_json(d._.jixiao), spans(d)) for d in nlp.pipe(texts, n_process=2, batch_size=1)]
    assert two == one and len(one) == 3


def installed_entry_points(site: Path) -> None:
    """A dist-info on ``site`` declaring the entry points pyproject.toml declares, as pip would
    install them (the shared development install may predate them)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    eps = project["entry-points"]
    assert {"spacy_factories", "spacy_tokenizers"} <= set(eps)
    info = site / "jixiao_entry_points-0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: jixiao-entry-points\nVersion: 0\n", encoding="utf-8")
    (info / "entry_points.txt").write_text("".join(
        f"[{group}]\n" + "".join(f"{k} = {v}\n" for k, v in items.items()) for group, items in eps.items()),
        encoding="utf-8")


def test_saved_pipeline_loads_with_spacy_load_in_a_fresh_process(nlp, doc, tmp_path):
    nlp.to_disk(tmp_path / "model")
    assert (tmp_path / "model" / "tokenizer" / "userdict.txt").read_text(encoding="utf-8") == \
        (ROOT / "extract" / "data" / "userdict.txt").read_text(encoding="utf-8")
    installed_entry_points(tmp_path / "site")
    code = ("import json, sys, spacy\n"
            "nlp = spacy.load(sys.argv[1])\n"
            "doc = nlp(open(sys.argv[2], encoding='utf-8').read())\n"
            "print(json.dumps([len(doc.spans['facts']), [t.text for t in nlp.make_doc('预决算差异率')],"
            " doc.spans['facts'][0]._.value, nlp.pipe_names]))\n")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(tmp_path / "site")])}
    r = subprocess.run([sys.executable, "-c", code, str(tmp_path / "model"), str(SEED)], capture_output=True,
                       text=True, env=env, cwd=tmp_path, timeout=300)
    assert r.returncode == 0, r.stderr[-2000:]
    n, tokens, value, pipes = json.loads(r.stdout.strip().splitlines()[-1])
    assert (n, tokens, value, pipes) == (len(doc.spans["facts"]), ["预决算差异率"], doc.spans["facts"][0]._.value,
                                         ["jixiao"])


def test_load_then_extract_file_is_byte_identical_to_extract_file_alone(tmp_path):
    code = ("import sys, json, extract\n"
            "if sys.argv[1] == 'load':\n"
            "    nlp = extract.load(); nlp('行政编制20名')\n"
            "for p in sys.argv[2:]:\n"
            "    sys.stdout.write(json.dumps(extract.extract_file(p).to_spec(), ensure_ascii=False, sort_keys=True))\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = {}
    for mode in ("plain", "load"):
        r = subprocess.run([sys.executable, "-c", code, mode, *map(str, SEEDS)], capture_output=True, env=env,
                           timeout=300)
        assert r.returncode == 0, r.stderr[-2000:]
        out[mode] = r.stdout
    assert out["load"] == out["plain"] and len(out["plain"]) > 10_000


def test_displacy_draws_the_fact_spans(doc):
    from spacy import displacy

    html = displacy.render(doc, style="span", options={"spans_key": "facts"}, page=False)
    labels = [s.label_ for s in doc.spans["facts"]]
    assert "authorized_total|区党建指导中心" in html and labels
    assert all(f"\n        {label}\n" in html for label in labels)
