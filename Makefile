# Two commands set everything up: `make demo` and `make test` (each creates .venv when missing).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
ARTICLE_DIR := examples/microsoft-face-recognition-police
OUT    := out

.PHONY: demo test bench lint install install-test services clean eval

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Stamp files: reinstall only when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

demo: $(VENV)/.installed
	@mkdir -p $(OUT)
	$(BIN)/kg build $(ARTICLE_DIR)/facts.yaml -o $(OUT)/graph.ttl
	$(BIN)/kg build $(ARTICLE_DIR)/facts.yaml -o $(OUT)/graph.trig --quiet
	$(BIN)/kg build $(ARTICLE_DIR)/facts.yaml -o $(OUT)/graph.jsonld --quiet
	@echo
	@echo "Made:"
	@ls -l $(OUT)/graph.ttl $(OUT)/graph.trig $(OUT)/graph.jsonld
	@echo
	@echo "First lines of $(OUT)/graph.ttl:"
	@sed -n '1,40p' $(OUT)/graph.ttl

test: $(VENV)/.installed-test services
	$(BIN)/python -m pytest -n auto

# The servers the tests load into are started and stopped by the tests themselves
# (tests/servers.py: Oxigraph from the venv, Virtuoso through tests/virtuoso/virtuoso.sh on
# loopback ports with a throwaway database). They only have to be installed: Oxigraph comes with
# the test extra, Virtuoso is Debian's virtuoso-opensource, installed here (as root,
# non-interactive apt) when virtuoso-t is missing. .ci/run runs this before `make test`.
services:
	bash tests/virtuoso/virtuoso.sh install

lint: $(VENV)/.installed-test
	$(BIN)/ruff check kg tests bench
	$(BIN)/mypy

bench: $(VENV)/.installed-test
	$(BIN)/python bench/run.py
	$(BIN)/python bench/load.py
	$(BIN)/python bench/extract.py
	$(BIN)/python bench/serve.py

# Extraction against gold facts: the bundled article (curated) and the six development articles
# of ../shared (gold in eval/gold/). Per-fact misses go to eval/misses.txt.
SHARED_ARTICLES ?= ../shared/articles
eval: $(VENV)/.installed-test
	$(BIN)/python eval/score.py $(ARTICLE_DIR) $(ARTICLE_DIR) $(SHARED_ARTICLES) eval/gold

clean:
	rm -rf $(OUT) .pytest_cache .mypy_cache .ruff_cache build dist
