# Two entry points for people: `make serve` (local preview) and `make test` (every test).
# Each sets up what it needs: the virtual environment from pyproject.toml, and for the tests
# Debian's Chromium (browser tests drive /usr/bin/chromium; nothing is downloaded at run time).

VENV := .venv
PYTHON := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: serve build check test chromium clean

serve: $(STAMP)
	$(PYTHON) build.py serve

build: $(STAMP)
	$(PYTHON) build.py build

check: $(STAMP)
	$(PYTHON) build.py check

test: $(STAMP) chromium
	$(PYTHON) -m pytest

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
	  echo "Installing Chromium from Debian for the browser tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium; \
	fi

clean:
	rm -rf site .site.staging .site.previous .pytest_cache
