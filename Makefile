# Portico. A newcomer needs two commands:
#   make run    build everything and start the portal at http://127.0.0.1:3000 on SQLite
#   make test   every check and test: format, lints, Rust tests on SQLite and PostgreSQL,
#               Playwright in Chromium
# Each installs what is missing first, from the package registries only.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

TOOLS_DIR := $(CURDIR)/.tools
export PATH := $(TOOLS_DIR)/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)

# Incremental compilation doubles what target/ holds (tens of GB across the debug, wasm and
# release builds) and a full run gains nothing from it; set CARGO_INCREMENTAL=1 to keep it.
export CARGO_INCREMENTAL ?= 0

CARGO_LEPTOS_VERSION := 0.3.10
BINARYEN_VERSION := 132
# The CLI must match the wasm-bindgen library in Cargo.lock exactly.
WASM_BINDGEN_VERSION = $(shell awk '/^name = "wasm-bindgen"$$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
SUDO := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)
APT_INSTALL := $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends

.PHONY: help run test bench build tools rust-target cargo-leptos wasm-bindgen-cli wasm-opt \
        brotli chromium postgres python-tools bench-deps e2e-deps check lint test-rust test-e2e

help:
	@echo "make run    build everything and start the portal at http://127.0.0.1:3000 (SQLite)"
	@echo "make test   run every check and test (Rust on SQLite and PostgreSQL, Playwright in Chromium)"
	@echo "make bench  measure a release build on SQLite and PostgreSQL (writes bench/results.md)"

# ---- tools, each installed only when missing -------------------------------------------------

tools: rust-target cargo-leptos wasm-bindgen-cli wasm-opt brotli

rust-target:
	@rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown

cargo-leptos:
	@cargo leptos --version 2>/dev/null | grep -q "$(CARGO_LEPTOS_VERSION)" \
	  || cargo install cargo-leptos@$(CARGO_LEPTOS_VERSION) --locked

# Without --locked: wasm-bindgen-cli's own lock file names a crate version the registry lacks.
wasm-bindgen-cli:
	@wasm-bindgen --version 2>/dev/null | grep -q "$(WASM_BINDGEN_VERSION)" \
	  || cargo install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION)

wasm-opt:
	@test -x $(TOOLS_DIR)/node_modules/.bin/wasm-opt || { \
	  mkdir -p $(TOOLS_DIR) && echo '{"private": true}' > $(TOOLS_DIR)/package.json && \
	  npm install --prefix $(TOOLS_DIR) --no-audit --no-fund binaryen@$(BINARYEN_VERSION); }

brotli:
	@command -v brotli >/dev/null || { $(SUDO) apt-get update && $(APT_INSTALL) brotli; }

chromium:
	@command -v chromium >/dev/null || { $(SUDO) apt-get update && $(APT_INSTALL) chromium; }

postgres:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { $(SUDO) apt-get update && $(APT_INSTALL) postgresql; }

# Python tools for the tests, in a project-local virtualenv: a real SMTP server (aiosmtpd) and
# schemathesis, which checks the JSON API against its OpenAPI document.
SCHEMATHESIS_VERSION = 4.32.5
python-tools:
	@test -x $(TOOLS_DIR)/venv/bin/python || python3 -m venv $(TOOLS_DIR)/venv
	@$(TOOLS_DIR)/venv/bin/python -c 'import aiosmtpd' 2>/dev/null || \
	  $(TOOLS_DIR)/venv/bin/pip install --quiet --disable-pip-version-check aiosmtpd==1.4.6
	@$(TOOLS_DIR)/venv/bin/schemathesis --version 2>/dev/null | grep -q $(SCHEMATHESIS_VERSION) || \
	  $(TOOLS_DIR)/venv/bin/pip install --quiet --disable-pip-version-check schemathesis==$(SCHEMATHESIS_VERSION)

# Load generation and the engines' clients for `make bench`, from Debian (brotli comes with
# the build's tools).
bench-deps:
	@command -v wrk >/dev/null && command -v sqlite3 >/dev/null && command -v psql >/dev/null \
	  && { command -v nginx >/dev/null || test -x /usr/sbin/nginx; } \
	  || { $(SUDO) apt-get update && $(APT_INSTALL) wrk sqlite3 postgresql-client nginx; }

# Installed again whenever package-lock.json changes (a copy of it marks what is installed).
e2e-deps: chromium
	@cmp -s end2end/package-lock.json end2end/node_modules/.installed-from-lock \
	  || (cd end2end && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund \
	      && cp package-lock.json node_modules/.installed-from-lock)

# ---- the two commands ---------------------------------------------------------------------

# After the build, brotli and gzip copies of the front end, which the server sends to browsers
# that accept them (compressed once here, at the highest levels, instead of on every request).
# Built only when a source changed (the stamp file is touched after a whole, successful build),
# so a second `make run` without changes starts the server within seconds.
BUILD_STAMP := target/site/.built
BUILD_SOURCES := $(shell find rules locales storage services app server style public migrations -type f) \
                 Cargo.toml Cargo.lock

build: $(BUILD_STAMP)

$(BUILD_STAMP): $(BUILD_SOURCES) | tools
	cargo leptos build --release
	@for file in target/site/pkg/*.js target/site/pkg/*.wasm target/site/pkg/*.css target/site/passkeys.js; do \
	  brotli --force --keep --quality=11 "$$file" && gzip --force --keep --best "$$file"; done
	@touch $@

run: build
	./target/release/server

test: check test-rust test-e2e

check: rust-target
	cargo fmt --all -- --check
	cargo clippy -p rules -p locales -p storage -p services -p app -p server -p argon2-ceiling -p signing-ceiling -p leptos-ceiling --all-targets --features app/ssr -- -D warnings
	cargo clippy -p app --features hydrate --target wasm32-unknown-unknown -- -D warnings

# Unit and integration tests, against SQLite and a throwaway PostgreSQL cluster.
test-rust: postgres python-tools
	PORTICO_TEST_PYTHON=$(TOOLS_DIR)/venv/bin/python scripts/with-postgres.sh cargo test -p rules -p locales -p storage -p services -p app -p server --features app/ssr

# The benchmark (not part of `make test`): a release portal on SQLite, then on a throwaway
# PostgreSQL, under load from wrk; prints one Markdown table and writes bench/results.md.
bench: build bench-deps postgres e2e-deps
	cargo build --release -p argon2-ceiling -p signing-ceiling -p leptos-ceiling
	scripts/with-postgres.sh python3 bench/run.py

test-e2e: build e2e-deps
	rm -rf end2end/screenshots
	cd end2end && npx playwright test
