# The README's commands. Everything installs itself: uv (with pip, if missing) and the
# project's locked dependencies, using the machine's Python 3.12+ (never a downloaded one).
SHELL := /bin/bash
export UV_PYTHON_DOWNLOADS := never
PYTHON ?= python3
UV := $(PYTHON) -m uv
RUN := $(UV) run --frozen
KUNNSKAP := $(RUN) kunnskap

.PHONY: run test lint format install browser oidc-provider messages clean bench

install:
	@$(UV) --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet --disable-pip-version-check uv
	@$(UV) sync --frozen --quiet

run: export DEBUG ?= 1
run: install
	$(KUNNSKAP) migrate --no-input
	$(KUNNSKAP) demo --if-empty
	$(KUNNSKAP) serve

# Browser tests need Chromium; install it from Debian when it is missing (root only).
browser:
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && \
		(apt-get update -qq && apt-get install -y -qq chromium >/dev/null) || \
		echo "Chromium is missing: install Debian's chromium package to run the browser tests."; }

# The sign-in tests start a real OpenID provider (node-oidc-provider, tests/oidc_provider/): its
# locked npm packages go to var/oidc-provider/ once (`npm ci`, a few seconds). Node.js and npm
# come from Debian when missing (root only).
oidc-provider: install
	@command -v npm >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && \
		(apt-get update -qq && apt-get install -y -qq nodejs npm >/dev/null) || \
		echo "Node.js and npm are missing: install Debian's nodejs and npm packages to run the sign-in tests."; }
	$(RUN) python -m tests.oidc_provider install

# One test process per core (pytest-xdist), each with its own database; TEST_PROCESSES=0 runs
# them in this process, e.g. to use a debugger.
TEST_PROCESSES ?= auto
test: export DEBUG ?= 1
test: install browser oidc-provider
	$(RUN) pytest -n $(TEST_PROCESSES) --dist worksteal --junitxml=var/test-results.xml $(PYTEST_ARGS)

lint: export DEBUG ?= 1
lint: install
	$(RUN) ruff check .
	$(RUN) ruff format --check .
	$(RUN) mypy kunnskap
	$(KUNNSKAP) makemigrations --check --dry-run

# Search quality and speed on SQLite and, when it answers on 127.0.0.1:5432, PostgreSQL.
bench: export DEBUG ?= 1
bench: install
	$(RUN) python bench/run.py

format: install
	$(RUN) ruff check --fix .
	$(RUN) ruff format .

messages: export DEBUG ?= 1
messages: install
	cd kunnskap && $(RUN) django-admin makemessages --locale nb --locale nn --no-obsolete --add-location file --extension html,txt,py,subject
	cd kunnskap && $(RUN) django-admin compilemessages --locale nb --locale nn

clean:
	rm -rf var/test-results.xml .pytest_cache .mypy_cache .ruff_cache
