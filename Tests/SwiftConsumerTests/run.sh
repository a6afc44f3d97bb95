#!/usr/bin/env bash
# This package as a versioned SwiftPM dependency, the way another project uses it: a
# throw-away clone of the working tree, tagged with the header's version, and a throw-away
# consumer package that depends on it by file URL and `from:` version. The consumer's main.swift
# is the README's Swift example (extracted from README.md, so the documentation cannot
# drift); it must build (debug, as `swift build` does) and print x = [0, 1, 2].
#
#   Tests/SwiftConsumerTests/run.sh                    the test (make test-swift-consumer)
#   Tests/SwiftConsumerTests/run.sh --bench [--quick]  release builds of the consumer, plain
#       and with GRADIENT_DESCENT_TUNED_BUILD=1, time one Adam step per element against the
#       shipped .build/release/libgradient_descent.so, in one process each (make bench)
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$PWD
mode=test
quick=0
for argument in "$@"; do
    case $argument in
        --bench) mode=bench ;;
        --quick) quick=1 ;;
        *) echo "usage: $0 [--bench [--quick]]" >&2; exit 2 ;;
    esac
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
version=$(awk '$2 ~ /^GD_VERSION_(MAJOR|MINOR|PATCH)$/ { v = v s $3; s = "." } END { print v }' include/gradient_descent.h)
fail() { echo "test-swift-consumer: $*" >&2; exit 1; }
# The dependency must build without the shipped library's flags.
unset GRADIENT_DESCENT_TUNED_BUILD
started=$(date +%s)

echo "== a clone of the working tree, tagged $version"
upstream=$work/gradient_descent          # the URL's last part names the package
mkdir -p "$upstream"
git ls-files -co --exclude-standard | while IFS= read -r file; do
    if [ -e "$file" ] || [ -L "$file" ]; then printf '%s\n' "$file"; fi
done | tar -cf - -T - | tar -xf - -C "$upstream"
git -C "$upstream" init -q
git -C "$upstream" add -A
git -C "$upstream" -c user.name=test -c user.email=test@localhost commit -qm "snapshot"
git -C "$upstream" tag "$version"

echo "== no target has unsafe flags unless GRADIENT_DESCENT_TUNED_BUILD=1"
unsafe=$(swift package --package-path "$upstream" dump-package | grep -c '"unsafeFlags"' || true)
[ "$unsafe" = 0 ] || fail "the manifest has $unsafe unsafe-flag settings without GRADIENT_DESCENT_TUNED_BUILD"
tuned_unsafe=$(GRADIENT_DESCENT_TUNED_BUILD=1 swift package --package-path "$upstream" dump-package | grep -c '"unsafeFlags"' || true)
[ "$tuned_unsafe" -gt 0 ] || fail "GRADIENT_DESCENT_TUNED_BUILD=1 adds no unsafe flags: the check above proves nothing"
echo "none by default, $tuned_unsafe settings with GRADIENT_DESCENT_TUNED_BUILD=1"

echo "== a consumer package: .package(url: \"file://$upstream\", from: \"$version\")"
consumer=$work/consumer
mkdir -p "$consumer/Sources/readme-example" "$consumer/Sources/adam-step"
cat > "$consumer/Package.swift" <<SWIFT
// swift-tools-version:6.3
import PackageDescription

let package = Package(
    name: "consumer",
    dependencies: [.package(url: "file://$upstream", from: "$version")],
    targets: [
        .executableTarget(name: "readme-example",
                          dependencies: [.product(name: "GradientDescent", package: "gradient_descent")]),
        .executableTarget(name: "adam-step",
                          dependencies: [.product(name: "GradientDescent", package: "gradient_descent"),
                                         .product(name: "GradientDescentPlugins", package: "gradient_descent")]),
    ]
)
SWIFT
awk '/^## Swift$/ { section = 1; next }
     /^## / { section = 0 }
     section && /^```swift$/ { count++; if (count == 2) { inside = 1; next } }
     inside && /^```$/ { inside = 0; next }
     inside { print }' README.md > "$consumer/Sources/readme-example/main.swift"
grep -q 'minimize(' "$consumer/Sources/readme-example/main.swift" \
    || fail "no Swift example with minimize( found as the second swift block under '## Swift' in README.md"
cp Tests/SwiftConsumerTests/AdamStep.swift "$consumer/Sources/adam-step/main.swift"

if [ "$mode" = test ]; then
    echo "== swift build (debug)"
    swift build --package-path "$consumer" 2>&1 | tail -n 3
    "$consumer/.build/debug/adam-step" - 1000 20
    output=$("$consumer/.build/debug/readme-example")
    echo "$output"
    echo "$output" | grep -qE '^gradientTolerance [0-9]+ \[(-?[0-9.e-]+), (1\.0|0\.9999[0-9]*|1\.0000[0-9]*), (2\.0|1\.9999[0-9]*|2\.0000[0-9]*)\]$' \
        || fail "unexpected output of the README example: $output"
    grep -q "\"version\" : \"$version\"" "$consumer/Package.resolved" \
        || fail "Package.resolved does not pin version $version"
    echo "consumer package built and ran in $(( $(date +%s) - started )) s"
else
    [ -f .build/release/libgradient_descent.so ] || fail "run make lib first: the shipped library is the comparison"
    repeats=$([ "$quick" = 1 ] && echo 50 || echo 2000)
    echo "== swift build -c release"
    swift build --package-path "$consumer" -c release --product adam-step 2>&1 | tail -n 1
    "$consumer/.build/release/adam-step" "$repo/.build/release/libgradient_descent.so" 100000 "$repeats" \
        "SwiftPM dependency build"
    # The opt-in: the consumer's build sets the variable, so the dependency gets the shipped
    # library's flags (SwiftPM 6.2+ accepts them from a tools-6.2+ dependency).
    echo "== GRADIENT_DESCENT_TUNED_BUILD=1 swift build -c release"
    GRADIENT_DESCENT_TUNED_BUILD=1 swift build --package-path "$consumer" -c release --product adam-step \
        --scratch-path "$consumer/.build-tuned" 2>&1 | tail -n 1
    "$consumer/.build-tuned/release/adam-step" "$repo/.build/release/libgradient_descent.so" 100000 "$repeats" \
        "SwiftPM dependency build with GRADIENT_DESCENT_TUNED_BUILD=1"
fi
