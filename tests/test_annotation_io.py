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


def cli(*args):
    """Run a jixiao command in-process; it must succeed."""
    r = CliRunner().invoke(app, [str(a) for a in args])
    assert r.exit_code == 0, r.output
    return r


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


def through_doccano(line: dict, example_id: int) -> dict:
    """What doccano 1.8 gives back for an imported sequence line: entities and relations
    renumbered with its database ids (here from a large base and descending, so no new id
    falls in 1..n), listed in its own order, the legacy ``label`` field gone, the other
    extra fields kept as example metadata."""
    new_id = {e["id"]: 90_000 + 1000 * example_id - i for i, e in enumerate(line["entities"])}
    out = {k: v for k, v in line.items() if k not in ("entities", "relations", "label")}
    out["id"] = example_id
    out["entities"] = [{**e, "id": new_id[e["id"]]} for e in reversed(line["entities"])]
    out["relations"] = [{"id": 500 + r["id"], "from_id": new_id[r["from_id"]], "to_id": new_id[r["to_id"]],
                         "type": r["type"]} for r in line["relations"]][::-1]
    out["Comments"] = []
    return json.loads(json.dumps(out))


def test_doccano_sequence_round_trip_is_lossless_on_a_toy_document():
    line = doccano.to_sequence_line(spec(), RAW)
    assert [e["label"] for e in line["entities"]][:3] == ["staffing.authorized_admin", "staffing.active_total",
                                                           "finance.income"]
    # entities 1-3 are facts, 4 is p1, 5 and 6 are m1 and m2: m1 answers p1
    assert line["relations"] == [{"id": 1, "from_id": 5, "to_id": 4, "type": "addresses"}]
    back = doccano.from_sequence_line(through_doccano(line, 3), RAW, RAW.encode(), "line 1")
    assert comparable(back) == comparable(spec())


def test_doccano_attributes_follow_the_span_not_the_entity_id():
    line = through_doccano(doccano.to_sequence_line(spec(), RAW), 1)
    # renumbered so that the ids land on 1..n in another order: attributes must not follow them
    for i, e in enumerate(line["entities"], 1):
        for r in line["relations"]:
            r["from_id"] = i if r["from_id"] == e["id"] else r["from_id"]
            r["to_id"] = i if r["to_id"] == e["id"] else r["to_id"]
        e["id"] = i
    back = doccano.from_sequence_line(line, RAW, RAW.encode(), "line 1")
    assert comparable(back) == comparable(spec())


def test_doccano_span_drawn_in_the_ui_gets_a_free_id_and_a_parsed_value():
    line = through_doccano(doccano.to_sequence_line(spec(), RAW), 1)
    i = RAW.index("20名")
    line["entities"].append({"id": 7, "start_offset": i, "end_offset": i + 3, "label": "staffing.authorized_total"})
    i = RAW.index("问题")
    line["entities"].append({"id": 8, "start_offset": i, "end_offset": i + 2, "label": "problem"})
    back = doccano.from_sequence_line(line, RAW, RAW.encode(), "line 1")
    assert back["facts"][-1] == {"type": "staffing", "name": "authorized_total", "value": 20, "entity": None,
                                 "span": [RAW.index("20名"), RAW.index("20名") + 3]}
    assert [p["id"] for p in back["problems"]] == ["p1", "p2"]


# (id, how the export was changed, the reason the import gives)
DOCCANO_REFUSALS = [
    ("attributes_keyed_by_entity_id",
     lambda line: line["jixiao"].update(spans={"1": {"value": 20}}), r"keyed by entity id"),
    ("a_fact_span_moved",
     lambda line: next(e for e in line["entities"] if e["label"] == "finance.income").update(
         end_offset=RAW.index("万元")), r"attributes of \d+:\d+:finance.income match no entity .* moved"),
    ("text_changed", lambda line: line.update(text=RAW + "x"), r"text differs"),
]


@pytest.mark.parametrize("name,change,reason", DOCCANO_REFUSALS, ids=[c[0] for c in DOCCANO_REFUSALS])
def test_doccano_import_refuses_what_it_cannot_match(name, change, reason):
    line = through_doccano(doccano.to_sequence_line(spec(), RAW), 1)
    change(line)
    with pytest.raises(doccano.DoccanoError, match=reason):
        doccano.from_sequence_line(line, RAW, RAW.encode(), "line 1")


def test_doccano_a_deleted_span_is_a_correction_not_an_error():
    line = through_doccano(doccano.to_sequence_line(spec(), RAW), 1)
    line["entities"] = [e for e in line["entities"] if e["label"] != "staffing.active_total"]
    back = doccano.from_sequence_line(line, RAW, RAW.encode(), "line 1")
    assert [f["name"] for f in back["facts"]] == ["authorized_admin", "income"]


def test_doccano_classification_lines_bring_corrected_categories_back():
    lines = doccano.to_classification_lines(spec(), RAW)
    assert lines == [{"text": "预算编制不精准。", "label": ["budget_preparation", "other"], "doc_id": "toy",
                      "problem_id": "p1", "span": spec()["problems"][0]["span"], "primary": "budget_preparation",
                      "jixiao_categories": ["budget_preparation", "other"]}]
    golds = {"toy": spec()}
    lines[0]["label"] = ["performance_targets"]
    assert doccano.apply_classification(golds, lines) == []
    assert golds["toy"]["problems"][0]["categories"] == ["performance_targets"]


# (id, labels doccano returns, categories imported or the refusal)
CLASSIFICATION_CASES = [
    ("reordered_keeps_the_primary", ["other", "budget_preparation"], ["budget_preparation", "other"]),
    ("added_label_follows", ["procurement", "other", "budget_preparation"],
     ["budget_preparation", "other", "procurement"]),
    ("primary_removed_one_left", ["other"], ["other"]),
    ("primary_removed_two_left", ["procurement", "other"], "primary category 'budget_preparation' was removed"),
]


@pytest.mark.parametrize("name,labels,expected", CLASSIFICATION_CASES, ids=[c[0] for c in CLASSIFICATION_CASES])
def test_doccano_classification_keeps_the_primary_label(name, labels, expected):
    line = doccano.to_classification_lines(spec(), RAW)[0]
    line["label"] = labels
    golds = {"toy": spec()}
    msgs = doccano.apply_classification(golds, [line])
    if isinstance(expected, str):
        assert len(msgs) == 1 and expected in msgs[0]
        assert golds["toy"]["problems"][0]["categories"] == spec()["problems"][0]["categories"]
    else:
        assert msgs == [] and golds["toy"]["problems"][0]["categories"] == expected


def gold_sets() -> list[tuple[Path, Path]]:
    """Every gold folder with its documents: annotations/gold, and the dev and test splits once they exist."""
    sets = [(g, g.parent / "docs") for g in sorted(ROOT.glob("annotations/**/gold"))
            if "passes" not in g.parts and (g.parent / "docs").is_dir()]
    assert (GOLD, DOCS) in sets
    for gold, docs in sets:
        assert {f.stem for f in gold.glob("*.json")} <= {f.stem for f in docs.glob("*.txt")}, gold
    return sets


GOLD_SETS = gold_sets()
SET_IDS = [str(g.relative_to(ROOT)) for g, _ in GOLD_SETS]


def gold_files() -> list[Path]:
    files = sorted(GOLD.glob("*.json"))
    assert len(files) == len(list(DOCS.glob("*.txt"))), "every bundled document has a gold file"
    return files


METRICS = {"precision", "recall", "f1", "accuracy", "macro_f1", "primary_accuracy", "measure_accuracy"}


def every_metric(rep: dict, path: str = "") -> list[tuple[str, float]]:
    """(dotted path, value) of every precision, recall, F1 and accuracy in a scorer report."""
    found = []
    for k, v in rep.items():
        if isinstance(v, dict):
            found += every_metric(v, f"{path}.{k}")
        elif k in METRICS and v is not None:
            found.append((f"{path}.{k}", v))
    return found


def assert_lossless(gold: Path, docs: Path, back: Path) -> int:
    """Every gold file came back byte for byte, and the scorer gives 1.000 everywhere; returns #files."""
    from jixiao_eval import load_set, score_sets

    files = sorted(gold.glob("*.json"))
    for f in files:
        assert (back / f.name).read_bytes() == f.read_bytes(), f.name
    g, problems = load_set(gold)
    b, problems_back = load_set(back)
    assert problems == problems_back == [] and set(b) == set(g)
    metrics = every_metric(score_sets(g, b, docs))
    assert len(metrics) > 20 and [m for m in metrics if m[1] != 1.0] == []
    return len(files)


@pytest.mark.parametrize("gold,docs", GOLD_SETS, ids=SET_IDS)
def test_doccano_round_trip_with_doccano_ids_is_lossless_on_all_gold(tmp_path, gold, docs):
    out = tmp_path / "seq.jsonl"
    cli("export", "doccano", gold, "--out", out, "--docs", docs)
    lines = doccano.read_jsonl(out)
    exported = tmp_path / "doccano-export.jsonl"
    exported.write_text("".join(json.dumps(through_doccano(l, n), ensure_ascii=False) + "\n"
                                for n, l in enumerate(lines, 1)), encoding="utf-8")
    cli("import", "doccano", exported, "--docs", docs, "--out", tmp_path / "back")
    assert assert_lossless(gold, docs, tmp_path / "back") == len(lines) > 0


@pytest.mark.parametrize("gold,docs", GOLD_SETS, ids=SET_IDS)
def test_doccano_classification_round_trip_keeps_primaries_on_all_gold(tmp_path, gold, docs):
    out = tmp_path / "cats.jsonl"
    cli("export", "doccano", gold, "--task", "classification", "--out", out, "--docs", docs)
    lines = doccano.read_jsonl(out)
    assert sum(len(l["label"]) > 1 for l in lines) > 0, "some problem has several categories"
    for l in lines:  # doccano lists a text's labels in its own (here: alphabetical, reversed) order
        l["label"] = sorted(l["label"], reverse=True)
        l["categories"] = l["label"]  # and its export writes its own column of that name
    back = tmp_path / "back"
    back.mkdir()
    for f in gold.glob("*.json"):
        (back / f.name).write_bytes(f.read_bytes())
    exported = tmp_path / "doccano-export.jsonl"
    exported.write_text("".join(json.dumps(l, ensure_ascii=False) + "\n" for l in lines), encoding="utf-8")
    cli("import", "doccano", exported, "--task", "classification", "--out", back)
    assert_lossless(gold, docs, back)


def as_label_studio_export(tasks: list[dict], annotators=(1,)) -> list[dict]:
    """What Label Studio 1.x's JSON export gives for imported tasks: task and annotation
    ids, ``completed_by`` user ids, timestamps, results with ``origin`` and ``to_name``;
    one annotation per annotator (a copy of the imported one)."""
    out = []
    for n, t in enumerate(tasks, 1):
        anns = [{"id": 100 * n + k, "completed_by": who, "result": json.loads(json.dumps(t["annotations"][0]["result"])),
                 "was_cancelled": False, "ground_truth": False, "created_at": f"2026-01-0{k + 1}T10:00:00Z",
                 "updated_at": f"2026-01-0{k + 1}T10:00:00Z", "lead_time": 12.5, "task": n}
                for k, who in enumerate(annotators)]
        for a in anns:
            for r in a["result"]:
                if r.get("type") != "relation":
                    r["origin"] = "manual"
        out.append({"id": n, "annotations": anns, "drafts": [], "predictions": [], "data": t["data"],
                    "meta": {}, "created_at": "2026-01-01T09:00:00Z", "inner_id": n, "total_annotations": len(anns)})
    return out


@pytest.mark.parametrize("gold,docs", GOLD_SETS, ids=SET_IDS)
def test_label_studio_json_round_trip_is_byte_for_byte_on_all_gold(tmp_path, gold, docs):
    tasks = tmp_path / "tasks.json"
    cli("export", "label-studio", gold, "--as", "annotations", "--out", tasks, "--docs", docs)
    export = tmp_path / "export.json"
    export.write_text(json.dumps(as_label_studio_export(json.loads(tasks.read_text(encoding="utf-8"))),
                                 ensure_ascii=False), encoding="utf-8")
    cli("import", "label-studio", export, "--docs", docs, "--out", tmp_path / "back")
    assert assert_lossless(gold, docs, tmp_path / "back") > 0


def test_label_studio_numbers_keep_their_type():
    doc = spec()
    doc["meta"]["self_score"] = 100
    doc["facts"].append({"type": "rate", "name": "execution_rate", "value": 100, "entity": None,
                         "span": [RAW.index("2024"), RAW.index("2024") + 4]})
    back = labelstudio.from_task(labelstudio.to_task(doc, RAW, "annotations"), RAW, RAW.encode(), "task 1")
    assert json.dumps(back["meta"]["self_score"]) == "100" and json.dumps(back["facts"][-1]["value"]) == "100"
    assert json.dumps(back["facts"][2]["value"]) == "27247100.0" and back["meta"]["fiscal_year"] == 2024


def test_label_studio_prediction_indicator_rows_export_only_gold_fields():
    doc = spec()
    doc["indicators"][0].update(evidence={"extractor": "indicators.rules.v1"}, span=[0, 4])
    task = labelstudio.to_task(doc, RAW, "annotations")
    back = labelstudio.from_task(task, RAW, RAW.encode(), "task 1")
    assert back["indicators"] == spec()["indicators"]


def test_label_studio_regions_drawn_in_the_ui_get_jixiao_ids():
    task = labelstudio.to_task(spec(), RAW, "annotations")
    result = task["annotations"][0]["result"]
    i = RAW.index("问题")
    j = RAW.index("措施")
    result += [
        {"id": "Xy3_kQ9aZ1", "from_name": "item", "to_name": "text", "type": "labels", "origin": "manual",
         "value": {"start": i, "end": i + 2, "text": "问题", "labels": ["problem"]}},
        {"id": "Xy3_kQ9aZ1", "from_name": "category", "to_name": "text", "type": "choices",
         "value": {"start": i, "end": i + 2, "choices": ["other"]}},
        {"id": "0aB4cD8eF2", "from_name": "item", "to_name": "text", "type": "labels", "origin": "manual",
         "value": {"start": j, "end": j + 2, "text": "措施", "labels": ["measure"]}},
        {"type": "relation", "from_id": "0aB4cD8eF2", "to_id": "Xy3_kQ9aZ1", "direction": "right",
         "labels": ["addresses"]},
        {"id": "aaaaaaaaaa", "from_name": "fact", "to_name": "text", "type": "labels", "origin": "manual",
         "value": {"start": 0, "end": 2, "text": RAW[:2], "labels": ["staffing.worker"]}},
        {"id": "aaaaaaaaaa", "from_name": "value", "to_name": "text", "type": "textarea",
         "value": {"start": 0, "end": 2, "text": ["4"]}},
    ]
    back = labelstudio.from_task(task, RAW, RAW.encode(), "task 1")
    assert [p["id"] for p in back["problems"]] == ["p1", "p2"] and back["problems"][1]["categories"] == ["other"]
    assert [(m["id"], m["addresses"]) for m in back["measures"]] == [("m1", ["p1"]), ("m2", []), ("m3", ["p2"])]
    assert back["facts"][-1] == {"type": "staffing", "name": "worker", "value": 4, "entity": None, "span": [0, 2]}


def test_label_studio_two_annotators_of_one_export_are_compared_by_agree(tmp_path):
    files = gold_files()
    tasks = [labelstudio.to_task(json.loads(f.read_text(encoding="utf-8")),
                                 (DOCS / f"{f.stem}.txt").read_text(encoding="utf-8"), "annotations") for f in files]
    export = as_label_studio_export(tasks, annotators=(1, 2))
    # annotator 2 changes one primary category
    for t in export:
        prim = next((r for r in t["annotations"][1]["result"] if r["from_name"] == "primary"), None)
        if prim:
            prim["value"]["choices"] = ["disclosure"]
            break
    path = tmp_path / "export.json"
    path.write_text(json.dumps(export, ensure_ascii=False), encoding="utf-8")
    runner = CliRunner()
    r = runner.invoke(app, ["import", "label-studio", str(path), "--out", str(tmp_path / "p")])
    assert r.exit_code == 2 and "use --by-annotator" in r.output  # a usage error (README: exit codes)
    r = runner.invoke(app, ["import", "label-studio", str(path), "--by-annotator", "--out", str(tmp_path / "p")])
    assert r.exit_code == 0, r.output
    assert sorted(p.name for p in (tmp_path / "p").iterdir()) == ["1", "2"]
    assert assert_lossless(GOLD, DOCS, tmp_path / "p" / "1") == len(files)
    rep = tmp_path / "agree.json"
    r = runner.invoke(app, ["agree", str(tmp_path / "p" / "1"), str(tmp_path / "p" / "2"), "--json", str(rep)])
    assert r.exit_code == 0, r.output
    kappa = json.loads(rep.read_text(encoding="utf-8"))["kappa_primary"]
    assert kappa is not None and kappa < 1.0


@pytest.mark.parametrize("gold,docs", GOLD_SETS, ids=SET_IDS)
def test_label_studio_and_doccano_passes_of_the_same_gold_agree_fully(tmp_path, gold, docs):
    from jixiao_eval import agreement

    tasks, lines = [], []
    for f in sorted(gold.glob("*.json")):
        g, raw = json.loads(f.read_text(encoding="utf-8")), (docs / f"{f.stem}.txt").read_text(encoding="utf-8")
        tasks.append(labelstudio.to_task(g, raw, "annotations"))
        lines.append(through_doccano(doccano.to_sequence_line(g, raw), len(lines) + 1))
    by, errors, _ = labelstudio.import_export(as_label_studio_export(tasks), docs)
    assert errors == []
    a = {g["doc_id"]: g for g in by["1"]}
    b = {}
    for line in lines:
        raw_bytes = (docs / f"{line['doc_id']}.txt").read_bytes()
        b[line["doc_id"]] = doccano.from_sequence_line(line, raw_bytes.decode("utf-8"), raw_bytes, line["doc_id"])
    rep = agreement(a, b, docs)
    assert rep["kappa_primary"] == 1.0
    assert [m for m in every_metric(rep) if m[1] != 1.0] == []


@pytest.mark.parametrize("gold,docs", GOLD_SETS, ids=SET_IDS)
def test_label_studio_json_min_export_made_by_the_sdk_is_imported(tmp_path, gold, docs):
    conv = pytest.importorskip("label_studio_sdk.converter", reason="label-studio-sdk not installed")
    files = sorted(gold.glob("*.json"))
    tasks = [labelstudio.to_task(json.loads(f.read_text(encoding="utf-8")),
                                 (docs / f"{f.stem}.txt").read_text(encoding="utf-8"), "annotations") for f in files]
    src = tmp_path / "export.json"
    src.write_text(json.dumps(as_label_studio_export(tasks, annotators=(7,)), ensure_ascii=False), encoding="utf-8")
    conv.Converter(labelstudio.labeling_config(), str(tmp_path), download_resources=False).convert(
        str(src), str(tmp_path / "min"), "JSON_MIN", is_dir=False)
    records = json.loads((tmp_path / "min" / "result.json").read_text(encoding="utf-8"))
    assert len(records) == len(files) and "annotations" not in records[0] and records[0]["annotator"] == 7
    by, errors, notes = labelstudio.import_export(records, docs)
    assert errors == [] and list(by) == ["7"] and len(by["7"]) == len(files)
    assert notes and all("no relations" in n for n in notes)
    for g in by["7"]:
        original = json.loads((gold / f"{g['doc_id']}.json").read_text(encoding="utf-8"))
        # JSON_MIN keeps everything but the addresses links (it has no relations)
        for m in original["measures"]:
            m["addresses"] = []
        assert g == original, g["doc_id"]
    # an answer JSON_MIN lists without its region, when not every region has one: refused, with the reason
    rec = next(r for r in records if isinstance(r.get("value"), list) and len(r["value"]) > 1)
    rec["value"] = rec["value"][1:]
    _, errors, _ = labelstudio.import_export([rec], docs)
    assert len(errors) == 1 and "without saying which region each belongs to; export this project as JSON" in errors[0]


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
    by, errors, notes = labelstudio.import_export(tasks, DOCS)
    assert errors == notes == [] and list(by) == ["unknown"]
    changed = next(g for g in by["unknown"] if g["doc_id"] == doc_id)
    assert next(p for p in changed["problems"] if p["id"] == pid)["categories"][0] == "disclosure"
    # ... and scoring against the corrected gold reflects the correction (what `make eval` runs)
    from jixiao_eval import score_sets

    original = json.loads((GOLD / f"{doc_id}.json").read_text(encoding="utf-8"))
    rep = score_sets({doc_id: changed}, {doc_id: original})
    assert rep["categories"]["primary_accuracy"] < 1.0
    assert rep["categories"]["confusion"]["disclosure"]
