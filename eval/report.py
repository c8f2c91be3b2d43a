"""Render a score report: Markdown (for eval/results/), rich tables (for the terminal).

Two framings of the same comparison: ``eval`` (prediction against gold: precision,
recall, F1, missed and spurious items) and ``agree`` (pass B against pass A: F1,
Cohen's kappa, items only in A or only in B).
"""
from __future__ import annotations

import json

from .score import FACT_TYPES

Row = tuple[str, str, str, str, str]


def _f(v) -> str:
    return "–" if v is None else f"{v:.3f}"


def _counts(s: dict) -> str:
    return f"tp {s['tp']} fp {s['fp']} fn {s['fn']}"


def _prf_row(what: str, s: dict) -> Row:
    return what, _f(s["precision"]), _f(s["recall"]), _f(s["f1"]), _counts(s)


def summary_rows(rep: dict) -> list[Row]:
    """(what, precision, recall, F1 or accuracy, counts) rows of the headline table."""
    m = rep["meta"]
    rows = [("meta accuracy", "", "", _f(m["accuracy"]), f"{m['correct']}/{m['total']} fields")]
    for level in ("fact", "mention"):
        for t in (*FACT_TYPES, "overall"):
            if t in rep["facts"][level]:
                rows.append(_prf_row(f"facts, {level} level: {t}", rep["facts"][level][t]))
    rows += [_prf_row("problem spans", rep["problems"]),
             _prf_row("measure spans", rep["measures"]),
             _prf_row("indicator rows", rep["indicators"])]
    c = rep["categories"]
    rows += [("categories micro-F1", _f(c["micro"]["precision"]), _f(c["micro"]["recall"]), _f(c["micro"]["f1"]),
              f"{c['n']} matched problems"),
             ("categories macro-F1", "", "", _f(c["macro_f1"]), f"{len(c['per_label'])} labels"),
             ("primary-label accuracy", "", "", _f(c["primary_accuracy"]), f"{c['n']} matched problems")]
    lk = rep["links"]
    rows += [_prf_row("measure→problem links", lk),
             ("link accuracy", "", "", _f(lk["accuracy"]),
              f"{lk['correct']}/{lk['matched_gold_links']} gold links of matched measures"),
             ("measures with the gold link set", "", "", _f(lk["measure_accuracy"]),
              f"{lk['exact']}/{lk['matched_measures']} matched measures")]
    return rows


def agreement_rows(rep: dict) -> list[tuple[str, str, str]]:
    """(what, agreement, counts) rows: pass B read against pass A."""
    def f1(what: str, s: dict) -> tuple[str, str, str]:
        return what, _f(s["f1"]), f"A {s['tp'] + s['fn']}, B {s['tp'] + s['fp']}, both {s['tp']}"

    m, c, lk = rep["meta"], rep["categories"], rep["links"]
    return [
        ("meta fields equal", _f(m["accuracy"]), f"{m['correct']}/{m['total']} fields"),
        f1("facts F1 (fact level)", rep["facts"]["fact"]["overall"]),
        f1("facts F1 (mention level)", rep["facts"]["mention"]["overall"]),
        f1("problems span F1", rep["problems"]),
        f1("measures span F1", rep["measures"]),
        f1("indicator rows F1", rep["indicators"]),
        ("categories micro-F1 (matched problems)", _f(c["micro"]["f1"]), f"{c['n']} matched problems"),
        ("Cohen's kappa, primary category", _f(rep.get("kappa_primary")),
         f"{c['n']} matched problems, {_f(c['primary_accuracy'])} observed agreement"),
        f1("measure→problem links F1", lk),
    ]


# --------------------------------------------------------------------------- terminal

def print_rich(rep: dict, title: str = "jixiao eval", agree: bool = False) -> None:
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    con = Console()
    if agree:
        t = Table("measure", "agreement", "counts", title=title)
        for row in agreement_rows(rep):
            t.add_row(*row)
        con.print(t)
    else:
        facts = Table("facts", "P", "R", "F1", "P", "R", "F1", "tp/fp/fn",
                      title=f"{title}\nfacts: fact level | mention level")
        for ty in (*FACT_TYPES, "overall"):
            a, b = rep["facts"]["fact"].get(ty), rep["facts"]["mention"].get(ty)
            if a and b:
                facts.add_row(ty, _f(a["precision"]), _f(a["recall"]), _f(a["f1"]),
                              _f(b["precision"]), _f(b["recall"]), _f(b["f1"]),
                              f"{a['tp']}/{a['fp']}/{a['fn']} | {b['tp']}/{b['fp']}/{b['fn']}")
        con.print(facts)
        t = Table("measure", "P", "R", "F1 / acc", "counts")
        for row in summary_rows(rep):
            if not row[0].startswith("facts"):
                t.add_row(*row)
        con.print(t)
    d = Table("document", "meta", "facts F1", "mentions F1", "problems F1", "measures F1", "links", "indicators F1",
              title="per document")
    for doc, s in rep["per_doc"].items():
        d.add_row(doc, f"{s['meta_correct']}/{s['meta_total']}", _f(s["facts"]["f1"]), _f(s["mentions"]["f1"]),
                  _f(s["problems"]["f1"]), _f(s["measures"]["f1"]),
                  f"{s['links']['correct']}/{s['links']['gold_links']}", _f(s["indicators"]["f1"]))
    con.print(d)
    n = sum(len([e for e in v if _err_line(e)]) for v in rep["errors"].values())
    what = "disagreements" if agree else "errors (false positives and negatives)"
    con.print(f"{n} {what} listed with their text in the --json / --markdown report")
    for p in rep.get("load_problems") or []:
        con.print(f"[red]unreadable:[/red] {escape(p)}", highlight=False, soft_wrap=True)  # a path stays whole
    if rep.get("unscored_predictions"):
        con.print(f"not in gold, not scored: {', '.join(rep['unscored_predictions'])}", soft_wrap=True)


# --------------------------------------------------------------------------- error lines

def _clip(s: str, n: int = 80) -> str:
    s = " ".join((s or "").split()).replace("`", "'").replace("|", "｜")
    return s if len(s) <= n else s[: n - 1] + "…"


def _err_line(e: dict, tags: tuple[str, str] = ("missed", "spurious")) -> str:
    """One line for an error; ``tags`` name the fn and fp sides."""
    k = e["kind"]
    side = tags[0] if k.endswith("_fn") or "_fn_" in k else tags[1]
    if k == "meta":
        return f"meta `{e['field']}`: {e['gold']!r} vs {e['pred']!r}"
    if k.startswith("fact"):
        t, name, stage, qual, ent, val = e["key"]
        extra = "".join(f" {x}" for x in (stage, qual) if x) + (f" @{ent}" if ent else "")
        times = f" ({e['mentions']} mentions)" if e.get("mentions", 1) > 1 else ""
        return f"{side} {t}.{name}{extra} = {val}{times} at {e['span']}: `{_clip(e['text'])}`"
    if k.split("_")[0] in ("problem", "measure"):
        what = k.split("_")[0]
        cats = f" {e['categories']}" if e.get("categories") else ""
        return f"{side} {what} {e.get('id') or ''}{cats} at {e['span']}: `{_clip(e['text'])}`"
    if k == "categories":
        return (f"categories of problem {e.get('id')} at {e['span']} `{_clip(e['text'], 40)}`: "
                f"{e['gold']} vs {e['pred']}")
    if k == "link":
        return f"links of measure {e.get('id')} at {e['span']} `{_clip(e['text'], 40)}`: {e['gold']} vs {e['pred']}"
    if k.startswith("indicator"):
        return f"{side} indicator row {e['row']}"
    return json.dumps(e, ensure_ascii=False)


def _error_section(rep: dict, tags: tuple[str, str]) -> list[str]:
    out = []
    groups = (("fact level (deduplicated tuples)", lambda k: k.endswith("_dedup")),
              ("mentions, spans, categories, links, rows, meta", lambda k: not k.endswith("_dedup")))
    for doc, errs in rep["errors"].items():
        if not errs:
            continue
        out += [f"### {doc}", ""]
        for label, keep in groups:
            lines = [_err_line(e, tags) for e in errs if keep(e["kind"])]
            if lines:
                out += [f"{label}:", ""] + [f"- {x}" for x in lines] + [""]
    return out


# --------------------------------------------------------------------------- Markdown

def markdown(rep: dict, title: str = "Extractor vs gold", agree: bool = False) -> str:
    """The whole report: headline, meta by field, confusion, per document, every error."""
    if agree:
        head = ["| measure | agreement | counts |", "|---|---|---|"]
        head += [f"| {' | '.join(r)} |" for r in agreement_rows(rep)]
        intro = (f"{rep['documents']} documents in both passes; B is read against A (so \"only in A\" would be "
                 "a miss if A were gold). Matching rules: SPEC.md \"Scoring\" (`eval/score.py`).")
        tags = ("only in A", "only in B")
    else:
        head = ["| measure | P | R | F1 / acc | counts |", "|---|---|---|---|---|"]
        head += [f"| {' | '.join(r)} |" for r in summary_rows(rep)]
        intro = f"{rep['documents']} gold documents. Scoring rules: SPEC.md \"Scoring\" (see `eval/score.py`)."
        tags = ("missed", "spurious")
    out = [f"# {title}", "", intro, ""] + head
    out += ["", "## Meta by field", "", "| field | equal | accuracy |", "|---|---|---|"]
    out += [f"| {f} | {v['correct']}/{v['total']} | {_f(v['accuracy'])} |" for f, v in rep["meta"]["per_field"].items()]
    out += _confusion(rep["categories"]["confusion"], "A" if agree else "gold", "B" if agree else "predicted")
    out += ["", "## Per document", "", "| document | meta | facts F1 | mentions F1 | problems F1 | measures F1 | "
            "links reproduced | indicators F1 |", "|---|---|---|---|---|---|---|---|"]
    for doc, s in rep["per_doc"].items():
        out.append(f"| {doc} | {s['meta_correct']}/{s['meta_total']} | {_f(s['facts']['f1'])} | "
                   f"{_f(s['mentions']['f1'])} | {_f(s['problems']['f1'])} | {_f(s['measures']['f1'])} | "
                   f"{s['links']['correct']}/{s['links']['gold_links']} | {_f(s['indicators']['f1'])} |")
    out += ["", "## Every disagreement" if agree else "## Every error", ""] + _error_section(rep, tags)
    if rep.get("load_problems"):
        out += ["## Files that could not be read", ""] + [f"- {p}" for p in rep["load_problems"]] + [""]
    if rep.get("unscored_predictions"):
        out += ["## Not scored (no gold)", ""] + [f"- {d}" for d in rep["unscored_predictions"]] + [""]
    return "\n".join(out).rstrip() + "\n"


def _confusion(conf: dict[str, dict[str, int]], rows: str, cols: str) -> list[str]:
    if not conf:
        return []
    labels = sorted({p for row in conf.values() for p in row} | set(conf))
    out = ["", f"## Primary-category confusion (rows {rows}, columns {cols})", "",
           f"| {rows} \\ {cols} | " + " | ".join(labels) + " |", "|---" * (len(labels) + 1) + "|"]
    for g in labels:
        row = conf.get(g, {})
        out.append(f"| {g} | " + " | ".join(str(row.get(p, 0) or "") for p in labels) + " |")
    return out


def write_reports(rep: dict, json_path=None, md_path=None, title: str = "Extractor vs gold",
                  agree: bool = False) -> None:
    """Write the full report as JSON and/or Markdown (folders are created)."""
    from pathlib import Path

    for target, text in ((json_path, lambda: json.dumps(rep, ensure_ascii=False, indent=1) + "\n"),
                         (md_path, lambda: markdown(rep, title, agree=agree))):
        if target is not None:
            Path(target).parent.mkdir(parents=True, exist_ok=True)
            Path(target).write_text(text(), encoding="utf-8")
