"""Scoring rules (SPEC.md "Scoring"), each a small function with its definition.

- **meta**: per field, correct when gold and prediction are equal after normalization
  (strings: NFKC, whitespace removed; numbers: within 0.01; ``null`` equals ``null``).
- **facts, fact level**: each side is deduplicated to tuples
  ``(type, name, stage, qualifier, entity, value)``; a predicted tuple matches a gold one
  when type/name/stage/qualifier are equal, the values are within 0.5 % relative (exact
  for 0), and the entities match (:func:`entity_match`). Matching is one-to-one.
- **facts, mention level**: every mention; the tuple must match and the spans overlap.
- **problems, measures**: a predicted span matches a gold span when their character IoU
  is >= 0.5; one-to-one, best IoU first. Over matched problems: category micro-F1 and
  macro-F1 (multi-label), primary-label accuracy and a confusion matrix of primary
  labels. Over matched measures: the predicted ``addresses`` are mapped to gold problem
  ids through the problem matching (a link to an unmatched predicted problem maps to
  nothing, so it is wrong); **link accuracy** is the share of matched measures whose
  mapped address set equals the gold set (an empty set included), and link
  precision/recall/F1 count the (measure, problem) pairs over all measures (the links
  of an unmatched gold measure are missed, those of an unmatched prediction spurious).
- **indicators**: rows match on the level-3 text (NFKC, whitespace removed; a row whose
  level 3 is ``null`` is keyed by its level 2) when weight and score are equal within 0.01.

Precision, recall and F1 are micro-averaged over documents (summed counts).
"""
from __future__ import annotations

import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any, Iterable

META_FIELDS = ("title", "report_kind", "fiscal_year", "unit", "filing_date", "notice_ref", "self_score", "grade")
FACT_TYPES = ("staffing", "org", "finance", "rate")
VALUE_TOL = 0.005
IOU_MIN = 0.5
ENTITY_OVERLAP = 0.6


# ----------------------------------------------------------------- primitives

def norm_text(s: Any) -> Any:
    """NFKC with all whitespace removed (strings only)."""
    if not isinstance(s, str):
        return s
    return "".join(unicodedata.normalize("NFKC", s).split())


def meta_equal(g: Any, p: Any) -> bool:
    if g is None or p is None:
        return g is None and p is None
    if isinstance(g, (int, float)) and not isinstance(g, bool):
        try:
            return abs(float(g) - float(p)) <= 0.01
        except (TypeError, ValueError):
            return False
    return norm_text(str(g)) == norm_text(str(p))


def value_match(g: Any, p: Any) -> bool:
    """Equal within 0.5 % relative to the gold value; exact when gold is 0."""
    try:
        g, p = float(g), float(p)
    except (TypeError, ValueError):
        return False
    if g == 0:
        return p == 0
    return abs(p - g) <= VALUE_TOL * abs(g)


def char_overlap(a: str, b: str) -> float:
    """Shared characters (multiset intersection) over the longer string's length."""
    if not a or not b:
        return 0.0
    common = sum((Counter(a) & Counter(b)).values())
    return common / max(len(a), len(b))


def entity_match(g: str | None, p: str | None) -> bool:
    """Both null; or one contains the other (spaces removed); or char overlap >= 0.6."""
    if g is None or p is None:
        return g is None and p is None
    g, p = norm_text(g), norm_text(p)
    return g in p or p in g or char_overlap(g, p) >= ENTITY_OVERLAP


def iou(a, b) -> float:
    inter = max(0, min(a[1], b[1]) - max(a[0], b[0]))
    union = max(a[1], b[1]) - min(a[0], b[0])
    return inter / union if union > 0 else 0.0


def overlaps(a, b) -> bool:
    return a is not None and b is not None and min(a[1], b[1]) > max(a[0], b[0])


def prf(tp: int, fp: int, fn: int) -> dict:
    p = tp / (tp + fp) if tp + fp else (1.0 if fn == 0 else 0.0)
    r = tp / (tp + fn) if tp + fn else (1.0 if fp == 0 else 0.0)
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"tp": tp, "fp": fp, "fn": fn, "precision": p, "recall": r, "f1": f}


def _greedy(pairs: Iterable[tuple[float, int, int]]) -> dict[int, int]:
    """One-to-one matching, best score first: {gold index: pred index}."""
    used_g, used_p, out = set(), set(), {}
    for _, gi, pi in sorted(pairs, key=lambda t: (-t[0], t[1], t[2])):
        if gi not in used_g and pi not in used_p:
            used_g.add(gi)
            used_p.add(pi)
            out[gi] = pi
    return out


# ----------------------------------------------------------------- facts

def fact_key(f: dict) -> tuple:
    return (f.get("type"), f.get("name"), f.get("stage"), f.get("qualifier"), f.get("entity"), f.get("value"))


def _key_match(g: tuple, p: tuple) -> bool:
    return g[:4] == p[:4] and value_match(g[5], p[5]) and entity_match(g[4], p[4])


def dedupe(facts: list[dict]) -> list[tuple]:
    seen, out = set(), []
    for f in facts:
        k = fact_key(f)
        norm = k[:4] + (norm_text(k[4]), round(float(k[5]), 6) if isinstance(k[5], (int, float)) else k[5])
        if norm not in seen:
            seen.add(norm)
            out.append(k)
    return out


def match_facts(gold: list[dict], pred: list[dict], level: str) -> tuple[dict[int, int], list, list]:
    """Match at ``level`` ``fact`` (deduplicated tuples) or ``mention`` (tuple + overlapping span).
    Returns the matching and the two item lists that were matched."""
    if level == "fact":
        g_items, p_items = dedupe(gold), dedupe(pred)
        pairs = [(1.0, i, j) for i, g in enumerate(g_items) for j, p in enumerate(p_items) if _key_match(g, p)]
    else:
        g_items, p_items = gold, pred
        pairs = [(iou(g["span"], p["span"]), i, j) for i, g in enumerate(g_items) for j, p in enumerate(p_items)
                 if _key_match(fact_key(g), fact_key(p)) and overlaps(g.get("span"), p.get("span"))]
    return _greedy(pairs), g_items, p_items


# ----------------------------------------------------------------- spans

def match_spans(gold: list[dict], pred: list[dict]) -> dict[int, int]:
    pairs = []
    for i, g in enumerate(gold):
        for j, p in enumerate(pred):
            if g.get("span") and p.get("span"):
                v = iou(g["span"], p["span"])
                if v >= IOU_MIN:
                    pairs.append((v, i, j))
    return _greedy(pairs)


def _row_key(r: dict) -> str:
    return norm_text(r.get("level3")) if r.get("level3") else "∅" + str(norm_text(r.get("level2") or ""))


def _num_eq(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    try:
        return abs(float(a) - float(b)) <= 0.01
    except (TypeError, ValueError):
        return False


# ----------------------------------------------------------------- one document

def score_doc(gold: dict, pred: dict, raw: str | None = None) -> dict:
    """All counts for one document plus its error lists (``fp`` / ``fn`` with text)."""
    def text(item: dict, key: str = "span") -> str:
        s = item.get(key)
        if raw is not None and s:
            return raw[s[0]:s[1]]
        return item.get("text", "")

    errors: list[dict] = []
    out: dict[str, Any] = {"doc_id": gold.get("doc_id") or pred.get("doc_id")}

    # meta
    gm, pm = gold.get("meta") or {}, pred.get("meta") or {}
    out["meta"] = {}
    for f in META_FIELDS:
        ok = meta_equal(gm.get(f), pm.get(f))
        out["meta"][f] = ok
        if not ok:
            errors.append({"kind": "meta", "field": f, "gold": gm.get(f), "pred": pm.get(f)})

    # facts
    gf, pf = list(gold.get("facts") or []), list(pred.get("facts") or [])
    out["facts"] = {}
    for level in ("fact", "mention"):
        counts = {t: [0, 0, 0] for t in FACT_TYPES}
        m, gi, pi = match_facts(gf, pf, level)
        for i, g in enumerate(gi):
            t = g[0] if level == "fact" else g.get("type")
            c = counts.setdefault(t, [0, 0, 0])
            if i in m:
                c[0] += 1
            else:
                c[2] += 1
                if level == "mention":
                    errors.append({"kind": "fact_fn", "key": list(fact_key(g)), "span": g.get("span"), "text": text(g)})
                else:
                    errors.append({"kind": "fact_fn_dedup", "key": list(g)})
        matched_p = set(m.values())
        for j, p in enumerate(pi):
            if j not in matched_p:
                t = p[0] if level == "fact" else p.get("type")
                counts.setdefault(t, [0, 0, 0])[1] += 1
                if level == "mention":
                    errors.append({"kind": "fact_fp", "key": list(fact_key(p)), "span": p.get("span"), "text": text(p)})
                else:
                    errors.append({"kind": "fact_fp_dedup", "key": list(p)})
        out["facts"][level] = counts

    # problems
    gp, pp = list(gold.get("problems") or []), list(pred.get("problems") or [])
    mp = match_spans(gp, pp)
    out["problems"] = {"tp": len(mp), "fp": len(pp) - len(mp), "fn": len(gp) - len(mp), "pairs": []}
    for i, g in enumerate(gp):
        if i in mp:
            p = pp[mp[i]]
            out["problems"]["pairs"].append((list(g.get("categories") or []), list(p.get("categories") or [])))
        else:
            errors.append({"kind": "problem_fn", "span": g.get("span"), "text": text(g), "categories": g.get("categories")})
    for j in set(range(len(pp))) - set(mp.values()):
        errors.append({"kind": "problem_fp", "span": pp[j].get("span"), "text": text(pp[j])})
    pid_map = {pp[j].get("id"): gp[i].get("id") for i, j in mp.items()}

    # measures and links
    gme, pme = list(gold.get("measures") or []), list(pred.get("measures") or [])
    mm = match_spans(gme, pme)
    links = {"measures": 0, "exact": 0, "tp": 0, "fp": 0, "fn": 0}
    for i, g in enumerate(gme):
        if i not in mm:
            errors.append({"kind": "measure_fn", "span": g.get("span"), "text": text(g)})
            links["fn"] += len(g.get("addresses") or [])
            continue
        p = pme[mm[i]]
        want = set(g.get("addresses") or [])
        mapped = [pid_map.get(a) for a in p.get("addresses") or []]
        got_valid = {a for a in mapped if a is not None}
        wrong_unmatched = mapped.count(None)
        links["measures"] += 1
        links["exact"] += want == got_valid and wrong_unmatched == 0
        links["tp"] += len(want & got_valid)
        links["fp"] += len(got_valid - want) + wrong_unmatched
        links["fn"] += len(want - got_valid)
        if want != got_valid or wrong_unmatched:
            errors.append({"kind": "link", "span": g.get("span"), "text": text(g), "gold": sorted(want),
                           "pred": sorted(a or "(unmatched problem)" for a in mapped)})
    for j in set(range(len(pme))) - set(mm.values()):
        errors.append({"kind": "measure_fp", "span": pme[j].get("span"), "text": text(pme[j])})
        links["fp"] += len(pme[j].get("addresses") or [])
    out["measures"] = {"tp": len(mm), "fp": len(pme) - len(mm), "fn": len(gme) - len(mm)}
    out["links"] = links

    # indicators
    gr, pr = list(gold.get("indicators") or []), list(pred.get("indicators") or [])
    pairs = [(1.0, i, j) for i, g in enumerate(gr) for j, p in enumerate(pr)
             if _row_key(g) == _row_key(p) and _num_eq(g.get("weight"), p.get("weight"))
             and _num_eq(g.get("score"), p.get("score"))]
    mi = _greedy(pairs)
    out["indicators"] = {"tp": len(mi), "fp": len(pr) - len(mi), "fn": len(gr) - len(mi)}
    for i, g in enumerate(gr):
        if i not in mi:
            errors.append({"kind": "indicator_fn", "row": [g.get("level3"), g.get("weight"), g.get("score")]})
    for j in set(range(len(pr))) - set(mi.values()):
        p = pr[j]
        errors.append({"kind": "indicator_fp", "row": [p.get("level3"), p.get("weight"), p.get("score")]})
    out["errors"] = errors
    return out


# ----------------------------------------------------------------- categories

def category_scores(pairs: list[tuple[list[str], list[str]]]) -> dict:
    """Micro/macro-F1 over label sets, primary accuracy and a primary confusion matrix."""
    per: dict[str, list[int]] = {}
    confusion: dict[str, dict[str, int]] = {}
    primary_ok = 0
    for g, p in pairs:
        for lab in set(g) | set(p):
            c = per.setdefault(lab, [0, 0, 0])
            c[0] += lab in g and lab in p
            c[1] += lab in p and lab not in g
            c[2] += lab in g and lab not in p
        gp = g[0] if g else "(none)"
        pp = p[0] if p else "(none)"
        primary_ok += gp == pp
        confusion.setdefault(gp, {}).setdefault(pp, 0)
        confusion[gp][pp] += 1
    tp, fp, fn = (sum(c[i] for c in per.values()) for i in range(3))
    macro = [prf(*c)["f1"] for c in per.values()]
    micro = prf(tp, fp, fn) if pairs else {"tp": 0, "fp": 0, "fn": 0, "precision": None, "recall": None, "f1": None}
    return {"n": len(pairs), "micro": micro, "macro_f1": sum(macro) / len(macro) if macro else None,
            "per_label": {k: prf(*v) for k, v in sorted(per.items())},
            "primary_accuracy": primary_ok / len(pairs) if pairs else None, "confusion": confusion}


# ----------------------------------------------------------------- a whole set

def score_sets(gold: dict[str, dict], pred: dict[str, dict], docs: str | Path | None = None) -> dict:
    """Score every gold document; a prediction missing for a document counts as empty."""
    from .load import load_texts

    texts = load_texts(docs, gold)
    per_doc = {d: score_doc(g, pred.get(d, {"doc_id": d}), texts.get(d)) for d, g in sorted(gold.items())}
    extra = sorted(set(pred) - set(gold))

    meta_fields = {f: sum(r["meta"][f] for r in per_doc.values()) for f in META_FIELDS}
    n_docs = len(per_doc)
    meta = {"per_field": {f: {"correct": c, "total": n_docs, "accuracy": c / n_docs if n_docs else None}
                          for f, c in meta_fields.items()},
            "correct": sum(meta_fields.values()), "total": n_docs * len(META_FIELDS)}
    meta["accuracy"] = meta["correct"] / meta["total"] if meta["total"] else None

    facts = {}
    for level in ("fact", "mention"):
        by_type: dict[str, list[int]] = {}
        for r in per_doc.values():
            for t, c in r["facts"][level].items():
                acc = by_type.setdefault(t, [0, 0, 0])
                for k in range(3):
                    acc[k] += c[k]
        facts[level] = {t: prf(*c) for t, c in by_type.items()}
        facts[level]["overall"] = prf(*(sum(c[k] for c in by_type.values()) for k in range(3)))

    def spans(kind):
        return prf(*(sum(r[kind][k] for r in per_doc.values()) for k in ("tp", "fp", "fn")))

    pairs = [pair for r in per_doc.values() for pair in r["problems"]["pairs"]]
    lk = {k: sum(r["links"][k] for r in per_doc.values()) for k in ("measures", "exact", "tp", "fp", "fn")}
    links = {"matched_measures": lk["measures"], "exact": lk["exact"],
             "accuracy": lk["exact"] / lk["measures"] if lk["measures"] else None, **prf(lk["tp"], lk["fp"], lk["fn"])}
    return {
        "documents": n_docs,
        "unscored_predictions": extra,
        "meta": meta,
        "facts": facts,
        "problems": spans("problems"),
        "categories": category_scores(pairs),
        "measures": spans("measures"),
        "links": links,
        "indicators": spans("indicators"),
        "per_doc": {d: _doc_summary(r) for d, r in per_doc.items()},
        "errors": {d: r["errors"] for d, r in per_doc.items()},
    }


def _doc_summary(r: dict) -> dict:
    def tot(level):
        return prf(*(sum(c[k] for c in r["facts"][level].values()) for k in range(3)))

    return {"meta_correct": sum(r["meta"].values()), "meta_total": len(META_FIELDS),
            "facts": tot("fact"), "mentions": tot("mention"),
            "problems": prf(r["problems"]["tp"], r["problems"]["fp"], r["problems"]["fn"]),
            "measures": prf(r["measures"]["tp"], r["measures"]["fp"], r["measures"]["fn"]),
            "indicators": prf(r["indicators"]["tp"], r["indicators"]["fp"], r["indicators"]["fn"]),
            "links": dict(r["links"])}
