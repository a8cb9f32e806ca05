# duiding: samen naar de cijfers kijken.  `make help` lists the targets.
SHELL := /bin/bash
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.geinstalleerd

.DEFAULT_GOAL := help

help: ## Toon deze lijst met opdrachten
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-10s %s\n", $$1, $$2}'

LABINSTELLINGEN := src/duiding/web/share/jupyter/lab/settings/overrides.json

$(STAMP): pyproject.toml kernels/duiding/kernel.json $(LABINSTELLINGEN)
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Python 3.11 of nieuwer is nodig (gevonden: $$($(PYTHON) --version))."; exit 2; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip "setuptools>=77"
	$(BIN)/python -m pip install --quiet -e '.[test]'
	$(BIN)/jupyter kernelspec install --sys-prefix --name duiding kernels/duiding >/dev/null
	@# JupyterLab keeps the forms' widget state in the notebook when it is saved
	mkdir -p $(VENV)/share/jupyter/lab/settings
	cp $(LABINSTELLINGEN) $(VENV)/share/jupyter/lab/settings/overrides.json
	@touch $(STAMP)

install: $(STAMP) ## Maak .venv, installeer de kit en registreer de kernel 'duiding'

run: install ## Maak alle rapporten (wijken, aanbieders, stad) van de voorbeelddata en toon waar ze staan
	$(BIN)/duiding controleer data/sample
	$(BIN)/duiding draai --per alle --data data/sample --uitvoer uitvoer

run-regio: install ## Maak de rapporten van een regio (regio, gemeenten, wijken, aanbieders) van de voorbeeldregio
	$(BIN)/duiding controleer data/sample-regio
	$(BIN)/duiding draai --per alle --data data/sample-regio --uitvoer uitvoer-regio

browser: ## Installeer Chromium (Debian-pakket) voor de browsertests als het ontbreekt
	@command -v chromium >/dev/null 2>&1 && fc-list 2>/dev/null | grep -q DejaVu || { \
		echo "Chromium en lettertypen installeren met apt-get ..."; \
		if [ "$$(id -u)" -eq 0 ]; then SUDO=; else SUDO=sudo; fi; \
		$$SUDO apt-get update -q && $$SUDO apt-get install -y -q --no-install-recommends chromium fonts-dejavu-core; }

postgres: ## Installeer PostgreSQL (Debian-pakket) voor de opslagtests als het ontbreekt
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { \
		echo "PostgreSQL installeren met apt-get ..."; \
		if [ "$$(id -u)" -eq 0 ]; then SUDO=; else SUDO=sudo; fi; \
		$$SUDO apt-get update -q && $$SUDO apt-get install -y -q --no-install-recommends postgresql; }

test: install browser postgres ## Installeer alles en draai alle tests (ook elk notebook met nbval, een echte browser en PostgreSQL)
	$(BIN)/python -m pytest -q
	DUIDING_OPSLAG=$$(mktemp -d)/duidingen.sqlite $(BIN)/python -m pytest -q -p no:cacheprovider --nbval-lax \
		--nbval-sanitize-with tests/nbval_sanitize.cfg notebooks/

test-snel: install ## Snelle ronde tijdens het werk: alles behalve trage, browser- en PostgreSQL-tests
	$(BIN)/python -m pytest -q -m "not traag and not browser and not postgres"

strip: install ## Haal de uitvoer uit de notebooks (zo worden ze opgeslagen)
	$(BIN)/jupyter nbconvert --clear-output --inplace --log-level=WARN notebooks/*.ipynb

sample: install ## Maak data/sample en data/sample-regio opnieuw (fictieve voorbeelddata, zaad 2024)
	$(BIN)/duiding voorbeelddata --schaal stad --zaad 2024 --uitvoer data/sample
	$(BIN)/duiding voorbeelddata --schaal regio --zaad 2024 --uitvoer data/sample-regio

bench: install browser ## Draai de benchmarks (bench/README.md beschrijft ze)
	$(BIN)/python bench/indicatoren.py
	$(BIN)/python bench/indicatoren.py --alleen-laden --herhaal 3
	$(BIN)/python bench/eerste_rapport.py
	$(BIN)/python bench/eerste_rapport.py --data /tmp/duiding-land
	$(BIN)/python bench/draai.py
	$(BIN)/python bench/iberichten.py
	$(BIN)/python bench/app.py

lab: install ## Open JupyterLab op notebooks/
	$(BIN)/jupyter lab notebooks/

clean: ## Verwijder .venv, caches en uitvoer
	rm -rf $(VENV) .pytest_cache .hypothesis uitvoer build src/*.egg-info
	find . -name __pycache__ -type d -prune -exec rm -rf {} +

.PHONY: help install browser postgres run run-regio test test-snel strip sample bench lab clean
