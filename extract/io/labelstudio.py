"""Label Studio round trip: SPEC JSON <-> Label Studio tasks (predictions or annotations).

One task per document: ``data`` holds ``text`` (the raw document), ``doc_id`` and
``text_sha256``. Regions (``type: labels`` on the ``Text`` object) carry facts
(label ``<type>.<name>``), problems and measures (label ``problem`` / ``measure``),
with per-region controls sharing the region id: ``stage``, ``qualifier``,
``entity``, ``value`` for facts; ``category`` (all labels, primary first),
``primary`` and ``source`` for problems. A ``relation`` ``addresses`` goes from a
measure to each problem it answers. Meta fields and scoring-table rows are
document-level ``textarea`` results (``meta_<field>``, ``indicators`` as JSON
lines). Region ids are the SPEC ids (``p1``, ``m1``, ``f12``), so links survive.
"""
from __future__ import annotations

import hashlib
import json
from decimal import Decimal
from pathlib import Path
from typing import Iterable
from xml.sax.saxutils import quoteattr

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


class LabelStudioError(ValueError):
    """A task or region that cannot be turned back into gold; the message names it."""


def labeling_config() -> str:
    """The labeling config XML matching the tasks written by :func:`to_tasks`."""
    fact_labels = "".join(f'<Label value="{t}.{n}"/>' for t, names in FACT_NAMES.items() for n in names)
    cats = "".join(f'<Choice value="{c}"/>' for c in CATEGORIES)
    return f"""<View>
  <Header value="$doc_id"/>
  <Labels name="fact" toName="text" showInline="true">{fact_labels}</Labels>
  <Labels name="item" toName="text" showInline="true"><Label value="problem" background="#ff8787"/><Label value="measure" background="#9775fa"/></Labels>
  <Text name="text" value="$text" granularity="symbol"/>
  <Relations><Relation value="addresses"/></Relations>
  <View visibleWhen="region-selected" whenTagName="fact">
    <Choices name="stage" toName="text" perRegion="true" choice="single">{''.join(f'<Choice value="{s}"/>' for s in STAGES)}</Choices>
    <TextArea name="qualifier" toName="text" perRegion="true" maxSubmissions="1" placeholder="qualifier"/>
    <TextArea name="entity" toName="text" perRegion="true" maxSubmissions="1" placeholder="entity (sub-unit)"/>
    <TextArea name="value" toName="text" perRegion="true" maxSubmissions="1" placeholder="value in SPEC units (blank: parse the span)"/>
  </View>
  <View visibleWhen="region-selected" whenTagName="item">
    <Choices name="category" toName="text" perRegion="true" choice="multiple">{cats}</Choices>
    <Choices name="primary" toName="text" perRegion="true" choice="single">{cats}</Choices>
    <Choices name="source" toName="text" perRegion="true" choice="single">{''.join(f'<Choice value="{s}"/>' for s in SOURCES)}</Choices>
  </View>
{''.join(f'  <TextArea name="meta_{m}" toName="text" maxSubmissions="1" editable="true" placeholder={quoteattr(m)}/>{chr(10)}' for m in META)}  <TextArea name="indicators" toName="text" maxSubmissions="1" editable="true" rows="4" placeholder="scoring-table rows, one JSON object per line"/>
</View>
"""


def _region(rid: str, control: str, span: list[int], raw: str, kind: str, values: list[str]) -> dict:
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


def _num_text(v) -> str:
    if v is None:
        return ""
    d = Decimal(str(v)).normalize()
    return format(d, "f")


def result_regions(spec: dict, raw: str) -> list[dict]:
    """Label Studio ``result`` list for one SPEC document."""
    out: list[dict] = []
    for i, f in enumerate(spec.get("facts", []), 1):
        rid = f"f{i}"
        out.append(_region(rid, "fact", f["span"], raw, "labels", [f"{f['type']}.{f['name']}"]))
        if f.get("stage"):
            out.append(_per_region(rid, "stage", f["span"], "choices", [f["stage"]]))
        for ctl in ("qualifier", "entity"):
            if f.get(ctl) is not None:
                out.append(_per_region(rid, ctl, f["span"], "textarea", [str(f[ctl])]))
        out.append(_per_region(rid, "value", f["span"], "textarea", [_num_text(f.get("value"))]))
    for p in spec.get("problems", []):
        out.append(_region(p["id"], "item", p["span"], raw, "labels", ["problem"]))
        cats = list(p.get("categories") or [])
        if cats:
            out.append(_per_region(p["id"], "category", p["span"], "choices", cats))
            out.append(_per_region(p["id"], "primary", p["span"], "choices", cats[:1]))
        if p.get("source"):
            out.append(_per_region(p["id"], "source", p["span"], "choices", [p["source"]]))
    for m in spec.get("measures", []):
        out.append(_region(m["id"], "item", m["span"], raw, "labels", ["measure"]))
        for pid in m.get("addresses", []):
            out.append({"type": "relation", "from_id": m["id"], "to_id": pid, "direction": "right",
                        "labels": ["addresses"]})
    meta = spec.get("meta") or {}
    for name in META:
        if meta.get(name) is not None:
            out.append(_doc_text(f"meta_{name}", str(meta[name])))
    rows = spec.get("indicators") or []
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

def _parse_value(text: str, ftype: str) -> float | int | None:
    """A fact's value from its region text, with the project's number parser."""
    from ..numbers import parse_figure

    return parse_figure(text, ftype)


def from_task(task: dict, raw: str, raw_bytes: bytes, where: str) -> dict:
    """SPEC gold for one exported task; raises LabelStudioError naming the task and region."""
    anns = [a for a in task.get("annotations") or [] if not a.get("was_cancelled")]
    if not anns:
        raise LabelStudioError(f"{where}: no (uncancelled) annotation to import")
    ann = max(anns, key=lambda a: (a.get("updated_at") or "", a.get("id") or 0)) if len(anns) > 1 else anns[0]
    doc_id = task.get("data", {}).get("doc_id")
    regions: dict[str, dict] = {}
    per_region: dict[str, dict[str, object]] = {}
    relations: list[tuple[str, str]] = []
    doc_fields: dict[str, str] = {}
    for r in ann.get("result", []):
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
    facts, problems, measures = [], [], []
    for rid, reg in regions.items():
        attrs = per_region.get(rid, {})
        if reg["control"] == "fact":
            ftype, _, name = (reg["label"] or "").partition(".")
            text = "".join(attrs.get("value") or []).strip()
            if text:
                try:
                    value = float(Decimal(text)) if ftype in ("finance", "rate") else int(Decimal(text))
                except ArithmeticError:
                    raise LabelStudioError(f"{where} region {rid}: value {text!r} is not a number") from None
            else:
                s, e = reg["span"]
                value = _parse_value(raw[s:e], ftype)
                if value is None:
                    raise LabelStudioError(f"{where} region {rid}: no number in {raw[s:e]!r}")
            fact = {"type": ftype, "name": name}
            if ftype == "finance":
                fact["stage"] = (attrs.get("stage") or [None])[0]
                fact["qualifier"] = "".join(attrs["qualifier"]) if attrs.get("qualifier") else None
            fact.update(value=value, entity="".join(attrs["entity"]) if attrs.get("entity") else None,
                        span=reg["span"])
            facts.append((rid, fact))
        elif reg["label"] == "problem":
            cats = list(attrs.get("category") or [])
            primary = (attrs.get("primary") or cats[:1] or [None])[0]
            if primary is not None:
                cats = [primary] + [c for c in cats if c != primary]
            problems.append({"id": rid, "span": reg["span"], "categories": cats,
                             "source": (attrs.get("source") or ["section"])[0]})
        elif reg["label"] == "measure":
            measures.append({"id": rid, "span": reg["span"],
                             "addresses": [t for f, t in relations if f == rid and t in regions]})
    meta = {}
    for name in META:
        text = doc_fields.get(f"meta_{name}")
        meta[name] = NUMERIC_META[name](text) if text and name in NUMERIC_META else (text or None)
    indicators = [json.loads(line) for line in (doc_fields.get("indicators") or "").splitlines() if line.strip()]

    def order(item_id: str) -> tuple:
        return (item_id[:1], int(item_id[1:]) if item_id[1:].isdigit() else 10**9, item_id)

    facts.sort(key=lambda x: order(x[0]))
    return {"doc_id": doc_id, "text_sha256": hashlib.sha256(raw_bytes).hexdigest(), "meta": meta,
            "facts": [f for _, f in facts], "problems": sorted(problems, key=lambda p: order(p["id"])),
            "measures": sorted(measures, key=lambda m: order(m["id"])), "indicators": indicators}


def import_export(export: list[dict], docs: Path) -> tuple[list[dict], list[str]]:
    """Gold files from a Label Studio JSON export; returns (gold docs, error lines)."""
    golds, errors = [], []
    for n, task in enumerate(export, 1):
        doc_id = (task.get("data") or {}).get("doc_id")
        where = f"task {task.get('id', n)} ({doc_id})"
        path = docs / f"{doc_id}.txt"
        if not doc_id or not path.exists():
            errors.append(f"{where}: no document {path}")
            continue
        raw_bytes = path.read_bytes()
        raw = raw_bytes.decode("utf-8")
        if task["data"].get("text") not in (None, raw):
            errors.append(f"{where}: task text differs from {path}")
            continue
        try:
            golds.append(from_task(task, raw, raw_bytes, where))
        except LabelStudioError as e:
            errors.append(str(e))
    return golds, errors


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
