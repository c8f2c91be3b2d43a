"""extract.io.tables: SPEC JSON -> table rows."""
from __future__ import annotations

from extract.io.tables import rows_for


def test_facts_code_column_carries_the_functional_class_code():
    result = {"doc_id": "d", "facts": [
        {"type": "finance", "name": "expenditure", "stage": "final", "qualifier": "一般公共服务支出",
         "value": 1.0, "span": [0, 1], "class_code": "201"},
        {"type": "finance", "name": "income", "stage": "final", "qualifier": None, "value": 2.0, "span": [1, 2]}]}
    facts = rows_for(result)["facts"]
    assert [f["code"] for f in facts] == ["201", None]
