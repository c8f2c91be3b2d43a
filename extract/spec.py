"""The SPEC vocabulary, once (``../shared/SPEC.md`` and ``annotations/``'s extensions).

Every list of names the data contract fixes lives here: fact names per type, stages,
qualifiers, report kinds, metadata fields, grades, problem categories and sources.
The extractors, the annotation tools (``extract.io``), the classifier and the scorer
(``eval``, which imports nothing else from ``extract``) all read it from this module, and
``annotations/schema.json`` is generated from it (``python -m jixiao_eval.schema``).

A leaf: it imports nothing from the project.
"""
from __future__ import annotations

FACT_TYPES = ("staffing", "org", "finance", "rate")
STAFFING = ("authorized_total", "authorized_admin", "authorized_institution", "authorized_worker", "actual_total",
            "active_total", "active_admin", "active_institution", "retired", "retired_cadre", "retired_all",
            "early_retired", "worker", "non_establishment")
ORG = ("internal_departments", "subordinate_units", "secondary_budget_units", "accounting_units")
FINANCE = ("income", "expenditure", "basic_expenditure", "project_expenditure", "personnel_expenditure",
           "public_expenditure", "carryover_begin", "carryover_end", "three_public", "funds_received")
RATE = ("execution_rate", "carryover_rate", "budget_variance_rate", "asset_utilization",
        "procurement_execution_rate", "funds_arrival_rate")
#: Fact names per fact type.
NAMES = {"staffing": STAFFING, "org": ORG, "finance": FINANCE, "rate": RATE}

STAGES = ("budget", "adjusted", "final", None)
#: Finance qualifiers naming a fund source.
FUND_TYPES = ("fiscal", "general_public", "government_fund", "other")
#: Finance qualifiers naming a funding level (project reports).
FUNDING_LEVELS = ("central", "provincial", "municipal", "county", "local", "other")
#: The qualifier vocabulary per finance name; a name not listed takes only null.
QUALIFIERS = {
    "income": (None, "fiscal", "general_public", "government_fund", "state_capital", "other"),
    "expenditure": (None, *FUND_TYPES, *(q for q in FUNDING_LEVELS if q not in FUND_TYPES)),
    "funds_received": (None, *FUNDING_LEVELS),
}
#: An expenditure qualifier may also be a functional class of 政府收支分类科目 (一般公共服务支出 …).
FUNCTIONAL_CLASS = r"^[\u4e00-\u9fff、（）()]+支出$"
#: Finance names that never carry a stage.
NO_STAGE = ("carryover_begin", "carryover_end", "funds_received")

META_FIELDS = ("title", "report_kind", "fiscal_year", "unit", "filing_date", "notice_ref", "self_score", "grade")
#: ``final_accounts`` (部门决算) is an extension of the SPEC (annotations/SPEC_EXTENSIONS.md).
REPORT_KINDS = ("overall", "project", "final_accounts", None)
GRADES = ("优", "良", "中", "差", "好", "较好", "一般", None)

#: Problem categories in the order of the SPEC table (``other`` last); the first label is the primary one.
CATEGORIES = ("budget_preparation", "budget_execution", "performance_targets", "evaluation_and_use", "awareness",
              "staff_capacity", "rules_and_process", "procurement", "assets", "disclosure", "finance_compliance",
              "other")
PROBLEM_SOURCES = ("section", "inline", "table")
