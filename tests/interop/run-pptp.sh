#!/usr/bin/env bash
# PPTP interop suite: real clients (pptp-linux + pppd, Linux kernel PPP/MPPE) against rasd.
#
# The host kernel may lack PPP modules, so everything runs inside ONE QEMU guest booted with
# virtme-ng from the installed Debian kernel (/boot/vmlinuz-*), sharing this machine's root
# filesystem read-only and /tmp read-write. The guest runs tests/interop/guest/pptp-scenarios.sh,
# which writes its results and logs to a fresh /tmp/rasd-interop-XXXXXX directory (kept).
#
# Needs: root, target/release/rasd (cargo build --release), scripts/install-test-deps.sh done.
# Exit status 0 when every scenario passed.
#
# Environment:
#   RASD_INTEROP_TIMEOUT=900     bound on the whole guest run, in seconds
#   RASD_INTEROP_RESULTS=FILE    also append "PASS|FAIL pptp/ID" lines to FILE (tests/run-all.sh)
#   RASD_INTEROP_SCENARIOS="a f" run only these scenarios (letters; default all), for debugging
#   RASD_INTEROP_SERVER=pptpd    harness development only: Debian's pptpd is the server instead
#                                of rasd, to validate topology, client options and client-side
#                                checks without rasd; rasd-specific checks are skipped.
set -uo pipefail
# One function, read (with the exit after it) before it runs: editing this file mid-run is safe.
main() {
    # shellcheck source=tests/interop/host-lib.sh
    . "$(dirname "$0")/host-lib.sh" || exit 2
    interop_main pptp pptp-scenarios.sh "a b c d e f g h i" pptpd pptpd-pppd.log
}
main "$@"; exit
