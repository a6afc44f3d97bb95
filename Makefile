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

# One version, from the header's GD_VERSION_MAJOR/MINOR/PATCH.
GD_VERSION_MAJOR := $(shell awk '$$2 == "GD_VERSION_MAJOR" { print $$3 }' include/gradient_descent.h)
GD_VERSION       := $(shell awk '$$2 ~ /^GD_VERSION_(MAJOR|MINOR|PATCH)$$/ { v = v s $$3; s = "." } END { print v }' include/gradient_descent.h)
SONAME           := libgradient_descent.so.$(GD_VERSION_MAJOR)

# The shared library carries the Swift runtime (-static-stdlib): it needs only libc, libm,
# libstdc++ and libgcc_s, so it loads without a Swift toolchain or LD_LIBRARY_PATH.
# GRADIENT_DESCENT_TUNED_BUILD=1 turns on the flags Package.swift keeps out of dependency
# builds (Haswell loops, no errno from sqrt, exported symbols, static libffi).
SWIFT_RELEASE := -c release -Xswiftc -static-stdlib -Xlinker -soname=$(SONAME)
TUNED         := GRADIENT_DESCENT_TUNED_BUILD=1

# make install PREFIX=/usr/local DESTDIR=: the layout of a system library.
PREFIX     ?= /usr/local
DESTDIR    ?=
LIBDIR     := $(PREFIX)/lib
INCLUDEDIR := $(PREFIX)/include
CMAKEDIR   := $(LIBDIR)/cmake/gradient_descent
PCDIR      := $(LIBDIR)/pkgconfig
FILL_IN    := sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@LIBDIR@|$(LIBDIR)|g' -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|g' \
              -e 's|@VERSION@|$(GD_VERSION)|g' -e 's|@VERSION_MAJOR@|$(GD_VERSION_MAJOR)|g'

.PHONY: all help lib plugins setup install uninstall test test-swift test-c test-install test-swift-consumer \
        test-python test-bench test-mypy test-wheel wheel demo bench clean golden-torch \
        fuzz fuzz-lib fuzz-smoke fuzz-seeds test-sanitize mpi mpi-build test-mpi

all: lib

# `make help`: every target with its one-line description (the `##` comments below).
help: ## this list
	@awk -F ':.*## ' '/^[a-z-]+:.*## / { printf "  %-22s %s\n", $$1, $$2 }' $(MAKEFILE_LIST)

lib: ## the release libgradient_descent.so (SONAME libgradient_descent.so.MAJOR), also copied into the Python package
	$(TUNED) $(SWIFT) build $(SWIFT_RELEASE) --product gradient_descent
	ln -sf libgradient_descent.so $(RELEASE_DIR)/$(SONAME)
	mkdir -p $(PY_LIB_DIR)
	cp $(LIB) $(PY_LIB_DIR)/

# install takes the library `make lib` built (and builds it only when missing), so that
# `make lib && sudo make install` needs no Swift toolchain on root's PATH.
$(LIB):
	$(MAKE) lib

install: $(LIB) ## install the library, header, pkg-config file and CMake package under DESTDIR/PREFIX (default /usr/local)
	install -d $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCLUDEDIR) $(DESTDIR)$(PCDIR) $(DESTDIR)$(CMAKEDIR)
	install -m 755 $(LIB) $(DESTDIR)$(LIBDIR)/libgradient_descent.so.$(GD_VERSION)
	ln -sf libgradient_descent.so.$(GD_VERSION) $(DESTDIR)$(LIBDIR)/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(LIBDIR)/libgradient_descent.so
	install -m 644 include/gradient_descent.h $(DESTDIR)$(INCLUDEDIR)/gradient_descent.h
	$(FILL_IN) packaging/gradient_descent.pc.in > $(DESTDIR)$(PCDIR)/gradient_descent.pc
	$(FILL_IN) packaging/gradient_descentConfig.cmake.in > $(DESTDIR)$(CMAKEDIR)/gradient_descentConfig.cmake
	$(FILL_IN) packaging/gradient_descentConfigVersion.cmake.in > $(DESTDIR)$(CMAKEDIR)/gradient_descentConfigVersion.cmake
	@# The MPI reducer library and its header, when `make mpi` built them.
	@if [ -f $(MPI_LIB_REAL) ]; then set -x; \
	    install -m 755 $(MPI_LIB_REAL) $(DESTDIR)$(LIBDIR)/$(MPI_LIB_NAME).$(GD_VERSION); \
	    ln -sf $(MPI_LIB_NAME).$(GD_VERSION) $(DESTDIR)$(LIBDIR)/$(MPI_LIB_NAME).$(GD_VERSION_MAJOR); \
	    ln -sf $(MPI_LIB_NAME).$(GD_VERSION_MAJOR) $(DESTDIR)$(LIBDIR)/$(MPI_LIB_NAME); \
	    install -m 644 include/gradient_descent_mpi.h $(DESTDIR)$(INCLUDEDIR)/gradient_descent_mpi.h; fi
	@# The dynamic loader finds a new library in a system directory only after ldconfig.
	@if [ -z "$(DESTDIR)" ] && [ "$$(id -u)" = 0 ] && command -v ldconfig >/dev/null; then ldconfig; fi

uninstall: ## remove what `make install` put under DESTDIR/PREFIX (same PREFIX and DESTDIR)
	rm -f $(DESTDIR)$(LIBDIR)/libgradient_descent.so.$(GD_VERSION) $(DESTDIR)$(LIBDIR)/$(SONAME) \
	      $(DESTDIR)$(LIBDIR)/libgradient_descent.so $(DESTDIR)$(INCLUDEDIR)/gradient_descent.h \
	      $(DESTDIR)$(PCDIR)/gradient_descent.pc $(DESTDIR)$(CMAKEDIR)/gradient_descentConfig.cmake \
	      $(DESTDIR)$(CMAKEDIR)/gradient_descentConfigVersion.cmake \
	      $(DESTDIR)$(LIBDIR)/$(MPI_LIB_NAME).$(GD_VERSION) $(DESTDIR)$(LIBDIR)/$(MPI_LIB_NAME).$(GD_VERSION_MAJOR) \
	      $(DESTDIR)$(LIBDIR)/$(MPI_LIB_NAME) $(DESTDIR)$(INCLUDEDIR)/gradient_descent_mpi.h
	-rmdir $(DESTDIR)$(CMAKEDIR) 2>/dev/null
	@if [ -z "$(DESTDIR)" ] && [ "$$(id -u)" = 0 ] && command -v ldconfig >/dev/null; then ldconfig; fi

setup: ## install the apt packages and the pinned .venv the build and the tests need
	bash .ci/setup

# Example loss plugins (examples/plugins/*.c), one shared object each, in build/plugins.
PLUGIN_SOURCES := $(wildcard examples/plugins/*.c)
plugins: $(PLUGIN_SOURCES:examples/plugins/%.c=$(BUILD_C)/plugins/%.so) ## the example loss plugins, in build/plugins

$(BUILD_C)/plugins/%.so: examples/plugins/%.c include/gradient_descent.h
	mkdir -p $(BUILD_C)/plugins
	$(CC) $(CFLAGS_STRICT) -O2 -fPIC -shared $< -o $@ -lm

$(BUILD_C):
	mkdir -p $(BUILD_C)

# ---- data-parallel runs over MPI ------------------------------------------------------

# `make mpi`: libgradient_descent_mpi.so (the gd_reducer over an MPI communicator, the only
# part that links MPI) and the example program, in build/mpi, when mpicc is found. The
# library is versioned like the header: libgradient_descent_mpi.so.<major>.<minor>.<patch>
# with the SONAME libgradient_descent_mpi.so.<major>.
MPICC        ?= mpicc
MPI_DIR      := $(BUILD_C)/mpi
MPI_LIB_NAME := libgradient_descent_mpi.so
MPI_LIB      := $(MPI_DIR)/$(MPI_LIB_NAME)
MPI_LIB_REAL := $(MPI_LIB).$(GD_VERSION)
MPI_SOURCES  := Sources/GradientDescentMPI/mpi_reducer.c
MPI_LINK     := -L$(MPI_DIR) -L$(RELEASE_DIR) -Wl,-rpath,$(CURDIR)/$(MPI_DIR) \
                -Wl,-rpath,$(CURDIR)/$(RELEASE_DIR) -lgradient_descent_mpi -lgradient_descent -lm

mpi: lib ## libgradient_descent_mpi.so (a gd_reducer over MPI) and examples/mpi, in build/mpi, when mpicc is found
	@if command -v $(MPICC) >/dev/null 2>&1; then $(MAKE) --no-print-directory mpi-build; \
	else echo "mpi: $(MPICC) not found (Debian: libopenmpi-dev openmpi-bin); not built"; fi

mpi-build: $(MPI_LIB) $(MPI_DIR)/linear_regression_mpi

$(MPI_LIB_REAL): $(MPI_SOURCES) include/gradient_descent_mpi.h include/gradient_descent.h
	mkdir -p $(MPI_DIR)
	$(MPICC) $(CFLAGS_STRICT) -O2 -fPIC -shared $(MPI_SOURCES) -o $@ \
	    -Wl,-soname,$(MPI_LIB_NAME).$(GD_VERSION_MAJOR)

$(MPI_LIB): $(MPI_LIB_REAL)
	ln -sf $(MPI_LIB_NAME).$(GD_VERSION) $(MPI_LIB).$(GD_VERSION_MAJOR)
	ln -sf $(MPI_LIB_NAME).$(GD_VERSION_MAJOR) $@

$(MPI_DIR)/linear_regression_mpi: examples/mpi/linear_regression_mpi.c $(MPI_LIB) $(LIB)
	$(MPICC) $(CFLAGS_STRICT) -O2 $< $(MPI_LINK) -o $@

# ---- tests ------------------------------------------------------------------------------

test: setup lib test-swift test-c test-install test-swift-consumer mpi test-python test-bench test-mypy test-wheel fuzz-smoke test-mpi ## every test-* target (what CI runs; works on a fresh clone)

# With the shipped library's flags, so that the Haswell loops are the ones the tests compare
# (test-swift-consumer builds without them). One line per suite, the failures, the total.
test-swift: ## the Swift Testing suite, with the shipped library's flags
	$(TUNED) SWIFT=$(SWIFT) bash Tests/run-swift-tests.sh

test-c: lib plugins | $(BUILD_C) ## the C tests: strict C99, header as C++, exported symbols, valgrind
	bash Tests/CTests/run.sh

test-install: lib ## make install into a temporary prefix; the README's C quick start through pkg-config and CMake
	bash Tests/InstallTests/run.sh

test-swift-consumer: ## a throw-away package depending on a tagged clone of this one by URL and version
	bash Tests/SwiftConsumerTests/run.sh

# One line per test file (bindings/python/tests/suite_summary.py), the failures, the total.
test-python: lib ## the Python binding's tests
	PYTHONPATH=bindings/python/tests $(PYTHON) -m pytest -q -p suite_summary -o console_output_style=classic bindings/python/tests

# The benchmarks' checks: the MGH table against the paper (gradients, minima, boxes) and a
# smoke run of the L-BFGS cases (3 problems, each solver, the C logistic loss); seconds.
test-bench: lib ## the MGH table against the paper and a smoke run of the L-BFGS benchmarks
	timeout 300 $(PYTHON) -m pytest -q benchmarks/tests

# Data-parallel runs under mpirun (1, 2 and 4 processes, a killed rank, two network
# namespaces, the example against one process); says so and passes when mpicc is missing.
test-mpi: mpi ## data-parallel runs under mpirun: 1, 2, 4 processes, a killed rank, two network namespaces
	@if command -v $(MPICC) >/dev/null 2>&1; then bash Tests/MPITests/run.sh; \
	else echo "test-mpi: SKIPPED ($(MPICC) not found)"; fi

# ---- the Python wheel -------------------------------------------------------------------

# `make wheel`: dist/gradient_descent_swift-<version>-py3-none-manylinux_<x>_<y>_x86_64.whl with
# the shared library inside; the tag is the one `auditwheel show` reports for the library.
WHEEL_TOOLS := $(VENV)/.wheel-tools-installed
WHEEL_BUILD := $(BUILD_C)/wheel

$(WHEEL_TOOLS): bindings/python/requirements-wheel.txt | setup
	$(PYTHON) -m pip install -q --disable-pip-version-check -r bindings/python/requirements-wheel.txt
	cp bindings/python/requirements-wheel.txt $@

wheel: lib $(WHEEL_TOOLS) ## dist/gradient_descent_swift-*.whl with the library inside, tagged as auditwheel reports
	rm -rf $(WHEEL_BUILD) && mkdir -p $(WHEEL_BUILD) dist
	rm -f dist/gradient_descent_swift-*.whl
	$(PYTHON) -m pip wheel -q --disable-pip-version-check --no-deps -w $(WHEEL_BUILD) bindings/python
	$(PYTHON) bindings/python/tools/repair_wheel.py $(WHEEL_BUILD)/gradient_descent_swift-*.whl dist

# The wheel installed into a new venv outside the repository, without Swift on PATH: the
# README's Python quick start, a built-in objective and `python -m gradient_descent`.
test-wheel: wheel ## the wheel installed into a new venv outside the repository, without Swift on PATH
	$(PYTHON) bindings/python/tools/check_wheel_install.py dist/gradient_descent_swift-*.whl

# Type checking of the whole package, strict (mypy pinned in requirements-test.txt).
test-mypy: setup ## mypy --strict on the Python package
	cd bindings/python && ../../$(PYTHON) -m mypy --strict -p gradient_descent

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
FUZZ_SOURCES       := fuzz/exports.list fuzz/fuzz_input.h Tests/CTests/state_blob.h Tests/CTests/unit_bowl.h include/gradient_descent.h

fuzz-lib: ## the library with coverage and AddressSanitizer for the fuzzers (.build-fuzz)
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

fuzz: $(FUZZ_TARGETS:%=$(BUILD_C)/fuzz/%) ## run each libFuzzer target for FUZZ_SECONDS (default 60)
	@for t in $(FUZZ_TARGETS); do \
	    mkdir -p $(BUILD_C)/fuzz/corpus/$$t; \
	    echo "== fuzz $$t for $(FUZZ_SECONDS) s"; \
	    (cd $(BUILD_C)/fuzz && SWIFT_BACKTRACE=enable=no nice -n 10 ./$$t $(FUZZ_FLAGS) -max_total_time=$(FUZZ_SECONDS) \
	        corpus/$$t $(CURDIR)/fuzz/corpus/$$t 2>&1 | tee $$t.log | grep -E '^(#[0-9]+[[:space:]]+DONE|stat::number_of_executed_units|==[0-9]+==ERROR|SUMMARY)') \
	        || exit 1; \
	    grep -q 'Done [0-9]* runs' $(BUILD_C)/fuzz/$$t.log || { echo "fuzz $$t did not finish cleanly"; exit 1; }; \
	done

fuzz-smoke: lib $(FUZZ_TARGETS:%=$(BUILD_C)/fuzz-smoke/%) ## each fuzz target for FUZZ_SMOKE_SECONDS against the release library
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
fuzz-seeds: lib | $(BUILD_C) ## regenerate the fuzzers' seed corpus from saved states
	$(CC) -std=c99 -Wall -Wextra -Werror -Iinclude -ITests/CTests fuzz/seeds/make_seeds.c -L$(RELEASE_DIR) \
	    -Wl,-rpath,$(CURDIR)/$(RELEASE_DIR) -lgradient_descent -lm -o $(BUILD_C)/make_seeds
	for t in $(FUZZ_TARGETS); do mkdir -p fuzz/corpus/$$t; done
	$(BUILD_C)/make_seeds

# ---- sanitizers ---------------------------------------------------------------------------

# The library under AddressSanitizer + UndefinedBehaviorSanitizer (C and Python suites) and
# ThreadSanitizer (the concurrency tests); separate scratch paths .build-asan, .build-tsan.
# Several minutes: not part of `make test`.
test-sanitize: setup plugins ## the C and Python suites under ASan+UBSan, the concurrency tests under TSan
	bash Tests/Sanitizers/run.sh

# ---- main job -------------------------------------------------------------------------

# The optional extras of demo and bench, installed into .venv once per requirements file
# (a stamp beside it); bench's jax/optax may be missing on a machine, then their rows are skipped
# (threadpoolctl, which describes numpy's BLAS, is installed on its own first).
BENCH_EXTRAS := $(VENV)/.bench-extras-installed
DEMO_EXTRAS  := $(VENV)/.demo-extras-installed

$(BENCH_EXTRAS): benchmarks/requirements.txt | setup
	$(PYTHON) -m pip install -q --disable-pip-version-check $$(grep '^threadpoolctl==' benchmarks/requirements.txt) \
	    || echo "bench: threadpoolctl could not be installed; the results will not describe numpy's BLAS"
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
demo: setup lib $(DEMO_EXTRAS) | $(BUILD_C) ## the seed article's example in C, then every variant from Python
	$(CC) -std=c99 -O2 -Wall -Wextra -Iinclude examples/linear_regression.c \
	    -L$(RELEASE_DIR) -Wl,-rpath,$(CURDIR)/$(RELEASE_DIR) -lgradient_descent -lm -o $(BUILD_C)/linear_regression
	$(BUILD_C)/linear_regression
	@echo
	$(PYTHON) examples/demo/demo.py --output $(BUILD_C)/demo

# `make bench` measures the library, its baselines and the machine's floors in one run (a few
# minutes on 2 cores) and writes the tables to build/bench/RESULTS.md; `make bench WRITE=1`
# writes the committed benchmarks/RESULTS.md and the README's headline table instead.
# BENCH_FLAGS=--quick for a smoke run.
BENCH_OUTPUT = $(if $(WRITE),--write benchmarks/RESULTS.md --readme README.md,--write $(BUILD_C)/bench/RESULTS.md)
bench: setup lib mpi $(BENCH_EXTRAS) ## the benchmarks (BENCH_FLAGS=--quick for a smoke run; WRITE=1 updates RESULTS.md)
	$(PYTHON) benchmarks/run.py $(BENCH_OUTPUT) $(BENCH_FLAGS)
	@# Adam per element for a SwiftPM dependency's build (portable loops) and the shipped .so.
	mkdir -p $(BUILD_C)
	bash Tests/SwiftConsumerTests/run.sh --bench $(findstring --quick,$(BENCH_FLAGS)) > $(BUILD_C)/swift-consumer-bench.txt
	cat $(BUILD_C)/swift-consumer-bench.txt

clean: ## remove every build product
	rm -rf .build .build-fuzz .build-asan .build-tsan $(BUILD_C) $(PY_LIB_DIR) dist

# `make golden-torch` (by hand, never part of `make test`): runs real PyTorch in its own venv
# and rewrites the golden files under Tests/Golden/torch (tools/torch_golden/README.md).
TORCH_WHEEL ?= /opt/wheels/torch-2.13.0+cpu-cp311-cp311-manylinux_2_28_x86_64.whl
TORCH_VENV  := .venv-torch
golden-torch: ## by hand: rerun real PyTorch (CPU wheel, own venv) and rewrite Tests/Golden/torch
	test -x $(TORCH_VENV)/bin/python || python3.11 -m venv $(TORCH_VENV)
	$(TORCH_VENV)/bin/python -m pip install -q --disable-pip-version-check --no-deps $(TORCH_WHEEL)
	$(TORCH_VENV)/bin/python -m pip install -q --disable-pip-version-check -r tools/torch_golden/requirements.txt
	$(TORCH_VENV)/bin/python tools/torch_golden/generate_torch_golden.py
	$(TORCH_VENV)/bin/python tools/torch_golden/generate_groups_and_new_rules.py
