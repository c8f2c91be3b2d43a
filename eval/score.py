"""Scoring rules (SPEC.md "Scoring"), each a small function with its definition.

- **meta**: per field, correct when gold and prediction are equal after normalization
  (strings: NFKC, whitespace removed; numbers: within 0.01; ``null`` equals only ``null``).
  Accuracy per field and overall (correct fields / gold documents x 8).
- **facts, fact level**: each side is deduplicated to tuples
  ``(type, name, stage, qualifier, entity, value)`` (exact duplicates, entity compared
  without spaces); a predicted tuple matches a gold one when type/name/stage/qualifier are
  equal (a missing ``stage``/``qualifier`` is ``null``), the values are within 0.5 %
  relative to the gold value (exact when gold is 0), and the entities match
  (:func:`entity_match`). Matching is one-to-one.
- **facts, mention level**: every mention; the tuple must match as above and the spans
  overlap (at least one shared character); one-to-one, largest IoU first.
- **entities** match when both are null, when one contains the other after NFKC and
  whitespace removal, or when their character overlap is >= 0.6, where
  ``overlap(a, b) = |multiset(a) ∩ multiset(b)| / max(len(a), len(b))``
  (:func:`char_overlap`; 区干部人事档案管理中心 vs 干部档案管理中心 = 8/11 = 0.73).
- **problems, measures**: a predicted span matches a gold span when their character
  IoU (shared characters / characters covered by either) is >= 0.5; one-to-one, greedy
  by IoU, best first.
- **categories** (over matched problem pairs): micro-F1 over (problem, label) pairs,
  macro-F1 = mean of per-label F1 over labels seen on either side, primary-label
  accuracy (first labels equal) and a confusion matrix of primary labels.
- **measure → problem links**: a predicted ``addresses`` id is mapped to a gold problem id
  through the problem matching; a link to a predicted problem that matched no gold
  problem maps to nothing and is wrong. Over matched measures:
  ``accuracy`` = gold links reproduced / gold links of matched measures (a gold link
  (m, p) is reproduced when the matched predicted measure addresses the predicted
  problem matched to p); ``measure_accuracy`` = matched measures whose mapped address
  set equals the gold set exactly (empty = empty counts, a link to an unmatched problem
  spoils it). Link precision/recall/F1 count (measure, problem) pairs over *all*
  measures: the links of an unmatched gold measure are missed, those of an unmatched
  predicted measure spurious.
- **indicators**: rows match on the level-3 text (NFKC, whitespace removed; a row
  whose level 3 is null is keyed by its level 2) when weight and score are equal
  (within 0.01); one-to-one.

Precision, recall and F1 are micro-averaged over documents (summed counts). With
nothing on either side precision and recall are 1.0 (nothing to find, nothing wrong).
Predictions are read tolerantly: an item that is not an object is ignored and a span
that is not ``[int, int]`` with start <= end counts as no span.
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
NUM_TOL = 0.01
LINK_COUNTS = ("measures", "exact", "gold_links", "matched_gold_links", "tp", "fp", "fn")


# ----------------------------------------------------------------- primitives

def norm_text(s: Any) -> Any:
    """NFKC with all whitespace removed (strings only; anything else is returned as is)."""
    if not isinstance(s, str):
        return s
    return "".join(unicodedata.normalize("NFKC", s).split())


def _is_num(x: Any) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def num_equal(a: Any, b: Any, tol: float = NUM_TOL) -> bool:
    """Numbers (or numeric strings) within ``tol``; ``null`` equals only ``null``."""
    if a is None or b is None:
        return a is None and b is None
    try:
        return abs(float(a) - float(b)) <= tol
    except (TypeError, ValueError):
        return False


def meta_equal(g: Any, p: Any) -> bool:
    """A numeric gold value compares as a number, anything else as normalized text."""
    if g is None or p is None:
        return g is None and p is None
    if _is_num(g):
        return num_equal(g, p)
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
    """Both null; or one contains the other (NFKC, whitespace removed); or char overlap >= 0.6."""
    if g is None or p is None:
        return g is None and p is None
    g, p = norm_text(str(g)), norm_text(str(p))
    return g in p or p in g or char_overlap(g, p) >= ENTITY_OVERLAP


def span_of(item: dict, key: str = "span") -> tuple[int, int] | None:
    """The item's ``[start, end)`` as a tuple, or None when absent or malformed."""
    s = item.get(key)
    if isinstance(s, (list, tuple)) and len(s) == 2 and all(type(v) is int for v in s) and s[0] <= s[1]:
        return s[0], s[1]
    return None


def iou(a, b) -> float:
    """Character IoU of two half-open spans (0.0 when either is missing)."""
    if a is None or b is None:
        return 0.0
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


def greedy_match(pairs: Iterable[tuple[float, int, int]]) -> dict[int, int]:
    """One-to-one matching from (score, gold index, pred index), best score first:
    ``{gold index: pred index}``. Ties go to the earlier gold, then the earlier prediction."""
    used_g, used_p, out = set(), set(), {}
    for _, gi, pi in sorted(pairs, key=lambda t: (-t[0], t[1], t[2])):
        if gi not in used_g and pi not in used_p:
            used_g.add(gi)
            used_p.add(pi)
            out[gi] = pi
    return out


def _items(ann: dict, key: str) -> list[dict]:
    v = ann.get(key)
    return [x for x in v if isinstance(x, dict)] if isinstance(v, list) else []


# ----------------------------------------------------------------- facts

def fact_key(f: dict) -> tuple:
    return (f.get("type"), f.get("name"), f.get("stage"), f.get("qualifier"), f.get("entity"), f.get("value"))


def key_match(g: tuple, p: tuple) -> bool:
    return g[:4] == p[:4] and value_match(g[5], p[5]) and entity_match(g[4], p[4])


def dedupe(facts: list[dict]) -> list[tuple[tuple, list[dict]]]:
    """Distinct fact tuples in first-mention order, each with its mentions."""
    groups: dict[tuple, tuple[tuple, list[dict]]] = {}
    for f in facts:
        k = fact_key(f)
        ent = norm_text(k[4]) if isinstance(k[4], str) else k[4]
        val = round(float(k[5]), 6) if _is_num(k[5]) else repr(k[5])
        norm = (*map(repr, k[:4]), repr(ent), val)
        groups.setdefault(norm, (k, []))[1].append(f)
    return list(groups.values())


def match_facts(gold: list[dict], pred: list[dict], level: str) -> tuple[dict[int, int], list, list]:
    """Match at ``level`` ``fact`` (deduplicated tuples) or ``mention`` (tuple + overlapping span).

    Returns the matching and the two item lists it indexes: ``(key, mentions)`` groups at
    fact level, the fact objects at mention level."""
    if level == "fact":
        g_items, p_items = dedupe(gold), dedupe(pred)
        pairs = [(1.0, i, j) for i, (g, _) in enumerate(g_items) for j, (p, _) in enumerate(p_items)
                 if key_match(g, p)]
    else:
        g_items, p_items = gold, pred
        pairs = [(iou(span_of(g), span_of(p)), i, j) for i, g in enumerate(g_items) for j, p in enumerate(p_items)
                 if overlaps(span_of(g), span_of(p)) and key_match(fact_key(g), fact_key(p))]
    return greedy_match(pairs), g_items, p_items


# ----------------------------------------------------------------- spans

def match_spans(gold: list[dict], pred: list[dict]) -> dict[int, int]:
    """Problems or measures: IoU >= 0.5, one-to-one, best first."""
    pairs = []
    for i, g in enumerate(gold):
        for j, p in enumerate(pred):
            v = iou(span_of(g), span_of(p))
            if v >= IOU_MIN:
                pairs.append((v, i, j))
    return greedy_match(pairs)


def row_key(r: dict) -> str:
    """An indicator row's identity: its level-3 text normalized (level 2 when level 3 is null)."""
    if r.get("level3"):
        return str(norm_text(str(r["level3"])))
    return "∅" + str(norm_text(str(r.get("level2") or "")))


# ----------------------------------------------------------------- one document

class _Doc:
    """Scores one document, collecting every error with the text behind it."""

    def __init__(self, gold: dict, pred: dict, raw: str | None):
        self.gold, self.pred, self.raw = gold, pred, raw
        self.errors: list[dict] = []

    def text(self, item: dict, key: str = "span") -> str:
        """The evidence: ``raw[span]`` when the document is at hand, else the item's ``text``."""
        s = span_of(item, key)
        if self.raw is not None and s is not None:
            return self.raw[s[0]:s[1]]
        t = item.get("text")
        return t if isinstance(t, str) else ""

    def meta(self) -> dict[str, bool]:
        gm, pm = self.gold.get("meta"), self.pred.get("meta")
        gm, pm = (gm if isinstance(gm, dict) else {}), (pm if isinstance(pm, dict) else {})
        out = {}
        for f in META_FIELDS:
            out[f] = meta_equal(gm.get(f), pm.get(f))
            if not out[f]:
                self.errors.append({"kind": "meta", "field": f, "gold": gm.get(f), "pred": pm.get(f)})
        return out

    def facts(self) -> dict[str, dict[str, list[int]]]:
        gf, pf = _items(self.gold, "facts"), _items(self.pred, "facts")
        out = {}
        for level in ("fact", "mention"):
            counts = {t: [0, 0, 0] for t in FACT_TYPES}
            m, gi, pi = match_facts(gf, pf, level)
            for side, items, hit in (("fn", gi, set(m)), ("fp", pi, set(m.values()))):
                for i, it in enumerate(items):
                    key, mentions = it if level == "fact" else (fact_key(it), [it])
                    c = counts.setdefault(str(key[0]), [0, 0, 0])
                    if i in hit:
                        c[0] += side == "fn"  # count a matched pair once
                        continue
                    c[1 if side == "fp" else 2] += 1
                    kind = f"fact_{side}" + ("_dedup" if level == "fact" else "")
                    self.errors.append({"kind": kind, "key": list(key), "span": _listed(span_of(mentions[0])),
                                        "mentions": len(mentions), "text": self.text(mentions[0])})
            out[level] = counts
        return out

    def spans(self, key: str) -> tuple[dict[int, int], list[dict], list[dict]]:
        g, p = _items(self.gold, key), _items(self.pred, key)
        m = match_spans(g, p)
        what = key.rstrip("s")
        for i, x in enumerate(g):
            if i not in m:
                extra = {"categories": x.get("categories")} if what == "problem" else {}
                self.errors.append({"kind": f"{what}_fn", "id": x.get("id"), "span": _listed(span_of(x)),
                                    "text": self.text(x), **extra})
        for j in sorted(set(range(len(p))) - set(m.values())):
            self.errors.append({"kind": f"{what}_fp", "id": p[j].get("id"), "span": _listed(span_of(p[j])),
                                "text": self.text(p[j])})
        return m, g, p

    def links(self, mp, gp, pp, mm, gme, pme) -> dict[str, int]:
        pid_map = {pp[j].get("id"): gp[i].get("id") for i, j in mp.items()}
        c = dict.fromkeys(LINK_COUNTS, 0)
        for i, g in enumerate(gme):
            want = set(_ids(g))
            c["gold_links"] += len(want)
            if i not in mm:
                c["fn"] += len(want)
                continue
            mapped = [pid_map.get(a) for a in _ids(pme[mm[i]])]
            got = {a for a in mapped if a is not None}
            stray = mapped.count(None)
            c["measures"] += 1
            c["matched_gold_links"] += len(want)
            c["exact"] += want == got and stray == 0
            c["tp"] += len(want & got)
            c["fp"] += len(got - want) + stray
            c["fn"] += len(want - got)
            if want != got or stray:
                self.errors.append({"kind": "link", "id": g.get("id"), "span": _listed(span_of(g)),
                                    "text": self.text(g), "gold": sorted(want), "pred": sorted(a or "(unmatched problem)" for a in mapped)})
        for j in set(range(len(pme))) - set(mm.values()):
            c["fp"] += len(_ids(pme[j]))
        return c

    def indicators(self) -> dict[str, int]:
        gr, pr = _items(self.gold, "indicators"), _items(self.pred, "indicators")
        pairs = [(1.0, i, j) for i, g in enumerate(gr) for j, p in enumerate(pr)
                 if row_key(g) == row_key(p) and num_equal(g.get("weight"), p.get("weight"))
                 and num_equal(g.get("score"), p.get("score"))]
        m = greedy_match(pairs)
        for side, rows, hit in (("fn", gr, set(m)), ("fp", pr, set(m.values()))):
            for i, r in enumerate(rows):
                if i not in hit:
                    self.errors.append({"kind": f"indicator_{side}",
                                        "row": [r.get("level1"), r.get("level2"), r.get("level3"),
                                                r.get("weight"), r.get("score")]})
        return {"tp": len(m), "fp": len(pr) - len(m), "fn": len(gr) - len(m)}


def _listed(span: tuple[int, int] | None) -> list[int] | None:
    return None if span is None else list(span)


def _ids(measure: dict) -> list:
    a = measure.get("addresses")
    return [x for x in a if isinstance(x, str)] if isinstance(a, list) else []


def score_doc(gold: dict, pred: dict, raw: str | None = None) -> dict:
    """All counts for one document plus its error list (each with its text)."""
    d = _Doc(gold, pred, raw)
    out: dict[str, Any] = {"doc_id": gold.get("doc_id") or pred.get("doc_id"), "meta": d.meta(), "facts": d.facts()}
    mp, gp, pp = d.spans("problems")
    pairs = [(_labels(gp[i]), _labels(pp[j])) for i, j in sorted(mp.items())]
    for (i, _), (g, p) in zip(sorted(mp.items()), pairs):
        if g != p:
            d.errors.append({"kind": "categories", "id": gp[i].get("id"), "span": _listed(span_of(gp[i])),
                             "text": d.text(gp[i]), "gold": g, "pred": p})
    out["problems"] = {"tp": len(mp), "fp": len(pp) - len(mp), "fn": len(gp) - len(mp), "pairs": pairs}
    mm, gme, pme = d.spans("measures")
    out["measures"] = {"tp": len(mm), "fp": len(pme) - len(mm), "fn": len(gme) - len(mm)}
    out["links"] = d.links(mp, gp, pp, mm, gme, pme)
    out["indicators"] = d.indicators()
    out["errors"] = d.errors
    return out


def _labels(problem: dict) -> list[str]:
    c = problem.get("categories")
    return [x for x in c if isinstance(x, str)] if isinstance(c, list) else []


# ----------------------------------------------------------------- categories

def category_scores(pairs: list[tuple[list[str], list[str]]]) -> dict:
    """Micro/macro-F1 over label sets, primary accuracy and a primary confusion matrix
    (``confusion[gold primary][predicted primary]``; ``(none)`` for an empty label list)."""
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

def _sum(rows: Iterable[dict], keys: Iterable[str]) -> dict[str, int]:
    rows = list(rows)
    return {k: sum(r[k] for r in rows) for k in keys}


def _links_summary(c: dict[str, int]) -> dict:
    return {"matched_measures": c["measures"], "exact": c["exact"],
            "measure_accuracy": c["exact"] / c["measures"] if c["measures"] else None,
            "gold_links": c["gold_links"], "matched_gold_links": c["matched_gold_links"],
            "correct": c["tp"],
            "accuracy": c["tp"] / c["matched_gold_links"] if c["matched_gold_links"] else None,
            **prf(c["tp"], c["fp"], c["fn"])}


def _facts_summary(rows: Iterable[dict[str, list[int]]]) -> dict:
    by_type: dict[str, list[int]] = {}
    for counts in rows:
        for t, c in counts.items():
            acc = by_type.setdefault(t, [0, 0, 0])
            for k in range(3):
                acc[k] += c[k]
    out = {t: prf(*c) for t, c in by_type.items()}
    out["overall"] = prf(*(sum(c[k] for c in by_type.values()) for k in range(3)))
    return out


def score_sets(gold: dict[str, dict], pred: dict[str, dict], docs: str | Path | None = None) -> dict:
    """Score every gold document; a prediction missing for a document counts as empty.

    ``docs`` is a folder of ``<doc_id>.txt`` files used to show the text of every error."""
    from .load import load_texts

    texts = load_texts(docs, gold)
    per_doc = {d: score_doc(g, pred.get(d, {"doc_id": d}), texts.get(d)) for d, g in sorted(gold.items())}

    n_docs = len(per_doc)
    meta_fields = {f: sum(r["meta"][f] for r in per_doc.values()) for f in META_FIELDS}
    meta = {"per_field": {f: {"correct": c, "total": n_docs, "accuracy": c / n_docs if n_docs else None}
                          for f, c in meta_fields.items()},
            "correct": sum(meta_fields.values()), "total": n_docs * len(META_FIELDS)}
    meta["accuracy"] = meta["correct"] / meta["total"] if meta["total"] else None

    counts = ("tp", "fp", "fn")
    return {
        "documents": n_docs,
        "unscored_predictions": sorted(set(pred) - set(gold)),
        "meta": meta,
        "facts": {lv: _facts_summary(r["facts"][lv] for r in per_doc.values()) for lv in ("fact", "mention")},
        "problems": prf(**_sum((r["problems"] for r in per_doc.values()), counts)),
        "categories": category_scores([pair for r in per_doc.values() for pair in r["problems"]["pairs"]]),
        "measures": prf(**_sum((r["measures"] for r in per_doc.values()), counts)),
        "links": _links_summary(_sum((r["links"] for r in per_doc.values()), LINK_COUNTS)),
        "indicators": prf(**_sum((r["indicators"] for r in per_doc.values()), counts)),
        "per_doc": {d: _doc_summary(r) for d, r in per_doc.items()},
        "errors": {d: r["errors"] for d, r in per_doc.items()},
    }


def _doc_summary(r: dict) -> dict:
    def spans(k):
        return prf(r[k]["tp"], r[k]["fp"], r[k]["fn"])

    return {"meta_correct": sum(r["meta"].values()), "meta_total": len(META_FIELDS),
            "facts": _facts_summary([r["facts"]["fact"]])["overall"],
            "mentions": _facts_summary([r["facts"]["mention"]])["overall"],
            "problems": spans("problems"), "measures": spans("measures"), "indicators": spans("indicators"),
            "links": _links_summary(r["links"])}
