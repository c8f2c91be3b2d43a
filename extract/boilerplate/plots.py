"""Three PNG plots of a boilerplate analysis (matplotlib, Agg backend, CJK font when available)."""
from __future__ import annotations

from collections import defaultdict
from pathlib import Path

CJK_FONTS = ("WenQuanYi Micro Hei", "Noto Sans CJK SC", "Noto Sans SC", "SimHei", "Microsoft YaHei")


def _plt():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib import font_manager

    names = {f.name for f in font_manager.fontManager.ttflist}
    found = [f for f in CJK_FONTS if f in names]
    if found:
        plt.rcParams["font.sans-serif"] = found + list(plt.rcParams["font.sans-serif"])
        plt.rcParams["axes.unicode_minus"] = False
    return plt


def write_plots(a, out: Path) -> list[Path]:
    plt = _plt()
    paths = []

    scores = [d["boilerplate_word4"] for d in a.documents if d.get("boilerplate_word4") is not None]
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.hist(scores, bins=min(20, max(5, len(scores))), range=(0, 1), color="#4C72B0")
    ax.set(title=f"Document boilerplate score (word 4-grams, n={len(scores)})", xlabel="share of words in boilerplate sentences",
           ylabel="documents")
    paths.append(_save(fig, out / "boilerplate_distribution.png", plt))

    words = defaultdict(lambda: [0, 0])
    for s in a.sentences:
        words[s["section"]][0] += s["words"] * bool(s["boilerplate_word4"])
        words[s["section"]][1] += s["words"]
    labels = sorted(words, key=lambda k: -words[k][1])
    fig, ax = plt.subplots(figsize=(7, 4))
    ax.barh(labels, [words[k][0] / words[k][1] if words[k][1] else 0 for k in labels], color="#55A868")
    ax.invert_yaxis()
    ax.set(title="Boilerplate share by section", xlabel="share of words in boilerplate sentences", xlim=(0, 1))
    paths.append(_save(fig, out / "boilerplate_by_section.png", plt))

    top = a.templates[:15]
    fig, ax = plt.subplots(figsize=(8, 0.45 * max(len(top), 2) + 1.5))
    ax.barh([f"T{t.id} {t.representative[:22]}" for t in top], [t.doc_frequency for t in top], color="#C44E52")
    ax.invert_yaxis()
    ax.set(title="Top templates by document frequency", xlabel="documents")
    paths.append(_save(fig, out / "top_templates.png", plt))
    return paths


def _save(fig, path: Path, plt) -> Path:
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
