#!/usr/bin/env bash
# Installs what the test suite (tests/run-all.sh) needs on Debian 12, as root. Idempotent: on a
# machine that has everything it only checks, in well under a second.
#   apt: QEMU + a Debian kernel (the interop guest), pppd, pptp-linux and xl2tpd (clients), pptpd
#        (the harness-development server), busybox (guest helpers, syslogd), ping, tcpdump, ip,
#        nft, bc, FreeRADIUS and its radclient (the RADIUS tests run a private instance in a
#        network namespace; the package's own service is never started), strongSwan's charon,
#        swanctl, pki and extra plugins (the L2TP/IPsec suite runs its own charon per network
#        namespace in the guest; the strongswan-starter service is never started here)
#   pip: virtme-ng (vng boots the kernel with this machine's root filesystem)
#   rustup: rustfmt and clippy (the lint gates), when the toolchain lacks them
# The Rust toolchain itself (cargo) is expected to be present.
set -euo pipefail

PACKAGES=(qemu-system-x86 linux-image-amd64 busybox-static ppp pptp-linux pptpd xl2tpd iputils-ping
    tcpdump iproute2 bc nftables python3 freeradius freeradius-utils iperf3
    strongswan-charon strongswan-swanctl strongswan-pki libcharon-extra-plugins util-linux)

installed() { dpkg-query -W -f='${Status}' "$1" 2> /dev/null | grep -q 'install ok installed'; }

missing=()
for p in "${PACKAGES[@]}"; do installed "$p" || missing+=("$p"); done
command -v vng > /dev/null || { installed python3-pip || missing+=(python3-pip); }

need_root() {
    [ "$(id -u)" = 0 ] || { echo "install-test-deps: missing $*; run this script as root" >&2; exit 1; }
}

if [ ${#missing[@]} -gt 0 ]; then
    need_root "${missing[*]}"
    echo "install-test-deps: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    # Installing pptpd, xl2tpd or strongSwan must not start their services on this machine: deny service starts
    # for the duration unless the machine already has a policy.
    policy=/usr/sbin/policy-rc.d
    if [ ! -e "$policy" ]; then
        printf '#!/bin/sh\nexit 101\n' > "$policy"
        chmod 755 "$policy"
        trap 'rm -f "$policy"' EXIT
    fi
    apt-get update -q
    apt-get install -y -q "${missing[@]}"
fi

if ! command -v vng > /dev/null; then
    need_root virtme-ng
    echo "install-test-deps: installing virtme-ng (pip)"
    # Debian's own python3 is "externally managed" (PEP 668); pip needs to be told.
    python3 -m pip install -q virtme-ng \
        || python3 -m pip install -q --break-system-packages virtme-ng
    hash -r
    command -v vng > /dev/null || { echo "install-test-deps: vng not on PATH after pip" >&2; exit 1; }
fi

ls /boot/vmlinuz-* > /dev/null 2>&1 \
    || { echo "install-test-deps: no /boot/vmlinuz-* although linux-image-amd64 is installed" >&2; exit 1; }
command -v cargo > /dev/null \
    || { echo "install-test-deps: cargo not found (install a Rust toolchain)" >&2; exit 1; }
# The lint gates: `cargo fmt` and `cargo clippy` come as rustup components of the toolchain.
for component in rustfmt clippy; do
    subcommand=${component#rust}   # rustfmt -> fmt, clippy -> clippy
    cargo "$subcommand" --version > /dev/null 2>&1 && continue
    command -v rustup > /dev/null || {
        echo "install-test-deps: \`cargo $subcommand\` missing and no rustup to add it;" \
            "install the toolchain's $component component" >&2
        exit 1
    }
    echo "install-test-deps: installing $component (rustup component add)"
    rustup component add "$component" && cargo "$subcommand" --version > /dev/null 2>&1 || {
        echo "install-test-deps: \`rustup component add $component\` failed (offline?);" \
            "install the toolchain's $component component" >&2
        exit 1
    }
done
echo "install-test-deps: all present"
