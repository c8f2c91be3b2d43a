"""The application layer, one test per defect of issue 16 (each failed on the code before it).

Every test drives the public command line (typer's CliRunner, or a real process where a
signal or the process exit code matters), so it measures what a user sees.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from extract.cli import app

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "annotations" / "docs"
GOLD = ROOT / "annotations" / "gold"
SEEDS = sorted(DOCS.glob("*.txt"))
PY = sys.executable
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


def cli(*args: str, cwd: Path | None = None):
    """Run ``jixiao ARGS`` with CliRunner (from ``cwd`` when given); returns the result."""
    old = Path.cwd()
    if cwd is not None:
        os.chdir(cwd)
    try:
        return CliRunner().invoke(app, [str(a) for a in args])
    finally:
        os.chdir(old)


def jixiao(*args: str, cwd: Path | None = None, timeout: float = 600) -> subprocess.CompletedProcess:
    """Run ``python -m extract.cli ARGS`` as a real process."""
    return subprocess.run([PY, "-m", "extract.cli", *map(str, args)], cwd=cwd or ROOT, env=ENV,
                          capture_output=True, text=True, timeout=timeout)


def seed_corpus(folder: Path, n: int = 2) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for p in SEEDS[:n]:
        shutil.copy(p, folder / p.name)
    return folder


# --------------------------------------------------------------------------- 1 rerun under another path

def test_1_rerun_under_another_path_or_a_moved_corpus_writes_one_row_per_document(tmp_path):
    seed_corpus(tmp_path / "corpus")
    assert cli("batch", "corpus", "--out", "run", "--workers", "1", "--no-progress", cwd=tmp_path).exit_code == 0
    r = cli("batch", tmp_path / "corpus", "--out", "run", "--workers", "1", "--no-progress", cwd=tmp_path)
    assert r.exit_code == 0 and "nothing new" in r.stdout, r.output
    (tmp_path / "corpus").rename(tmp_path / "moved")
    r = cli("batch", "moved", "--out", "run", "--workers", "1", "--no-progress", cwd=tmp_path)
    assert r.exit_code == 0 and "nothing new" in r.stdout, r.output
    docs = pd.read_parquet(tmp_path / "run" / "tables" / "documents.parquet")
    assert len(docs) == docs["doc_id"].nunique() == 2
    facts = pd.read_parquet(tmp_path / "run" / "tables" / "facts.parquet")
    assert len(facts) == len(facts.drop_duplicates())
    # the moved documents' JSON names where they are now, as a fresh run would
    fresh = tmp_path / "fresh"
    assert cli("batch", "moved", "--out", fresh, "--workers", "1", "--no-progress", cwd=tmp_path).exit_code == 0
    for p in sorted((fresh / "docs").glob("*.json")):
        assert (tmp_path / "run" / "docs" / p.name).read_bytes() == p.read_bytes()


# --------------------------------------------------------------------------- 2 outputs of inputs sharing a name

def test_2_extract_keeps_outputs_of_inputs_that_share_a_file_name(tmp_path):
    for sub, seed in (("a", SEEDS[0]), ("b", SEEDS[1])):
        (tmp_path / sub).mkdir()
        shutil.copy(seed, tmp_path / sub / "附件3.txt")
    shutil.copy(SEEDS[2], tmp_path / "a" / "r.txt")
    (tmp_path / "a" / "r.html").write_text("<html><body><pre>" + SEEDS[3].read_text(encoding="utf-8")
                                           + "</pre></body></html>", encoding="utf-8")
    out = tmp_path / "out"
    r = cli("extract", tmp_path / "a", tmp_path / "b", "--out", out, "--quiet")
    assert r.exit_code == 0, r.output
    written = sorted(out.glob("*.json"))
    assert len(written) == 4
    ids = {json.loads(p.read_text(encoding="utf-8"))["doc_id"] for p in written}
    assert ids == {p.stem for p in written}
    assert "附件3" in ids and "r" in ids and any(i.startswith("附件3__") for i in ids)


# --------------------------------------------------------------------------- 3 orphaned workers

def _children(pid: int) -> set[int]:
    """All descendants of ``pid`` (from /proc)."""
    kids: dict[int, list[int]] = {}
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                ppid = int((d / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            kids.setdefault(ppid, []).append(int(d.name))
    found, todo = set(), [pid]
    while todo:
        for c in kids.get(todo.pop(), []):
            if c not in found:
                found.add(c)
                todo.append(c)
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def wait_gone(pids: set[int], seconds: float = 5.0) -> set[int]:
    """The pids of ``pids`` still alive after ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and any(_alive(p) for p in pids):
        time.sleep(0.1)
    return {p for p in pids if _alive(p)}


def kill_all(proc: subprocess.Popen, pids: set[int]) -> None:
    """Leave nothing behind, whatever the test found: the run and every process it started."""
    pids = pids | _children(proc.pid)
    if proc.poll() is None:
        proc.kill()
        proc.wait()
    for p in pids:
        if _alive(p):
            try:
                os.kill(p, signal.SIGKILL)
            except ProcessLookupError:
                pass


def start_batch(corpus: Path, out: Path, *extra: str) -> subprocess.Popen:
    return subprocess.Popen([PY, "-m", "extract.cli", "batch", str(corpus), "--out", str(out), "--no-progress",
                             *extra], cwd=ROOT, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True)


def wait_for_docs(out: Path, n: int, proc: subprocess.Popen, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        if (out / "docs").is_dir() and len(list((out / "docs").glob("*.json"))) >= n:
            return
        time.sleep(0.05)
    raise AssertionError(f"batch ended or stalled before {n} documents were written")


needs_proc = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")


@pytest.fixture(scope="module")
def corpus300(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("synthetic")
    subprocess.run([PY, str(ROOT / "scripts" / "make_corpus.py"), "--n", "300", "--out", str(out), "--seed", "5"],
                   check=True, capture_output=True)
    return out


@needs_proc
@pytest.mark.parametrize("sig, code", [(signal.SIGTERM, 143), (signal.SIGKILL, -signal.SIGKILL)])
def test_3_no_worker_outlives_a_terminated_or_killed_batch(corpus300, tmp_path, sig, code):
    out = tmp_path / "out"
    proc = start_batch(corpus300, out, "--workers", "2")
    workers: set[int] = set()
    try:
        wait_for_docs(out, 20, proc)
        workers = _children(proc.pid)
        assert len(workers) >= 2, "the pool should be running"
        proc.send_signal(sig)
        assert proc.wait(timeout=60) == code
        assert wait_gone(workers) == set(), "pool workers outlived the run"
    finally:
        kill_all(proc, workers)


# --------------------------------------------------------------------------- 4 import writes outside --out

def _label_studio_export(tmp_path: Path, doc_id: str) -> Path:
    seed = SEEDS[0]
    r = cli("export", "label-studio", GOLD / f"{seed.stem}.json", "--as", "annotations", "--docs", DOCS,
            "--out", tmp_path / "tasks.json")
    assert r.exit_code == 0, r.output
    tasks = json.loads((tmp_path / "tasks.json").read_text(encoding="utf-8"))
    for t in tasks:
        t["data"]["doc_id"] = doc_id
        t.setdefault("annotations", t.get("annotations") or [])
    path = tmp_path / "export.json"
    path.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    return path


def test_4_import_refuses_a_doc_id_that_leaves_the_output_folder(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    shutil.copy(SEEDS[0], tmp_path / "x.txt")  # docs/../x.txt exists: the name alone must be refused
    export = _label_studio_export(tmp_path, "../x")
    r = cli("import", "label-studio", export, "--docs", docs, "--out", tmp_path / "gold")
    assert not (tmp_path / "x.json").exists(), "wrote outside --out"
    assert r.exit_code == 3 and "../x" in r.output, r.output

    line = {"doc_id": "../x", "text": SEEDS[0].read_text(encoding="utf-8"), "label": []}
    (tmp_path / "d.jsonl").write_text(json.dumps(line, ensure_ascii=False) + "\n", encoding="utf-8")
    r = cli("import", "doccano", tmp_path / "d.jsonl", "--docs", docs, "--out", tmp_path / "gold2")
    assert not (tmp_path / "x.json").exists(), "wrote outside --out"
    assert r.exit_code == 3, r.output


# --------------------------------------------------------------------------- 5 size warning and --max-chars

def test_5_oversized_input_is_warned_about_and_refused_with_max_chars(tmp_path):
    big = tmp_path / "in" / "big.txt"
    big.parent.mkdir()
    text = SEEDS[0].read_text(encoding="utf-8")
    big.write_text(text * (2_100_000 // len(text.encode("utf-8")) + 1), encoding="utf-8")
    shutil.copy(SEEDS[1], tmp_path / "in" / "small.txt")
    r = cli("extract", tmp_path / "in", "--out", tmp_path / "out", "--quiet", "--max-chars", str(len(text) * 2))
    assert r.exit_code == 1, r.output
    assert "big.txt" in r.output and "--max-chars" in r.output and "[too_large]" in r.output
    assert sorted(p.name for p in (tmp_path / "out").glob("*.json")) == ["small.json"]

    from extract.app.batch import WARN_BYTES, size_check

    assert size_check(big, big.read_text(encoding="utf-8"), None).startswith(f"{big}: 2.")
    assert big.stat().st_size > WARN_BYTES and size_check(big, text, None) is None


# --------------------------------------------------------------------------- 6 .doc / .wps

def test_6_doc_and_wps_files_are_listed_with_a_reason(tmp_path):
    corpus = seed_corpus(tmp_path / "corpus")
    (corpus / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)  # OLE header, no Word data
    (corpus / "kingsoft.wps").write_bytes(b"not a word file at all")
    r = cli("batch", corpus, "--out", tmp_path / "run", "--workers", "1", "--no-progress")
    assert r.exit_code == 1, r.output
    errors = {Path(e["path"]).name: e for e in map(json.loads, (tmp_path / "run" / "errors.jsonl").read_text(
        encoding="utf-8").splitlines())}
    assert set(errors) == {"old.doc", "kingsoft.wps"}
    assert "not a Word 97-2003 or WPS file" in errors["kingsoft.wps"]["message"]
    assert ("antiword" in errors["old.doc"]["message"]) and errors["old.doc"]["kind"] in ("format", "unsupported")


def test_6_doc_is_read_through_antiword(tmp_path, monkeypatch):
    """The .doc path end to end with a stand-in antiword on PATH that prints a report's text
    (a real Word 97 file cannot be written by any library in the environment)."""
    fake = tmp_path / "bin" / "antiword"
    fake.parent.mkdir()
    fake.write_text(f"#!/bin/sh\ncat '{SEEDS[0]}'\n", encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake.parent}{os.pathsep}{os.environ['PATH']}")
    doc_file = tmp_path / "report.doc"
    doc_file.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    from extract.ingest import read_document

    doc = read_document(doc_file)
    assert doc.raw == SEEDS[0].read_text(encoding="utf-8") and doc.source.format == "doc"


# --------------------------------------------------------------------------- 7 kill while tables are written

def test_7_tables_are_swapped_in_whole_never_mixed(tmp_path, monkeypatch):
    corpus = seed_corpus(tmp_path / "corpus", 2)
    out = tmp_path / "run"
    assert cli("batch", corpus, "--out", out, "--workers", "1", "--no-progress").exit_code == 0
    before = {p.name: p.read_bytes() for p in (out / "tables").iterdir()}
    shutil.copy(SEEDS[2], corpus / SEEDS[2].name)

    real = pd.DataFrame.to_parquet
    calls = {"n": 0}

    def dies_on_second(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt  # the run is stopped while writing the tables
        return real(self, *args, **kwargs)

    monkeypatch.setattr(pd.DataFrame, "to_parquet", dies_on_second)
    r = cli("batch", corpus, "--out", out, "--workers", "1", "--no-progress")
    assert r.exit_code == 130
    assert {p.name: p.read_bytes() for p in (out / "tables").iterdir()} == before, "old and new tables mixed"
    monkeypatch.setattr(pd.DataFrame, "to_parquet", real)
    assert cli("batch", corpus, "--out", out, "--workers", "1", "--no-progress").exit_code == 0
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp")]
    assert len(pd.read_parquet(out / "tables" / "documents.parquet")) == 3


# --------------------------------------------------------------------------- 8 file modes

def test_8_outputs_get_the_users_umask(tmp_path):
    old = os.umask(0o022)
    try:
        corpus = seed_corpus(tmp_path / "corpus", 1)
        assert cli("batch", corpus, "--out", tmp_path / "run", "--workers", "1", "--no-progress").exit_code == 0
        assert cli("extract", corpus, "--out", tmp_path / "ex", "--quiet").exit_code == 0
        files = [*(tmp_path / "run").rglob("*"), *(tmp_path / "ex").glob("*")]
        modes = {str(p.relative_to(tmp_path)): oct(stat.S_IMODE(p.stat().st_mode)) for p in files if p.is_file()}
        assert modes and set(modes.values()) == {"0o644"}, modes
    finally:
        os.umask(old)


# --------------------------------------------------------------------------- 9 --out naming a file

@pytest.mark.parametrize("command", ["extract", "batch"])
def test_9_out_naming_an_existing_file_is_one_line_and_exit_2(tmp_path, command):
    target = tmp_path / "taken"
    target.write_text("mine", encoding="utf-8")
    r = jixiao(command, SEEDS[0], "--out", target)
    assert r.returncode == 2, r.stderr
    assert "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert str(target) in r.stderr and target.read_text(encoding="utf-8") == "mine"


# --------------------------------------------------------------------------- 10 not a report

NEWS = """市财政局召开全市预算管理工作会议
本报讯（记者 李明）3月12日，市财政局召开全市预算管理工作会议，总结去年工作，部署今年任务。会议指出，去年全市一般公共预算收入完成86.5亿元，同比增长6.2%；一般公共预算支出完成132.4亿元，民生支出占比达到78%。全市各级财政部门坚持过紧日子，压减一般性支出1.2亿元，统筹资金支持教育、医疗、养老等重点领域。
会议要求，今年要进一步深化预算管理制度改革，加强财政资源统筹，推动财政资金直达基层，兜牢基层“三保”底线。要强化预算约束，严控新增支出，规范政府债务管理。各区县财政部门负责同志、市直有关单位分管领导参加会议。与会人员表示，将认真贯彻会议精神，抓好各项工作落实，为全市经济社会高质量发展提供坚实财力保障。
"""
CONTENTS = """目  录
一、部门基本情况……………………………………1
二、绩效目标及完成情况……………………………3
三、预算执行情况……………………………………5
四、存在的问题及原因分析…………………………8
五、改进措施…………………………………………9
"""


@pytest.mark.parametrize("name, text, reason", [
    ("news.txt", NEWS, "no title, heading or label of a report"),
    ("contents.txt", CONTENTS, "only a table of contents"),
], ids=["budget_news_story", "contents_only_page"])
def test_10_not_a_report_is_refused_with_the_reason(tmp_path, name, text, reason):
    (tmp_path / name).write_text(text, encoding="utf-8")
    r = cli("extract", tmp_path / name, "--out", tmp_path / "out")
    assert r.exit_code == 3, r.output
    assert reason in r.output and "[not_a_report]" in r.output
    assert not list((tmp_path / "out").glob("*.json"))


@pytest.mark.parametrize("make, word", [
    (lambda p: p.mkdir(), "an empty folder"),
    (lambda p: (p / "x.txt").mkdir(parents=True), "no report file"),
], ids=["empty_folder", "directory_named_x_txt"])
def test_10_empty_folder_or_a_folder_named_like_a_file_gets_a_word(tmp_path, make, word):
    target = tmp_path / "in"
    make(target)
    arg = target / "x.txt" if (target / "x.txt").exists() else target
    for command in (["extract", arg, "--out", tmp_path / "o1"], ["batch", arg, "--out", tmp_path / "o2",
                                                                 "--no-progress"]):
        r = cli(*command)
        assert r.exit_code == 3, r.output
        assert word in r.output and str(arg) in r.output


# --------------------------------------------------------------------------- 11 exit codes agree

def test_11_every_command_uses_the_same_exit_codes(tmp_path):
    good = seed_corpus(tmp_path / "good", 1)
    mixed = seed_corpus(tmp_path / "mixed", 1)
    (mixed / "empty.txt").write_bytes(b"")
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "empty.txt").write_bytes(b"")
    cases = {
        "extract": lambda src, n: ["extract", src, "--out", tmp_path / f"e{n}", "--quiet"],
        "batch": lambda src, n: ["batch", src, "--out", tmp_path / f"b{n}", "--workers", "1", "--no-progress"],
        "check": lambda src, n: ["check", src, "--json"],
        "commitments": lambda src, n: ["commitments", src],
        "export doccano": lambda src, n: ["export", "doccano", src, "--out", tmp_path / f"d{n}.jsonl"],
    }
    for name, args in cases.items():
        codes = [cli(*args(src, n)).exit_code for n, src in enumerate((good, mixed, bad))]
        assert codes == [0, 1, 3], f"{name}: {codes}"


# --------------------------------------------------------------------------- 12 the small points

def test_12_index_links_are_url_encoded(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(SEEDS[0], corpus / "报告#1.txt")
    assert cli("batch", corpus, "--out", tmp_path / "run", "--html", "--workers", "1", "--no-progress").exit_code == 0
    index = (tmp_path / "run" / "html" / "index.html").read_text(encoding="utf-8")
    assert 'href="%E6%8A%A5%E5%91%8A%231.html"' in index
    assert (tmp_path / "run" / "html" / "报告#1.html").exists()


def test_12_money_is_an_exact_decimal_in_parquet_and_duckdb(tmp_path):
    duckdb = pytest.importorskip("duckdb")
    import pyarrow as pa
    import pyarrow.parquet as pq

    out = tmp_path / "run"
    assert cli("batch", DOCS, "--out", out, "--workers", "1", "--no-progress").exit_code == 0
    assert pa.types.is_decimal(pq.read_schema(out / "tables" / "facts.parquet").field("value").type)
    assert cli("db", out).exit_code == 0
    con = duckdb.connect(str(out / "jixiao.duckdb"), read_only=True)
    kind, total = con.execute("SELECT typeof(sum(value)), sum(value) FROM facts WHERE type = 'finance'").fetchone()
    con.close()
    assert kind.startswith("DECIMAL")
    from decimal import Decimal

    expected = sum(Decimal(str(f["value"])) for p in (out / "docs").glob("*.json")
                   for f in json.loads(p.read_text(encoding="utf-8"))["facts"]
                   if f["type"] == "finance" and f["value"] is not None)
    assert total == expected


def test_12_view_of_a_result_works_from_another_folder(tmp_path):
    corpus = seed_corpus(tmp_path / "corpus", 1)
    assert cli("extract", "corpus", "--out", "out", "--quiet", cwd=tmp_path).exit_code == 0
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = tmp_path / "out" / f"{SEEDS[0].stem}.json"
    r = cli("view", result, "--out", "v.html", "--docs", "no_such_folder", cwd=elsewhere)
    assert r.exit_code == 0, r.output
    assert (elsewhere / "v.html").stat().st_size > 1000
    del corpus


def test_12_error_lines_name_the_file_once(tmp_path):
    empty = tmp_path / "X.txt"
    empty.write_bytes(b"")
    r = cli("view", empty, "--out", tmp_path / "v.html")
    assert r.exit_code == 3
    line = r.output.strip().splitlines()[-1]
    assert line.count(str(empty)) == 1 and "empty file" in line, line


def test_12_manifest_records_the_classifier(tmp_path):
    corpus = seed_corpus(tmp_path / "corpus", 1)
    assert cli("batch", corpus, "--out", tmp_path / "run", "--workers", "1", "--no-progress").exit_code == 0
    models = json.loads((tmp_path / "run" / "manifest.json").read_text(encoding="utf-8"))["models"]
    assert models.get("problem_classifier", {}).get("jixiao") and len(models["problem_classifier"]["weights_sha256"]) == 64


def test_12_demo_summary_aligns_chinese_unit_names(tmp_path):
    corpus = seed_corpus(tmp_path / "corpus", 5)
    assert cli("extract", corpus, "--out", tmp_path / "out", "--quiet").exit_code == 0
    out = subprocess.run([PY, str(ROOT / "scripts" / "summarize.py"), str(tmp_path / "out")], capture_output=True,
                         text=True, check=True).stdout
    import unicodedata

    def cols(s: str) -> int:
        return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)

    rows = [l for l in out.splitlines() if l.startswith(tuple(p.stem[:3] for p in SEEDS))]
    assert len(rows) == 5
    # the facts column ends at the same terminal column on every row
    ends = {cols(l.rstrip().rsplit(None, 3)[0]) for l in rows}
    assert len(ends) == 1, out


def test_html_pages_are_made_for_documents_of_an_earlier_run(tmp_path):
    corpus = seed_corpus(tmp_path / "corpus", 2)
    out = tmp_path / "run"
    assert cli("batch", corpus, "--out", out, "--workers", "1", "--no-progress").exit_code == 0
    r = cli("batch", corpus, "--out", out, "--workers", "1", "--no-progress", "--html")
    assert r.exit_code == 0 and "nothing new" in r.stdout
    assert sorted(p.stem for p in (out / "html").glob("*.html")) == sorted([*(p.stem for p in SEEDS[:2]), "index"])


def test_10_a_report_that_yields_nothing_gets_a_word(tmp_path):
    path = tmp_path / "thin.txt"
    path.write_text("2023年度部门整体支出绩效自评报告\n本单位认真组织开展了本年度的绩效自评工作，各项工作总体情况良好，"
                    "达到了预期的目标。\n", encoding="utf-8")
    r = cli("extract", path, "--out", tmp_path / "out", "--quiet")
    assert r.exit_code == 0 and f"warning: {path}: read as a report, but nothing was extracted" in r.output
    r = cli("batch", path, "--out", tmp_path / "run", "--no-progress", "--workers", "1")
    manifest = json.loads((tmp_path / "run" / "manifest.json").read_text(encoding="utf-8"))
    assert r.exit_code == 0 and any("nothing was extracted" in w for w in manifest["warnings"])
