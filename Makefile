# Chipwatch: `make test` sets up .venv (when missing) and runs every test.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: setup test evaluate ingest clean

$(PY):
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)

# Reinstall only when requirements.txt changes.
$(STAMP): requirements.txt | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $(STAMP)

setup: $(STAMP)

test: setup
	$(PY) -m pytest

evaluate: setup
	$(PY) -m chipwatch evaluate

ingest: setup
	$(PY) -m chipwatch ingest data/articles

clean:
	rm -rf $(VENV) .pytest_cache data/chipwatch.db data/chipwatch.db-wal data/chipwatch.db-shm
