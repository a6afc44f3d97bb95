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

.PHONY: all lib plugins setup test test-swift test-c test-python demo bench clean wheel \
        test-wheel test-mypy mpi mpi-build test-mpi

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

# ---- data-parallel runs over MPI ------------------------------------------------------

# `make mpi`: libgradient_descent_mpi.so (the gd_reducer over an MPI communicator, the only
# part that links MPI) and the example program, in build/mpi, when mpicc is found. The
# library is versioned like the header: libgradient_descent_mpi.so.<major>.<minor>.<patch>
# with the SONAME libgradient_descent_mpi.so.<major>.
MPICC        ?= mpicc
MPI_DIR      := $(BUILD_C)/mpi
GD_VERSION   := $(shell sed -n 's/^\#define GD_VERSION_\(MAJOR\|MINOR\|PATCH\) \([0-9]*\).*/\2/p' \
                    include/gradient_descent.h | paste -sd.)
GD_MAJOR     := $(firstword $(subst ., ,$(GD_VERSION)))
MPI_LIB_NAME := libgradient_descent_mpi.so
MPI_LIB      := $(MPI_DIR)/$(MPI_LIB_NAME)
MPI_LIB_REAL := $(MPI_LIB).$(GD_VERSION)
MPI_SOURCES  := Sources/GradientDescentMPI/mpi_reducer.c
MPI_LINK     := -L$(MPI_DIR) -L$(RELEASE_DIR) -Wl,-rpath,$(CURDIR)/$(MPI_DIR) \
                -Wl,-rpath,$(CURDIR)/$(RELEASE_DIR) -lgradient_descent_mpi -lgradient_descent -lm

mpi: lib
	@if command -v $(MPICC) >/dev/null 2>&1; then $(MAKE) --no-print-directory mpi-build; \
	else echo "mpi: $(MPICC) not found (Debian: libopenmpi-dev openmpi-bin); not built"; fi

mpi-build: $(MPI_LIB) $(MPI_DIR)/linear_regression_mpi

$(MPI_LIB_REAL): $(MPI_SOURCES) include/gradient_descent_mpi.h include/gradient_descent.h
	mkdir -p $(MPI_DIR)
	$(MPICC) $(CFLAGS_STRICT) -O2 -fPIC -shared $(MPI_SOURCES) -o $@ \
	    -Wl,-soname,$(MPI_LIB_NAME).$(GD_MAJOR)

$(MPI_LIB): $(MPI_LIB_REAL)
	ln -sf $(MPI_LIB_NAME).$(GD_VERSION) $(MPI_LIB).$(GD_MAJOR)
	ln -sf $(MPI_LIB_NAME).$(GD_MAJOR) $@

$(MPI_DIR)/linear_regression_mpi: examples/mpi/linear_regression_mpi.c $(MPI_LIB) $(LIB)
	$(MPICC) $(CFLAGS_STRICT) -O2 $< $(MPI_LINK) -o $@

# ---- tests ------------------------------------------------------------------------------

test: setup lib mpi test-swift test-c test-python test-mypy test-wheel test-mpi

test-swift:
	$(SWIFT) test

test-c: lib plugins | $(BUILD_C)
	bash Tests/CTests/run.sh

test-python: lib
	$(PYTHON) -m pytest -q bindings/python/tests

# Data-parallel runs under mpirun (1, 2 and 4 processes, a killed rank, two network
# namespaces, the example against one process); says so and passes when mpicc is missing.
test-mpi: mpi
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

wheel: lib $(WHEEL_TOOLS)
	rm -rf $(WHEEL_BUILD) && mkdir -p $(WHEEL_BUILD) dist
	rm -f dist/gradient_descent_swift-*.whl
	$(PYTHON) -m pip wheel -q --disable-pip-version-check --no-deps -w $(WHEEL_BUILD) bindings/python
	$(PYTHON) bindings/python/tools/repair_wheel.py $(WHEEL_BUILD)/gradient_descent_swift-*.whl dist

# The wheel installed into a new venv outside the repository, without Swift on PATH: the
# README's Python quick start, a built-in objective and `python -m gradient_descent`.
test-wheel: wheel
	$(PYTHON) bindings/python/tools/check_wheel_install.py dist/gradient_descent_swift-*.whl

# Type checking of the whole package, strict (mypy pinned in requirements-test.txt).
test-mypy: setup
	cd bindings/python && ../../$(PYTHON) -m mypy --strict -p gradient_descent

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
	rm -rf .build $(BUILD_C) $(PY_LIB_DIR) dist
