"""extract.pipeline: the stages in order, the registry of extractor names, no hidden state."""
from __future__ import annotations

from pathlib import Path

import pytest

from extract.core import registry
from extract.pipeline import extract_file

DOCS = sorted(Path("annotations/docs").glob("*.txt"))


@pytest.mark.parametrize("path", DOCS, ids=[p.stem[:3] for p in DOCS])
def test_every_evidence_names_a_registered_extractor(path):
    spec = extract_file(path).to_spec()
    items = [*spec["facts"], *spec["problems"], *spec["measures"], *spec["indicators"]]
    names = {i["evidence"]["extractor"] for i in items}
    names |= {p["category_evidence"]["extractor"] for p in spec["problems"] if p.get("category_evidence")}
    names |= {m["link_evidence"]["extractor"] for m in spec["measures"] if m.get("link_evidence")}
    assert names, "no evidence at all"
    assert names <= set(registry.names()), names - set(registry.names())


def test_registry_refuses_a_name_twice():
    from extract.core import ConfigError

    registry.register("test.twice.v1")(len)
    with pytest.raises(ConfigError, match="registered twice"):
        registry.register("test.twice.v1")(abs)
    with pytest.raises(ConfigError, match="unknown extractor"):
        registry.get("no.such.v9")
