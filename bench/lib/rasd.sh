# shellcheck shell=bash
# rasd as the server of a benchmark, in a network namespace (sourced, bash): a configuration
# made for load (limits out of the way, a pool for hundreds of thousands of sessions), the
# same user as the l2tpns harness (bench / bench123), so one `rasd bench` command line serves
# both servers. Everything it writes is in WORKDIR: rasd.toml, users, history.jsonl, rasd.log.
#
#   source bench/lib/netns.sh; source bench/lib/proc.sh; source bench/lib/rasd.sh
#   netns_pair rasd-bl-srv rasd-bl-cli
#   rasd_start rasd-bl-srv /tmp/work ['[ppp] lcp_echo_interval = 5' ...]
#   rss_kb "$(rasd_pid)"; cpu_ticks "$(rasd_pid)"
#   rasd_stop
#   netns_del rasd-bl-srv rasd-bl-cli
#
# The configuration (override with the variables before rasd_start, or per key with the extra
# arguments, each `[SECTION] KEY = VALUE`: one whose section and key are in the base replaces
# that line, any other is added to its section):
#   [server] max_sessions = 300000, users_file = "users", history_file = "history.jsonl",
#            tun_name = $RASD_TUN (rbl0), summary_interval = 10
#   [pptp]   listen = ["$RASD_ADDR:1723"], max_connections_per_peer = 65535 (every call of
#            `rasd bench pptp` is a control connection of its own, all from one address)
#   [l2tp]   listen = ["$RASD_ADDR:1701"], max_sessions_per_tunnel = 65535,
#            max_tunnels_in_setup_per_peer = 1000 (the generator opens all its tunnels at once
#            from one address; with the default 8, of 100 tunnels 8 get in per wave of
#            SCCRQs and their retransmissions, and about half give up: 530 of 1,000 sessions)
#   [ppp]    auth = ["mschapv2", "chap-md5"]
#   [ip]     local = $RASD_LOCAL (192.0.2.1, TEST-NET-1), pools = $RASD_POOLS:
#            198.18.0.0/15 (the benchmarking range of RFC 2544, routed nowhere) and
#            100.64.0.0/14 (shared address space of RFC 6598), written as ranges so that
#            every address is given (rasd leaves out a CIDR pool's network and broadcast
#            addresses): 131,072 + 262,144 = 393,216; the /15 alone holds fewer than
#            scale.sh's 200,000 sessions or max_sessions. `[ip] local` must lie outside
#            every pool (rasd refuses a pool that contains it), so it cannot be
#            198.19.255.254.
# RASD_ADDR defaults to $NETNS_SERVER_ADDR (bench/lib/netns.sh); RASD_LOG_LEVEL (RUST_LOG) to
# info; RASD_ENV, more environment for rasd as NAME=VALUE words (e.g. MALLOC_ARENA_MAX=2).
# The user: RASD_USER / RASD_PASSWORD, bench / bench123. The binary: $RASD, default
# target/release/rasd of the repository this file is in.
#
# Call the functions directly, not in $(...): rasd_start sets RASD_PID, RASD_NS and RASD_WORK
# for the others and the caller. The open-file limit is raised (to fs.nr_open) for rasd: every
# PPTP call is a TCP connection.

RASD_LIB_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
RASD=${RASD:-$RASD_LIB_ROOT/target/release/rasd}
RASD_TUN=${RASD_TUN:-rbl0}
RASD_LOCAL=${RASD_LOCAL:-192.0.2.1}
RASD_POOLS=${RASD_POOLS:-'["198.18.0.0-198.19.255.255", "100.64.0.0-100.67.255.255"]'}
RASD_USER=${RASD_USER:-bench}
RASD_PASSWORD=${RASD_PASSWORD:-bench123}
RASD_LOG_LEVEL=${RASD_LOG_LEVEL:-info}
RASD_PID=
RASD_NS=
RASD_WORK=

# rasd_fail MESSAGE: the message and the tail of rasd's log on stderr; returns 1.
rasd_fail() {
    echo "rasd: $1" >&2
    if [ -n "$RASD_WORK" ] && [ -e "$RASD_WORK/rasd.log" ]; then
        echo "--- last lines of $RASD_WORK/rasd.log:" >&2
        tail -n 30 "$RASD_WORK/rasd.log" >&2
    fi
    return 1
}

# rasd_config EXTRA...: the configuration on stdout.
rasd_config() {
    local addr=${RASD_ADDR:-${NETNS_SERVER_ADDR:-198.51.100.1}} section entry line key extra_key used
    local -a base_lines=(
        "server|max_sessions = 300000"
        "server|users_file = \"users\""
        "server|history_file = \"history.jsonl\""
        "server|tun_name = \"$RASD_TUN\""
        "server|summary_interval = 10"
        "pptp|listen = [\"$addr:1723\"]"
        "pptp|max_connections_per_peer = 65535"
        "l2tp|listen = [\"$addr:1701\"]"
        "l2tp|max_sessions_per_tunnel = 65535"
        "l2tp|max_tunnels_in_setup_per_peer = 1000"
        "ppp|auth = [\"mschapv2\", \"chap-md5\"]"
        "ip|local = \"$RASD_LOCAL\""
        "ip|pools = $RASD_POOLS"
    )
    local -a extra=()
    for entry in "$@"; do
        [[ "$entry" =~ ^\[([a-z0-9_]+)\][[:space:]]*(.*)$ ]] ||
            { echo "rasd: extra configuration '$entry' is not '[SECTION] KEY = VALUE'" >&2; return 1; }
        extra+=("${BASH_REMATCH[1]}|${BASH_REMATCH[2]}")
    done
    echo "# written by bench/lib/rasd.sh"
    for section in server pptp l2tp ppp ip; do
        echo "[$section]"
        for entry in "${base_lines[@]}"; do
            [ "${entry%%|*}" = "$section" ] || continue
            line=${entry#*|}
            key=${line%%=*}
            key=${key// /}
            used=
            for extra_key in "${extra[@]}"; do
                [ "${extra_key%%|*}" = "$section" ] || continue
                extra_key=${extra_key#*|}
                extra_key=${extra_key%%=*}
                [ "${extra_key// /}" = "$key" ] && used=1
            done
            [ -n "$used" ] || echo "$line"
        done
        for entry in "${extra[@]}"; do
            [ "${entry%%|*}" = "$section" ] && echo "${entry#*|}"
        done
    done
    return 0
}

# rasd_start NS WORKDIR [EXTRA...]: writes the configuration and users file in WORKDIR (made if
# needed; its files overwritten), starts `rasd run` in NS with its log in WORKDIR/rasd.log, and
# returns 0 once it logs "listening for L2TP"; non-zero, with the log's tail, if it has not
# within 10 s or has exited (and then it is not left running).
rasd_start() {
    local ns=$1 work=$2
    if [ -z "$ns" ] || [ -z "$work" ]; then echo "usage: rasd_start NS WORKDIR [EXTRA...]" >&2; return 2; fi
    shift 2
    [ -x "$RASD" ] || { echo "rasd: no binary at $RASD (cargo build --release)" >&2; return 1; }
    mkdir -p "$work" || return 1
    work=$(cd "$work" && pwd)
    # shellcheck disable=SC2034  # for the caller
    RASD_NS=$ns
    RASD_WORK=$work
    RASD_PID=
    rm -f "$work/users" "$work/history.jsonl" "$work/rasd.log"
    rasd_config "$@" > "$work/rasd.toml" || return 1
    "$RASD" user add "$RASD_USER" --password "$RASD_PASSWORD" --config "$work/rasd.toml" \
        > "$work/user-add.log" 2>&1 || { cat "$work/user-add.log" >&2; rasd_fail "rasd user add failed"; return 1; }
    "$RASD" check-config --config "$work/rasd.toml" > "$work/check-config.log" 2>&1 ||
        { cat "$work/check-config.log" >&2; rasd_fail "rasd check-config refused $work/rasd.toml"; return 1; }
    # The subshell raises its limits and becomes rasd (ip netns exec and env exec in turn), so
    # $! is rasd's PID.
    (
        ulimit -n "$(cat /proc/sys/fs/nr_open)" 2> /dev/null || ulimit -n "$(ulimit -Hn)"
        # shellcheck disable=SC2086  # RASD_ENV is words
        cd "$work" && exec ip netns exec "$ns" env RUST_LOG="$RASD_LOG_LEVEL" ${RASD_ENV:-} \
            "$RASD" run --config "$work/rasd.toml"
    ) < /dev/null > "$work/rasd.stdout" 2> "$work/rasd.log" &
    RASD_PID=$!
    for _ in $(seq 1 200); do
        grep -q 'listening for L2TP' "$work/rasd.log" 2> /dev/null && return 0
        kill -0 "$RASD_PID" 2> /dev/null || break
        sleep 0.05
    done
    if kill -0 "$RASD_PID" 2> /dev/null; then
        rasd_fail "not listening for L2TP within 10 s in $ns"
    else
        rasd_fail "exited in $ns before listening for L2TP"
    fi
    rasd_stop 5
    return 1
}

# rasd_pid: the running rasd's PID (nothing, status 1, when none runs).
rasd_pid() {
    [ -n "$RASD_PID" ] && kill -0 "$RASD_PID" 2> /dev/null || return 1
    echo "$RASD_PID"
}

# rasd_stop [SECONDS]: SIGTERM (rasd ends every session, writes their stop records and exits),
# SIGKILL after SECONDS (default 30) if it still runs. Non-zero when it had to be killed or
# exited with an error. Safe to call twice, or after a failed start.
rasd_stop() {
    local secs=${1:-30} rc=0 status=0
    [ -n "$RASD_PID" ] || return 0
    if kill -0 "$RASD_PID" 2> /dev/null; then
        kill -TERM "$RASD_PID" 2> /dev/null || true
        for _ in $(seq 1 $((secs * 10))); do
            kill -0 "$RASD_PID" 2> /dev/null || break
            sleep 0.1
        done
        if kill -0 "$RASD_PID" 2> /dev/null; then
            echo "rasd: still running $secs s after SIGTERM, killing it" >&2
            kill -KILL "$RASD_PID" 2> /dev/null || true
            rc=1
        fi
    fi
    wait "$RASD_PID" 2> /dev/null || status=$?
    # 143 = killed by our SIGTERM before its handler ran; anything else non-zero is an error.
    if [ "$rc" = 0 ] && [ "$status" != 0 ] && [ "$status" != 143 ]; then
        echo "rasd: exited with status $status (log: ${RASD_WORK:-?}/rasd.log)" >&2
        rc=1
    fi
    RASD_PID=
    return $rc
}
