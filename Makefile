# gradient_descent: `make demo` runs the main job, `make test` sets up and runs every test.
# Both install what they need on a fresh machine (.ci/setup), so a new clone needs nothing else.

SWIFT        ?= swift
RELEASE_DIR  := .build/release
LIB          := $(RELEASE_DIR)/libgradient_descent.so
PY_LIB_DIR   := bindings/python/gradient_descent/_lib
VENV         := .venv
PYTHON       := $(VENV)/bin/python
CC           ?= cc
CFLAGS_STRICT := -std=c99 -Wall -Wextra -pedantic -Werror -Iinclude
BUILD_C      := build

# The shared library carries the Swift runtime (-static-stdlib): it needs only libc, libm,
# libstdc++ and libgcc_s, so it loads without a Swift toolchain or LD_LIBRARY_PATH.
SWIFT_RELEASE := -c release -Xswiftc -static-stdlib

.PHONY: all lib plugins setup test test-swift test-c test-python demo bench clean \
        fuzz fuzz-lib fuzz-smoke fuzz-seeds test-sanitize

all: lib

lib:
	$(SWIFT) build $(SWIFT_RELEASE) --product gradient_descent
	mkdir -p $(PY_LIB_DIR)
	cp $(LIB) $(PY_LIB_DIR)/

setup:
	bash .ci/setup

# Example loss plugins (examples/plugins/*.c), one shared object each, in build/plugins.
PLUGIN_SOURCES := $(wildcard examples/plugins/*.c)
plugins: $(PLUGIN_SOURCES:examples/plugins/%.c=$(BUILD_C)/plugins/%.so)

$(BUILD_C)/plugins/%.so: examples/plugins/%.c include/gradient_descent.h
	mkdir -p $(BUILD_C)/plugins
	$(CC) $(CFLAGS_STRICT) -O2 -fPIC -shared $< -o $@ -lm

$(BUILD_C):
	mkdir -p $(BUILD_C)

# ---- tests ------------------------------------------------------------------------------

test: setup lib test-swift test-c test-python fuzz-smoke

test-swift:
	$(SWIFT) test

test-c: lib plugins | $(BUILD_C)
	bash Tests/CTests/run.sh

test-python: lib
	$(PYTHON) -m pytest -q bindings/python/tests

# ---- fuzzing (libFuzzer, clang of the Swift toolchain) -----------------------------------

# fuzz/fuzz_<target>.c, one libFuzzer target each, with a committed seed corpus in
# fuzz/corpus/<target>. `make fuzz FUZZ_SECONDS=600` runs every target that long against a
# library built with coverage and AddressSanitizer (.build-fuzz); what the fuzzer finds to
# keep goes to build/fuzz/corpus, crashes to build/fuzz/crash-*. `make test` runs each target
# for FUZZ_SMOKE_SECONDS against the release library (coverage of the harness only).
FUZZ_TARGETS       := state_blob foreign_signature options abi_sequence
FUZZ_SECONDS       ?= 60
FUZZ_SMOKE_SECONDS ?= 3
FUZZ_CC            ?= clang
FUZZ_CFLAGS        := -std=c99 -g -O1 -Iinclude -ITests/CTests -Ifuzz -fuse-ld=lld \
                      -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
FUZZ_LIB_DIR       := .build-fuzz/release
FUZZ_FLAGS         := -rss_limit_mb=2048 -timeout=20 -print_final_stats=1
FUZZ_SOURCES       := fuzz/exports.list fuzz/fuzz_input.h Tests/CTests/state_blob.h include/gradient_descent.h

fuzz-lib:
	nice -n 10 $(SWIFT) build -c release --scratch-path .build-fuzz --product gradient_descent \
	    -Xswiftc -sanitize=fuzzer,address -Xcc -fsanitize=fuzzer-no-link,address

$(BUILD_C)/fuzz/%: fuzz/fuzz_%.c $(FUZZ_SOURCES) | fuzz-lib
	mkdir -p $(BUILD_C)/fuzz
	$(FUZZ_CC) $(FUZZ_CFLAGS) $< -L$(FUZZ_LIB_DIR) -Wl,-rpath,$(CURDIR)/$(FUZZ_LIB_DIR) \
	    -Wl,--dynamic-list=fuzz/exports.list -lgradient_descent -lm -o $@

$(BUILD_C)/fuzz-smoke/%: fuzz/fuzz_%.c $(FUZZ_SOURCES) $(LIB)
	mkdir -p $(BUILD_C)/fuzz-smoke
	$(FUZZ_CC) $(FUZZ_CFLAGS) $< -L$(RELEASE_DIR) -Wl,-rpath,$(CURDIR)/$(RELEASE_DIR) \
	    -Wl,--dynamic-list=fuzz/exports.list -lgradient_descent -lm -o $@

fuzz: $(FUZZ_TARGETS:%=$(BUILD_C)/fuzz/%)
	@for t in $(FUZZ_TARGETS); do \
	    mkdir -p $(BUILD_C)/fuzz/corpus/$$t; \
	    echo "== fuzz $$t for $(FUZZ_SECONDS) s"; \
	    (cd $(BUILD_C)/fuzz && SWIFT_BACKTRACE=enable=no nice -n 10 ./$$t $(FUZZ_FLAGS) -max_total_time=$(FUZZ_SECONDS) \
	        corpus/$$t $(CURDIR)/fuzz/corpus/$$t 2>&1 | tee $$t.log | grep -E '^(#[0-9]+[[:space:]]+DONE|stat::number_of_executed_units|==[0-9]+==ERROR|SUMMARY)') \
	        || exit 1; \
	    grep -q 'Done [0-9]* runs' $(BUILD_C)/fuzz/$$t.log || { echo "fuzz $$t did not finish cleanly"; exit 1; }; \
	done

fuzz-smoke: lib $(FUZZ_TARGETS:%=$(BUILD_C)/fuzz-smoke/%)
	@for t in $(FUZZ_TARGETS); do \
	    rm -rf $(BUILD_C)/fuzz-smoke/corpus/$$t; mkdir -p $(BUILD_C)/fuzz-smoke/corpus/$$t; \
	    echo "== fuzz-smoke $$t for $(FUZZ_SMOKE_SECONDS) s"; \
	    (cd $(BUILD_C)/fuzz-smoke && SWIFT_BACKTRACE=enable=no ./$$t $(FUZZ_FLAGS) -max_total_time=$(FUZZ_SMOKE_SECONDS) \
	        corpus/$$t $(CURDIR)/fuzz/corpus/$$t > $$t.log 2>&1) \
	        || { tail -40 $(BUILD_C)/fuzz-smoke/$$t.log; exit 1; }; \
	    grep -E 'stat::number_of_executed_units' $(BUILD_C)/fuzz-smoke/$$t.log; \
	done

# Regenerates the seed corpus from states the library saves (committed; rerun when the
# state format changes).
fuzz-seeds: lib | $(BUILD_C)
	$(CC) -std=c99 -Wall -Wextra -Werror -Iinclude fuzz/seeds/make_seeds.c -L$(RELEASE_DIR) \
	    -Wl,-rpath,$(CURDIR)/$(RELEASE_DIR) -lgradient_descent -lm -o $(BUILD_C)/make_seeds
	for t in $(FUZZ_TARGETS); do mkdir -p fuzz/corpus/$$t; done
	$(BUILD_C)/make_seeds

# ---- sanitizers ---------------------------------------------------------------------------

# The library under AddressSanitizer + UndefinedBehaviorSanitizer (C and Python suites) and
# ThreadSanitizer (the concurrency tests); separate scratch paths .build-asan, .build-tsan.
# Several minutes: not part of `make test`.
test-sanitize: setup
	bash Tests/Sanitizers/run.sh

# ---- main job -------------------------------------------------------------------------

# The optional extras of demo and bench, installed into .venv once per requirements file
# (a stamp beside it); bench's jax/optax may be missing on a machine, then their rows are skipped.
BENCH_EXTRAS := $(VENV)/.bench-extras-installed
DEMO_EXTRAS  := $(VENV)/.demo-extras-installed

$(BENCH_EXTRAS): benchmarks/requirements.txt | setup
	$(PYTHON) -m pip install -q --disable-pip-version-check -r benchmarks/requirements.txt \
	    || echo "bench: jax/optax could not be installed; their baselines will be skipped"
	cp benchmarks/requirements.txt $@

$(DEMO_EXTRAS): examples/requirements-demo.txt | setup
	$(PYTHON) -m pip install -q --disable-pip-version-check -r examples/requirements-demo.txt \
	    || echo "demo: matplotlib/scikit-learn/tqdm could not be installed; the demo skips what needs them"
	cp examples/requirements-demo.txt $@

# `make demo`: the seed article's example in C (examples/linear_regression.c), then the whole
# story from Python through the C ABI (examples/demo/demo.py): every variant, one table, the
# breast-cancer logistic regression against scikit-learn, and a picture of the loss curves.
demo: setup lib $(DEMO_EXTRAS) | $(BUILD_C)
	$(CC) -std=c99 -O2 -Wall -Wextra -Iinclude examples/linear_regression.c \
	    -L$(RELEASE_DIR) -Wl,-rpath,$(CURDIR)/$(RELEASE_DIR) -lgradient_descent -lm -o $(BUILD_C)/linear_regression
	$(BUILD_C)/linear_regression
	@echo
	$(PYTHON) examples/demo/demo.py --output $(BUILD_C)/demo

# `make bench` measures the library and its baselines in one run (a few minutes on 2 cores)
# and writes the table to benchmarks/RESULTS.md. BENCH_FLAGS=--quick for a smoke run.
bench: setup lib $(BENCH_EXTRAS)
	$(PYTHON) benchmarks/run.py --write benchmarks/RESULTS.md $(BENCH_FLAGS)

clean:
	rm -rf .build .build-fuzz .build-asan .build-tsan $(BUILD_C) $(PY_LIB_DIR)
