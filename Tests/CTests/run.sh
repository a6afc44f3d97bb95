#!/usr/bin/env bash
# C tests: strict C99 against the header and the built library, the header once as C++,
# the exported symbols against the header's functions, and every test binary under valgrind.
set -euo pipefail
# This folder (test sources, check.h, fixtures), wherever it sits; the commands run from the root.
tests_dir=$(cd "$(dirname "$0")" && pwd)
cd "$tests_dir/../.."

lib_dir=${GD_LIB_DIR:-.build/release}
out=build/c-tests
mkdir -p "$out"
CC=${CC:-cc}
CXX=${CXX:-c++}
strict=(-std=c99 -Wall -Wextra -pedantic -Werror -Iinclude -I"$tests_dir")
link=(-L"$lib_dir" -Wl,-rpath,"$PWD/$lib_dir" -lgradient_descent -lm)

echo "== header compiles as C++"
echo '#include "gradient_descent.h"
int main() { return gd_version_number() == GD_VERSION_NUMBER ? 0 : 1; }' > "$out/header.cpp"
"$CXX" -std=c++11 -Wall -Wextra -pedantic -Werror -Iinclude "$out/header.cpp" "${link[@]}" -o "$out/header_cpp"
"$out/header_cpp"

echo "== exported gd_ symbols equal the header's functions"
exported=$(nm -D --defined-only "$lib_dir/libgradient_descent.so" | awk '$2 == "T" { print $3 }' | sort -u)
declared=$(grep -oE '^[a-z_ *0-9]*\bgd_[a-z0-9_]+\(' include/gradient_descent.h \
    | grep -oE 'gd_[a-z0-9_]+\($' | tr -d '(' | sort -u)
if [ "$exported" != "$declared" ]; then
    echo "exported and declared differ:"
    diff <(echo "$exported") <(echo "$declared") || true
    exit 1
fi
echo "$(echo "$exported" | wc -l) functions, all declared, nothing else exported"

echo "== the library needs no Swift runtime"
if ldd "$lib_dir/libgradient_descent.so" | grep -i swift; then
    echo "libgradient_descent.so links a Swift library"
    exit 1
fi

echo "== plugins and foreign functions the tests load (build/test-fixtures)"
fixtures=build/test-fixtures
mkdir -p "$fixtures"
for source in "$tests_dir"/plugins/*.c "$tests_dir"/foreign/*.c; do
    "$CC" "${strict[@]}" -O1 -fPIC -shared "$source" -o "$fixtures/$(basename "$source" .c).so"
done
"${FC:-gfortran}" -O1 -fPIC -shared "$tests_dir"/foreign/fg.f90 -o "$fixtures/fg.so"
# On the loader's search path, so that bare library names ("rosen.so") resolve as dlopen(3)
# resolves them (test_foreign_search); the other tests give paths.
export LD_LIBRARY_PATH="$PWD/$fixtures${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"

# Each test prints one line, "name: N checks, F failed", after the failures it found.
echo "== test programs under valgrind"
status=0
for source in "$tests_dir"/test_*.c; do
    name=$(basename "$source" .c)
    "$CC" "${strict[@]}" -O1 -g "$source" "${link[@]}" -o "$out/$name"
    if ! valgrind -q --fair-sched=yes --leak-check=full --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect \
        --error-exitcode=99 "$out/$name"; then
        echo "$name: FAILED (its checks or valgrind's report above)"
        status=1
    fi
done

# Valgrind replaces the allocator that test_allocations counts through, so it skips itself
# there; natively it counts every allocation of 10,000-iteration runs.
echo "== test_allocations, natively"
if ! "$out/test_allocations"; then
    status=1
fi
exit $status
