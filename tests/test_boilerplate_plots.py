"""Boilerplate plots: every plot is written, and Chinese is drawn with the packaged CJK font
(zero missing-glyph warnings) in a fresh process with a fresh matplotlib cache."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from extract.boilerplate import Fields, Options, run

ROOT = Path(__file__).resolve().parents[1]
PLOTS = ("boilerplate_distribution.png", "boilerplate_over_time.png", "stickiness_over_time.png",
         "boilerplate_by_section.png", "top_templates.png", "persistent_templates.png")

DRAW = r"""
import json, sys, warnings
from pathlib import Path
warnings.simplefilter("always")
from extract.boilerplate import plots
import matplotlib.pyplot as plt
from matplotlib import font_manager
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    paths = plots.write_plots(Path(sys.argv[1]))
missing = [str(w.message) for w in caught if "missing from font" in str(w.message)]
rc = plots.style()
font = font_manager.findfont(font_manager.FontProperties(family=rc["font.sans-serif"][0]), fallback_to_default=False)
with warnings.catch_warnings(record=True) as control:  # the same text without the packaged font
    warnings.simplefilter("always")
    fig, ax = plt.subplots()
    ax.set_title("绩效自评报告")
    fig.canvas.draw()
control_missing = [str(w.message) for w in control if "missing from font" in str(w.message)]
print(json.dumps({"paths": [p.name for p in paths], "missing": missing, "font": font,
                  "control_missing": len(control_missing)}))
"""


@pytest.fixture(scope="module")
def tables(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("plots")
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "annotations" / "docs").glob("*.txt"))]
    rows = [{"unit": u, "year": str(y), "content": texts[(k + i) % len(texts)]}
            for k, u in enumerate(("甲局", "乙局")) for i, y in enumerate((2021, 2022, 2023))]
    src = tmp / "c.jsonl"
    src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    run([src], tmp / "out", Options(), Fields(text="content", time="year", series="unit"), csv=False, plots=False)
    return tmp / "out"


def test_plots_render_chinese_with_a_fresh_matplotlib_cache(tables, tmp_path):
    env = dict(os.environ, MPLCONFIGDIR=str(tmp_path / "mplconfig"), PYTHONPATH=str(ROOT))
    res = subprocess.run([sys.executable, "-c", DRAW, str(tables)], capture_output=True, text=True, env=env,
                         cwd=ROOT, timeout=300)
    assert res.returncode == 0, res.stderr[-2000:]
    got = json.loads(res.stdout.strip().splitlines()[-1])
    assert sorted(got["paths"]) == sorted(PLOTS)
    assert got["missing"] == []
    assert got["font"].endswith("NotoSansSC-Regular.otf")  # the font from the package, not a system one
    assert got["control_missing"] > 0  # without it the same machine draws empty boxes: the check can fail
    for name in PLOTS:
        data = (tables / name).read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 5000, name
