# The two commands of the quick start: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip

.PHONY: run test lint format messages makemessages migrate demo check-deploy bench faults clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

# Reinstall only when a requirements file changes.
$(VENV)/.requirements.stamp: requirements.txt | $(PY)
	$(PIP) install --quiet -r requirements.txt
	touch $@

$(VENV)/.requirements-dev.stamp: requirements.txt requirements-dev.txt | $(PY)
	$(PIP) install --quiet -r requirements-dev.txt
	touch $(VENV)/.requirements.stamp $@

messages: $(VENV)/.requirements.stamp
	$(PY) -m config.i18n_compile

migrate: $(VENV)/.requirements.stamp
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py seed_demo

# The app on its embedded defaults (SQLite and Celery's filesystem transport in var/):
# web server, Celery worker and Celery beat in one process group; Ctrl-C stops all three.
# prepare_run migrates and loads the demo data only when something changed.
run: messages
	$(PY) manage.py prepare_run
	@echo "Open http://127.0.0.1:$${WEB_PORT:-8000} and log in with one of the demo logins above."
	$(VENV)/bin/honcho -f Procfile.dev start

# The whole suite: SQLite unless DATABASE_URL is set; Redis tests when REDIS_URL is set.
test: $(VENV)/.requirements-dev.stamp
	$(PY) -m config.i18n_compile
	$(PY) -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.requirements-dev.stamp
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.requirements-dev.stamp
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Update locale/zh_Hans/LC_MESSAGES/django.po from the code (needs GNU gettext's xgettext).
makemessages: $(VENV)/.requirements.stamp
	$(PY) manage.py makemessages --locale zh_Hans --ignore ".venv/*" --ignore "var/*" --ignore "staticfiles/*" --no-obsolete

check-deploy: $(VENV)/.requirements.stamp
	SECRET_KEY=$${SECRET_KEY:-$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')} \
	ALLOWED_HOSTS=$${ALLOWED_HOSTS:-tracker.example.com} \
	$(PY) manage.py check --deploy --settings=config.settings.production --fail-level WARNING

# The benchmarks under bench/ (PostgreSQL; see bench/README.md). Not part of `make test`.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/tracker_bench
bench: $(VENV)/.requirements-dev.stamp
	$(PY) bench/run_all.py --database-url $(BENCH_DATABASE_URL) $(BENCH_SCRIPTS)

faults: $(VENV)/.requirements-dev.stamp
	$(PY) -m config.i18n_compile
	$(PY) bench/faults/run.py $(FAULTS_ARGS)

clean:
	rm -rf var staticfiles .pytest_cache .ruff_cache
