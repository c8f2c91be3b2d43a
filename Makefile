# Quick start: `make demo`, then `make test`. Both create .venv themselves.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip --disable-pip-version-check -q
JIXIAO := $(VENV)/bin/jixiao

.PHONY: demo test eval bench lint clean sysdeps integration

$(VENV)/.core: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -e .
	touch $@

$(VENV)/.dev: $(VENV)/.core
	$(PIP) install -e '.[dev,dask,labelstudio]'
	touch $@

demo: $(VENV)/.core
	$(JIXIAO) extract annotations/docs --out demo-out
	$(PY) scripts/summarize.py demo-out

# System packages the tests need (a CJK font for the PDF ingestion test, headless
# Chromium for the viewer test); installed here so a clean CI machine has them.
sysdeps:
	bash scripts/ensure_sysdeps.sh

test: $(VENV)/.dev sysdeps
	$(PY) -m pytest -n 2 tests
	$(VENV)/bin/lint-imports

# Scores, each set apart: the seeds (the rules' first five documents), the development set
# (read by the rule writer) and the test split (written and annotated apart from him).
eval: $(VENV)/.core
	$(JIXIAO) extract annotations/docs --out eval/results/pred --quiet
	$(JIXIAO) eval --gold annotations/gold --pred eval/results/pred --markdown eval/results/extractor.md --json eval/results/extractor.json
	$(JIXIAO) extract annotations/dev/docs --out eval/results/pred-dev --quiet
	$(JIXIAO) eval --gold annotations/dev/gold --pred eval/results/pred-dev --docs annotations/dev/docs --markdown eval/results/dev.md --json eval/results/dev.json
	$(JIXIAO) extract annotations/test/docs --out eval/results/pred-test --quiet
	$(JIXIAO) eval --gold annotations/test/gold --pred eval/results/pred-test --docs annotations/test/docs --markdown eval/results/test.md --json eval/results/test.json

bench: $(VENV)/.dev
	$(PY) scripts/bench.py

# Opt-in, needs the package registries and a few GB: installs Label Studio and doccano into
# their own virtualenvs under .integration/ (git-ignored), starts them on 127.0.0.1, runs
# the gold round trips through their HTTP APIs and stops them. Log: .integration/integration.log
integration: $(VENV)/.dev
	bash scripts/integration/run.sh $(abspath $(PY))

clean:
	rm -rf $(VENV) demo-out build *.egg-info
