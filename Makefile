# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_ENV := ROLLBOOK_DEBUG=1

.PHONY: install demo test bench clean

install: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test]'
	touch $(STAMP)

demo: install
	$(DEMO_ENV) $(BIN)/rollbook migrate --noinput
	$(DEMO_ENV) $(BIN)/rollbook load_demo
	$(DEMO_ENV) $(BIN)/rollbook load_demo_casework
	$(DEMO_ENV) $(BIN)/rollbook runserver 127.0.0.1:8000

test: install
	$(BIN)/pytest

bench: install
	$(BIN)/python -m bench.run

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .hypothesis
