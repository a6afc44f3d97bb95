#!/usr/bin/env bash
# The library built with sanitizers, under the project's own tests (`make test-sanitize`):
#   1. AddressSanitizer + UndefinedBehaviorSanitizer: Swift with -sanitize=address, the C
#      targets with -fsanitize=address,undefined (.build-asan); the C tests compiled with the
#      same sanitizers and linked against it; then the Python suite with the ASan runtime
#      preloaded and GRADIENT_DESCENT_LIBRARY pointing at the sanitized library.
#   2. ThreadSanitizer (.build-tsan): the concurrency tests, in C (test_concurrent_runs.c,
#      test_objectives.c) and in Swift (the suites that run passes on a second thread).
# Every run must end clean: a sanitizer report fails it (halt_on_error, no recovery).
set -euo pipefail
cd "$(dirname "$0")/../.."

SWIFT=${SWIFT:-swift}
CLANG=${FUZZ_CC:-clang}
PYTHON=${PYTHON:-.venv/bin/python}
runtime_dir="$("$CLANG" -print-resource-dir)/lib/linux"
out=build/sanitize
mkdir -p "$out" build/test-fixtures
status=0

echo "== building the library with AddressSanitizer and UndefinedBehaviorSanitizer (.build-asan)"
nice -n 10 "$SWIFT" build -c release --scratch-path .build-asan --product gradient_descent \
    -Xswiftc -sanitize=address -Xcc -fsanitize=address,undefined -Xcc -fno-sanitize-recover=undefined
asan_lib=.build-asan/release

# The fixtures the C tests load (as Tests/CTests/run.sh builds them).
for source in Tests/CTests/plugins/*.c Tests/CTests/foreign/*.c; do
    cc -std=c99 -O1 -fPIC -shared -Iinclude "$source" -o "build/test-fixtures/$(basename "$source" .c).so"
done
"${FC:-gfortran}" -O1 -fPIC -shared Tests/CTests/foreign/fg.f90 -o build/test-fixtures/fg.so

# allocator_may_return_null: the tests ask for absurd sizes on purpose, and the library
# reports a failed allocation (GD_E_OUT_OF_MEMORY) where ASan would otherwise abort.
export ASAN_OPTIONS=halt_on_error=1:detect_leaks=1:allocator_may_return_null=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
# test_allocations counts allocations through its own malloc, which ASan replaces. The tests
# themselves are built without UBSan's object-size check: they write structs from older
# headers through a pointer to today's struct on purpose (the library reads only what
# struct_size covers); the library's own C code keeps every check.
for source in Tests/CTests/test_*.c; do
    name=$(basename "$source" .c)
    [ "$name" = test_allocations ] && continue
    echo "== asan+ubsan: $name"
    "$CLANG" -std=c99 -g -O1 -Iinclude -ITests/CTests -fsanitize=address,undefined -fno-sanitize=object-size \
        -fno-sanitize-recover=undefined -fuse-ld=lld \
        "$source" -L"$asan_lib" -Wl,-rpath,"$PWD/$asan_lib" -lgradient_descent -lm -o "$out/$name-asan"
    if ! "$out/$name-asan"; then status=1; fi
done

# The two tests that measure the process's RSS to find leaks are left out: ASan's allocator
# keeps freed memory in quarantine, so RSS grows by design (LeakSanitizer checks the C suite
# above; the RSS tests run in the ordinary suite).
echo "== asan+ubsan: the Python suite (ASan runtime preloaded; CPython's own leaks not reported)"
if ! env LD_PRELOAD="$runtime_dir/libclang_rt.asan-x86_64.so" \
    ASAN_OPTIONS=halt_on_error=1:detect_leaks=0:allocator_may_return_null=1 \
    GRADIENT_DESCENT_LIBRARY="$PWD/$asan_lib/libgradient_descent.so" \
    "$PYTHON" -m pytest -q -p no:cacheprovider bindings/python/tests \
        -k 'not test_no_handle_leaks_after_10000_create_close_cycles and not test_no_leaks_after_2000_minimize_runs'; then
    status=1
fi

echo "== building the library with ThreadSanitizer (.build-tsan)"
nice -n 10 "$SWIFT" build -c release --scratch-path .build-tsan --product gradient_descent \
    -Xswiftc -sanitize=thread -Xcc -fsanitize=thread
tsan_lib=.build-tsan/release
export TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1:allocator_may_return_null=1
# The shared TSan runtime: the static one carries libdispatch interceptors that only resolve
# against the Swift runtime the library links.
for name in test_concurrent_runs test_objectives; do
    echo "== tsan: $name"
    "$CLANG" -std=c99 -g -O1 -Iinclude -ITests/CTests -fsanitize=thread -shared-libsan -fuse-ld=lld "Tests/CTests/$name.c" \
        -L"$tsan_lib" -Wl,-rpath,"$PWD/$tsan_lib" -Wl,-rpath,"$runtime_dir" -lgradient_descent -lm \
        -o "$out/$name-tsan"
    if ! "$out/$name-tsan"; then status=1; fi
done

echo "== tsan: the Swift suites that run passes on a second thread"
if ! nice -n 10 "$SWIFT" test --scratch-path .build-tsan --sanitize thread \
    --filter 'SecondThreadTests|RowPassTests|BuiltInObjectiveTests'; then
    status=1
fi
exit $status
