#!/usr/bin/env bash
# Checks the l2tpns harness (bench/lib/l2tpns.sh) with rasd's own L2TP client: Debian's l2tpns
# as the LNS in one network namespace (with its private FreeRADIUS), `rasd dial l2tp` as the LAC
# in another, N sessions (default 2) in one tunnel with CHAP-MD5 and no MPPE. Each session must
# get an address from l2tpns's pool and ping l2tpns's end of the link through the tunnel; the
# script prints how long l2tpns took to start, to open the sessions, its RSS idle and with the
# sessions up, then hangs up and checks that nothing is left: no process, namespace or mount.
# Bounded: at most 2 minutes (a watchdog ends it), everything torn down on any exit.
#
# As root: bench/l2tpns-check.sh [--sessions N]     (KEEP=1 keeps the work directory)
# Uses target/release/rasd (or $RASD), building it if missing.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" = 0 ] || { echo "l2tpns-check: needs root (network namespaces, TUN)" >&2; exit 1; }

sessions=2
while [ $# -gt 0 ]; do
    case "$1" in
        --sessions) sessions=$2; shift 2 ;;
        *) echo "usage: $0 [--sessions N]" >&2; exit 2 ;;
    esac
done

# shellcheck source=bench/lib/netns.sh
source bench/lib/netns.sh
# shellcheck source=bench/lib/l2tpns.sh
source bench/lib/l2tpns.sh

srv="rasd-bl-l2tpns-srv"
cli="rasd-bl-l2tpns-cli"
rasd=${RASD:-target/release/rasd}
work=$(mktemp -d /tmp/rasd-bl-l2tpns.XXXXXX)
dial_pid=
watchdog=
ok=

# One run at a time (the namespace names are fixed).
exec 9> /run/lock/rasd-bl-l2tpns-check.lock
flock -n 9 || { echo "l2tpns-check: another run holds /run/lock/rasd-bl-l2tpns-check.lock" >&2; exit 1; }

cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    set +e
    [ -n "$watchdog" ] && kill "$watchdog" 2> /dev/null && wait "$watchdog" 2> /dev/null
    if [ -n "$dial_pid" ] && kill -0 "$dial_pid" 2> /dev/null; then
        kill -INT "$dial_pid" 2> /dev/null
        l2tpns_wait_gone "$dial_pid" 5 || kill -KILL "$dial_pid" 2> /dev/null
        wait "$dial_pid" 2> /dev/null
    fi
    l2tpns_stop
    netns_del "$srv" "$cli"
    if [ -z "$ok" ]; then
        echo "l2tpns-check: FAILED; work directory $work" >&2
        [ -e "$work/dial.log" ] && { echo "--- rasd dial:" >&2; tail -n 20 "$work/dial.log" >&2; }
        [ -e "$work/l2tpns.log" ] && { echo "--- l2tpns log:" >&2; tail -n 40 "$work/l2tpns.log" >&2; }
    elif [ -z "${KEEP:-}" ]; then
        rm -rf "$work"
    fi
    [ -n "$ok" ] || [ "$rc" != 0 ] || rc=1
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
(
    trap 'kill "$s" 2> /dev/null; exit 0' TERM
    sleep 115 &
    s=$!
    wait "$s"
    echo "l2tpns-check: watchdog: over 2 minutes, giving up" >&2
    kill -TERM $$
) &
watchdog=$!

fail() { echo "l2tpns-check: $*" >&2; exit 1; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }

# ip_in_prefix ADDR A.B.C.D/LEN: true when ADDR is inside the prefix.
ip_to_int() {
    local a b c d
    IFS=. read -r a b c d <<< "$1"
    echo $(((a << 24) | (b << 16) | (c << 8) | d))
}
ip_in_prefix() {
    local a n len mask
    a=$(ip_to_int "$1")
    n=$(ip_to_int "${2%/*}")
    len=${2#*/}
    mask=$(((0xffffffff << (32 - len)) & 0xffffffff))
    [ $((a & mask)) = $((n & mask)) ]
}

[ -x "$rasd" ] || cargo build --release -q
l2tpns_install

netns_pair "$srv" "$cli"
t0=$(now)
l2tpns_start "$srv" "$work" || fail "l2tpns did not start"
echo "l2tpns: FreeRADIUS up and l2tpns master after $(since "$t0") s, pid $(l2tpns_pid | tr '\n' ' ')(listening on $L2TPNS_ADDR:1701, pool $L2TPNS_POOL, its end $L2TPNS_LOCAL)"
rss_idle=$(l2tpns_rss_kb)
echo "l2tpns: RSS idle $rss_idle KiB"

t1=$(now)
: > "$work/dial.log"
ip netns exec "$cli" timeout 90 "$rasd" dial l2tp "$NETNS_SERVER_ADDR" \
    --user "$L2TPNS_USER" --password "$L2TPNS_PASSWORD" --auth chap-md5 --mppe none \
    --tun blc0 --sessions "$sessions" < /dev/null > "$work/dial.log" 2>&1 &
dial_pid=$!
for _ in $(seq 1 200); do
    [ "$(grep -c '^connected ' "$work/dial.log")" -ge "$sessions" ] && break
    kill -0 "$dial_pid" 2> /dev/null || fail "rasd dial ended before $sessions sessions came up"
    sleep 0.1
done
[ "$(grep -c '^connected ' "$work/dial.log")" -ge "$sessions" ] ||
    fail "$sessions sessions not up within 20 s"
echo "rasd dial: $sessions sessions up after $(since "$t1") s"

# Every session: an address from the pool, and l2tpns's end answers through the tunnel.
seen=
while read -r line; do
    echo "  $line"
    addr=$(sed -n 's/.* address=\([0-9.]*\).*/\1/p' <<< "$line")
    server=$(sed -n 's/.* server=\([0-9.]*\).*/\1/p' <<< "$line")
    tun=$(sed -n 's/.* tun=\([^ ]*\).*/\1/p' <<< "$line")
    [ -n "$tun" ] || tun=blc0
    ip_in_prefix "$addr" "$L2TPNS_POOL" || fail "session on $tun got $addr, not in the pool $L2TPNS_POOL"
    case " $seen " in *" $addr "*) fail "address $addr given twice" ;; esac
    seen="$seen $addr"
    [ "$server" = "$L2TPNS_LOCAL" ] || fail "session on $tun: l2tpns's end is $server, expected $L2TPNS_LOCAL"
    ip netns exec "$cli" ping -n -q -c 3 -i 0.2 -W 2 -I "$tun" "$server" > "$work/ping-$tun.log" 2>&1 ||
        { cat "$work/ping-$tun.log" >&2; fail "no answer from $server through $tun"; }
    echo "  $tun ($addr): $(grep -o '[0-9]* received' "$work/ping-$tun.log") of 3 pings to $server, $(grep -o 'rtt.*' "$work/ping-$tun.log")"
done < <(grep '^connected ' "$work/dial.log")
logins=$(grep -c 'Login by ' "$work/l2tpns.log" || true)
[ "$logins" -ge "$sessions" ] || fail "l2tpns logged $logins logins, expected $sessions"
echo "l2tpns: $logins logins in its log; RSS with $sessions sessions $(l2tpns_rss_kb) KiB (idle $rss_idle KiB)"

# Hang up: the client ends its sessions and the tunnel, l2tpns acknowledges.
kill -INT "$dial_pid"
l2tpns_wait_gone "$dial_pid" 10 || fail "rasd dial did not hang up within 10 s"
wait "$dial_pid" || true
dial_pid=
grep -q '^tunnel closed: sent StopCCN.*acknowledged' "$work/dial.log" ||
    fail "the tunnel did not close cleanly: $(grep '^tunnel closed' "$work/dial.log" || echo 'no tunnel closed line')"
echo "rasd dial: $(grep '^tunnel closed' "$work/dial.log")"

# Teardown, and nothing left behind.
l2tpns_stop || fail "l2tpns did not stop"
netns_del "$srv" "$cli" || fail "could not delete the namespaces"
if [ -e "/run/netns/$srv" ] || [ -e "/run/netns/$cli" ]; then fail "a namespace is left"; fi
if grep -qs " /etc/l2tpns " /proc/[0-9]*/mountinfo; then
    fail "a bind mount over /etc/l2tpns is left: $(grep -ls ' /etc/l2tpns ' /proc/[0-9]*/mountinfo | tr '\n' ' ')"
fi
for p in $(pgrep -x l2tpns || true); do
    grep -qs "$work" "/proc/$p/cmdline" "/proc/$p/mountinfo" && fail "l2tpns $p is left"
done
pgrep -f "$work/radius" > /dev/null && fail "FreeRADIUS is left"
echo "l2tpns-check: passed (everything stopped, namespaces and mounts gone) in $(since "$t0") s"
ok=1
