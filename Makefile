# Everything a fresh machine needs goes through these targets; .ci/run calls `make test`.
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp

.PHONY: demo test unit integration bench eval eval-dedup dashboard lint system-deps clean

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $(STAMP)

# promtool (alert-rule tests) comes from Debian's prometheus package.
system-deps:
	@command -v promtool >/dev/null 2>&1 || { \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus >/dev/null; }

demo: $(STAMP)
	$(VENV)/bin/newswire demo

test: $(STAMP) system-deps
	$(PY) -m pytest -q -ra

unit: $(STAMP)
	$(PY) -m pytest -q tests/unit

integration: $(STAMP)
	$(PY) -m pytest -q tests/integration

# The checkout-only commands (tools/); a committed run goes to tools/bench/results/.
bench: $(STAMP)
	$(VENV)/bin/newswire bench --output tools/bench/results/bench.json

eval: $(STAMP)
	$(VENV)/bin/newswire eval

eval-dedup: $(STAMP)
	$(VENV)/bin/newswire eval-dedup

dashboard: $(STAMP)
	$(PY) -m tools.build_dashboard

lint: $(STAMP)
	$(PY) -m pip install -q ruff mypy
	$(PY) -m ruff check services streams config tests tools
	$(PY) -m mypy

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info
