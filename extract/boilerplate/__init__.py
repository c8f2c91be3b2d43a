"""Boilerplate analysis across a corpus of reports: template language, specificity, stickiness.

``run(inputs, out)`` writes per-sentence and per-document tables, template
clusters and three plots; see ``README.md`` beside this file for every measure's
formula and source.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Iterable

from .analysis import Analysis, Options, analyze

__all__ = ["Options", "Analysis", "analyze", "run", "write_outputs"]


def write_outputs(a: Analysis, out: str | Path, csv: bool = True) -> list[Path]:
    import pandas as pd

    from ..runner import write_atomic
    from . import plots

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    templates = [{"template_id": t.id, "doc_frequency": t.doc_frequency, "representative": t.representative,
                  "members": len(t.members), "sections": json.dumps(t.sections, ensure_ascii=False)}
                 for t in a.templates]
    for name, rows in (("sentences", a.sentences), ("documents", a.documents), ("templates", templates)):
        df = pd.DataFrame(rows)
        path = out / f"{name}.parquet"
        df.to_parquet(path, index=False)
        written.append(path)
        if csv:
            df.to_csv(out / f"{name}.csv", index=False)
            written.append(out / f"{name}.csv")
    members = {str(t.id): {"representative": t.representative, "doc_frequency": t.doc_frequency,
                           "sections": t.sections,
                           "members": [{"doc_id": d, "sentence": i, "span": [s, e]} for d, i, s, e in t.members]}
               for t in a.templates}
    write_atomic(out / "templates.json", json.dumps(members, ensure_ascii=False, indent=1) + "\n")
    write_atomic(out / "errors.jsonl", "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in a.errors))
    written += [out / "templates.json", out / "errors.jsonl"]
    written += plots.write_plots(a, out)
    return written


def run(inputs: Iterable[str | Path], out: str | Path, options: Options | None = None, csv: bool = True) -> Analysis:
    a = analyze(inputs, options)
    write_outputs(a, out, csv=csv)
    return a
