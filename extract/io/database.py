"""DuckDB over a batch output folder: tables from the Parquet files plus ready views.

Views:

- ``facts_wide``: one row per document, one column per fact (type.name.stage.qualifier), first mention's value;
- ``over_establishment``: documents (and sub-units) with more staff in post than authorized posts;
- ``problems_by_category_year``: problem counts per primary category and fiscal year;
- ``failed_checks``: every failing cross-check with its document's unit and year.
"""
from __future__ import annotations

from pathlib import Path

VIEWS = {
    "facts_wide": """
        CREATE OR REPLACE VIEW facts_wide AS
        PIVOT (SELECT doc_id,
                      type || '.' || name || '.' || coalesce(stage, '-') || '.' || coalesce(qualifier, '-') AS fact,
                      value FROM facts WHERE entity IS NULL)
        ON fact IN ({columns}) USING first(value) GROUP BY doc_id""",
    "over_establishment": """
        CREATE OR REPLACE VIEW over_establishment AS
        WITH a AS (SELECT doc_id, coalesce(entity, '') AS entity, max(value) AS authorized FROM facts
                   WHERE type = 'staffing' AND name IN ('authorized_total') GROUP BY 1, 2),
             p AS (SELECT doc_id, coalesce(entity, '') AS entity, max(value) AS active FROM facts
                   WHERE type = 'staffing' AND name IN ('active_total') GROUP BY 1, 2)
        SELECT d.doc_id, d.unit, d.fiscal_year, nullif(a.entity, '') AS entity, a.authorized, p.active,
               p.active - a.authorized AS excess
        FROM a JOIN p USING (doc_id, entity) JOIN documents d USING (doc_id)
        WHERE p.active > a.authorized""",
    "problems_by_category_year": """
        CREATE OR REPLACE VIEW problems_by_category_year AS
        SELECT d.fiscal_year, p.primary_category, count(*) AS problems, count(DISTINCT p.doc_id) AS documents
        FROM problems p JOIN documents d USING (doc_id)
        GROUP BY 1, 2 ORDER BY 1, 3 DESC""",
    "failed_checks": """
        CREATE OR REPLACE VIEW failed_checks AS
        SELECT c.doc_id, d.unit, d.fiscal_year, c.name, c.identity, c.computed, c.stated, c.message
        FROM checks c JOIN documents d USING (doc_id) WHERE c.status = 'fail'""",
}


# Lists, flattened for Parquet and CSV, are lists again in the database: column -> separator.
LIST_COLUMNS = {"problems": {"categories": ","}, "measures": {"addresses": ",", "actions": ",", "targets": ";"}}
# The file is written in DuckDB 1.0's storage format, which every duckdb that pyproject.toml
# allows (>=1.1: the first to take this option) can open; DuckDB 2's default format cannot be
# read by 1.x.
STORAGE = {"storage_compatibility_version": "v1.0.0"}


def _select(table: str) -> str:
    lists = LIST_COLUMNS.get(table)
    if not lists:
        return "SELECT * FROM read_parquet(?)"
    parts = ", ".join(f"CASE WHEN {c} IS NULL THEN NULL WHEN {c} = '' THEN []::VARCHAR[] "
                      f"ELSE string_split({c}, '{sep}') END AS {c}" for c, sep in lists.items())
    return f"SELECT * REPLACE ({parts}) FROM read_parquet(?)"


def build_database(out_dir: str | Path) -> Path:
    """Create (or replace) ``OUT/jixiao.duckdb`` from ``OUT/tables/*.parquet``."""
    import duckdb

    from .tables import TABLES

    out_dir = Path(out_dir)
    tables_dir = out_dir / "tables"
    missing = [t for t in TABLES if not (tables_dir / f"{t}.parquet").exists()]
    if missing:
        from ..core import JixiaoError

        raise JixiaoError(f"{tables_dir}: missing tables {', '.join(missing)}; run `jixiao batch ... --out {out_dir}` first")
    db_path = out_dir / "jixiao.duckdb"
    tmp = out_dir / ".jixiao.duckdb.tmp"
    tmp.unlink(missing_ok=True)
    con = duckdb.connect(str(tmp), config=STORAGE)
    try:
        for t in TABLES:
            con.execute(f"CREATE TABLE {t} AS {_select(t)}", [str(tables_dir / f"{t}.parquet")])
        for name, sql in VIEWS.items():
            if name == "facts_wide":  # a view's PIVOT must list its columns: those present in this corpus
                cols = [r[0] for r in con.execute(
                    "SELECT DISTINCT type || '.' || name || '.' || coalesce(stage, '-') || '.' || coalesce(qualifier, '-')"
                    " FROM facts WHERE entity IS NULL ORDER BY 1").fetchall()]
                if not cols:
                    con.execute("CREATE OR REPLACE VIEW facts_wide AS SELECT doc_id FROM documents")
                    continue
                sql = sql.format(columns=", ".join("'" + c.replace("'", "''") + "'" for c in cols))
            con.execute(sql)
    finally:
        con.close()
    os_replace(tmp, db_path)
    return db_path


def os_replace(src: Path, dst: Path) -> None:
    import os

    os.replace(src, dst)


def query(out_dir: str | Path, sql: str):
    """Run SQL against ``OUT/jixiao.duckdb`` (built first if absent); returns (columns, rows)."""
    import duckdb

    out_dir = Path(out_dir)
    db_path = out_dir / "jixiao.duckdb"
    if not db_path.exists():
        build_database(out_dir)
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        cur = con.execute(sql)
        cols = [d[0] for d in cur.description] if cur.description else []
        return cols, cur.fetchall()
    finally:
        con.close()
