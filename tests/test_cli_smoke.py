"""End-to-end smoke tests of the CLI over the bundled corpus."""
import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from extract.cli import app

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "annotations" / "docs"


def test_version():
    r = CliRunner().invoke(app, ["--version"])
    assert r.exit_code == 0 and r.stdout.startswith("jixiao ")


def test_help_imports_no_heavy_library():
    code = ("import sys; from extract.cli import app; from typer.main import get_command; "
            "get_command(app); heavy=[m for m in ('spacy','sklearn','datasets','jieba') if m in sys.modules]; "
            "print(','.join(heavy))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == ""


def test_extract_writes_one_spec_json_per_seed(tmp_path):
    r = CliRunner().invoke(app, ["extract", str(DOCS), "--out", str(tmp_path), "--quiet"])
    assert r.exit_code == 0, r.output
    written = sorted(p.stem for p in tmp_path.glob("*.json"))
    assert written == sorted(p.stem for p in DOCS.glob("*.txt"))
    for p in tmp_path.glob("*.json"):
        d = json.loads(p.read_text(encoding="utf-8"))
        raw = (DOCS / f"{p.stem}.txt").read_text(encoding="utf-8")
        assert set(d) >= {"doc_id", "text_sha256", "meta", "facts", "problems", "measures", "indicators"}
        for kind in ("facts", "problems", "measures"):
            for item in d[kind]:
                s, e = item["span"]
                assert 0 <= s < e <= len(raw)
