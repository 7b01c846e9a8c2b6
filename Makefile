# Two commands set everything up: `make demo` and `make test` (each creates .venv when missing).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
ARTICLE_DIR := examples/microsoft-face-recognition-police
OUT    := out

.PHONY: demo test bench lint install install-test clean

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

test: $(VENV)/.installed-test
	$(BIN)/python -m pytest -n auto

lint: $(VENV)/.installed-test
	$(BIN)/ruff check kg tests bench
	$(BIN)/mypy

bench: $(VENV)/.installed-test
	$(BIN)/python bench/run.py

clean:
	rm -rf $(OUT) .pytest_cache .mypy_cache .ruff_cache build dist
