# Chipwatch: `make test` sets up .venv (when missing) and runs every test.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: setup test run evaluate ingest clean

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

# Start the dashboard on the bundled corpus: ingest it first when the store is empty.
DB ?= $(or $(CHIPWATCH_DB),data/chipwatch.db)
PORT ?= 8501
run: setup
	@if [ "$$($(PY) -m chipwatch stats --db "$(DB)" --articles)" = 0 ]; then \
		$(PY) -m chipwatch ingest data/articles --db "$(DB)"; fi
	CHIPWATCH_DB="$(DB)" $(PY) -m streamlit run app.py --server.port $(PORT)

evaluate: setup
	$(PY) -m chipwatch evaluate

ingest: setup
	$(PY) -m chipwatch ingest data/articles

clean:
	rm -rf $(VENV) .pytest_cache data/chipwatch.db data/chipwatch.db-wal data/chipwatch.db-shm
