# shellcheck shell=bash
# Network namespaces for the benchmarks (sourced, bash): a server namespace and a client
# namespace joined by one veth pair whose two ends are both named `eth0` (l2tpns starts only
# once its namespace has an `eth0`; rasd does not care), the server end with
# $NETNS_SERVER_ADDR and the client end with $NETNS_CLIENT_ADDR, both in
# $NETNS_PREFIX_LEN (defaults 198.51.100.1 and 198.51.100.2 in /24, TEST-NET-2 of RFC 5737,
# routed nowhere). Nothing is created in the host's own namespace: the pair is made inside the
# server namespace and its peer moved straight into the client one, so no interface name
# there can collide with another user's. Namespace names must start with `rasd-bl-`.
#
#   source bench/lib/netns.sh
#   netns_pair rasd-bl-srv rasd-bl-cli      # (re)creates both, lo up, eth0 up with addresses
#   ip netns exec rasd-bl-srv ...           # run a server there, a client in the other
#   netns_del rasd-bl-srv rasd-bl-cli       # kills what still runs inside, deletes them
#
# Every function returns non-zero (with a message on stderr) on failure; none exits the shell.

NETNS_SERVER_ADDR=${NETNS_SERVER_ADDR:-198.51.100.1}
NETNS_CLIENT_ADDR=${NETNS_CLIENT_ADDR:-198.51.100.2}
NETNS_PREFIX_LEN=${NETNS_PREFIX_LEN:-24}

# netns_check_name NAME: refuses a name that is not ours.
netns_check_name() {
    case "$1" in
        rasd-bl-?*) return 0 ;;
        *)
            echo "netns: refusing namespace name '$1' (must start with rasd-bl-)" >&2
            return 1
            ;;
    esac
}

# netns_add NS: a fresh namespace NS (an old one of that name is deleted first) with lo up.
netns_add() {
    netns_check_name "$1" || return 1
    netns_del "$1" || return 1
    ip netns add "$1" || return 1
    ip -n "$1" link set lo up
}

# netns_pair SERVER_NS CLIENT_NS: both namespaces, fresh, joined by eth0 <-> eth0.
netns_pair() {
    local srv=$1 cli=$2
    netns_add "$srv" && netns_add "$cli" || return 1
    ip -n "$srv" link add eth0 type veth peer name eth0 netns "$cli" || return 1
    ip -n "$srv" addr add "$NETNS_SERVER_ADDR/$NETNS_PREFIX_LEN" dev eth0 &&
        ip -n "$cli" addr add "$NETNS_CLIENT_ADDR/$NETNS_PREFIX_LEN" dev eth0 &&
        ip -n "$srv" link set eth0 up &&
        ip -n "$cli" link set eth0 up
}

# netns_route NS PREFIX VIA: a route in NS (e.g. a client pool behind the server's address).
netns_route() {
    ip -n "$1" route replace "$2" via "$3"
}

# netns_pids NS: the processes running in NS, one PID a line.
netns_pids() {
    ip netns pids "$1" 2> /dev/null
}

# netns_del NS...: kills whatever still runs in each NS (TERM, then KILL after 2 s) and deletes
# it. A namespace that does not exist is not an error.
netns_del() {
    local ns pids
    for ns in "$@"; do
        netns_check_name "$ns" || return 1
        [ -e "/run/netns/$ns" ] || continue
        pids=$(netns_pids "$ns")
        if [ -n "$pids" ]; then
            # shellcheck disable=SC2086
            kill -TERM $pids 2> /dev/null || true
            for _ in $(seq 1 20); do
                [ -z "$(netns_pids "$ns")" ] && break
                sleep 0.1
            done
            pids=$(netns_pids "$ns")
            # shellcheck disable=SC2086
            [ -z "$pids" ] || kill -KILL $pids 2> /dev/null || true
        fi
        ip netns del "$ns" || return 1
    done
}
