# shellcheck shell=bash
# Debian's l2tpns (2.4.1) as an L2TPv2 LNS in a network namespace, for benchmarks that run the
# same load against rasd and l2tpns (sourced, bash). It authenticates only against RADIUS, so
# a private FreeRADIUS 3.2 (Debian's, the configuration copied like tests/e2e/freeradius.rs
# does) runs next to it on 127.0.0.1 in the same namespace. Nothing on the host is changed:
# l2tpns reads its address pool from the fixed path /etc/l2tpns/ip_pool, so it runs in a mount
# namespace of its own where a private directory is bind-mounted over /etc/l2tpns (the mount
# goes away with the process); its log, pid file and FreeRADIUS's files are in WORKDIR.
#
#   source bench/lib/netns.sh; source bench/lib/l2tpns.sh
#   netns_pair rasd-bl-srv rasd-bl-cli        # l2tpns needs the server end to be named eth0
#   l2tpns_start rasd-bl-srv /tmp/work        # returns once l2tpns is the cluster master
#   ... LACs in rasd-bl-cli dial $NETNS_SERVER_ADDR, user bench / bench123 ...
#   ps -o rss= -p "$(l2tpns_pid)"             # l2tpns's memory
#   l2tpns_stop                               # both servers gone, WORKDIR kept
#   netns_del rasd-bl-srv rasd-bl-cli
#
# What it sets up (override with the variables before l2tpns_start):
#   L2TPNS_BIND       address l2tpns listens on (UDP 1701): eth0's first IPv4 address in NS
#   L2TPNS_POOL       client pool, 198.18.0.0/16: the benchmarking range of RFC 2544
#                     (198.18.0.0/15), routed nowhere; a /16 because l2tpns holds up to
#                     ~60,000 sessions (it keeps 65,024 of the 65,536 addresses: it skips
#                     every .0 and .255)
#   L2TPNS_LOCAL      l2tpns's end of every PPP link (IPCP address, peer_address) and its TUN
#                     device's address (iftun_address): 198.19.0.1, the other half of the
#                     benchmarking /15, outside the pool; what a client pings through the
#                     tunnel. It must differ from L2TPNS_BIND: by default l2tpns gives its
#                     L2TP address in IPCP, the client's peer route to it then captures the
#                     client's own L2TP datagrams and they loop into the tunnel
#   L2TPNS_SECRET     tunnel secret (l2tp_secret), default none; l2tpns uses it only when the
#                     LAC sends a Challenge
#   L2TPNS_USER, L2TPNS_PASSWORD   the RADIUS user, bench / bench123 (Cleartext-Password, so
#                     PAP and CHAP-MD5 both work; no reply attributes: the address comes from
#                     l2tpns's pool)
#   L2TPNS_AUTHTYPES  radius_authtypes, "chap,pap" (l2tpns asks for CHAP-MD5 first)
#   L2TPNS_DEBUG      l2tpns's debug level 0-5, 3 (one line per tunnel, session and
#                     negotiation step; 2 or less for a load test)
#   L2TPNS_TUN        its TUN device in NS, tun0
#   L2TPNS_EXTRA      more `set ...` lines appended to its startup-config
# Fixed choices: the RADIUS secret is testing123, as in the tests; no RADIUS accounting; no
# DNS servers in IPCP; allow_duplicate_users (a load test logs in as one user many times, and
# by default l2tpns drops the older session of a user); send_garp off; cluster_hb_timeout 31
# (a lone node declares itself master after 3.1 s instead of 15 s; before that it ignores
# L2TP). It still multicasts its cluster heartbeat (239.192.13.13:32792, every 0.5 s, about
# 300 bytes) out of eth0: the packets reach only the client namespace, where nothing listens.
# The eth0 it needs is its default cluster_interface (without it: "Failed to get interface
# address for (eth0): No such device", and it exits). No `lac` configuration exists or is needed: l2tpns takes tunnels from any address. It sends
# no Receive Window Size AVP, so a LAC may have only 4 control messages unacknowledged.
#
# Call the functions directly, not in $(...): l2tpns_start sets, for the others and the
# caller, L2TPNS_WORK (WORKDIR), L2TPNS_NS, L2TPNS_ADDR (where it listens),
# L2TPNS_MAIN_PID, L2TPNS_LAUNCHER and RADIUS_PID. Logs: $L2TPNS_WORK/l2tpns.log,
# $L2TPNS_WORK/radius/log/radius.log.

L2TPNS_POOL=${L2TPNS_POOL:-198.18.0.0/16}
L2TPNS_LOCAL=${L2TPNS_LOCAL:-198.19.0.1}
L2TPNS_SECRET=${L2TPNS_SECRET:-}
L2TPNS_USER=${L2TPNS_USER:-bench}
L2TPNS_PASSWORD=${L2TPNS_PASSWORD:-bench123}
L2TPNS_AUTHTYPES=${L2TPNS_AUTHTYPES:-chap,pap}
L2TPNS_DEBUG=${L2TPNS_DEBUG:-3}
L2TPNS_TUN=${L2TPNS_TUN:-tun0}
L2TPNS_EXTRA=${L2TPNS_EXTRA:-}
L2TPNS_RADIUS_SECRET=testing123

# l2tpns_install: installs Debian's l2tpns and FreeRADIUS when missing, without letting the
# packages start their services on this machine, now or (l2tpns) at boot.
l2tpns_install() {
    local missing=() p policy=/usr/sbin/policy-rc.d made=
    for p in l2tpns freeradius; do
        dpkg-query -W -f='${Status}' "$p" 2> /dev/null | grep -q 'install ok installed' ||
            missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    echo "l2tpns: installing ${missing[*]}" >&2
    if [ ! -e "$policy" ]; then
        printf '#!/bin/sh\nexit 101\n' > "$policy" && chmod 755 "$policy" && made=1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" > /dev/null ||
        { apt-get update -q > /dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" > /dev/null; }
    local rc=$?
    [ -z "$made" ] || rm -f "$policy"
    # Nor at boot: the package's own l2tpns would take UDP 1701 with its default config.
    if [ $rc = 0 ] && [[ " ${missing[*]} " == *" l2tpns "* ]]; then
        systemctl disable l2tpns.service > /dev/null 2>&1 || update-rc.d l2tpns disable > /dev/null 2>&1 || true
    fi
    return $rc
}

# l2tpns_fail MESSAGE FILE...: the message and the tail of each file, on stderr; returns 1.
l2tpns_fail() {
    local f
    echo "l2tpns: $1" >&2
    shift
    for f in "$@"; do
        [ -e "$f" ] || continue
        echo "--- last lines of $f:" >&2
        tail -n 30 "$f" >&2
    done
    return 1
}

# l2tpns_radius_start NS WORKDIR: FreeRADIUS on 127.0.0.1:1812 in NS, user
# $L2TPNS_USER / $L2TPNS_PASSWORD, client 127.0.0.1 with testing123. Sets RADIUS_PID.
l2tpns_radius_start() {
    local ns=$1 w=$2/radius d
    d=$w/raddb
    rm -rf "$w"
    mkdir -p "$w/log/radacct" "$w/run" || return 1
    chmod 755 "$2" "$w"   # FreeRADIUS reads its configuration as user freerad
    cp -a /etc/freeradius/3.0 "$d" || return 1
    sed -i -e "s|^raddbdir = .*|raddbdir = $d|" -e "s|^logdir = .*|logdir = $w/log|" \
        -e "s|^run_dir = .*|run_dir = $w/run|" -e 's|^\treject_delay = .*|\treject_delay = 0|' \
        "$d/radiusd.conf"
    sed -i -e 's|^\tipaddr = \*|\tipaddr = 127.0.0.1|' -e 's|^\tipv6addr = ::.*|\tipv6addr = ::1|' \
        "$d/sites-available/default"
    # l2tpns signs no request (no Message-Authenticator), so none is required.
    printf 'client l2tpns {\n    ipaddr = 127.0.0.1\n    secret = %s\n    require_message_authenticator = no\n}\n' \
        "$L2TPNS_RADIUS_SECRET" > "$d/clients.conf"
    { printf '%s\tCleartext-Password := "%s"\n\n' "$L2TPNS_USER" "$L2TPNS_PASSWORD"
        cat /etc/freeradius/3.0/mods-config/files/authorize; } > "$d/mods-config/files/authorize"
    chown -R freerad:freerad "$w/log" "$w/run"
    ip netns exec "$ns" freeradius -f -d "$d" -l "$w/log/radius.log" < /dev/null > "$w/stdout" 2>&1 &
    RADIUS_PID=$!
    for _ in $(seq 1 250); do
        grep -q 'Ready to process requests' "$w/log/radius.log" 2> /dev/null && return 0
        kill -0 "$RADIUS_PID" 2> /dev/null || break
        sleep 0.02
    done
    l2tpns_fail "FreeRADIUS did not start in $ns" "$w/log/radius.log" "$w/stdout"
}

# l2tpns_start NS WORKDIR: FreeRADIUS and l2tpns in NS (which must have an eth0 with an
# IPv4 address); returns 0 once l2tpns logs "I am declaring myself the master!" (about 3 s
# after it starts), non-zero with the log tail if it has not after 40 s or has died (and then
# nothing it started is left running). WORKDIR is created if needed; its files are
# overwritten.
l2tpns_start() {
    local ns=$1 work=$2 etc
    if [ -z "$ns" ] || [ -z "$work" ]; then echo "usage: l2tpns_start NS WORKDIR" >&2; return 2; fi
    l2tpns_install || return 1
    [ -d /etc/l2tpns ] || { echo "l2tpns: /etc/l2tpns missing (reinstall the package)" >&2; return 1; }
    mkdir -p "$work" || return 1
    work=$(cd "$work" && pwd)
    L2TPNS_NS=$ns
    # shellcheck disable=SC2034  # for the caller
    L2TPNS_WORK=$work
    L2TPNS_MAIN_PID=
    local bind=${L2TPNS_BIND:-}
    [ -n "$bind" ] || bind=$(ip -n "$ns" -4 -o addr show dev eth0 2> /dev/null |
        awk '{ split($4, a, "/"); print a[1]; exit }')
    [ -n "$bind" ] || { echo "l2tpns: no IPv4 address on eth0 in namespace $ns" >&2; return 1; }
    # shellcheck disable=SC2034  # for the caller
    L2TPNS_ADDR=$bind

    l2tpns_radius_start "$ns" "$work" || { l2tpns_stop; return 1; }

    # The private /etc/l2tpns: startup-config, ip_pool, and the CLI users file (no users).
    etc=$work/etc
    rm -rf "$etc"
    mkdir -p "$etc" || return 1
    echo "$L2TPNS_POOL" > "$etc/ip_pool"
    : > "$etc/users"
    rm -f "$work/l2tpns.log" "$work/l2tpns.pid"
    cat > "$etc/startup-config" << EOF
# written by bench/lib/l2tpns.sh
set debug $L2TPNS_DEBUG
set log_file "$work/l2tpns.log"
set pid_file "$work/l2tpns.pid"
set bind_address $bind
# Our end of every PPP link (IPCP) and the TUN device's address: not the L2TP address, or
# a client's peer route to it would carry its own L2TP datagrams into the tunnel.
set iftun_address $L2TPNS_LOCAL
set peer_address $L2TPNS_LOCAL
set tundevicename "$L2TPNS_TUN"
set l2tp_secret "$L2TPNS_SECRET"
# no DNS servers in IPCP (0.0.0.0: not sent)
set primary_dns 0.0.0.0
set secondary_dns 0.0.0.0
set primary_radius 127.0.0.1
set radius_secret "$L2TPNS_RADIUS_SECRET"
set radius_authtypes "$L2TPNS_AUTHTYPES"
set radius_accounting no
set cli_bind_address 127.0.0.1
set send_garp no
# A load test logs in as one user many times; the default drops the older session.
set allow_duplicate_users yes
# A lone cluster node waits cluster_hb_timeout (tenths of a second, default 150) without a
# master's heartbeat before it declares itself master and starts taking L2TP; 31 is the
# least it accepts with the default heartbeat interval (5).
set cluster_hb_timeout 31
$L2TPNS_EXTRA
EOF
    # setsid: l2tpns signals its whole process group when it exits. The bind mount lives in
    # the mount namespace unshare makes and dies with it.
    # shellcheck disable=SC2016  # $1 is the inner shell's
    ip netns exec "$ns" unshare -m --propagation private sh -c \
        'mount --bind "$1" /etc/l2tpns && exec setsid l2tpns -c /etc/l2tpns/startup-config' \
        sh "$etc" < /dev/null > "$work/l2tpns.stdout" 2>&1 &
    local launcher=$!
    L2TPNS_LAUNCHER=$launcher
    for _ in $(seq 1 400); do
        [ -n "$L2TPNS_MAIN_PID" ] || L2TPNS_MAIN_PID=$(cat "$work/l2tpns.pid" 2> /dev/null)
        grep -q 'I am declaring myself the master' "$work/l2tpns.log" 2> /dev/null && return 0
        if [ -z "$L2TPNS_MAIN_PID" ] && ! kill -0 "$launcher" 2> /dev/null; then
            break
        fi
        if [ -n "$L2TPNS_MAIN_PID" ] && ! kill -0 "$L2TPNS_MAIN_PID" 2> /dev/null; then
            break
        fi
        sleep 0.1
    done
    local why="did not become master in $ns within 40 s"
    [ -n "$(l2tpns_pid)" ] || why="exited in $ns before it became master"
    l2tpns_fail "l2tpns $why" "$work/l2tpns.log" "$work/l2tpns.stdout"
    l2tpns_stop
    return 1
}

# l2tpns_pid: the l2tpns processes in the namespace (the main one first), one PID a line;
# their RSS is l2tpns's memory. l2tpns forks only for CLI connections and similar helpers.
l2tpns_pid() {
    local p
    [ -n "${L2TPNS_NS:-}" ] || return 1
    [ -n "${L2TPNS_MAIN_PID:-}" ] && kill -0 "$L2TPNS_MAIN_PID" 2> /dev/null && echo "$L2TPNS_MAIN_PID"
    for p in $(ip netns pids "$L2TPNS_NS" 2> /dev/null); do
        [ "$p" = "${L2TPNS_MAIN_PID:-}" ] && continue
        [ "$(cat "/proc/$p/comm" 2> /dev/null)" = l2tpns ] && echo "$p"
    done
    return 0
}

# l2tpns_rss_kb: the summed RSS (KiB) of l2tpns_pid's processes.
l2tpns_rss_kb() {
    local p total=0 kb
    for p in $(l2tpns_pid); do
        kb=$(awk '/^VmRSS:/ { print $2 }' "/proc/$p/status" 2> /dev/null)
        total=$((total + ${kb:-0}))
    done
    echo "$total"
}

# l2tpns_wait_gone PID... SECONDS: waits until none of the PIDs exists; 1 if some still do.
l2tpns_wait_gone() {
    local secs=${*: -1} pids=("${@:1:$#-1}") p alive
    for _ in $(seq 1 $((secs * 10))); do
        alive=
        for p in "${pids[@]}"; do kill -0 "$p" 2> /dev/null && alive=1; done
        [ -z "$alive" ] && return 0
        sleep 0.1
    done
    return 1
}

# l2tpns_stop: stops l2tpns (SIGTERM: it exits at once, leaving its tunnels to time out at
# the LACs, which should have hung up first; SIGKILL after 5 s) and FreeRADIUS, and checks
# that no l2tpns is left in the namespace. Its TUN device and routes go with the process, its
# bind mount with its mount namespace. The network namespace itself is the caller's
# (netns_del). Safe to call twice, or after a failed start.
l2tpns_stop() {
    local pids p rc=0
    pids=$(l2tpns_pid)
    if [ -n "$pids" ]; then
        # shellcheck disable=SC2086
        kill -TERM $pids 2> /dev/null || true
        # shellcheck disable=SC2086
        if ! l2tpns_wait_gone $pids 5; then
            echo "l2tpns: still running 5 s after SIGTERM, killing it" >&2
            # shellcheck disable=SC2086
            kill -KILL $pids 2> /dev/null || true
            # shellcheck disable=SC2086
            l2tpns_wait_gone $pids 2 || rc=1
        fi
    fi
    if [ -n "${L2TPNS_LAUNCHER:-}" ]; then
        wait "$L2TPNS_LAUNCHER" 2> /dev/null || true
        L2TPNS_LAUNCHER=
    fi
    if [ -n "${RADIUS_PID:-}" ]; then
        kill -TERM "$RADIUS_PID" 2> /dev/null || true
        l2tpns_wait_gone "$RADIUS_PID" 3 || { kill -KILL "$RADIUS_PID" 2> /dev/null || true; }
        wait "$RADIUS_PID" 2> /dev/null || true
        RADIUS_PID=
    fi
    L2TPNS_MAIN_PID=
    [ -z "$(l2tpns_pid)" ] || { echo "l2tpns: an l2tpns process survived in ${L2TPNS_NS:-?}" >&2; rc=1; }
    return $rc
}
