#!/usr/bin/env bash
# L2TP/IPsec interop suite: real clients (strongSwan's charon as the IKEv1 initiator, xl2tpd as
# LAC + pppd, Linux kernel ESP/L2TP/PPP) against rasd's L2TP LNS with require_ipsec, where rasd
# loads its IPsec connections into a charon (VICI) that the harness runs next to it.
#
# Like run-l2tp.sh, everything runs inside ONE QEMU guest booted with virtme-ng (see host-lib.sh);
# the guest runs tests/interop/guest/ipsec-scenarios.sh, which writes its results and logs to a
# fresh /tmp/rasd-interop-XXXXXX directory (kept).
#
# Needs: root, target/release/rasd (cargo build --release), scripts/install-test-deps.sh done.
# Exit status 0 when every scenario passed (XFAIL lines, known limitations of the xl2tpd mode,
# do not count as failures).
#
# Environment:
#   RASD_INTEROP_TIMEOUT=900     bound on the whole guest run, in seconds
#   RASD_INTEROP_RESULTS=FILE    also append "PASS|FAIL ipsec/ID" lines to FILE (tests/run-all.sh)
#   RASD_INTEROP_SCENARIOS="a f" run only these scenarios (letters; default all), for debugging
#   RASD_INTEROP_SERVER=xl2tpd   harness development only: swanctl loads a responder connection
#                                equivalent to rasd's into the server's charon and xl2tpd + pppd
#                                are the LNS, to validate topology, clients and client-side checks
#                                without rasd; rasd-specific checks are skipped.
set -uo pipefail
# One function, read (with the exit after it) before it runs: editing this file mid-run is safe.
main() {
    # interop_prepare WORKDIR: the PKI of scenario (h) (CA, server and client certificates, RSA
    # 2048) made with strongSwan's pki on the host, where key generation is fast; the guest makes
    # it itself when this fails.
    interop_prepare() {
        local pki=$1/pki dn="C=ZZ, O=rasd interop" k
        command -v pki > /dev/null || return 0
        mkdir -p "$pki"
        {
            for k in ca server client; do
                pki --gen --type rsa --size 2048 --outform pem > "$pki/$k.key" || return 0
            done
            pki --self --ca --lifetime 30 --in "$pki/ca.key" --dn "$dn, CN=rasd interop CA" \
                --outform pem > "$pki/ca.pem" || return 0
            pki --pub --in "$pki/server.key" | pki --issue --lifetime 30 --cacert "$pki/ca.pem" \
                --cakey "$pki/ca.key" --dn "$dn, CN=198.51.100.1" --san 198.51.100.1 \
                --flag serverAuth --flag ikeIntermediate --outform pem > "$pki/server.pem" || return 0
            pki --pub --in "$pki/client.key" | pki --issue --lifetime 30 --cacert "$pki/ca.pem" \
                --cakey "$pki/ca.key" --dn "$dn, CN=carol" --san carol@example.org \
                --flag clientAuth --outform pem > "$pki/client.pem" || { rm -f "$pki/client.pem"; return 0; }
        } 2> "$pki/pki.log"
    }
    # shellcheck source=tests/interop/host-lib.sh
    . "$(dirname "$0")/host-lib.sh" || exit 2
    interop_main ipsec ipsec-scenarios.sh "a b c d e f g h i j k" xl2tpd charon-srv.log
}
main "$@"; exit
