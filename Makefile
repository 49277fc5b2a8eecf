# The two commands a newcomer needs: `make run` and `make test`. Both install what they need.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Production settings for `check --deploy`: DEBUG off, a long random-looking key, real hosts.
DEPLOY_ENV := DJANGO_DEBUG=0 DJANGO_SECRET_KEY=check-deploy-$$(date +%s)-a8f3kq29vmx01zpl7rt4wy6cn5bj0hd2gs DJANGO_ALLOWED_HOSTS=kvalitet.example.se

.PHONY: run serve install lock test lint check browser test-sqlite test-postgres backup restore messages clean bench

# Python may keep compiled bytecode (some machines set PYTHONDONTWRITEBYTECODE): without it
# every test process compiles the project and pytest rewrites every test module anew, about
# six seconds of each worker's start. __pycache__/ is ignored by git.
unexport PYTHONDONTWRITEBYTECODE

# Pinned installs: the dev lock (requirements/dev.txt, the runtime lock plus the test and lint
# tools), then the project itself without resolving anything anew.
$(STAMP): pyproject.toml requirements/dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements/dev.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

# After a change to the dependencies in pyproject.toml: regenerate requirements/runtime.txt
# (what a deployment installs) and requirements/dev.txt (the runtime pins plus the dev extra;
# the mutate extra stays out, `make mutate` adds it). Pins that still fit are kept;
# `make lock LOCK_ARGS=--upgrade` moves them all to the newest releases. pip-compile reads
# PyPI only, never this machine's pip configuration, so no local path or index ends up in them.
PIP_TOOLS := pip-tools==7.7.0
PIP_COMPILE = env -u PIP_FIND_LINKS -u PIP_INDEX_URL -u PIP_EXTRA_INDEX_URL -u PIP_CONSTRAINT PIP_CONFIG_FILE=/dev/null \
	$(BIN)/pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-find-links --no-emit-trusted-host $(LOCK_ARGS)
lock:
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet '$(PIP_TOOLS)'
	$(PIP_COMPILE) --output-file requirements/runtime.txt pyproject.toml
	$(PIP_COMPILE) --extra dev --constraint requirements/runtime.txt --output-file requirements/dev.txt pyproject.toml

run: install
	mkdir -p var
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	PYTHON_BIN=$(BIN)/python scripts/with-worker.sh $(BIN)/python manage.py runserver 127.0.0.1:8000

# The production stack on this machine: gunicorn with several workers, WhiteNoise, DEBUG off,
# against the PostgreSQL in DATABASE_URL (required). Plain HTTP on loopback only.
serve: install
	@test -n "$(DATABASE_URL)" || (echo "Set DATABASE_URL=postgres://… (see README, Configuration)"; exit 1)
	DJANGO_DEBUG=0 DJANGO_SECRET_KEY=$${DJANGO_SECRET_KEY:-$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))')} \
	DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost DJANGO_SECURE_SSL_REDIRECT=0 DJANGO_SESSION_COOKIE_SECURE=0 DJANGO_CSRF_COOKIE_SECURE=0 \
	sh -c '$(BIN)/python manage.py migrate --noinput && $(BIN)/python manage.py collectstatic --noinput -v0 && \
	       PYTHON_BIN=$(BIN)/python scripts/with-worker.sh $(BIN)/gunicorn config.wsgi --bind 127.0.0.1:8000 --workers 3'

# make backup OUT=kopia.tar.gz  /  make restore FILE=kopia.tar.gz [FORCE=1]
backup: install
	$(BIN)/python manage.py backup $(if $(OUT),--out $(OUT))

restore: install
	$(BIN)/python manage.py restore $(FILE) $(if $(FORCE),--force)

# lint-imports: the apps' import contracts in pyproject.toml ([tool.importlinter]).
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-logo --no-cache

# var/ holds the local SQLite database, whose migration history makemigrations reads.
check: install
	mkdir -p var
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(DEPLOY_ENV) $(BIN)/python manage.py check --deploy --fail-level WARNING

# Headless Chromium for the browser tests (tests/browser, Playwright with executable_path).
# Debian's package; without it those tests are skipped with a loud message, never silently.
browser:
	command -v chromium >/dev/null || apt-get install -y -q chromium || (apt-get update -qq && apt-get install -y -q chromium) || sudo apt-get install -y -q chromium || echo "WARNING: chromium could not be installed; the browser tests (tests/browser) will be SKIPPED."

# Every core (pytest-xdist); --dist loadgroup keeps each xdist_group on one worker (the demo
# seed's tests, tests/access/test_production.py). Screenshots of the browser tests land in
# test-artifacts/screens/ (ignored by git).
PYTEST := $(BIN)/pytest -q -n auto --dist loadgroup
test-sqlite: install browser
	rm -rf test-artifacts/screens
	$(PYTEST)

# The browser tests run in the SQLite pass only: they check the pages, not the database; so do
# the tests that cannot reach a database at all (tests/conftest.py, --database-tests-only).
test-postgres: install
	scripts/with-postgres.sh $(PYTEST) --ignore=tests/browser --database-tests-only

test: lint check test-sqlite test-postgres

# Benchmarks (issue 8, bench/README.md): BENCH_N applications (bench/generate_load.py, no demo
# needed) on a fresh SQLite file database and on a throw-away PostgreSQL 15; tables land in
# bench/results/. Not part of `make test`.
BENCH_N ?= 1000
bench: install
	mkdir -p var bench/results
	rm -f var/bench.sqlite3
	DATABASE_URL=sqlite:///$(CURDIR)/var/bench.sqlite3 $(BIN)/python -m bench.run --applications $(BENCH_N) $(BENCH_ARGS)
	scripts/with-postgres.sh $(BIN)/python -m bench.run --applications $(BENCH_N) $(BENCH_ARGS)

# Concurrency (issue 8, bench/README.md): gunicorn with the settings of `make serve` on a free
# loopback port, against a throw-away PostgreSQL 15: BENCH_USERS users (examiners saving scores,
# committee members reading the consolidated view) for BENCH_SECONDS, then the lost-update check.
BENCH_USERS ?= 50
BENCH_SECONDS ?= 60
.PHONY: bench-concurrency
bench-concurrency: install
	mkdir -p var bench/results
	scripts/with-postgres.sh $(BIN)/python -m bench.concurrency --applications $(BENCH_N) --users $(BENCH_USERS) --duration $(BENCH_SECONDS) $(BENCH_CONCURRENCY_ARGS)

# Mutation testing (README, "Mutation testing"): mutmut 3 over the eligibility rules, the team
# rules, the totals and the consolidation, running only the fast tests that pin them
# ([tool.mutmut] in pyproject.toml). Not part of `make test`: it takes about half an hour on
# two cores. It works in a fresh mutants/ copy; `.venv/bin/mutmut show NAME` shows a mutant.
MUTATE_CHILDREN ?= 2
.PHONY: mutate
mutate: install
	$(BIN)/python -m pip install --quiet -e '.[dev,mutate]'
	rm -rf mutants
	$(BIN)/mutmut run --max-children $(MUTATE_CHILDREN)
	$(BIN)/mutmut results

# Recompile the Swedish translations of third-party strings (needs gettext's msgfmt).
messages:
	msgfmt -o locale/sv/LC_MESSAGES/django.mo locale/sv/LC_MESSAGES/django.po

clean:
	rm -rf $(VENV) var staticfiles
