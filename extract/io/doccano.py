"""doccano round trip, both of its JSONL formats.

- Sequence labeling with relations (``entities`` / ``relations``, doccano ≥ 1.6), one
  line per document: entity labels are ``<type>.<name>`` for facts and
  ``problem`` / ``measure``; relations ``addresses`` go from a measure to a problem.
  The legacy ``label: [[start, end, tag]]`` form is written alongside and accepted
  on import. Attributes doccano cannot hold on a span (stage, qualifier, entity,
  value, problem categories and source, meta, scoring-table rows) travel in the
  line's ``jixiao`` field, which doccano keeps as example metadata.
- Text classification, one line per problem: ``{"text": ..., "label": [categories]}``
  with ``doc_id``, ``problem_id`` and ``span`` to bring corrected labels back.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path


class DoccanoError(ValueError):
    pass


def to_sequence_line(spec: dict, raw: str) -> dict:
    entities, relations, legacy, attrs = [], [], [], {}
    ent_id: dict[str, int] = {}
    n = 0
    for i, f in enumerate(spec.get("facts", []), 1):
        n += 1
        tag = f"{f['type']}.{f['name']}"
        entities.append({"id": n, "start_offset": f["span"][0], "end_offset": f["span"][1], "label": tag})
        attrs[str(n)] = {k: f.get(k) for k in ("stage", "qualifier", "entity", "value") if k in f}
        ent_id[f"f{i}"] = n
    for kind, items in (("problem", spec.get("problems", [])), ("measure", spec.get("measures", []))):
        for it in items:
            n += 1
            entities.append({"id": n, "start_offset": it["span"][0], "end_offset": it["span"][1], "label": kind})
            ent_id[it["id"]] = n
            if kind == "problem":
                attrs[str(n)] = {"id": it["id"], "categories": it.get("categories", []), "source": it.get("source")}
            else:
                attrs[str(n)] = {"id": it["id"]}
    r = 0
    for m in spec.get("measures", []):
        for pid in m.get("addresses", []):
            if pid in ent_id:
                r += 1
                relations.append({"id": r, "from_id": ent_id[m["id"]], "to_id": ent_id[pid], "type": "addresses"})
    legacy = [[e["start_offset"], e["end_offset"], e["label"]] for e in entities]
    return {"text": raw, "doc_id": spec["doc_id"], "entities": entities, "relations": relations, "label": legacy,
            "jixiao": {"spans": attrs, "meta": spec.get("meta") or {}, "indicators": spec.get("indicators") or []}}


def from_sequence_line(line: dict, raw: str, raw_bytes: bytes, where: str) -> dict:
    if line.get("text") not in (None, raw):
        raise DoccanoError(f"{where}: text differs from the document")
    ents = line.get("entities")
    if ents is None:  # legacy [[start, end, tag]]
        ents = [{"id": i, "start_offset": s, "end_offset": e, "label": t} for i, (s, e, t) in enumerate(line.get("label", []), 1)]
    extra = line.get("jixiao") or {}
    attrs = extra.get("spans") or {}
    facts, problems, measures, ids = [], [], [], {}
    for e in ents:
        s, t = e["start_offset"], e["end_offset"]
        if not (0 <= s < t <= len(raw)):
            raise DoccanoError(f"{where} entity {e['id']}: span [{s}, {t}) outside the document")
        a = attrs.get(str(e["id"]), {})
        if e["label"] in ("problem", "measure"):
            pid = a.get("id") or f"{e['label'][0]}{e['id']}"
            ids[e["id"]] = pid
            if e["label"] == "problem":
                problems.append({"id": pid, "span": [s, t], "categories": a.get("categories", []),
                                 "source": a.get("source") or "section"})
            else:
                measures.append({"id": pid, "span": [s, t], "addresses": []})
        else:
            ftype, _, name = e["label"].partition(".")
            value = a.get("value")
            if value is None:
                from ..numbers import parse_figure

                value = parse_figure(raw[s:t], ftype)
                if value is None:
                    raise DoccanoError(f"{where} entity {e['id']}: no number in {raw[s:t]!r}")
            fact = {"type": ftype, "name": name}
            if ftype == "finance":
                fact.update(stage=a.get("stage"), qualifier=a.get("qualifier"))
            fact.update(value=value, entity=a.get("entity"), span=[s, t])
            facts.append(fact)
    by_id = {m["id"]: m for m in measures}
    for rel in line.get("relations", []):
        m, p = ids.get(rel["from_id"]), ids.get(rel["to_id"])
        if m in by_id and p:
            by_id[m]["addresses"].append(p)
    return {"doc_id": line.get("doc_id"), "text_sha256": hashlib.sha256(raw_bytes).hexdigest(),
            "meta": extra.get("meta") or {}, "facts": facts, "problems": problems, "measures": measures,
            "indicators": extra.get("indicators") or []}


def to_classification_lines(spec: dict, raw: str) -> list[dict]:
    return [{"text": raw[p["span"][0]:p["span"][1]], "label": list(p.get("categories", [])),
             "doc_id": spec["doc_id"], "problem_id": p["id"], "span": p["span"]} for p in spec.get("problems", [])]


def apply_classification(golds: dict[str, dict], lines: list[dict]) -> list[str]:
    """Write corrected categories from classification lines back into gold docs; returns messages."""
    msgs = []
    for n, line in enumerate(lines, 1):
        gold = golds.get(line.get("doc_id"))
        target = next((p for p in (gold or {}).get("problems", []) if p["id"] == line.get("problem_id")), None)
        if target is None:
            msgs.append(f"line {n}: no problem {line.get('problem_id')} in {line.get('doc_id')}")
            continue
        target["categories"] = list(line.get("label", []))
    return msgs


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(l) for l in path.read_text(encoding="utf-8").splitlines() if l.strip()]
