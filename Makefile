# Kinerja: the two set-up commands are `make run` and `make test`.
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000
PG_URL ?= postgres://postgres@127.0.0.1:5432/kinerja
PYTEST_ARGS ?=
STAMP := $(VENV)/.installed

.PHONY: install system-deps messages migrate demo run test test-postgres lint typecheck format lock bench clean

# Every dependency, dev tools included, pinned with hashes in requirements.lock
# (regenerate with `make lock` after changing pyproject.toml).
$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check --require-hashes -r requirements.lock
	$(BIN)/pip install -q --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

# Debian packages the app and its tests need: gettext (translations), chromium
# (browser tests), pango/harfbuzz and fonts (WeasyPrint PDFs).
system-deps:
	@bash scripts/system-deps.sh

messages: install
	$(BIN)/python manage.py compilemessages --ignore '.venv' -v 0

migrate: messages
	$(BIN)/python manage.py migrate --noinput -v 0

demo: migrate
	$(BIN)/python manage.py demo_data
	$(BIN)/python manage.py demo_planning
	$(BIN)/python manage.py demo_history

run: system-deps demo
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: system-deps messages
	$(BIN)/python -m pytest -n 2 $(PYTEST_ARGS)

test-postgres: system-deps messages
	@bash scripts/ensure-services.sh
	DATABASE_URL=$(PG_URL) $(BIN)/python -m pytest -n 2 $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run -v 1
	$(BIN)/mypy

typecheck: install
	$(BIN)/mypy

lock: install
	$(BIN)/uv pip compile pyproject.toml --extra dev --generate-hashes --universal \
		--python-version 3.11 --custom-compile-command "make lock" -o requirements.lock

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Benchmarks run in a throwaway database (var/bench.sqlite3, or test_<name> on
# PostgreSQL: `make bench DATABASE_URL=postgres://...`), never the developer's data.
BENCH_ARGS ?=
bench: install
	$(BIN)/python manage.py bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var db.sqlite3*
