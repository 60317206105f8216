#!/bin/bash
# shellcheck disable=SC2317 # the functions inside main() are reached (shellcheck cannot tell)
# L2TP interop scenarios. Runs INSIDE the QEMU guest started by tests/interop/run-l2tp.sh.
# usage: l2tp-scenarios.sh WORKDIR MODE REPO [LETTERS]
#   WORKDIR  host-visible directory (under the host's /tmp, shared read-write over 9p):
#            config, logs and the results file go there.
#   MODE     "rasd" (the only server of this suite).
#   REPO     the rasd checkout (read-only in the guest); the server is REPO/target/release/rasd.
#   LETTERS  scenarios to run, e.g. "a f" (default: all); the others are reported as SKIP.
#
# Topology: bridge br0 in the guest's root namespace; netns srv (198.51.100.1) runs rasd (L2TP
# LNS on UDP 1701), cli1 (198.51.100.2) and cli2 (198.51.100.3) run xl2tpd as LAC, which starts
# pppd for each call. Tunnel: server end 192.0.2.1, pool 192.0.2.10-192.0.2.20. Nothing leaves
# the guest.
#
# Each scenario appends "PASS|FAIL|SKIP ID SECONDS | failed checks | notes" to WORKDIR/results.
# Pitfall: no FIFOs or unix sockets on the 9p-shared /tmp; xl2tpd's control FIFO lives in /run.
set -u
# One function, read (with the exit after it) before it runs: editing this file mid-run is safe.
main() {
W=$1 MODE=$2 REPO=$3 SELECTED=${4:-a b c d e f g}
GUEST_DIR=$(cd "$(dirname "$0")" && pwd)
RUN=/run/rasd-interop
RESULTS=$W/results
SERVER=198.51.100.1
TUNNEL_SERVER=192.0.2.1
HISTORY=$W/history.jsonl
T_START=$(date +%s%3N)
# Used by lib.sh: W RUN RESULTS SERVER TUNNEL_SERVER HISTORY T_START SERVER_LOG REMOTENAME GUEST_DIR
# L2TP_SERVER_HOSTNAME
# shellcheck source-path=SCRIPTDIR disable=SC2034
. "$GUEST_DIR/lib.sh"

RASD=$REPO/target/release/rasd
REMOTENAME=rasd              # [server] name: CHAP name
L2TP_SERVER_HOSTNAME=rasd    # and the Host Name AVP of the LNS
TUNNEL_SECRET=l2tp-tunnel-secret-1
SERVER_LOG=$W/rasd.log
echo "PLAN a-mschapv2-nomppe b-mppe128 c-tunnel-auth d-multi-session e-dead-peer" \
     "f-transfer-1mb g-shutdown" > "$RESULTS"

# --- set-up --------------------------------------------------------------------------------------
mkdir -p "$RUN"
for m in tun ppp_generic ppp_async ppp_synctty ppp_mppe ppp_deflate l2tp_core l2tp_netlink \
    l2tp_ppp bridge veth; do
    modprobe "$m" 2>/dev/null || log "modprobe $m failed (may be built in)"
done

finish() {
    kill "$TCPDUMP_PID" 2>/dev/null
    echo "DONE" >> "$RESULTS"
}

[ "$MODE" = rasd ] || { TCPDUMP_PID=; setup_fail "MODE must be rasd, not '$MODE'"; }
ip link add br0 type bridge
ip link set br0 up
for ns in srv cli1 cli2; do add_ns "$ns"; done
ip netns exec srv sysctl -qw net.ipv4.ip_forward=1
ip netns exec srv tcpdump -i eth0 -n -s 200 -w "$W/srv-eth0.pcap" > "$W/tcpdump.log" 2>&1 &
TCPDUMP_PID=$!

listening() { ip netns exec srv ss -lunH 'sport = :1701' | grep -q .; }

# rasd_config [EXTRA [l2tp] LINES]: writes $W/rasd.toml. PPTP off; short L2TP timers so a dead
# peer's tunnel goes within seconds (HELLO after 5 s of silence, then 1+2+2 s of retransmission).
rasd_config() {
    cat > "$W/rasd.toml" <<EOT
[server]
name = "rasd"
history_file = "history.jsonl"
users_file = "users"
tun_name = "rasd0"

[pptp]
enabled = false

[l2tp]
listen = ["$SERVER:1701"]
mppe = "allow"
hello_interval = 5
retransmit_initial = 1
retransmit_max = 2
retransmit_attempts = 3
${1:-}

[ppp]
lcp_echo_interval = 2
lcp_echo_failures = 3

[ip]
local = "$TUNNEL_SERVER"
pools = ["192.0.2.10-192.0.2.20"]
EOT
}

server_up_or_dead() { listening || ! kill -0 "$SERVER_PID" 2>/dev/null; }

start_rasd() {
    [ -x "$RASD" ] || setup_fail "$RASD missing (cargo build --release)"
    rasd_config
    echo "# rasd interop test users" > "$W/users"
    "$RASD" user add alice --password secret123 --config "$W/rasd.toml" > "$W/user-add.out" 2>&1 \
        || setup_fail "rasd user add failed: $(cat "$W/user-add.out")"
    "$RASD" check-config --config "$W/rasd.toml" > "$W/check-config.out" 2>&1 \
        || setup_fail "rasd check-config failed: $(cat "$W/check-config.out")"
    : > "$SERVER_LOG"
    launch_rasd
    wait_until 30 server_up_or_dead
    listening || setup_fail "rasd does not listen on $SERVER:1701 within 30 s"
    log "rasd listening on $SERVER:1701 (pid $SERVER_PID)"
}

# stop_server: SIGTERM, bounded wait (20 s), then SIGKILL; 0 when rasd exited 0 by itself.
stop_server() {
    local rc
    not_alive "$SERVER_PID" && return 0
    kill -TERM "$SERVER_PID" 2>/dev/null
    if wait_until 20 not_alive "$SERVER_PID"; then
        wait "$SERVER_PID"; rc=$?
        log "rasd exited with status $rc"
        return "$rc"
    fi
    kill -KILL "$SERVER_PID" 2>/dev/null
    return 1
}

start_rasd

expect_history_start() {
    check "history has a start record for $1" wait_until 10 history_last_is "$1" start
}
expect_history_stop() {
    check "history has a stop record for $1" wait_until 15 history_last_is "$1" stop
}

# connect_one TAG NS SECRET CHALLENGE [pppd options...]: one xl2tpd with one lac, dialed; waits
# for IP up (sets CONNECTED_ADDR) and pings. 1 when IP did not come up.
connect_one() {
    local tag=$1 ns=$2 secret=$3 challenge=$4 addr; shift 4
    l2tp_lac_opts "$tag" secret123 "$@"
    l2tp_client_start "$ns" "$secret" "$challenge" "$tag" || { fail "xl2tpd control FIFO missing"; return 1; }
    l2tp_dial "$tag" "$tag"
    if ! client_wait_up "$tag"; then
        fail "pppd did not bring IP up within 60 s"
        return 1
    fi
    addr=$(client_addr "$tag")
    note "address $addr"
    check "client address $addr is in the pool" in_pool "$addr"
    check "pppd authenticated with MS-CHAPv2" log_has "$W/$tag.pppd.log" 'CHAP authentication succeeded'
    check "ping $TUNNEL_SERVER through the tunnel" ping_through "$ns"
    expect_history_start "$addr"
    CONNECTED_ADDR=$addr
}

disconnect() { # disconnect TAG NS [ADDR...]
    local tag=$1 ns=$2 a; shift 2
    check "xl2tpd exits after SIGTERM" l2tp_client_stop "$tag"
    ns_reap "$ns"
    for a in "$@"; do expect_history_stop "$a"; done
}

# history_protocols: every record's "protocol" value (both rasd runs), sorted and unique.
history_protocols() {
    python3 -S -c 'import json, os, sys
print(" ".join(sorted({json.loads(l).get("protocol", "?") for f in sys.argv[1:]
                       if os.path.exists(f) for l in open(f) if l.strip()})))' \
        "$HISTORY" "$W"/history-run1.jsonl 2>/dev/null
}

# --- the scenarios ---------------------------------------------------------------------------------

# (a) MS-CHAPv2 without MPPE: the client refuses MPPE, rasd's [l2tp] mppe = "allow" accepts that.
scenario_a() {
    scen_begin a-mschapv2-nomppe "MS-CHAPv2, client nomppe, rasd mppe = allow"
    if connect_one a cli1 "" no nomppe; then
        check "pppd log has no MPPE" not log_has "$W/a.pppd.log" 'MPPE [0-9]+-bit'
        check "LCP agreed on MS-CHAPv2" log_has "$W/a.pppd.log" 'auth chap MS-v2'
        check "history records protocol l2tp" test "$(history_protocols)" = l2tp
        disconnect a cli1 "$CONNECTED_ADDR"
    else
        l2tp_client_stop a; ns_reap cli1
    fi
    scen_end
}

# (b) MS-CHAPv2 + MPPE-128.
scenario_b() {
    scen_begin b-mppe128 "MS-CHAPv2 + require-mppe-128"
    if connect_one b cli1 "" no require-mppe-128; then
        check "pppd log shows 'MPPE 128-bit'" log_has "$W/b.pppd.log" 'MPPE 128-bit .*compression enabled'
        disconnect b cli1 "$CONNECTED_ADDR"
    else
        l2tp_client_stop b; ns_reap cli1
    fi
    scen_end
}

# (c) Tunnel authentication: rasd restarted with [l2tp] secret. The right secret (both ends
# challenge) connects; a wrong secret (only rasd challenges) is refused by rasd: no session.
tunnel_refused_by_rasd() { grep -E 'Challenge Response|not authori|refus' "$SERVER_LOG" | grep -q .; }
scenario_c() {
    local n0 t
    scen_begin c-tunnel-auth "rasd with [l2tp] secret: right secret connects, wrong one is refused"
    check "rasd (no secret) exits 0 after SIGTERM" stop_server
    # The restarted rasd numbers its sessions from 1 again: keep the first run's history apart.
    if [ -s "$HISTORY" ]; then
        mv "$HISTORY" "$W/history-run1.jsonl"
        check "history of the first rasd run: one stop record per start" \
            python3 -S "$GUEST_DIR/history.py" "$W/history-run1.jsonl" balanced
    fi
    rasd_config "secret = \"$TUNNEL_SECRET\""
    if ! "$RASD" check-config --config "$W/rasd.toml" > "$W/c.check-config.log" 2>&1; then
        fail "rasd check-config rejects the secret: $(head -3 "$W/c.check-config.log" | tr '\n' ' ')"
        scen_end; return
    fi
    launch_rasd
    if ! { wait_until 30 server_up_or_dead && listening; }; then
        fail "restarted rasd does not listen within 30 s"; scen_end; return
    fi
    if connect_one c1 cli1 "$TUNNEL_SECRET" yes require-mppe-128; then
        check "xl2tpd and rasd authenticated each other (xl2tpd log has no auth error)" \
            not log_has "$W/c1.xl2tpd.log" 'Invalid challenge|[Aa]uth.*fail'
        disconnect c1 cli1 "$CONNECTED_ADDR"
    else
        l2tp_client_stop c1; ns_reap cli1
    fi
    n0=$(grep -c . "$HISTORY" 2>/dev/null || echo 0)
    t=$(now_ms)
    l2tp_lac_opts c2 secret123 require-mppe-128
    l2tp_client_start cli1 WRONG-secret no c2
    l2tp_dial c2 c2
    check "rasd logs the refused tunnel (bounded 20 s)" wait_until 20 tunnel_refused_by_rasd
    grep -E 'Challenge Response|not authori|refus' "$SERVER_LOG" | tail -2 | while read -r l; do log "rasd: $l"; done
    sleep 3
    check "no PPP session came up with the wrong secret" not client_is_up c2
    check "no new history record" test "$(grep -c . "$HISTORY" 2>/dev/null || echo 0)" = "$n0"
    check "xl2tpd logs the tunnel close" log_has "$W/c2.xl2tpd.log" 'close|Closing|StopCCN|disconnect'
    grep -iE 'close|stopccn|result|auth' "$W/c2.xl2tpd.log" | head -4 | while read -r l; do log "xl2tpd: $l"; done
    note "refusal seen after $(( $(now_ms) - t )) ms"
    l2tp_client_stop c2; ns_reap cli1
    scen_end
}

# (d) Several sessions at once: two xl2tpd in cli1 (UDP ports 1701 and 1702: two tunnels from one
# address) and one in cli2. Three different pool addresses, three different rasd tunnels, and each
# session pings over its own PPP interface.
# Two sessions in ONE tunnel cannot come from xl2tpd 1.3.18: a [lac] holds one call, and a second
# call placed on its tunnel with the control command "c <tunnel id>" (a call without a [lac])
# crashes xl2tpd (segmentation fault right after it sends the ICCN, which takes the first call
# down with it). Two sessions in one tunnel are covered by tests/l2tp_multi_session.rs
# (rasd dial l2tp --sessions 2) and by the sans-IO test two_sessions_in_one_tunnel.
ppp_ifname() { sed -n 's/^Using interface \(ppp[0-9]*\).*/\1/p' "$W/$1.pppd.log" | tail -1; }
client_ns() { case $1 in d3) echo cli2 ;; *) echo cli1 ;; esac; }
scenario_d() {
    local t a addrs="" tunnels="" if1
    scen_begin d-multi-session "cli1: two xl2tpd (ports 1701, 1702); cli2: a third tunnel"
    for t in d1 d2 d3; do l2tp_lac_opts "$t" secret123 require-mppe-128; done
    l2tp_client_start cli1 "" no d1
    L2TP_CLIENT_PORT=1702 l2tp_client_start cli1 "" no d2
    l2tp_client_start cli2 "" no d3
    for t in d1 d2 d3; do l2tp_dial "$t" "$t"; done
    for t in d1 d2 d3; do
        if client_wait_up "$t"; then
            a=$(client_addr "$t"); addrs="$addrs $a"
            check "$t: address $a in the pool" in_pool "$a"
            expect_history_start "$a"
            tunnels="$tunnels $(history field "$a" tunnel_id)"
            if1=$(ppp_ifname "$t")
            check "$t: pings over its own interface ${if1:-?}" ip netns exec "$(client_ns "$t")" \
                ping -c 3 -i 0.3 -W 3 -q -I "${if1:-none}" "$TUNNEL_SERVER"
        else
            fail "$t: IP not up within 60 s"
        fi
    done
    note "addresses$addrs; rasd tunnels$tunnels"
    # shellcheck disable=SC2086
    check "three different addresses" test "$(printf '%s\n' $addrs | sort -u | wc -l)" = 3
    # shellcheck disable=SC2086
    check "three different rasd tunnels" test "$(printf '%s\n' $tunnels | sort -u | wc -l)" = 3
    check "the first session still pings after the others came up" \
        ip netns exec cli1 ping -c 2 -i 0.3 -W 3 -q -I "$(ppp_ifname d1)" "$TUNNEL_SERVER"
    for t in d1 d2 d3; do check "$t: xl2tpd exits after SIGTERM" l2tp_client_stop "$t"; done
    ns_reap cli1; ns_reap cli2
    # shellcheck disable=SC2086
    for a in $addrs; do expect_history_stop "$a"; done
    scen_end
}

# (e) A client vanishes without a goodbye: link down, then xl2tpd and pppd killed -9. rasd must
# end the session (LCP echo 2 s x 3, and the tunnel by HELLO/retransmission: 5 s + 1+2+2 s),
# record the stop, and a new client gets an address.
DEAD_LIMIT_S=25
scenario_e() {
    local t_kill dt cause addr2 n0
    scen_begin e-dead-peer "client link down + kill -9; rasd tears the tunnel down"
    if connect_one e cli1 "" no require-mppe-128; then
        E_ADDR=$CONNECTED_ADDR
        n0=$(grep -c 'tunnel closed' "$SERVER_LOG")
        ip -n cli1 link set eth0 down
        ip netns pids cli1 | xargs -r kill -KILL
        t_kill=$(now_ms)
        log "cli1 link down, its processes killed"
        if wait_until 40 history_last_is "$E_ADDR" stop; then
            dt=$(( $(now_ms) - t_kill ))
            cause=$(history cause "$E_ADDR")
            note "session stop after $dt ms ($cause)"
        else
            fail "no stop record for $E_ADDR within 40 s"
        fi
        tunnel_gone() { [ "$(grep -c 'tunnel closed' "$SERVER_LOG")" -gt "$n0" ]; }
        if wait_until 40 tunnel_gone; then
            dt=$(( $(now_ms) - t_kill ))
            note "tunnel closed after $dt ms"
            check "tunnel torn down within ${DEAD_LIMIT_S} s (took $dt ms)" \
                test "$dt" -le $((DEAD_LIMIT_S * 1000))
            grep 'tunnel closed' "$SERVER_LOG" | tail -1 | while read -r l; do log "rasd: $l"; done
        else
            fail "rasd did not close the tunnel within 40 s"
        fi
        ns_reap cli1
        ip -n cli1 link set eth0 up
        if connect_one e2 cli1 "" no require-mppe-128; then
            addr2=$CONNECTED_ADDR
            note "new client got $addr2 (dead session had $E_ADDR)"
            disconnect e2 cli1 "$addr2"
        else
            fail "a new client could not connect after the dead session"
            l2tp_client_stop e2; ns_reap cli1
        fi
    else
        l2tp_client_stop e; ns_reap cli1
    fi
    scen_end
}

# (f) 1 MiB of random data, byte-exact, each way (TCP over PPP over L2TP/UDP).
scenario_f() {
    scen_begin f-transfer-1mb "1048576 random bytes up and down, sha256 compared"
    if connect_one f cli1 "" no require-mppe-128; then
        transfer f cli1 up
        transfer f cli1 down
        disconnect f cli1 "$CONNECTED_ADDR"
    else
        l2tp_client_stop f; ns_reap cli1
    fi
    scen_end
}

# (g) SIGTERM with a client connected: rasd exits 0, the client's pppd ends, and every start
# record has exactly one stop record; every record says protocol "l2tp".
scenario_g() {
    local t0 rc secret="" challenge=no
    scen_begin g-shutdown "SIGTERM rasd with a client connected"
    grep -q '^secret' "$W/rasd.toml" && { secret=$TUNNEL_SECRET; challenge=yes; }
    if connect_one g cli2 "$secret" "$challenge" require-mppe-128; then :; fi
    kill -TERM "$SERVER_PID"
    t0=$(now_ms)
    if wait_until 20 not_alive "$SERVER_PID"; then
        wait "$SERVER_PID"; rc=$?
        note "rasd exited $rc after $(( $(now_ms) - t0 )) ms"
        check "rasd exits with status 0 after SIGTERM (got $rc)" test "$rc" = 0
    else
        fail "rasd still running 20 s after SIGTERM"
        kill -KILL "$SERVER_PID" 2>/dev/null
    fi
    pppd_gone() { ! ip netns exec cli2 pgrep -x pppd > /dev/null; }
    check "client's pppd ends within 20 s" wait_until 20 pppd_gone
    check "history: every started session has exactly one stop record (this rasd run)" \
        history balanced
    history balanced | tail -5 | while read -r l; do log "history: $l"; done
    check "history: every record has protocol l2tp (got '$(history_protocols)')" \
        test "$(history_protocols)" = l2tp
    l2tp_client_stop g; ns_reap cli2
    scen_end
}

run_scenario a a-mschapv2-nomppe
run_scenario b b-mppe128
run_scenario d d-multi-session
run_scenario f f-transfer-1mb
run_scenario e e-dead-peer
run_scenario c c-tunnel-auth    # restarts rasd with a tunnel secret
run_scenario g g-shutdown       # last: stops rasd

stop_server
finish
log "guest done"
}
main "$@"; exit
