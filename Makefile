# vanke_crm — `make run` starts the product with demo data, `make test` runs everything.
# `make run` is the product as users meet it (DEBUG off); `make dev` adds the development
# conveniences (DEBUG=1: technical error pages, auto-reload, static from the sources).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
STAMP := $(VENV)/.installed

.PHONY: run dev test install messages migrate seed static lint checks pytest smoke vendor clean bench

$(STAMP): requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $(STAMP)

install: $(STAMP)

messages: install
	$(MANAGE) compilemessages --ignore=.venv --ignore=node_modules -v 0

migrate: install
	$(MANAGE) migrate --noinput -v 0

seed: migrate
	$(MANAGE) seed_demo

static: install
	$(MANAGE) collectstatic --noinput -v 0

run: install messages migrate seed static
	bash scripts/run.sh

dev: install messages migrate seed
	DEBUG=1 bash scripts/run.sh

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache

checks: install messages
	DJANGO_SETTINGS_MODULE=vanke_crm.settings.test $(MANAGE) makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=vanke_crm.settings.production SECRET_KEY=$$($(PY) -c "import secrets; print(secrets.token_urlsafe(64))") \
		ALLOWED_HOSTS=crm.example.com DATABASE_URL=postgres://crm@db.example.com/vanke_crm \
		REDIS_URL=redis://redis.example.com:6379/0 $(MANAGE) check --deploy --fail-level WARNING
	DJANGO_SETTINGS_MODULE=vanke_crm.settings.test $(MANAGE) spectacular --validate --fail-on-warn --file /dev/null

pytest: install messages
	$(VENV)/bin/pytest

smoke: install messages
	SMOKE_SQLITE=1 DATABASE_URL=sqlite:///$(CURDIR)/var/smoke.sqlite3 $(VENV)/bin/pytest -m smoke -p no:cacheprovider

test: lint checks pytest smoke

# Refresh the vendored front-end files from the npm registry (versions in package.json).
vendor:
	npm ci --no-audit --no-fund
	cp node_modules/htmx.org/dist/htmx.min.js vanke_crm/static/vendor/htmx.min.js
	cp node_modules/echarts/dist/echarts.min.js vanke_crm/static/vendor/echarts.min.js

clean:
	rm -rf var .pytest_cache .ruff_cache

# Benchmarks (not part of `make test`): see bench/README.md.
bench: install
	$(PY) bench/customer_search.py
	$(PY) bench/pages.py
	$(PY) bench/complaints_bench.py
