"""doccano round trip, both of its JSONL formats.

- Sequence labeling with relations (``entities`` / ``relations``, doccano ≥ 1.6), one
  line per document: entity labels are ``<type>.<name>`` for facts and
  ``problem`` / ``measure``; relations ``addresses`` go from a measure to a problem.
  The legacy ``label: [[start, end, tag]]`` form is written alongside and accepted
  on import.
- Text classification, one line per problem: ``{"text": ..., "label": [categories]}``
  with ``doc_id``, ``problem_id``, ``span``, ``primary`` and ``jixiao_categories`` to
  bring corrected labels back.

doccano keeps a line's extra fields as example metadata but renumbers entities with
its own database ids and may reorder a classification's labels. So what doccano
cannot hold on a span (stage, qualifier, entity, value; a problem's id, categories
and source; a measure's id) travels in the line's ``jixiao.spans``, keyed by the span
itself, ``"<start>:<end>:<label>"`` (:func:`span_key`), never by an entity id;
relations use the ids of the same export, so they survive renumbering too. A
classification line keeps its primary label in ``primary``. The importer refuses,
with the reason, a line whose attributes cannot be matched to its entities (keyed by
entity id, as jixiao 0.1 wrote them; or a span moved so that its attributes and the
moved entity no longer meet) and a classification whose primary label is gone.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

FORMAT = 2  # jixiao.format: 2 = attributes keyed by span (1 = by entity id, refused on import)


class DoccanoError(ValueError):
    pass


def span_key(start: int, end: int, label: str) -> str:
    """The key of one entity's attributes: its offsets and label, which doccano keeps."""
    return f"{start}:{end}:{label}"


def to_sequence_line(spec: dict, raw: str) -> dict:
    entities, relations, attrs = [], [], {}
    ent_id: dict[str, int] = {}

    def add(span: list[int], label: str, item_attrs: dict) -> int:
        n = len(entities) + 1
        entities.append({"id": n, "start_offset": span[0], "end_offset": span[1], "label": label})
        attrs.setdefault(span_key(span[0], span[1], label), []).append({"order": n, **item_attrs})
        return n

    for f in spec.get("facts", []):
        add(f["span"], f"{f['type']}.{f['name']}", {k: f[k] for k in ("stage", "qualifier", "entity", "value") if k in f})
    for p in spec.get("problems", []):
        ent_id[p["id"]] = add(p["span"], "problem", {"id": p["id"], "categories": list(p.get("categories", [])),
                                                     "source": p.get("source")})
    for m in spec.get("measures", []):
        ent_id[m["id"]] = add(m["span"], "measure", {"id": m["id"]})
    for m in spec.get("measures", []):
        for pid in m.get("addresses", []):
            if pid in ent_id:
                relations.append({"id": len(relations) + 1, "from_id": ent_id[m["id"]], "to_id": ent_id[pid],
                                  "type": "addresses"})
    legacy = [[e["start_offset"], e["end_offset"], e["label"]] for e in entities]
    return {"text": raw, "doc_id": spec["doc_id"], "entities": entities, "relations": relations, "label": legacy,
            "jixiao": {"format": FORMAT, "spans": attrs, "meta": spec.get("meta") or {},
                       "indicators": spec.get("indicators") or []}}


def _match_attributes(ents: list[dict], attrs: dict, where: str) -> dict[int, dict]:
    """Entity id -> its attributes, by span key; raises when the attributes cannot be matched."""
    if attrs and all(k.isdigit() for k in attrs):
        raise DoccanoError(f"{where}: span attributes are keyed by entity id (jixiao 0.1 export); doccano "
                           f"renumbers entities, so they cannot be matched: export again with this jixiao")
    pending = {k: list(v) for k, v in attrs.items()}
    matched, bare = {}, []
    for e in sorted(ents, key=lambda e: (e["start_offset"], e["end_offset"], str(e["id"]))):
        queue = pending.get(span_key(e["start_offset"], e["end_offset"], e["label"]))
        if queue:
            matched[e["id"]] = queue.pop(0)
        else:
            bare.append(e)
    left = {k: v for k, v in pending.items() if v}
    moved = [(e, k) for e in bare for k in left if k.rpartition(":")[2] == e["label"]]
    if moved:
        e, k = moved[0]
        raise DoccanoError(
            f"{where}: attributes of {k} match no entity while entity {e['id']} [{e['start_offset']}, "
            f"{e['end_offset']}) {e['label']} has none (a span moved in doccano?): its stage, qualifier, entity, "
            f"value, id or categories cannot be matched; restore the span or delete one of the two")
    return matched


def from_sequence_line(line: dict, raw: str, raw_bytes: bytes, where: str) -> dict:
    if line.get("text") not in (None, raw):
        raise DoccanoError(f"{where}: text differs from the document")
    ents = line.get("entities")
    if ents is None:  # legacy [[start, end, tag]]
        ents = [{"id": i, "start_offset": s, "end_offset": e, "label": t} for i, (s, e, t) in enumerate(line.get("label", []), 1)]
    for e in ents:
        s, t = e["start_offset"], e["end_offset"]
        if not (0 <= s < t <= len(raw)):
            raise DoccanoError(f"{where} entity {e['id']}: span [{s}, {t}) outside the document")
    extra = line.get("jixiao") or {}
    attrs = _match_attributes(ents, extra.get("spans") or {}, where)
    ordered = sorted(ents, key=lambda e: (attrs[e["id"]]["order"] if e["id"] in attrs else float("inf"),
                                          e["start_offset"], e["end_offset"]))
    used = {a["id"] for a in attrs.values() if "id" in a}
    facts, problems, measures, ids = [], [], [], {}
    for e in ordered:
        s, t = e["start_offset"], e["end_offset"]
        a = attrs.get(e["id"], {})
        if e["label"] in ("problem", "measure"):
            pid = a.get("id")
            if pid is None:  # drawn in doccano: the next free p<n> / m<n>
                n = 1
                while f"{e['label'][0]}{n}" in used:
                    n += 1
                pid = f"{e['label'][0]}{n}"
                used.add(pid)
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
            if ftype == "finance" or "stage" in a or "qualifier" in a:  # gold may give them on any fact
                fact.update(stage=a.get("stage"), qualifier=a.get("qualifier"))
            fact.update(value=value, entity=a.get("entity"), span=[s, t])
            facts.append(fact)
    by_id = {m["id"]: m for m in measures}
    for rel in sorted(line.get("relations", []), key=lambda r: r.get("id", 0)):
        m, p = ids.get(rel["from_id"]), ids.get(rel["to_id"])
        if m in by_id and p and p not in by_id[m]["addresses"]:
            by_id[m]["addresses"].append(p)
    return {"doc_id": line.get("doc_id"), "text_sha256": hashlib.sha256(raw_bytes).hexdigest(),
            "meta": extra.get("meta") or {}, "facts": facts, "problems": problems, "measures": measures,
            "indicators": extra.get("indicators") or []}


def to_classification_lines(spec: dict, raw: str) -> list[dict]:
    return [{"text": raw[p["span"][0]:p["span"][1]], "label": list(p.get("categories", [])),
             "doc_id": spec["doc_id"], "problem_id": p["id"], "span": p["span"],
             "primary": (p.get("categories") or [None])[0], "jixiao_categories": list(p.get("categories", []))}
            for p in spec.get("problems", [])]


def classification_labels(line: dict, where: str) -> list[str]:
    """A classification line's categories, primary first, in jixiao's order where doccano kept the label.

    doccano returns a label set in its own order; the line's ``primary`` says which is
    first and ``jixiao_categories`` the original order of the others (labels added in
    doccano follow, as given; a field named ``categories`` would be overwritten by
    doccano's export). Raises when the primary label was removed and several remain.
    """
    labels = list(dict.fromkeys(line.get("label") or []))
    before = line.get("jixiao_categories") or []
    rank = {c: i for i, c in enumerate(before)}
    labels.sort(key=lambda c: rank.get(c, len(before)))
    primary = line.get("primary")
    if primary in labels:
        return [primary] + [c for c in labels if c != primary]
    if primary is not None and len(labels) > 1:
        raise DoccanoError(f"{where}: primary category {primary!r} was removed and doccano does not keep label "
                           f"order, so the new primary among {labels} is unknown; set the line's \"primary\"")
    return labels


def apply_classification(golds: dict[str, dict], lines: list[dict]) -> list[str]:
    """Write corrected categories from classification lines back into gold docs; returns messages."""
    msgs = []
    for n, line in enumerate(lines, 1):
        gold = golds.get(line.get("doc_id"))
        target = next((p for p in (gold or {}).get("problems", []) if p["id"] == line.get("problem_id")), None)
        if target is None:
            msgs.append(f"line {n}: no problem {line.get('problem_id')} in {line.get('doc_id')}")
            continue
        try:
            target["categories"] = classification_labels(line, f"line {n} ({line.get('doc_id')} {target['id']})")
        except DoccanoError as e:
            msgs.append(str(e))
    return msgs


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(l) for l in path.read_text(encoding="utf-8").splitlines() if l.strip()]
