"""Label Studio round trip: SPEC JSON <-> Label Studio tasks (predictions or annotations).

One task per document: ``data`` holds ``text`` (the raw document), ``doc_id`` and
``text_sha256``. Regions (``type: labels`` on the ``Text`` object) carry facts
(label ``<type>.<name>``), problems and measures (label ``problem`` / ``measure``),
with per-region controls sharing the region id: ``stage``, ``qualifier``,
``entity``, ``value`` for facts; ``category`` (all labels), ``primary`` and ``source``
for problems. A ``relation`` ``addresses`` goes from a measure to each problem it
answers. Meta fields and scoring-table rows are document-level ``textarea`` results
(``meta_<field>``, ``indicators`` as JSON lines). Region ids are the SPEC ids (``p1``,
``m1``, ``f12``), so links survive; a region drawn in the UI (Label Studio's random id)
gets the next free jixiao id on import.

Import reads both of Label Studio's JSON exports:

- ``JSON``: tasks with every annotation, each with its annotator (``completed_by``);
- ``JSON_MIN``: one flat record per annotation, the task's data at the top level, each
  control's answers under its name, without region ids or relations. Per-region answers
  are matched to their region by offsets; ``addresses`` links cannot come back from it
  (the import says so), so use ``JSON`` when measures are linked.

Every annotation of a task is imported with its annotator (:func:`import_export`), so two
annotators of one project can be compared with ``jixiao agree``. Numbers keep their
written type (``self_score`` 100 stays ``100``, 97.5 stays ``97.5``; money is a float).
"""
from __future__ import annotations

import hashlib
import json
import re
import xml.etree.ElementTree as ET
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Iterable

from ..classify.confidence import uncertainty

FACT_NAMES = {
    "staffing": ["authorized_total", "authorized_admin", "authorized_institution", "authorized_worker",
                 "actual_total", "active_total", "active_admin", "active_institution", "retired", "retired_cadre",
                 "retired_all", "early_retired", "worker", "non_establishment"],
    "org": ["internal_departments", "subordinate_units", "secondary_budget_units", "accounting_units"],
    "finance": ["income", "expenditure", "basic_expenditure", "project_expenditure", "personnel_expenditure",
                "public_expenditure", "carryover_begin", "carryover_end", "three_public", "funds_received"],
    "rate": ["execution_rate", "carryover_rate", "budget_variance_rate", "asset_utilization",
             "procurement_execution_rate", "funds_arrival_rate"],
}
CATEGORIES = ["budget_preparation", "budget_execution", "performance_targets", "evaluation_and_use", "awareness",
              "staff_capacity", "rules_and_process", "procurement", "assets", "disclosure", "finance_compliance",
              "other"]
SOURCES = ["section", "inline", "table"]
STAGES = ["budget", "adjusted", "final"]
META = ["title", "report_kind", "fiscal_year", "unit", "filing_date", "notice_ref", "self_score", "grade"]
NUMERIC_META = {"fiscal_year": int, "self_score": float}


INDICATOR_KEYS = ("level1", "level2", "level3", "weight", "score", "reason_span", "measure_span")
FACT_CONTROLS = ("stage", "qualifier", "entity", "value")
ITEM_CONTROLS = ("category", "primary", "source")
_JIXIAO_ID = re.compile(r"[fpm][1-9][0-9]*")


class LabelStudioError(ValueError):
    """A task or region that cannot be turned back into gold; the message names it."""


# --------------------------------------------------------------------------- export

def _el(parent: ET.Element, tag: str, **attrs: str) -> ET.Element:
    return ET.SubElement(parent, tag, {k.rstrip("_"): v for k, v in attrs.items()})


def _choices(parent: ET.Element, name: str, values: list[str], choice: str) -> None:
    el = _el(parent, "Choices", name=name, toName="text", perRegion="true", choice=choice)
    for v in values:
        _el(el, "Choice", value=v)


def labeling_config() -> str:
    """The labeling config XML matching the tasks written by :func:`to_task`.

    Built as an element tree (escaping is ElementTree's); the tests parse it with
    label-studio-sdk's ``LabelInterface`` and validate tasks against it.
    """
    view = ET.Element("View")
    _el(view, "Header", value="$doc_id")
    facts = _el(view, "Labels", name="fact", toName="text", showInline="true")
    for t, names in FACT_NAMES.items():
        for n in names:
            _el(facts, "Label", value=f"{t}.{n}")
    items = _el(view, "Labels", name="item", toName="text", showInline="true")
    _el(items, "Label", value="problem", background="#ff8787")
    _el(items, "Label", value="measure", background="#9775fa")
    _el(view, "Text", name="text", value="$text", granularity="symbol")
    _el(_el(view, "Relations"), "Relation", value="addresses")
    fact_view = _el(view, "View", visibleWhen="region-selected", whenTagName="fact")
    _choices(fact_view, "stage", STAGES, "single")
    for name, hint in (("qualifier", "qualifier"), ("entity", "entity (sub-unit)"),
                       ("value", "value in SPEC units (blank: parse the span)")):
        _el(fact_view, "TextArea", name=name, toName="text", perRegion="true", maxSubmissions="1", placeholder=hint)
    item_view = _el(view, "View", visibleWhen="region-selected", whenTagName="item")
    _choices(item_view, "category", CATEGORIES, "multiple")
    _choices(item_view, "primary", CATEGORIES, "single")
    _choices(item_view, "source", SOURCES, "single")
    for m in META:
        _el(view, "TextArea", name=f"meta_{m}", toName="text", maxSubmissions="1", editable="true", placeholder=m)
    _el(view, "TextArea", name="indicators", toName="text", maxSubmissions="1", editable="true", rows="4",
        placeholder="scoring-table rows, one JSON object per line")
    ET.indent(view, space="  ")
    return ET.tostring(view, encoding="unicode") + "\n"


def _region(rid: str, control: str, span: list[int], raw: str, values: list[str]) -> dict:
    s, e = span
    return {"id": rid, "from_name": control, "to_name": "text", "type": "labels", "origin": "prediction",
            "value": {"start": s, "end": e, "text": raw[s:e], "labels": values}}


def _per_region(rid: str, control: str, span: list[int], kind: str, payload) -> dict:
    s, e = span
    key = "choices" if kind == "choices" else "text"
    return {"id": rid, "from_name": control, "to_name": "text", "type": kind,
            "value": {"start": s, "end": e, key: payload}}


def _doc_text(name: str, text: str) -> dict:
    return {"id": f"doc_{name}", "from_name": name, "to_name": "text", "type": "textarea", "value": {"text": [text]}}


def _number_text(v) -> str:
    """A number as written back on import with its type: ``20``, ``97.5``, ``27247100.0``."""
    return "" if v is None else json.dumps(v)


def result_regions(spec: dict, raw: str) -> list[dict]:
    """Label Studio ``result`` list for one SPEC document."""
    out: list[dict] = []
    for i, f in enumerate(spec.get("facts", []), 1):
        rid = f"f{i}"
        out.append(_region(rid, "fact", f["span"], raw, [f"{f['type']}.{f['name']}"]))
        # every control a fact can have is written, empty when null, so that Label Studio's
        # JSON_MIN export (answers without their regions) lists one answer per region
        staged = f["type"] == "finance" or "stage" in f or "qualifier" in f  # gold may give them on any fact
        if staged:
            out.append(_per_region(rid, "stage", f["span"], "choices", [f["stage"]] if f.get("stage") else []))
        for ctl in ("qualifier", "entity") if staged else ("entity",):
            out.append(_per_region(rid, ctl, f["span"], "textarea", ["" if f.get(ctl) is None else str(f[ctl])]))
        out.append(_per_region(rid, "value", f["span"], "textarea", [_number_text(f.get("value"))]))
    for p in spec.get("problems", []):
        out.append(_region(p["id"], "item", p["span"], raw, ["problem"]))
        cats = list(p.get("categories") or [])
        if cats:
            out.append(_per_region(p["id"], "category", p["span"], "choices", cats))
            out.append(_per_region(p["id"], "primary", p["span"], "choices", cats[:1]))
        if p.get("source"):
            out.append(_per_region(p["id"], "source", p["span"], "choices", [p["source"]]))
    for m in spec.get("measures", []):
        out.append(_region(m["id"], "item", m["span"], raw, ["measure"]))
        for pid in m.get("addresses", []):
            out.append({"type": "relation", "from_id": m["id"], "to_id": pid, "direction": "right",
                        "labels": ["addresses"]})
    meta = spec.get("meta") or {}
    for name in META:
        if meta.get(name) is not None:
            v = meta[name]
            out.append(_doc_text(f"meta_{name}", _number_text(v) if name in NUMERIC_META else str(v)))
    rows = [{k: r.get(k) for k in INDICATOR_KEYS} for r in spec.get("indicators") or []]
    if rows:
        out.append(_doc_text("indicators", "\n".join(json.dumps(r, ensure_ascii=False) for r in rows)))
    return out


def to_task(spec: dict, raw: str, as_: str = "predictions", model_version: str | None = None) -> dict:
    """One import-ready task; ``as_`` is ``predictions`` (pre-annotations) or ``annotations`` (finished work)."""
    if as_ not in ("predictions", "annotations"):
        raise ValueError(f"as_ must be one of: predictions, annotations (got {as_!r})")
    result = result_regions(spec, raw)
    task = {"data": {"text": raw, "doc_id": spec["doc_id"], "text_sha256": spec.get("text_sha256")}}
    if as_ == "predictions":
        scores = [it["evidence"]["score"] for k in ("facts", "problems", "measures") for it in spec.get(k, [])
                  if isinstance(it.get("evidence"), dict) and it["evidence"].get("score") is not None]
        task["predictions"] = [{"model_version": model_version or (spec.get("versions") or {}).get("jixiao", "gold"),
                                "score": round(min(scores), 4) if scores else 1.0, "result": result}]
    else:
        for r in result:
            r.pop("origin", None)
        task["annotations"] = [{"result": result, "was_cancelled": False, "ground_truth": True}]
    return task


# --------------------------------------------------------------------------- import

def _number(text: str, kind: str, where: str):
    """A typed number from a text box: staffing and org counts are ``int``, money ``float``,
    anything else keeps its written type (``100`` int, ``100.0`` float)."""
    try:
        d = Decimal(text)
    except InvalidOperation:
        raise LabelStudioError(f"{where}: value {text!r} is not a number") from None
    if kind == "finance":
        return float(d)
    if kind in ("staffing", "org") or ("." not in text and "e" not in text.lower()):
        if d != d.to_integral_value():
            raise LabelStudioError(f"{where}: value {text!r} is not a whole number")
        return int(d)
    return float(d)


def _annotator(ann: dict) -> str:
    who = ann.get("completed_by")
    if isinstance(who, dict):
        who = who.get("email") or who.get("id")
    return str(who) if who not in (None, "") else "unknown"


def _owners(control: str, kinds: dict[str, list], n: int) -> list:
    """The regions a per-region control with ``n`` answers can belong to, in result order:
    stage and qualifier belong to the finance facts, or to every fact when each has one."""
    if control in ("stage", "qualifier") and n != len(kinds["fact"]):
        return [(r, v) for r, v in kinds["fact"] if str((v.get("labels") or [""])[0]).startswith("finance.")]
    if control in FACT_CONTROLS:
        return kinds["fact"]
    return [(r, v) for r, v in kinds["item"] if (v.get("labels") or [None])[0] == "problem"]


def _min_results(record: dict, where: str) -> tuple[list[dict], list[str]]:
    """A JSON_MIN record's answers as a JSON ``result`` list (regions get ``min_<n>`` ids); notes.

    JSON_MIN writes a per-region answer with one choice or one text as the bare value,
    without its region, in result order. Such answers are given to their regions by
    position when every possible owner has one (e.g. ``value`` of every fact); otherwise
    the record is refused: which region each belongs to is not in the file.
    """
    result, notes = [], []
    kinds: dict[str, list] = {"fact": [], "item": []}
    for control in ("fact", "item"):
        for n, v in enumerate(record.get(control) or [], 1):
            rid = f"min_{control}{n}"
            kinds[control].append((rid, v))
            result.append({"id": rid, "from_name": control, "type": "labels", "value": v})
    for control in FACT_CONTROLS + ITEM_CONTROLS:
        answers = record.get(control)
        if answers in (None, [], ""):
            continue
        answers = answers if isinstance(answers, list) else [answers]
        owners = _owners(control, kinds, len(answers))
        key = "choices" if control in ("stage",) + ITEM_CONTROLS else "text"
        by_position = not all(isinstance(a, dict) for a in answers)
        if by_position and len(answers) != len(owners):
            raise LabelStudioError(
                f"{where}: JSON_MIN lists {len(answers)} {control} answers for {len(owners)} regions without "
                f"saying which region each belongs to; export this project as JSON")
        for i, a in enumerate(answers):
            if by_position:
                rid, v = owners[i]
                if isinstance(a, dict) and (a.get("start"), a.get("end")) != (v["start"], v["end"]):
                    raise LabelStudioError(f"{where}: {control} answers are not in region order; export as JSON")
                a = a if isinstance(a, dict) else {"start": v["start"], "end": v["end"], key: [a]}
            else:
                rid = next((r for r, v in owners if (v["start"], v["end"]) == (a.get("start"), a.get("end"))), None)
                if rid is None:
                    raise LabelStudioError(f"{where}: {control} answer at [{a.get('start')}, {a.get('end')}) "
                                           f"matches no region")
            result.append({"id": rid, "from_name": control, "type": "choices" if key == "choices" else "textarea",
                           "value": a})
    for name in [f"meta_{m}" for m in META] + ["indicators"]:
        if record.get(name) not in (None, ""):
            text = record[name]
            result.append({"from_name": name, "type": "textarea",
                           "value": {"text": text if isinstance(text, list) else [text]}})
    if any((v.get("labels") or [None])[0] == "measure" for _, v in kinds["item"]):
        notes.append(f"{where}: JSON_MIN carries no relations, so measures' addresses are empty; "
                     f"export as JSON to keep them")
    return result, notes


def annotations_of(export: list[dict]) -> Iterable[tuple[str, dict, str, list[dict], list[str]]]:
    """``(where, data, annotator, result, notes)`` for every uncancelled annotation in a
    Label Studio ``JSON`` or ``JSON_MIN`` export."""
    for n, task in enumerate(export, 1):
        if "data" in task or "annotations" in task:  # JSON
            data = task.get("data") or {}
            where = f"task {task.get('id', n)} ({data.get('doc_id')})"
            anns = sorted((a for a in task.get("annotations") or [] if not a.get("was_cancelled")),
                          key=lambda a: (str(a.get("updated_at") or ""), a.get("id") or 0), reverse=True)
            if not anns:
                yield where, data, "", [], [f"{where}: no (uncancelled) annotation to import"]
            for a in anns:
                yield where, data, _annotator(a), a.get("result") or [], []
        else:  # JSON_MIN: one record per annotation
            where = f"task {task.get('id', n)} ({task.get('doc_id')})"
            if task.get("was_cancelled"):
                continue
            try:
                result, notes = _min_results(task, where)
            except LabelStudioError as e:
                yield where, task, "", [], [str(e)]
                continue
            yield where, task, str(task.get("annotator") if task.get("annotator") is not None else "unknown"), \
                result, notes


def _next_ids(prefix: str, taken: set[str]):
    n = 0
    while True:
        n += 1
        if f"{prefix}{n}" not in taken:
            yield f"{prefix}{n}"


def from_result(result: list[dict], doc_id: str, raw: str, raw_bytes: bytes, where: str) -> dict:
    """SPEC gold for one annotation's ``result``; raises LabelStudioError naming the region."""
    regions: dict[str, dict] = {}
    per_region: dict[str, dict[str, object]] = {}
    relations: list[tuple[str, str]] = []
    doc_fields: dict[str, str] = {}
    for r in result:
        if r.get("type") == "relation":
            relations.append((r["from_id"], r["to_id"]))
            continue
        v = r.get("value", {})
        if r.get("type") == "textarea" and "start" not in v:
            doc_fields[r["from_name"]] = "\n".join(v.get("text") or [])
            continue
        rid = r.get("id")
        if r.get("type") == "labels":
            s, e = v.get("start"), v.get("end")
            if not (isinstance(s, int) and isinstance(e, int) and 0 <= s < e <= len(raw)):
                raise LabelStudioError(f"{where} region {rid}: span [{s}, {e}) outside the document")
            if "text" in v and v["text"] != raw[s:e]:
                raise LabelStudioError(f"{where} region {rid}: text {v['text'][:20]!r} does not match the "
                                       f"document at [{s}, {e}) ({raw[s:e][:20]!r})")
            regions[rid] = {"control": r["from_name"], "label": (v.get("labels") or [None])[0], "span": [s, e]}
        else:
            key = "choices" if r.get("type") == "choices" else "text"
            per_region.setdefault(rid, {})[r["from_name"]] = v.get(key) or []

    # jixiao ids: a region keeps its id when it is one of ours for its kind, else (drawn in the
    # UI: Label Studio's random id) it gets the next free one, in document order
    kind_of = {"fact": "f", "problem": "p", "measure": "m"}
    ids: dict[str, str] = {}
    kind = {rid: kind_of.get("fact" if reg["control"] == "fact" else reg["label"]) for rid, reg in regions.items()}
    for rid in regions:
        if kind[rid] and _JIXIAO_ID.fullmatch(str(rid)) and rid[0] == kind[rid]:
            ids[rid] = rid
    fresh = {p: _next_ids(p, set(ids.values())) for p in "fpm"}
    for rid in sorted(regions, key=lambda r: (regions[r]["span"], str(r))):
        if kind[rid] and rid not in ids:
            ids[rid] = next(fresh[kind[rid]])

    def order(rid: str) -> tuple:
        return (int(ids[rid][1:]), ids[rid])

    facts, problems, measures = [], [], []
    for rid in sorted((r for r in regions if kind[r]), key=order):
        reg, attrs, jid = regions[rid], per_region.get(rid, {}), ids[rid]
        if reg["control"] == "fact":
            ftype, _, name = (reg["label"] or "").partition(".")
            text = "".join(attrs.get("value") or []).strip()
            if text:
                value = _number(text, ftype, f"{where} region {rid}")
            else:
                from ..numbers import parse_figure

                s, e = reg["span"]
                value = parse_figure(raw[s:e], ftype)
                if value is None:
                    raise LabelStudioError(f"{where} region {rid}: no number in {raw[s:e]!r}")
            fact = {"type": ftype, "name": name}
            if ftype == "finance" or "stage" in attrs or "qualifier" in attrs:
                fact["stage"] = (attrs.get("stage") or [None])[0]
                fact["qualifier"] = "".join(attrs.get("qualifier") or []).strip() or None
            fact.update(value=value, entity="".join(attrs.get("entity") or []).strip() or None,
                        span=reg["span"])
            facts.append(fact)
        elif reg["label"] == "problem":
            cats = list(attrs.get("category") or [])
            primary = (attrs.get("primary") or cats[:1] or [None])[0]
            if primary is not None:
                cats = [primary] + [c for c in cats if c != primary]
            problems.append({"id": jid, "source": (attrs.get("source") or ["section"])[0], "categories": cats,
                             "span": reg["span"]})
        else:
            measures.append({"id": jid, "addresses": [ids[t] for f, t in relations
                                                      if f == rid and t in ids and kind[t] == "p"],
                             "span": reg["span"]})
    meta = {}
    for name in META:
        text = (doc_fields.get(f"meta_{name}") or "").strip()
        meta[name] = _number(text, name, f"{where} meta_{name}") if text and name in NUMERIC_META else (text or None)
    try:
        indicators = [json.loads(line) for line in (doc_fields.get("indicators") or "").splitlines() if line.strip()]
    except json.JSONDecodeError as e:
        raise LabelStudioError(f"{where} indicators: not one JSON object per line ({e})") from None
    return {"doc_id": doc_id, "text_sha256": hashlib.sha256(raw_bytes).hexdigest(), "meta": meta, "facts": facts,
            "problems": problems, "measures": measures, "indicators": indicators}


def from_task(task: dict, raw: str, raw_bytes: bytes, where: str) -> dict:
    """SPEC gold for a task with one annotator (the latest of their annotations)."""
    found = [(who, result) for _, _, who, result, _ in annotations_of([task]) if result]
    if not found:
        raise LabelStudioError(f"{where}: no (uncancelled) annotation to import")
    if len({who for who, _ in found}) > 1:
        raise LabelStudioError(f"{where}: annotations by {sorted({w for w, _ in found})}: import by annotator")
    return from_result(found[0][1], (task.get("data") or task).get("doc_id"), raw, raw_bytes, where)


def import_export(export: list[dict], docs: Path) -> tuple[dict[str, list[dict]], list[str], list[str]]:
    """Gold per annotator from a Label Studio ``JSON`` or ``JSON_MIN`` export.

    Returns ``({annotator: [gold docs]}, errors, notes)``. An annotator with several
    annotations of one task contributes the one listed first (Label Studio lists the latest first
    in JSON_MIN; in JSON, the latest by ``updated_at``).
    """
    by: dict[str, dict[str, dict]] = {}
    errors, notes = [], []
    for where, data, who, result, msgs in annotations_of(export):
        if not result:
            errors += msgs
            continue
        notes += msgs
        doc_id = data.get("doc_id")
        path = docs / f"{doc_id}.txt"
        if not doc_id or not path.exists():
            errors.append(f"{where}: no document {path}")
            continue
        if doc_id in by.get(who, {}):
            continue
        raw_bytes = path.read_bytes()
        raw = raw_bytes.decode("utf-8")
        if data.get("text") not in (None, raw):
            errors.append(f"{where}: task text differs from {path}")
            continue
        try:
            by.setdefault(who, {})[doc_id] = from_result(result, doc_id, raw, raw_bytes, f"{where} [{who}]")
        except LabelStudioError as e:
            errors.append(str(e))
    return {who: list(golds.values()) for who, golds in sorted(by.items())}, errors, notes


def select_uncertain(specs: Iterable[dict], n: int) -> list[tuple[float, dict, list[str]]]:
    """Active learning: rank documents by their least certain problems and failing checks.

    A problem's uncertainty is the margin uncertainty of its category probabilities,
    ``1 - (p1 - p2)`` (``extract.classify.confidence.uncertainty``; 1.0 when it has none);
    a document's priority is the sum of its ``n`` most uncertain
    problems' uncertainties plus 1 per failing cross-check. Returns
    ``(priority, spec, reasons)`` for documents with any problem or failed check, best first.
    """
    ranked = []
    for spec in specs:
        unc = sorted(((uncertainty(p.get("category_scores")), p["id"])
                      for p in spec.get("problems", [])), reverse=True)[:n]
        fails = [c["name"] for c in spec.get("checks", []) if c.get("status") == "fail"]
        priority = sum(u for u, _ in unc) + len(fails)
        if priority > 0:
            reasons = [f"{pid}: uncertainty {u:.2f}" for u, pid in unc] + [f"check failed: {c}" for c in fails]
            ranked.append((round(priority, 4), spec, reasons))
    ranked.sort(key=lambda x: (-x[0], x[1]["doc_id"]))
    return ranked
