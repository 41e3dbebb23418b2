# Two commands matter: `make demo` and `make test` (see README).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip --disable-pip-version-check -q
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: demo test install install-test browser serve-demo messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --upgrade pip

# Re-install only when the project's dependencies change.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(PIP) install -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	# CPU build of torch (training tests); a plain `torch` would pull a CUDA build.
	$(PIP) install torch==2.13.0
	$(PIP) install -e ".[test,train]"
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test browser

# Browser tests drive Debian's chromium; install it when we may and it is missing.
browser:
	@if [ ! -x /usr/bin/chromium ] && [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
		echo "installing Debian chromium for the browser tests"; \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null 2>&1 || \
		(apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null); \
	fi

demo: install
	DEBUG=1 $(BIN)/seoul-digital demo-data
	DEBUG=1 $(BIN)/seoul-digital serve --with-worker --host $(HOST) --port $(PORT)

test: install-test
	$(BIN)/python -m pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

# Korean is the source language; English lives in locale/en. Needs GNU gettext (dev only).
messages:
	cd src/seoul_digital && ../../$(BIN)/django-admin makemessages -l en --settings=tests.settings --pythonpath=../.. -i "*/static/*"
	$(BIN)/python -m tests.i18n_compile

clean:
	rm -rf $(VENV) var .pytest_cache
