#!/usr/bin/env bash
# Logins per second through a real FreeRADIUS next to the local users file, in one run
# (examples/radius_login_rate.rs), and accounting records per second through it next to the
# history file (examples/radius_accounting_rate.rs): a private FreeRADIUS 3.2 (Debian's) on 127.0.0.1 in a
# network namespace of its own, its debug output off, reject_delay 0. Bounded: --count logins
# (default 2000), at most a minute. As root: bench/radius-logins.sh [--count N] [--concurrency N]
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" = 0 ] || { echo "radius-logins: needs root (network namespace)" >&2; exit 1; }
command -v freeradius > /dev/null || scripts/install-test-deps.sh

ns=rasd-bench-radius
work=$(mktemp -d /tmp/rasd-bench-radius.XXXXXX)
chmod 755 "$work"   # FreeRADIUS reads its configuration as user freerad
cleanup() {
    [ -n "${radius_pid:-}" ] && kill "$radius_pid" 2> /dev/null || true
    ip netns del "$ns" 2> /dev/null || true
    [ -n "${KEEP:-}" ] || rm -rf "$work"
}
trap cleanup EXIT
ip netns del "$ns" 2> /dev/null || true
ip netns add "$ns"
ip -n "$ns" link set lo up

# The same private configuration the tests use (tests/e2e/freeradius.rs).
d=$work/raddb
cp -a /etc/freeradius/3.0 "$d"
mkdir -p "$work/log/radacct" "$work/run"
sed -i -e "s|^raddbdir = .*|raddbdir = $d|" -e "s|^logdir = .*|logdir = $work/log|" \
    -e "s|^run_dir = .*|run_dir = $work/run|" -e 's|^\treject_delay = .*|\treject_delay = 0|' \
    "$d/radiusd.conf"
sed -i -e 's|^\tipaddr = \*|\tipaddr = 127.0.0.1|' -e 's|^\tipv6addr = ::.*|\tipv6addr = ::1|' \
    -e 's|^post-auth {$|post-auth {\n\tupdate reply {\n\t\t\&Message-Authenticator := 0x00\n\t}|' \
    "$d/sites-available/default"
printf 'client bench {\n    ipaddr = 127.0.0.1\n    secret = testing123\n    require_message_authenticator = yes\n}\n' \
    > "$d/clients.conf"
{ printf 'alice\tCleartext-Password := "secret123"\n\n'; cat "$d/mods-config/files/authorize"; } > "$work/authorize"
cp "$work/authorize" "$d/mods-config/files/authorize"
chown -R freerad:freerad "$work/log" "$work/run"

cargo build --release --example radius_login_rate --example radius_accounting_rate -q
ip netns exec "$ns" freeradius -f -d "$d" -l "$work/log/radius.log" &
radius_pid=$!
ready=0
for _ in $(seq 1 250); do
    grep -q 'Ready to process requests' "$work/log/radius.log" 2> /dev/null && { ready=1; break; }
    sleep 0.02
done
[ "$ready" = 1 ] || { echo "radius-logins: FreeRADIUS did not start:" >&2; cat "$work/log/radius.log" >&2; exit 1; }
ip netns exec "$ns" timeout 60 target/release/examples/radius_login_rate \
    --server 127.0.0.1:1812 --secret testing123 "$@"
ip netns exec "$ns" timeout 90 target/release/examples/radius_accounting_rate \
    --server 127.0.0.1:1813 --secret testing123 --count 2000
