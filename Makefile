# kanrisaku — quick start:
#   make run    set up .venv and ingest the sample whitepapers in data/raw into data/out
#   make test   set up .venv and run the test suite
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: run test setup score bench clean browser

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

# The report tests open the HTML in headless Chromium (Debian's `chromium`).
# Installed with apt when missing and we are root (CI); otherwise install it
# yourself, see README. (Its Japanese font comes from matplotlib-fontja in the
# test extras: a system-wide CJK font changes how pdfium reads PDFs whose font
# is not embedded.)
browser:
	@if ! command -v chromium >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    DEBIAN_FRONTEND=noninteractive apt-get update -q && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; \
	  else \
	    echo "make: the tests need Chromium: run 'sudo apt-get install chromium'" >&2; \
	    exit 1; \
	  fi; \
	fi

test: $(STAMP) browser
	$(PY) -m pytest

score: $(STAMP)
	$(PY) ../shared/eval/score.py --out data/out --gold ../shared/gold/seeds

bench: $(STAMP)
	$(PY) bench/stages.py

clean:
	rm -rf data/out
