"""Plots of a boilerplate run, drawn from its output tables (matplotlib, Agg backend).

Chinese is drawn with Noto Sans SC shipped by the ``pylopdf-fonts-zh-cn`` package (SIL
OFL), registered with matplotlib at run time, so a fresh install without any system
CJK font (and a fresh matplotlib cache) renders template texts instead of empty
boxes. Styling is applied inside ``rc_context`` (no global rcParams change).
"""
from __future__ import annotations

from pathlib import Path

SYSTEM_CJK = ("Noto Sans CJK SC", "Noto Sans SC", "WenQuanYi Micro Hei", "Source Han Sans SC", "SimHei",
              "Microsoft YaHei")
MAX_POINTS = 5000  # per-report dots drawn up to this many reports


def cjk_font_name() -> str | None:
    """The family name of a CJK font matplotlib can use: the packaged Noto Sans SC (registered on first
    call), else an installed system font, else None."""
    from matplotlib import font_manager

    try:
        import pylopdf_fonts_zh_cn

        path = str(pylopdf_fonts_zh_cn.sans_path())
        if path not in {f.fname for f in font_manager.fontManager.ttflist}:
            font_manager.fontManager.addfont(path)
        return font_manager.FontProperties(fname=path).get_name()
    except (ImportError, OSError, RuntimeError):
        names = {f.name for f in font_manager.fontManager.ttflist}
        return next((f for f in SYSTEM_CJK if f in names), None)


def style() -> dict:
    font = cjk_font_name()
    rc = {"axes.unicode_minus": False, "axes.spines.top": False, "axes.spines.right": False,
          "axes.grid": True, "grid.alpha": 0.3, "figure.dpi": 110, "savefig.dpi": 150, "font.size": 9}
    if font:
        rc.update({"font.family": "sans-serif", "font.sans-serif": [font, "DejaVu Sans"]})
    return rc


def write_plots(out: Path) -> list[Path]:
    """Write every plot the tables in ``out`` support; returns the written paths."""
    import matplotlib

    matplotlib.use("Agg")
    import duckdb
    import matplotlib.pyplot as plt

    out = Path(out)
    con = duckdb.connect()
    paths: list[Path] = []

    def q(sql: str):
        return con.execute(sql.format(out=out)).df()

    with plt.rc_context(style()):
        years = q("SELECT * FROM read_parquet('{out}/years.parquet') ORDER BY time")
        docs = q("SELECT time, boilerplate_word4, template_share FROM read_parquet('{out}/documents.parquet')")
        n_docs = len(docs)
        paths.append(_distribution(plt, docs, out))
        if len(years):
            paths.append(_over_time(plt, years, docs if n_docs <= MAX_POINTS else None, out))
        stick = q("SELECT time, sticky_reused_8gram, sentence_reuse_share, change_score "
                  "FROM read_parquet('{out}/stickiness.parquet')")
        if len(stick):
            paths.append(_stickiness(plt, years, stick if len(stick) <= MAX_POINTS else None, out))
        sections = q("SELECT section, sum(words) AS words, sum(boilerplate_words) AS bw, count(DISTINCT doc_id) AS docs "
                     "FROM read_parquet('{out}/sections.parquet') GROUP BY section ORDER BY words DESC")
        paths.append(_by_section(plt, sections, out))
        top = q("SELECT template_id, doc_frequency, representative, n_times, first_time, last_time "
                "FROM read_parquet('{out}/templates.parquet') ORDER BY template_id LIMIT 15")
        paths.append(_top_templates(plt, top, out))
        persistent = q("SELECT template_id, representative, n_times, first_time, last_time, doc_frequency "
                       "FROM read_parquet('{out}/templates.parquet') WHERE n_times IS NOT NULL "
                       "ORDER BY n_times DESC, doc_frequency DESC, template_id LIMIT 20")
        if len(persistent) and years["time"].nunique() > 1:
            ids = ",".join(str(int(i)) for i in persistent["template_id"])
            cells = q("SELECT DISTINCT template_id, time FROM read_parquet('{out}/template_members.parquet') "
                      f"WHERE template_id IN ({ids}) AND time IS NOT NULL")
            paths.append(_persistent(plt, persistent, cells, sorted(years["time"]), out))
    con.close()
    return paths


def _label(text: str, width: int = 24) -> str:
    text = "".join(str(text).split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _save(fig, path: Path, plt) -> Path:
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path


def _distribution(plt, docs, out: Path) -> Path:
    scores = docs["boilerplate_word4"].dropna()
    fig, ax = plt.subplots(figsize=(6, 3.8))
    ax.hist(scores, bins=min(30, max(5, len(scores) // 3)), range=(0, 1), color="#4C72B0", edgecolor="white")
    ax.set(title=f"Boilerplate per report (word 4-grams, n = {len(scores):,})",
           xlabel="share of words in boilerplate sentences", ylabel="reports")
    return _save(fig, out / "boilerplate_distribution.png", plt)


def _band(ax, years, measure: str, color: str, label: str) -> None:
    t = years["time"]
    ax.plot(t, years[f"{measure}_mean"], "-o", ms=3, color=color, label=f"{label}: mean")
    if (years[f"{measure}_n"] > 1).any():
        ax.fill_between(t, years[f"{measure}_p25"], years[f"{measure}_p75"], color=color, alpha=0.2,
                        label=f"{label}: interquartile range across series")


def _top(years, measures) -> float:
    """An upper y limit a little above the largest value drawn (at most 1)."""
    top = max(float(years[f"{m}_max"].max()) for m in measures)
    return min(1.0, 1.15 * top) if top == top and top > 0 else 1.0


def _over_time(plt, years, docs, out: Path) -> Path:
    fig, ax = plt.subplots(figsize=(8, 4))
    _band(ax, years, "boilerplate_word4", "#4C72B0", "boilerplate (word 4-grams)")
    _band(ax, years, "template_share", "#C44E52", "template share")
    if docs is not None and (years["boilerplate_word4_n"] > 1).any():
        d = docs.dropna(subset=["time"])
        ax.scatter(d["time"], d["boilerplate_word4"], s=6, color="#4C72B0", alpha=0.35, label="reports")
    ax.set(title=f"Boilerplate over time ({int(years['reports'].sum()):,} reports, {len(years)} years)",
           xlabel="year", ylabel="share of words", ylim=(0, _top(years, ("boilerplate_word4", "template_share"))))
    ax.legend(loc="best", fontsize=7, frameon=False)
    return _save(fig, out / "boilerplate_over_time.png", plt)


def _stickiness(plt, years, stick, out: Path) -> Path:
    fig, (a, b) = plt.subplots(2, 1, figsize=(8, 5.5), sharex=True)
    y = years[years["sticky_reused_8gram_n"] > 0]
    _band(a, y, "sticky_reused_8gram", "#55A868", "8-grams reused from the previous report")
    _band(a, y, "sentence_reuse_share", "#8172B2", "sentences reappearing")
    if stick is not None:
        a.scatter(stick["time"], stick["sticky_reused_8gram"], s=6, color="#55A868", alpha=0.35)
    a.set(ylabel="share", ylim=(0, _top(y, ("sticky_reused_8gram", "sentence_reuse_share"))), title=f"Stickiness: each report against its series' previous report "
                                              f"({int(y['sticky_reused_8gram_n'].sum()):,} pairs)")
    a.legend(loc="best", fontsize=7, frameon=False)
    _band(b, y, "change_score", "#DD8452", "change score (1 - cosine of word counts)")
    b.set(xlabel="year", ylabel="change score", ylim=(0, None))
    b.legend(loc="best", fontsize=7, frameon=False)
    return _save(fig, out / "stickiness_over_time.png", plt)


def _by_section(plt, sections, out: Path) -> Path:
    sections = sections.head(15)
    share = (sections["bw"] / sections["words"].where(sections["words"] > 0)).fillna(0)
    fig, ax = plt.subplots(figsize=(7, 0.35 * max(len(sections), 3) + 1.2))
    ax.barh([f"{s} (n={d:,})" for s, d in zip(sections["section"], sections["docs"])], share, color="#55A868")
    ax.invert_yaxis()
    ax.set(title="Boilerplate by section (word 4-grams, pooled words)", xlabel="share of words in boilerplate sentences",
           xlim=(0, 1))
    return _save(fig, out / "boilerplate_by_section.png", plt)


def _top_templates(plt, top, out: Path) -> Path:
    fig, ax = plt.subplots(figsize=(8, 0.38 * max(len(top), 2) + 1.4))
    ax.barh([f"T{int(i)} {_label(r)}" for i, r in zip(top["template_id"], top["representative"])],
            top["doc_frequency"], color="#C44E52")
    ax.invert_yaxis()
    ax.set(title="Most widespread templates", xlabel="reports using the template")
    return _save(fig, out / "top_templates.png", plt)


def _persistent(plt, persistent, cells, all_years: list, out: Path) -> Path:
    order = {int(t): k for k, t in enumerate(persistent["template_id"])}
    fig, ax = plt.subplots(figsize=(10, 0.34 * len(order) + 1.6))
    ax.scatter([int(t) for t in cells["time"]], [order[int(t)] for t in cells["template_id"]], marker="s", s=14,
               color="#4C72B0")
    ax.set_yticks(range(len(order)))
    ax.set_yticklabels([f"T{int(i)} {_label(r, 20)} ({int(n)} yrs)" for i, r, n in
                        zip(persistent["template_id"], persistent["representative"], persistent["n_times"])])
    ax.invert_yaxis()
    ax.set_xlim(min(all_years) - 1, max(all_years) + 1)
    ax.set(title="Most persistent templates: the years each appears in", xlabel="year")
    return _save(fig, out / "persistent_templates.png", plt)
