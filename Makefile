# kanrisaku — quick start:
#   make run    set up .venv and ingest the sample whitepapers in data/raw into data/out
#   make test   set up .venv and run the test suite
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: run test setup score bench clean browser ocr-deps

# Tesseract with its Japanese model reads scanned PDF pages (pipeline/ocr.py).
# Installed with apt-get when missing and we are root; otherwise a note says
# what to install (kanrisaku still runs: scanned PDFs are then needs_ocr).
OCR_PACKAGES := tesseract-ocr tesseract-ocr-jpn
ocr-deps:
	@if command -v tesseract >/dev/null 2>&1 && tesseract --list-langs 2>/dev/null | grep -qx jpn; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "installing $(OCR_PACKAGES) for OCR of scanned PDFs"; \
		(DEBIAN_FRONTEND=noninteractive apt-get install -y -q $(OCR_PACKAGES) || (apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $(OCR_PACKAGES))) >/dev/null; \
	else \
		echo "note: OCR of scanned PDFs needs Tesseract and its jpn model: sudo apt-get install $(OCR_PACKAGES)" \
		     "(or your system's equivalent); until then scanned PDFs are reported needs_ocr" >&2; \
	fi

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

setup: $(STAMP) ocr-deps

# Exit code 1 only means some sample files could not be read (without
# Tesseract the scanned PDF needs OCR): the run itself succeeded.
run: $(STAMP) ocr-deps
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

test: $(STAMP) ocr-deps browser
	$(PY) -m pytest

score: $(STAMP)
	$(PY) ../shared/eval/score.py --out data/out --gold ../shared/gold/seeds

bench: $(STAMP)
	$(PY) bench/stages.py

clean:
	rm -rf data/out
