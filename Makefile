# kanrisaku — quick start:
#   make run    set up .venv and ingest the sample whitepapers in data/raw into data/out
#   make test   set up .venv and run the test suite
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: run test setup score bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)

# Exit code 1 only means some sample files could not be read (the scanned
# PDF needs OCR): the run itself succeeded.
run: $(STAMP)
	$(VENV)/bin/kanrisaku ingest data/raw --out data/out || [ $$? -eq 1 ]

test: $(STAMP)
	$(PY) -m pytest

score: $(STAMP)
	$(PY) ../shared/eval/score.py --out data/out --gold ../shared/gold/seeds

bench: $(STAMP)
	$(PY) bench/stages.py

clean:
	rm -rf data/out
