# Courtyard developer entry points. `make help` lists them.
#   make setup   venv + dependencies + compiled translations
#   make demo    laptop demo on SQLite (var/demo.sqlite3), http://127.0.0.1:8000/
#   make test    whole pytest suite (ARGS="-k foo -x" passes options through)
#   make lint    ruff + import layers (import-linter) + missing-migration check
#   make test-future  the suite with the clock a year ahead (dates must come from today or a frozen clock)

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(VENV)/bin/pip
ARGS   ?=

.DEFAULT_GOAL := help
.PHONY: help setup demo test test-future lint vendor

help:
	@echo "make setup   create .venv, install requirements-dev.txt, compile translations"
	@echo "make demo    run the demo (SQLite, demo data, task worker, runserver on PORT=8000)"
	@echo "make test    run pytest (ARGS='...' passed through; COURTYARD_BROWSER_TESTS=1 for browser tests)"
	@echo "make lint    ruff check + lint-imports (web -> apps -> org -> core) + makemigrations --check"
	@echo "make vendor  refresh static/vendor from npm (needs npm)"

$(PY):
	$(PYTHON) -m venv $(VENV)

# Reinstall only when the requirement files change.
$(VENV)/.installed: requirements.txt requirements-dev.txt constraints.txt | $(PY)
	$(PIP) install --quiet --disable-pip-version-check -r requirements-dev.txt -c constraints.txt
	@touch $@

setup: $(VENV)/.installed
	@mkdir -p var
	@if [ -z "$$(find courtyard locale -name '*.po' -print -quit 2>/dev/null)" ]; then \
		: no translations yet; \
	elif command -v msgfmt >/dev/null 2>&1; then \
		DJANGO_DEBUG=1 $(PY) manage.py compilemessages --verbosity 0 \
			--ignore=.venv --ignore=node_modules --ignore=var --ignore=.git; \
	else \
		echo "msgfmt not found (apt-get install gettext): using the committed .mo files"; \
	fi

demo: setup
	scripts/demo.sh

test: setup
	$(VENV)/bin/pytest $(ARGS)

test-future: setup
	COURTYARD_CLOCK_SHIFT_DAYS=$${COURTYARD_CLOCK_SHIFT_DAYS:-366} $(VENV)/bin/pytest $(ARGS)

# Both checks always run; the target fails if either did.
lint: setup
	@status=0; \
	echo "ruff check ."; $(VENV)/bin/ruff check . || status=1; \
	echo "lint-imports"; $(VENV)/bin/lint-imports || status=1; \
	echo "makemigrations --check --dry-run"; \
	DJANGO_DEBUG=1 $(PY) manage.py makemigrations --check --dry-run || status=1; \
	echo "scripts/weui_subset.py --check"; $(PY) scripts/weui_subset.py --check || status=1; \
	exit $$status

vendor:
	scripts/vendor.sh
