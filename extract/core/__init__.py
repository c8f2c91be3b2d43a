"""Data model: spans, documents, results, errors, registry. Imports no extractor."""
from . import registry
from .document import Document, Source
from .errors import ConfigError, IngestError, JixiaoError, ModelVersionError, PatternTimeout
from .results import (META_FIELDS, Check, Evidence, Fact, Indicator, Measure, MetaField, Problem,
                      Result)
from .span import Span
from .tables import Cell, Table

__all__ = ["registry", "Span", "Cell", "Table", "Document", "Source", "Evidence", "Fact", "Problem", "Measure", "Indicator",
           "MetaField", "Check", "Result", "META_FIELDS", "JixiaoError", "IngestError",
           "ConfigError", "ModelVersionError", "PatternTimeout"]
