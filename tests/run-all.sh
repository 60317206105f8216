#!/usr/bin/env bash
# The project's whole test run (what CI runs): test dependencies, the lint gates (rustfmt and
# clippy with warnings as errors), release build, every cargo test (unit, sans-IO and the
# namespace end-to-end tests, which are #[ignore]d for non-root and included here), then the
# interop suites with real clients in a QEMU guest. A failed step does not stop the later ones,
# so the log shows everything; the run exits non-zero when any step failed. Needs root on
# Debian 12 (see scripts/install-test-deps.sh). Closes with the line "interop: N passed, N failed".
set -uo pipefail
# One function, read (with the exit after it) before it runs: editing this file mid-run is safe.
main() {
    cd "$(dirname "$0")/.." || exit 2

    failed_steps=()
    step() { # step NAME CMD...
        local name=$1 t0=$SECONDS; shift
        echo "==> $name: $*"
        if "$@"; then
            echo "<== $name: ok ($((SECONDS - t0)) s)"
        else
            echo "<== $name: FAILED ($((SECONDS - t0)) s)"
            failed_steps+=("$name")
            return 1
        fi
    }

    step install-test-deps scripts/install-test-deps.sh
    step fmt cargo fmt --all --check
    step clippy cargo clippy --workspace --all-targets -- -D warnings
    built=0
    step build cargo build --release && built=1
    step cargo-test cargo test --workspace -- --include-ignored

    interop_passed=0 interop_failed=0
    results=$(mktemp /tmp/rasd-interop-results.XXXXXX)
    if [ "$built" = 1 ]; then
        for suite in tests/interop/run-pptp.sh tests/interop/run-l2tp.sh tests/interop/run-ipsec.sh; do
            before=$(grep -c '^FAIL ' "$results")
            if ! RASD_INTEROP_RESULTS=$results step "interop $(basename "$suite" .sh)" "$suite" \
                && [ "$(grep -c '^FAIL ' "$results")" = "$before" ]; then
                echo "FAIL $suite (no scenario result)" >> "$results"   # it died on its own
            fi
        done
        interop_passed=$(grep -c '^PASS ' "$results")
        interop_failed=$(grep -c '^FAIL ' "$results")
    else
        echo "interop suites not run: the release build failed"
        interop_failed=1
    fi
    rm -f "$results"

    if [ ${#failed_steps[@]} -gt 0 ]; then
        echo "FAILED steps: ${failed_steps[*]}"
    fi
    echo "interop: $interop_passed passed, $interop_failed failed"
    [ ${#failed_steps[@]} -eq 0 ] && [ "$interop_failed" = 0 ]
}
main "$@"; exit
