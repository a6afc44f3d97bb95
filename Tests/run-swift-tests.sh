#!/usr/bin/env bash
# Swift tests, summarized: one line per suite, the skipped tests, every failure with its issues
# and the run's total. Swift Testing only (the package has no XCTest cases, so XCTest's empty
# "Executed 0 tests" report is off), and the per-test "started"/"passed" lines are left out.
# Arguments go to `swift test` (for example --filter KernelSet).
set -uo pipefail
cd "$(dirname "$0")/.."
swift=${SWIFT:-swift}

"$swift" build --build-tests --quiet || exit
"$swift" test --skip-build --disable-xctest "$@" 2>&1 \
    | awk '/^(◇|↳)/ || /^\[[0-9]+\/[0-9]+\] / { next } /^✔ Test / && !/^✔ Test run with/ { next } { print; fflush() }'
exit "${PIPESTATUS[0]}"
