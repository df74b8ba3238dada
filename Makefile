# Werkbrug — `make demo` starts the app with demo data; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell sha1sum pyproject.toml | cut -c1-12)
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_WORKERS ?= 2

.PHONY: install demo serve test check lint typecheck layers system-deps messages bench-data bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ".[dev]"
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

demo: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo --url http://$(HOST):$(PORT)
	# One background worker next to the web server (docs/jobs.md), stopped when the server stops.
	$(BIN)/python manage.py run_jobs --no-reload --interval 1 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

serve: install
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# Browser tests drive Debian's Chromium, the PDF tests read PDFs back with poppler's pdftotext, the
# multi-host test runs Debian's haproxy;
# install them when we can (root with apt), else the tests say what is missing.
system-deps:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	command -v pdftotext >/dev/null 2>&1 || missing="$$missing poppler-utils"; \
	command -v haproxy >/dev/null 2>&1 || test -x /usr/sbin/haproxy || missing="$$missing haproxy"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Debian packages for the tests:$$missing"; \
	    DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "Missing Debian packages for the tests:$$missing (apt-get install$$missing)"; fi; \
	fi

# --dist loadgroup keeps the multi-host test's module (one namespace cluster) on one worker; -rs prints
# why a test was skipped (the multi-host test without root, ip, haproxy or PostgreSQL).
test: install system-deps
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadgroup -rs

lint: install
	$(BIN)/ruff check src bench
	$(BIN)/ruff format --check src bench

typecheck: install
	$(BIN)/mypy src/werkbrug

# The areas' layers (pyproject.toml [tool.importlinter], docs/architecture.md).
layers: install
	$(BIN)/lint-imports --no-cache

check: lint typecheck layers

messages: install
	cd src/werkbrug && ../../$(BIN)/django-admin makemessages -l nl -l fr --no-obsolete --ignore '*/tests/*' --ignore testing.py
	cd src/werkbrug && ../../$(BIN)/django-admin compilemessages

bench-data: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py generate_network --scale full

bench: install
	$(BIN)/python bench/pages.py
	$(BIN)/python bench/reports.py
	$(BIN)/python bench/research.py

clean:
	rm -rf $(VENV) var staticfiles
