#!/usr/bin/env bash
# L2TP interop suite: real clients (xl2tpd as LAC + pppd, Linux kernel L2TP/PPP/MPPE) against
# rasd's L2TPv2 LNS on UDP 1701 (cleartext L2TP; IPsec is another suite).
#
# Like run-pptp.sh, everything runs inside ONE QEMU guest booted with virtme-ng (see host-lib.sh);
# the guest runs tests/interop/guest/l2tp-scenarios.sh, which writes its results and logs to a
# fresh /tmp/rasd-interop-XXXXXX directory (kept).
#
# Needs: root, target/release/rasd (cargo build --release), scripts/install-test-deps.sh done.
# Exit status 0 when every scenario passed.
#
# Environment:
#   RASD_INTEROP_TIMEOUT=900     bound on the whole guest run, in seconds
#   RASD_INTEROP_RESULTS=FILE    also append "PASS|FAIL l2tp/ID" lines to FILE (tests/run-all.sh)
#   RASD_INTEROP_SCENARIOS="a f" run only these scenarios (letters; default all), for debugging
set -uo pipefail
# One function, read (with the exit after it) before it runs: editing this file mid-run is safe.
main() {
    # shellcheck source=tests/interop/host-lib.sh
    . "$(dirname "$0")/host-lib.sh" || exit 2
    interop_main l2tp l2tp-scenarios.sh "a b c d e f g" "" ""
}
main "$@"; exit
