"""Render a score report: Markdown (for eval/results/), rich tables (for the terminal)."""
from __future__ import annotations

import json

from .score import FACT_TYPES, META_FIELDS


def _f(v) -> str:
    return "–" if v is None else f"{v:.3f}"


def summary_rows(rep: dict) -> list[tuple[str, str, str, str, str]]:
    """(what, precision, recall, F1 or accuracy, counts) rows of the headline table."""
    rows = []
    m = rep["meta"]
    rows.append(("meta accuracy", "", "", _f(m["accuracy"]), f"{m['correct']}/{m['total']} fields"))
    for level, label in (("fact", "facts (fact level)"), ("mention", "facts (mention level)")):
        for t in (*FACT_TYPES, "overall"):
            s = rep["facts"][level].get(t)
            if s is None:
                continue
            rows.append((f"{label} {t}", _f(s["precision"]), _f(s["recall"]), _f(s["f1"]),
                         f"tp {s['tp']} fp {s['fp']} fn {s['fn']}"))
    for k in ("problems", "measures", "indicators"):
        s = rep[k]
        rows.append((f"{k} (span)" if k != "indicators" else "indicator rows", _f(s["precision"]), _f(s["recall"]),
                     _f(s["f1"]), f"tp {s['tp']} fp {s['fp']} fn {s['fn']}"))
    c = rep["categories"]
    rows.append(("categories micro-F1", _f(c["micro"]["precision"]), _f(c["micro"]["recall"]), _f(c["micro"]["f1"]),
                 f"{c['n']} matched problems"))
    rows.append(("categories macro-F1", "", "", _f(c["macro_f1"]), f"{len(c['per_label'])} labels"))
    rows.append(("primary-label accuracy", "", "", _f(c["primary_accuracy"]), f"{c['n']} matched problems"))
    lk = rep["links"]
    rows.append(("measure→problem link accuracy", _f(lk["precision"]), _f(lk["recall"]), _f(lk["accuracy"]),
                 f"{lk['exact']}/{lk['matched_measures']} matched measures exact"))
    if "kappa_primary" in rep:
        rows.append(("Cohen's kappa (primary category)", "", "", _f(rep["kappa_primary"]), f"{c['n']} matched problems"))
    return rows


def print_rich(rep: dict, title: str = "jixiao eval") -> None:
    from rich.console import Console
    from rich.table import Table

    t = Table("measure", "P", "R", "F1 / acc", "counts", title=title)
    for row in summary_rows(rep):
        t.add_row(*row)
    con = Console()
    con.print(t)
    d = Table("document", "meta", "facts F1", "mentions F1", "problems F1", "measures F1", "indicators F1",
              title="per document")
    for doc, s in rep["per_doc"].items():
        d.add_row(doc, f"{s['meta_correct']}/{s['meta_total']}", _f(s["facts"]["f1"]), _f(s["mentions"]["f1"]),
                  _f(s["problems"]["f1"]), _f(s["measures"]["f1"]), _f(s["indicators"]["f1"]))
    con.print(d)
    n = sum(len(v) for v in rep["errors"].values())
    con.print(f"{n} errors listed in the --json / --markdown report")


def _err_line(e: dict) -> str:
    k = e["kind"]
    if k == "meta":
        return f"meta `{e['field']}`: gold {e['gold']!r}, predicted {e['pred']!r}"
    if k.startswith("fact") and "dedup" not in k:
        t, name, stage, qual, ent, val = e["key"]
        tag = "missed" if k.endswith("fn") else "spurious"
        extra = "".join(f" {x}" for x in (stage, qual) if x) + (f" @{ent}" if ent else "")
        return f"{tag} {t}.{name}{extra} = {val} at {e['span']}: `{_clip(e['text'])}`"
    if k.startswith("fact"):
        return ""
    if k in ("problem_fn", "measure_fn", "problem_fp", "measure_fp"):
        what, side = k.split("_")
        tag = "missed" if side == "fn" else "spurious"
        return f"{tag} {what} at {e['span']}: `{_clip(e['text'])}`"
    if k == "link":
        return f"link: measure at {e['span']} `{_clip(e['text'], 30)}` gold {e['gold']}, predicted {e['pred']}"
    if k.startswith("indicator"):
        return f"{'missed' if k.endswith('fn') else 'spurious'} indicator row {e['row']}"
    return json.dumps(e, ensure_ascii=False)


def _clip(s: str, n: int = 60) -> str:
    s = " ".join((s or "").split()).replace("`", "'")
    return s if len(s) <= n else s[: n - 1] + "…"


def markdown(rep: dict, title: str = "Extractor vs gold") -> str:
    out = [f"# {title}", "", f"{rep['documents']} gold documents. Scoring rules: SPEC.md \"Scoring\" "
           "(see `eval/score.py`).", "", "| measure | P | R | F1 / acc | counts |", "|---|---|---|---|---|"]
    out += [f"| {' | '.join(r)} |" for r in summary_rows(rep)]
    out += ["", "## Meta by field", "", "| field | correct | accuracy |", "|---|---|---|"]
    out += [f"| {f} | {v['correct']}/{v['total']} | {_f(v['accuracy'])} |" for f, v in rep["meta"]["per_field"].items()]
    c = rep["categories"]
    if c["confusion"]:
        labels = sorted({p for row in c["confusion"].values() for p in row} | set(c["confusion"]))
        out += ["", "## Primary-category confusion (rows gold, columns predicted)", "",
                "| gold \\ pred | " + " | ".join(labels) + " |", "|---" * (len(labels) + 1) + "|"]
        for g in labels:
            row = c["confusion"].get(g, {})
            out.append(f"| {g} | " + " | ".join(str(row.get(p, 0) or "") for p in labels) + " |")
    out += ["", "## Per document", "", "| document | meta | facts F1 | mentions F1 | problems F1 | measures F1 | "
            "links exact | indicators F1 |", "|---|---|---|---|---|---|---|---|"]
    for doc, s in rep["per_doc"].items():
        out.append(f"| {doc} | {s['meta_correct']}/{s['meta_total']} | {_f(s['facts']['f1'])} | "
                   f"{_f(s['mentions']['f1'])} | {_f(s['problems']['f1'])} | {_f(s['measures']['f1'])} | "
                   f"{s['links']['exact']}/{s['links']['measures']} | {_f(s['indicators']['f1'])} |")
    out += ["", "## Every error", ""]
    for doc, errs in rep["errors"].items():
        lines = [x for x in map(_err_line, errs) if x]
        if lines:
            out += [f"### {doc}", ""] + [f"- {x}" for x in lines] + [""]
    if rep.get("load_problems"):
        out += ["## Files that could not be read", ""] + [f"- {p}" for p in rep["load_problems"]]
    return "\n".join(out).rstrip() + "\n"
