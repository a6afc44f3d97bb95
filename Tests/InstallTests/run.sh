#!/usr/bin/env bash
# `make install` as a user runs it: into a temporary prefix, then the README's C quick start
# (extracted from README.md, so the documentation cannot drift) built once with pkg-config and
# once with CMake under -std=c99 -Wall -Wextra -pedantic -Werror, and run. Then a staged
# install (DESTDIR) and `make uninstall`, which must leave nothing behind.
set -euo pipefail
cd "$(dirname "$0")/../.."

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
prefix=$work/prefix
strict=(-std=c99 -Wall -Wextra -pedantic -Werror)
version=$(awk '$2 ~ /^GD_VERSION_(MAJOR|MINOR|PATCH)$/ { v = v s $3; s = "." } END { print v }' include/gradient_descent.h)
major=${version%%.*}
fail() { echo "test-install: $*" >&2; exit 1; }

echo "== make install PREFIX=$prefix"
make -s install PREFIX="$prefix" >/dev/null
for file in "lib/libgradient_descent.so.$version" include/gradient_descent.h lib/pkgconfig/gradient_descent.pc \
            lib/cmake/gradient_descent/gradient_descentConfig.cmake \
            lib/cmake/gradient_descent/gradient_descentConfigVersion.cmake; do
    [ -f "$prefix/$file" ] || fail "missing $file"
done
[ "$(readlink "$prefix/lib/libgradient_descent.so.$major")" = "libgradient_descent.so.$version" ] \
    || fail "libgradient_descent.so.$major does not point to libgradient_descent.so.$version"
[ "$(readlink "$prefix/lib/libgradient_descent.so")" = "libgradient_descent.so.$major" ] \
    || fail "the dev symlink libgradient_descent.so does not point to libgradient_descent.so.$major"
soname=$(readelf -d "$prefix/lib/libgradient_descent.so.$version" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
[ "$soname" = "libgradient_descent.so.$major" ] || fail "SONAME is '$soname', expected libgradient_descent.so.$major"
echo "files, symlinks and SONAME $soname: ok"

echo "== the README's C quick start"
awk '/^## C quick start/ { section = 1; next }
     /^## / { section = 0 }
     section && /^```c$/ && !done { inside = 1; next }
     inside && /^```$/ { inside = 0; done = 1; next }
     inside { print }' README.md > "$work/app.c"
grep -q 'gd_minimize' "$work/app.c" || fail "no C program with gd_minimize found under '## C quick start' in README.md"
check_output() {   # the program's line: stopped by the gradient tolerance, x at (0, 1, 2)
    local output=$1
    echo "$output"
    echo "$output" | grep -q 'gradient_tolerance after [0-9]* iterations' \
        || fail "the quick start did not stop at the gradient tolerance: $output"
    echo "$output" | sed -n 's/.*x = (\(.*\), \(.*\), \(.*\))$/\1 \2 \3/p' \
        | awk '{ for (i = 1; i <= 3; i++) if ($i - (i - 1) > 1e-6 || (i - 1) - $i > 1e-6) bad = 1 }
               END { exit (NR == 1 && !bad) ? 0 : 1 }' \
        || fail "the quick start did not find x = (0, 1, 2): $output"
}

echo "-- pkg-config"
export PKG_CONFIG_PATH=$prefix/lib/pkgconfig
[ "$(pkg-config --modversion gradient_descent)" = "$version" ] || fail "pkg-config reports another version"
# shellcheck disable=SC2046
cc "${strict[@]}" "$work/app.c" $(pkg-config --cflags --libs gradient_descent) -o "$work/app_pkgconfig"
readelf -d "$work/app_pkgconfig" | grep -q "NEEDED.*\[libgradient_descent.so.$major\]" \
    || fail "the program does not record libgradient_descent.so.$major as NEEDED"
check_output "$(LD_LIBRARY_PATH=$prefix/lib "$work/app_pkgconfig")"

echo "-- CMake"
mkdir -p "$work/cmake-app"
cp "$work/app.c" "$work/cmake-app/app.c"
cat > "$work/cmake-app/CMakeLists.txt" <<CMAKE
cmake_minimum_required(VERSION 3.16)
project(app C)
find_package(gradient_descent 0.1 REQUIRED)
add_executable(app app.c)
target_compile_options(app PRIVATE ${strict[*]})
target_link_libraries(app gradient_descent::gradient_descent)
CMAKE
cmake -S "$work/cmake-app" -B "$work/cmake-build" -DCMAKE_PREFIX_PATH="$prefix" >/dev/null
cmake --build "$work/cmake-build" >/dev/null
# CMake records the imported library's directory as the build tree's RUNPATH.
check_output "$("$work/cmake-build/app")"
sed -i 's/find_package(gradient_descent 0.1 REQUIRED)/find_package(gradient_descent 1.0 REQUIRED)/' \
    "$work/cmake-app/CMakeLists.txt"
if cmake -S "$work/cmake-app" -B "$work/cmake-build-major" -DCMAKE_PREFIX_PATH="$prefix" >/dev/null 2>&1; then
    fail "find_package(gradient_descent 1.0) accepted version $version"
fi
echo "find_package(gradient_descent 1.0) is refused: ok"

echo "== make install DESTDIR=... and make uninstall"
stage=$work/stage
make -s install DESTDIR="$stage" PREFIX=/opt/gd >/dev/null
[ -f "$stage/opt/gd/lib/libgradient_descent.so.$version" ] || fail "DESTDIR install missing the library"
grep -q '^prefix=/opt/gd$' "$stage/opt/gd/lib/pkgconfig/gradient_descent.pc" \
    || fail "the staged pkg-config file does not name PREFIX /opt/gd"
make -s uninstall DESTDIR="$stage" PREFIX=/opt/gd >/dev/null
left=$(find "$stage" -type f -o -type l)
[ -z "$left" ] || fail "make uninstall left: $left"
echo "staged install and uninstall: ok"
