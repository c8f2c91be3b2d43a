"""Speed benchmarks for jixiao; writes eval/results/bench.md.

Every benchmark is a function registered with ``@benchmark`` that takes the shared
:class:`Context` and returns :class:`Row` s; ``main`` runs them in order and writes
one markdown table with the machine it ran on. To add one, write a function in this
file (or import a module that registers one) and decorate it:

    @benchmark
    def bench_facts(ctx: Context) -> list[Row]:
        seconds = best_of(5, lambda: [extract_facts(d) for d in ctx.documents()])
        return [Row("facts", "throughput", ctx.chars / seconds, "chars/s")]

Usage: ``python scripts/bench.py [--only NAME ...] [--out eval/results/bench.md]``.
Speed is measured here, never in unit tests.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


@dataclass(frozen=True)
class Row:
    """One measured number: which benchmark, what, the value, its unit, a note on how."""

    benchmark: str
    metric: str
    value: float | str
    unit: str = ""
    note: str = ""


@dataclass
class Context:
    """What benchmarks share: the seed corpus (raw texts by file name)."""

    docs_dir: Path = ROOT / "annotations" / "docs"
    texts: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.texts:
            self.texts = {p.name: p.read_text(encoding="utf-8") for p in sorted(self.docs_dir.glob("*.txt"))}

    @property
    def chars(self) -> int:
        return sum(len(t) for t in self.texts.values())


BENCHMARKS: list[Callable[[Context], list[Row]]] = []


def benchmark(fn: Callable[[Context], list[Row]]) -> Callable[[Context], list[Row]]:
    """Register a benchmark (run in registration order)."""
    BENCHMARKS.append(fn)
    return fn


def best_of(repeats: int, fn: Callable[[], object], min_seconds: float = 0.2) -> float:
    """Best wall time of one call of ``fn``, over ``repeats`` timings of enough calls to last ``min_seconds``."""
    calls = 1
    while True:  # calibrate: how many calls make a timing long enough to trust
        t0 = time.perf_counter()
        for _ in range(calls):
            fn()
        if time.perf_counter() - t0 >= min_seconds or calls >= 1 << 20:
            break
        calls *= 2
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        for _ in range(calls):
            fn()
        best = min(best, (time.perf_counter() - t0) / calls)
    return best


# --------------------------------------------------------------------------- benchmarks

@benchmark
def bench_normalize_vs_jieba(ctx: Context) -> list[Row]:
    """Normalization + section parsing vs jieba.lcut on the same raw texts (target: >= 5x)."""
    from extract.normalize import make_document
    from extract.sections import parse_sections

    texts = list(ctx.texts.values())
    n = ctx.chars

    def normalize_only() -> None:
        for t in texts:
            make_document(t)

    def normalize_and_sections() -> None:
        for t in texts:
            parse_sections(make_document(t))

    import jieba

    jieba.setLogLevel(60)
    jieba.lcut(texts[0])  # warm-up: loads the dictionary, excluded from the timing

    def segment() -> None:
        for t in texts:
            jieba.lcut(t)

    t_norm = best_of(5, normalize_only)
    t_both = best_of(5, normalize_and_sections)
    t_jieba = best_of(5, segment)
    n_sections = sum(sum(1 for _ in parse_sections(make_document(t)).walk()) for t in texts)
    corpus = f"{len(texts)} seed docs, {n:,} chars"
    return [
        Row("normalize", "normalization (make_document)", n / t_norm, "chars/s", corpus + "; best of 5"),
        Row("normalize", "normalization + parse_sections", n / t_both, "chars/s",
            f"{corpus}; {n_sections} sections found"
            f"{' (parse_sections is still the placeholder)' if not n_sections else ''}; best of 5"),
        Row("normalize", "jieba.lcut (default mode, HMM on)", n / t_jieba, "chars/s",
            "same raw texts; dictionary loaded by a warm-up call before timing; best of 5"),
        Row("normalize", "speed-up: (normalization + sections) / jieba", t_jieba / t_both, "x", "target >= 5x"),
    ]


@benchmark
def bench_cli_help(ctx: Context) -> list[Row]:
    """Cold start of the command line: ``jixiao --help`` in a fresh process."""
    exe = shutil.which("jixiao", path=str(Path(sys.executable).parent)) or shutil.which("jixiao")
    cmd = [exe, "--help"] if exe else [sys.executable, "-m", "extract.cli", "--help"]
    times = []
    for _ in range(5):
        t0 = time.perf_counter()
        subprocess.run(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - t0)
    return [Row("cli", "`jixiao --help` wall time", min(times) * 1000, "ms",
                f"fresh process, best of 5 (median {sorted(times)[2] * 1000:.0f} ms)")]


@benchmark
def bench_classify(ctx: Context) -> list[Row]:
    """Classifying 10,000 problem statements: rules, model, ensemble (target < 10 s on one core)."""
    import random

    from extract.classify.ensemble import EnsembleClassifier
    from extract.classify.model import load_model
    from extract.classify.rules import RuleClassifier
    from extract.core import ModelVersionError
    from extract.train import fit, load_examples_jsonl

    problems, negatives = load_examples_jsonl()
    try:
        model, which = load_model(), "models/problem_classifier"
    except (FileNotFoundError, ModelVersionError):
        model, which = fit(problems, negatives, seed=0), "no saved model: fitted on the synthetic examples"
    rng = random.Random(0)  # statements: two synthetic sentences glued, so most are unseen strings
    texts = [rng.choice(problems).text + rng.choice(problems).text[:12] for _ in range(10_000)]
    model.classify(texts[:10])  # warm-up: loads the jieba dictionary, excluded from the timing
    rows = []
    from extract.classify.model import _jieba_tokens

    for name, clf in (("rules", RuleClassifier()), ("model", model), ("ensemble", EnsembleClassifier(model))):
        _jieba_tokens.cache_clear()  # each component tokenizes the statements afresh
        t0 = time.perf_counter()
        clf.classify(texts)
        rows.append(Row("classify", f"10,000 problem statements, {name}", time.perf_counter() - t0, "s",
                        f"one process, single-threaded ({which}); target < 10 s"))
    return rows


# --------------------------------------------------------------------------- PDF

PDF_CORPUS = ROOT.parent / "shared" / "corpora" / "putuo_2024_final_accounts"
_PDF_MEMORY = """
import resource, sys
from extract.pipeline import extract_file
r = extract_file(sys.argv[1])
print(len(r.facts), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def _pdfplumber_chars_text(path: Path) -> str:
    """The alternative: pdfplumber (pdfminer) character boxes through jixiao's own line assembly, no tables."""
    import pdfplumber

    from extract.ingest.pdf_layout import Glyph, assemble_lines, reading_order

    pages = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            glyphs = [Glyph(c["text"], c["x0"], c["x1"], c["top"], c["bottom"], c["size"]) for c in page.chars]
            pages.append("\n".join(line.text for line in reading_order(assemble_lines(glyphs), float(page.width))))
    return "\n".join(pages)


#: Sentences of finance_bureau_2024.pdf whose figures plain extract_text() puts on lines of their own.
PDF_PHRASES = ("年初预算为450.52万元，支出决算为449.52万元", "本年收入合计2946.25万元，其中：财政拨款收入2940.05万元",
               "一般公共预算财政拨款支出年初预算为2993.92万元，支出决算为2940.05万元",
               "“三公”经费财政拨款支出年初预算为0.95万元，支出决算为0.00万元")


@benchmark
def bench_pdf(ctx: Context) -> list[Row]:
    """PDF reading on the four real Putuo PDFs: plain pdfplumber extract_text() vs jixiao's reader
    (pypdfium2 character boxes and ruling lines: lines, furniture, ruled tables) vs pdfplumber's
    character boxes through the same line assembly; phrases recovered; peak memory of one extraction
    of the 25-page PDF (target: reader >= 0.5x the pages/s of extract_text(), < 600 MB)."""
    import pdfplumber

    from extract.ingest.pdf import read_pdf

    files = sorted(PDF_CORPUS.glob("*.pdf"))
    if not files:
        return [Row("pdf", "skipped", f"{PDF_CORPUS} absent")]
    n_pages = 0
    t0 = time.perf_counter()
    plain = {}
    for f in files:
        with pdfplumber.open(f) as pdf:
            plain[f.name] = "\n".join(p.extract_text() or "" for p in pdf.pages)
            n_pages += len(pdf.pages)
    t_plain = time.perf_counter() - t0
    t0 = time.perf_counter()
    docs = {f.name: read_pdf(f) for f in files}
    t_layout = time.perf_counter() - t0
    t0 = time.perf_counter()
    plumber_chars = {f.name: _pdfplumber_chars_text(f) for f in files}
    t_chars = time.perf_counter() - t0

    def found(text: str) -> int:
        flat = "".join(text.split())
        return sum(p in flat for p in PDF_PHRASES)

    fin = "finance_bureau_2024.pdf"
    out = subprocess.run([sys.executable, "-c", _PDF_MEMORY, str(PDF_CORPUS / fin)], cwd=ROOT, capture_output=True,
                         text=True, env={**os.environ, "PYTHONPATH": str(ROOT)}, check=True).stdout.split()
    note = f"{len(files)} PDFs, {n_pages} pages, one pass each"
    return [
        Row("pdf", "pdfplumber extract_text()", n_pages / t_plain, "pages/s", note),
        Row("pdf", "jixiao reader (pypdfium2: lines, furniture, ruled tables)", n_pages / t_layout, "pages/s", note),
        Row("pdf", "jixiao reader / extract_text() speed", t_plain / t_layout, "x", "target >= 0.5"),
        Row("pdf", "pdfplumber chars + the same line assembly (no tables)", n_pages / t_chars, "pages/s", note),
        Row("pdf", f"{fin}: phrases in the text (extract_text / jixiao / pdfplumber chars)",
            f"{found(plain[fin])}/{found(docs[fin].text)}/{found(plumber_chars[fin])} of {len(PDF_PHRASES)}", "",
            "figure sentences such as 年初预算为450.52万元，支出决算为449.52万元 (spaces aside)"),
        Row("pdf", f"{fin}: peak RSS of one `extract_file`", int(out[1]) / 1024, "MB",
            f"fresh process (imports included), {out[0]} facts; target < 600 MB"),
    ]


# --------------------------------------------------------------------------- report

#: Sizes (MB of UTF-8 report text in one document) for the document-length benchmark.
DOC_SIZES_MB = (1, 2, 4, 8)
#: Fresh processes per size; the fastest counts.
LENGTH_REPEATS = 3

_LENGTH_CODE = """
import json, resource, sys, time
from extract.normalize import make_document
from extract.pipeline import run_stages
run_stages(make_document(open(sys.argv[2], encoding="utf-8").read(), doc_id="warm"))  # loads every component
text = open(sys.argv[1], encoding="utf-8").read()
t = time.perf_counter()
r = run_stages(make_document(text, doc_id="long"))
s = time.perf_counter() - t
print(json.dumps({"seconds": s, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "problems": len(r.problems), "measures": len(r.measures), "facts": len(r.facts)}))
"""


def long_document(mb: float, seed: int = 1) -> str:
    """One document of about ``mb`` MB of UTF-8 text: synthetic reports (scripts/make_corpus.py) one after another."""
    import random

    from make_corpus import make_report

    rng, parts, size, i = random.Random(seed), [], 0, 0
    while size < mb * 1_000_000:
        part = make_report(i, rng)
        parts.append(part)
        size += len(part.encode("utf-8")) + 1
        i += 1
    return "\n".join(parts)


@benchmark
def bench_document_length(ctx: Context) -> list[Row]:
    """Time and peak memory of the whole pipeline on one document of 1, 2, 4 and 8 MB, each in a
    fresh process; cost should grow linearly (8 MB / 2 MB below 5) and stay under 600 MB at 8 MB."""
    import json
    import tempfile

    rows, seconds = [], {}
    with tempfile.TemporaryDirectory() as tmp:
        for mb in DOC_SIZES_MB:
            path = Path(tmp) / f"doc_{mb}mb.txt"
            path.write_text(long_document(mb), encoding="utf-8")
            warm = sorted(ctx.docs_dir.glob("*.txt"))[0]
            runs = []
            for _ in range(LENGTH_REPEATS):  # the fastest of a few: other work on the machine only adds time
                res = subprocess.run([sys.executable, "-c", _LENGTH_CODE, str(path), str(warm)], cwd=ROOT, check=True,
                                     capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
                runs.append(json.loads(res.stdout.strip().splitlines()[-1]))
            m = {**min(runs, key=lambda r: r["seconds"]), "peak_mb": max(r["peak_mb"] for r in runs)}
            seconds[mb] = m["seconds"]
            how = (f"one document of {path.stat().st_size / 1e6:.2f} MB ({m['facts']} facts, {m['problems']} problems, "
                   f"{m['measures']} measures), fastest of {LENGTH_REPEATS} fresh processes warmed on a seed, pipeline only")
            rows.append(Row("document length", f"{mb} MB: time", round(m["seconds"], 2), "s", how))
            rows.append(Row("document length", f"{mb} MB: peak memory", round(m["peak_mb"]), "MB",
                            "max RSS of the process (imports and models included)"))
    rows.append(Row("document length", "8 MB / 2 MB time", round(seconds[8] / seconds[2], 2), "x",
                    "linear cost gives 4; the goal is below 5"))
    return rows


def _fmt(value: float | str) -> str:
    if isinstance(value, str):
        return value
    if value >= 1000:
        return f"{value:,.0f}"
    return f"{value:.3g}" if value < 10 else f"{value:.1f}"


def machine_info() -> list[tuple[str, str]]:
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                                text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        commit = "?"
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return [("date", dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")),
            ("cores", f"{os.cpu_count()} ({len(os.sched_getaffinity(0)) if hasattr(os, 'sched_getaffinity') else '?'} usable)"),
            ("cpu", cpu), ("python", platform.python_version()), ("platform", platform.platform()),
            ("commit", commit)]


def render(rows: list[Row], kept: list[str] = (), kept_from: str = "") -> str:
    """The report; ``kept`` are table lines of an earlier report for benchmarks not run now
    (``--only`` with ``--keep``), listed after this run's rows under their own note."""
    out = ["# Benchmarks", "", "Written by `scripts/bench.py` (`make bench`); numbers from one run on the machine below,",
           "which other work may share, so compare ratios rather than absolute speeds.", ""]
    out += [f"- **{k}**: {v}" for k, v in machine_info()]
    if kept:
        out += [f"- **kept**: the rows of benchmarks not re-run in this run ({', '.join(sorted({k.split('|')[1].strip() for k in kept}))}) "
                f"are those of the earlier report{(' (' + kept_from + ')') if kept_from else ''}"]
    out += ["", "| benchmark | metric | value | unit | how |", "|---|---|---:|---|---|"]
    out += [f"| {r.benchmark} | {r.metric} | {_fmt(r.value)} | {r.unit} | {r.note} |" for r in rows]
    out += list(kept)
    return "\n".join(out) + "\n"


def earlier_rows(report: str, groups: set[str]) -> tuple[list[str], str]:
    """Table lines of an earlier ``report`` whose benchmark group is not in ``groups``,
    and where they come from (that report's date and commit, or its own ``kept`` note)."""
    lines = report.splitlines()
    meta = {m.group(1): m.group(2) for m in (re.match(r"- \*\*(\w+)\*\*: (.*)", ln) for ln in lines) if m}
    rows = [ln for ln in lines if ln.startswith("| ") and not ln.startswith("| benchmark |")
            and ln.split("|")[1].strip() not in groups]
    return rows, f"{meta.get('date', '?')}, commit {meta.get('commit', '?')}" + (
        "; some rows older still, see that report's own note" if "kept" in meta else "")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", nargs="*", help="run only benchmarks whose function name contains one of these")
    ap.add_argument("--out", type=Path, default=ROOT / "eval" / "results" / "bench.md")
    ap.add_argument("--keep", action="store_true",
                    help="keep the rows of benchmarks not run now from the existing report (with --only)")
    args = ap.parse_args(argv)
    before = args.out.read_text(encoding="utf-8") if args.keep and args.out.exists() else None
    ctx = Context()
    rows: list[Row] = []
    for fn in BENCHMARKS:
        if args.only and not any(s in fn.__name__ for s in args.only):
            continue
        print(f"running {fn.__name__} ...", file=sys.stderr, flush=True)
        try:
            rows += fn(ctx)
        except Exception as e:  # one broken benchmark must not hide the others
            rows.append(Row(fn.__name__, "error", f"{type(e).__name__}: {e}"))
        text = render(rows, *_kept(before, rows))  # written after every benchmark: an interrupted run keeps what it measured
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text, encoding="utf-8")
    print(render(rows, *_kept(before, rows)))
    return 0


def _kept(before: str | None, rows: list[Row]) -> tuple[list[str], str]:
    return ([], "") if before is None else earlier_rows(before, {r.benchmark for r in rows})


# corpus-scale benchmarks live in their own module; it imports this one as `bench`
sys.modules.setdefault("bench", sys.modules[__name__])
sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_corpus  # noqa: E402,F401  (registers pipeline, batch, cold-start and 10k-corpus benchmarks)

if __name__ == "__main__":
    sys.exit(main())
