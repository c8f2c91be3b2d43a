"""Input/output: tidy tables, DuckDB, Hugging Face datasets, annotation tool formats."""
