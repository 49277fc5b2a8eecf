# The two commands a newcomer needs: `make run` and `make test`. Both install what they need.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Production settings for `check --deploy`: DEBUG off, a long random-looking key, real hosts.
DEPLOY_ENV := DJANGO_DEBUG=0 DJANGO_SECRET_KEY=check-deploy-$$(date +%s)-a8f3kq29vmx01zpl7rt4wy6cn5bj0hd2gs DJANGO_ALLOWED_HOSTS=kvalitet.example.se

.PHONY: run install test lint check test-sqlite test-postgres messages clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: install
	mkdir -p var
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py runserver 127.0.0.1:8000

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

check: install
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(DEPLOY_ENV) $(BIN)/python manage.py check --deploy --fail-level WARNING

test-sqlite: install
	$(BIN)/pytest -q

test-postgres: install
	scripts/with-postgres.sh $(BIN)/pytest -q

test: lint check test-sqlite test-postgres

# Recompile the Swedish translations of third-party strings (needs gettext's msgfmt).
messages:
	msgfmt -o locale/sv/LC_MESSAGES/django.mo locale/sv/LC_MESSAGES/django.po

clean:
	rm -rf $(VENV) var staticfiles
