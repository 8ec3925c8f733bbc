# Op Koers — set-up, run and test. `make run` and `make test` are all a newcomer needs.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app opkoers
export OPKOERS_CONFIG ?= development

.PHONY: run test install install-test frontend translations messages db demo lint scheduler clean bench

$(VENV)/bin/activate:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(VENV)/bin/activate pyproject.toml
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed pyproject.toml
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed frontend translations

install-test: $(VENV)/.installed-test frontend translations

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

# Front-end packages come from the npm registry and are served from our own static folder.
frontend: node_modules/.package-lock.json
	mkdir -p opkoers/static/vendor
	cp node_modules/htmx.org/dist/htmx.min.js opkoers/static/vendor/htmx.min.js

translations: $(VENV)/.installed
	$(VENV)/bin/pybabel compile --use-fuzzy --statistics -d opkoers/translations

# After changing UI text: refresh the catalogue, then translate the new English entries.
messages: $(VENV)/.installed
	$(VENV)/bin/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o opkoers/translations/messages.pot .
	$(VENV)/bin/pybabel update -i opkoers/translations/messages.pot -d opkoers/translations -l en

db: install
	$(FLASK) db upgrade

demo: db
	OPKOERS_DEMO=1 $(FLASK) seed-demo

# Start the app on http://127.0.0.1:5000 with demo data, and the scheduler beside it.
run: demo
	@echo "Op Koers: http://127.0.0.1:5000 (demo accounts: see README.md). Stop with Ctrl+C."
	@trap 'kill 0' INT TERM EXIT; \
	OPKOERS_DEMO=1 $(FLASK) scheduler & \
	OPKOERS_DEMO=1 $(FLASK) run --host 127.0.0.1 --port 5000

scheduler: install
	$(FLASK) scheduler

test: install-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/pytest -q -n 2 --dist loadfile

# The benchmark: a city of 10,000 clients on SQLite and PostgreSQL, each page under wrk (see README).
bench: install
	$(PY) bench/run.py $(BENCH_ARGS)

lint: install-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

clean:
	rm -rf $(VENV) node_modules opkoers/static/vendor instance/opkoers.db*
