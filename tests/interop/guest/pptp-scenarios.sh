#!/bin/bash
# shellcheck disable=SC2317 # the functions inside main() are reached (shellcheck cannot tell)
# PPTP interop scenarios. Runs INSIDE the QEMU guest started by tests/interop/run-pptp.sh.
# usage: pptp-scenarios.sh WORKDIR MODE REPO [LETTERS]
#   WORKDIR  host-visible directory (under the host's /tmp, shared read-write over 9p):
#            config, logs and the results file go there.
#   MODE     "rasd" (the product) or "pptpd" (harness development only: Debian's pptpd plays the
#            server so the topology, client options and client-side checks can be validated
#            without rasd; rasd-specific checks are skipped).
#   REPO     the rasd checkout (read-only in the guest); the server is REPO/target/release/rasd.
#   LETTERS  scenarios to run, e.g. "a f" (default: all); the others are reported as SKIP.
#
# Topology: bridge br0 in the guest's root namespace; netns srv (198.51.100.1, the server),
# cli1 (198.51.100.2) and cli2 (198.51.100.3) run pptp-linux + pppd. Tunnel: server end
# 192.0.2.1, pool 192.0.2.10-192.0.2.20. Nothing leaves the guest.
#
# Each scenario appends "PASS|FAIL|SKIP ID SECONDS | failed checks | notes" to WORKDIR/results.
# Pitfall: no FIFOs or unix sockets on the 9p-shared /tmp; private runtime files live in /run.
set -u
# One function, read (with the exit after it) before it runs: editing this file mid-run is safe.
main() {
W=$1 MODE=$2 REPO=$3 SELECTED=${4:-a b c d e f g h}
GUEST_DIR=$(cd "$(dirname "$0")" && pwd)
RUN=/run/rasd-interop
RESULTS=$W/results
SERVER=198.51.100.1
TUNNEL_SERVER=192.0.2.1
HISTORY=$W/history.jsonl
T_START=$(date +%s%3N)
# Used by lib.sh: W RUN RESULTS SERVER TUNNEL_SERVER HISTORY T_START SERVER_LOG REMOTENAME GUEST_DIR
# shellcheck source-path=SCRIPTDIR disable=SC2034
. "$GUEST_DIR/lib.sh"

rasd_mode() { [ "$MODE" = rasd ]; }
RASD=$REPO/target/release/rasd

REMOTENAME=rasd   # the server's name in CHAP challenges ([server] name / pppd "name")
SERVER_LOG=$W/rasd.log
rasd_mode || SERVER_LOG=$W/pptpd-pppd.log
echo "PLAN a-mppe128-stateless b-mppe40 c-mppe128-stateful d-wrong-password e-two-clients" \
     "f-transfer-1mb g-dead-peer h-shutdown i-radius-mppe" > "$RESULTS"

# --- set-up --------------------------------------------------------------------------------------
mkdir -p "$RUN" /var/run/pptp
for m in tun ppp_generic ppp_async ppp_mppe ppp_deflate pptp bridge veth; do
    modprobe "$m" 2>/dev/null || log "modprobe $m failed (may be built in)"
done
# pptp-linux and pptpd log to syslog only.
busybox syslogd -n -O "$RUN/syslog.log" &
SYSLOGD_PID=$!

ip link add br0 type bridge
ip link set br0 up
for ns in srv cli1 cli2; do add_ns "$ns"; done
ip netns exec srv sysctl -qw net.ipv4.ip_forward=1
# Everything on the server's LAN side, for post-mortems (headers only).
ip netns exec srv tcpdump -i eth0 -n -s 200 -w "$W/srv-eth0.pcap" > "$W/tcpdump.log" 2>&1 &
TCPDUMP_PID=$!

finish() {
    cp "$RUN/syslog.log" "$W/syslog.log" 2>/dev/null
    kill "$SYSLOGD_PID" "$TCPDUMP_PID" 2>/dev/null
    echo "DONE" >> "$RESULTS"
}

listening() { ip netns exec srv ss -ltnH 'sport = :1723' | grep -q .; }

# rasd_config [EXTRA [ppp] LINES]: writes $W/rasd.toml.
rasd_config() {
    cat > "$W/rasd.toml" <<EOF
[server]
name = "rasd"
history_file = "history.jsonl"
users_file = "users"
tun_name = "rasd0"

[pptp]
listen = ["$SERVER:1723"]

[ppp]
lcp_echo_interval = 2
lcp_echo_failures = 3
${1:-}

[ip]
local = "$TUNNEL_SERVER"
pools = ["192.0.2.10-192.0.2.20"]
EOF
}

start_rasd() {
    [ -x "$RASD" ] || setup_fail "$RASD missing (cargo build --release)"
    rasd_config
    echo "# rasd interop test users" > "$W/users"
    "$RASD" user add alice --password secret123 --config "$W/rasd.toml" > "$W/user-add.out" 2>&1 \
        || setup_fail "rasd user add failed: $(cat "$W/user-add.out")"
    grep -qE '^alice[[:space:]]+nthash:[0-9a-fA-F]{32}' "$W/users" \
        || setup_fail "users file has no 'alice nthash:<32 hex>' line: $(cat "$W/users")"
    "$RASD" check-config --config "$W/rasd.toml" > "$W/check-config.out" 2>&1 \
        || setup_fail "rasd check-config failed: $(cat "$W/check-config.out")"
    : > "$SERVER_LOG"
    launch_rasd
}

start_pptpd() {
    cat > "$W/pptpd.conf" <<EOF
option $W/pptpd.options
localip $TUNNEL_SERVER
remoteip 192.0.2.10-20
listen $SERVER
pidfile $RUN/pptpd.pid
EOF
    # Mirrors rasd's defaults: MS-CHAPv2 only, MPPE required (40/128, stateful allowed), echo 2 s x 3.
    cat > "$W/pptpd.options" <<EOF
name rasd
refuse-pap
refuse-chap
refuse-mschap
require-mschap-v2
require-mppe
mppe-stateful
lcp-echo-interval 2
lcp-echo-failure 3
nodefaultroute
nobsdcomp
nodeflate
novj
novjccomp
nologfd
logfile $SERVER_LOG
debug
EOF
    echo "alice rasd secret123 *" > /etc/ppp/chap-secrets   # /etc is a guest-private overlay
    : > "$SERVER_LOG"
    ip netns exec srv pptpd -c "$W/pptpd.conf" -f > "$W/pptpd.out" 2>&1 &
    SERVER_PID=$!
}

if rasd_mode; then start_rasd; else start_pptpd; fi
server_up_or_dead() { listening || ! kill -0 "$SERVER_PID" 2>/dev/null; }
wait_until 30 server_up_or_dead
listening || setup_fail "$MODE does not listen on $SERVER:1723 within 30 s"
log "$MODE listening on $SERVER:1723 (pid $SERVER_PID)"

# rasd records a session in the history file at start (IP up) and at stop.
expect_history_start() {
    rasd_mode || return 0
    check "history has a start record for $1" wait_until 10 history_last_is "$1" start
}
expect_history_stop() {
    rasd_mode || return 0
    check "history has a stop record for $1" wait_until 15 history_last_is "$1" stop
}

# connect_and_ping TAG NS MPPE_LOG_REGEX [pppd options...]: the common part of (a)-(c).
connect_and_ping() {
    local tag=$1 ns=$2 want=$3 addr; shift 3
    client_start "$tag" "$ns" secret123 "$@"
    if ! client_wait_up "$tag"; then
        fail "pppd did not bring IP up within 60 s"
        client_stop "$tag"; ns_reap "$ns"
        return 1
    fi
    addr=$(client_addr "$tag")
    note "address $addr"
    check "client address $addr is in the pool" in_pool "$addr"
    check "pppd log shows '$want'" log_has "$W/$tag.pppd.log" "$want"
    check "ping $TUNNEL_SERVER through the tunnel" ping_through "$ns"
    expect_history_start "$addr"
    CONNECTED_ADDR=$addr
}

disconnect() {
    local tag=$1 ns=$2 addr=$3
    check "pppd exits after SIGTERM" client_stop "$tag"
    ns_reap "$ns"
    expect_history_stop "$addr"
}

transfer_both() { transfer "$1" "$2" up; transfer "$1" "$2" down; }

# --- the scenarios ---------------------------------------------------------------------------------
# Each is a function scenario_<letter>; run_scenario records SKIP for those not selected.

# (a) MS-CHAPv2 + MPPE-128 stateless, the default of Windows/Linux clients.
scenario_a() {
    scen_begin a-mppe128-stateless "MS-CHAPv2 (others refused) + require-mppe-128"
    if connect_and_ping a cli1 'MPPE 128-bit stateless compression enabled' require-mppe-128; then
        disconnect a cli1 "$CONNECTED_ADDR"
    fi
    scen_end
}

# (b) MPPE-40.
scenario_b() {
    scen_begin b-mppe40 "require-mppe-40 nomppe-128"
    if connect_and_ping b cli1 'MPPE 40-bit stateless compression enabled' \
        require-mppe-40 nomppe-128; then
        disconnect b cli1 "$CONNECTED_ADDR"
    fi
    scen_end
}

# (c) Stateful MPPE-128. pppd (2.4.9) always asks for stateless (H=1), even with mppe-stateful;
# it only ends up stateful when the server Naks H=0 (and asks for H=0 itself). rasd prefers
# stateless, so this scenario restarts rasd with the stateful preference; it runs last. The
# stateful key changes every 256 packets; 1 MiB each way exercises that.
scenario_c() {
    if ! rasd_mode; then
        skip c-mppe128-stateful "pppd as the server never offers stateful MPPE (pptpd mode)"
        return
    fi
    scen_begin c-mppe128-stateful "rasd restarted with mppe_prefer_stateful; client mppe-stateful"
    stop_server
    rasd_config 'mppe_prefer_stateful = true'
    if ! "$RASD" check-config --config "$W/rasd.toml" > "$W/c.check-config.log" 2>&1; then
        fail "rasd check-config rejects '[ppp] mppe_prefer_stateful = true':" \
            "$(head -3 "$W/c.check-config.log" | tr '\n' ' ')"
        scen_end
        return
    fi
    launch_rasd
    if wait_until 30 server_up_or_dead && listening; then
        if connect_and_ping c cli1 'MPPE 128-bit stateful compression enabled' \
            require-mppe-128 mppe-stateful; then
            transfer_both c cli1
            disconnect c cli1 "$CONNECTED_ADDR"
        fi
    else
        fail "restarted rasd does not listen within 30 s"
    fi
    check "rasd exits within 20 s after SIGTERM" stop_server
    scen_end
}

# (d) Wrong password: MS-CHAPv2 failure E=691 reaches the client; the server logs it with the user.
server_auth_failure() {
    grep -iE 'auth' "$SERVER_LOG" | grep -i 'alice' | grep -qiE 'fail|reject|denied|wrong|invalid'
}
scenario_d() {
    scen_begin d-wrong-password "password 'wrong-password'"
    client_start d cli1 wrong-password require-mppe-128
    check "pppd exits on its own (bounded 60 s)" wait_until 60 not_alive "$(client_pid d)"
    check "pppd reports 'MS-CHAP authentication failed'" \
        log_has "$W/d.pppd.log" 'MS-CHAP authentication failed'
    check "the CHAP Failure carries E=691" log_has "$W/d.pppd.log" 'rcvd \[CHAP Failure .*E=691'
    check "pppd never brought IP up" not client_is_up d
    if rasd_mode; then
        check "rasd log has the authentication failure with the user name" \
            wait_until 10 server_auth_failure
    else
        check "pptpd's pppd logs the peer authentication failure" \
            log_has "$SERVER_LOG" 'Peer alice failed CHAP authentication'
    fi
    client_stop d; ns_reap cli1
    scen_end
}

# (e) Two clients at once get different pool addresses and both reach the server.
scenario_e() {
    local up1=0 up2=0 a1 a2
    scen_begin e-two-clients "cli1 and cli2 connected at the same time"
    client_start e1 cli1 secret123 require-mppe-128
    client_start e2 cli2 secret123 require-mppe-128
    client_wait_up e1 && up1=1
    client_wait_up e2 && up2=1
    [ "$up1" = 1 ] || fail "cli1: pppd did not bring IP up within 60 s"
    [ "$up2" = 1 ] || fail "cli2: pppd did not bring IP up within 60 s"
    if [ "$up1" = 1 ] && [ "$up2" = 1 ]; then
        a1=$(client_addr e1); a2=$(client_addr e2)
        note "addresses $a1 $a2"
        check "address $a1 in the pool" in_pool "$a1"
        check "address $a2 in the pool" in_pool "$a2"
        check "the addresses differ" test "$a1" != "$a2"
        check "cli1 pings through its tunnel" ping_through cli1
        check "cli2 pings through its tunnel" ping_through cli2
        expect_history_start "$a1"; expect_history_start "$a2"
    fi
    check "cli1 pppd exits after SIGTERM" client_stop e1
    check "cli2 pppd exits after SIGTERM" client_stop e2
    ns_reap cli1; ns_reap cli2
    if [ "$up1" = 1 ] && [ "$up2" = 1 ]; then expect_history_stop "$a1"; expect_history_stop "$a2"; fi
    scen_end
}

# (f) 1 MiB of random data, byte-exact, each way through the tunnel (TCP over PPP over GRE).
scenario_f() {
    scen_begin f-transfer-1mb "1048576 random bytes up and down, sha256 compared"
    if connect_and_ping f cli1 'MPPE 128-bit' require-mppe-128; then
        transfer_both f cli1
        disconnect f cli1 "$CONNECTED_ADDR"
    fi
    scen_end
}

# (g) A client vanishes without a goodbye: its link goes down, then pppd and pptp are killed -9.
# The server must notice by LCP echo (2 s x 3 here), record the stop, and free the address.
# Leaves two clients up for (h): g2 (cli1) and h2 (cli2).
ECHO_LIMIT_S=18   # interval x failures = 6 s, + slack for emulation and the first echo's phase
dead_peer_detected() {
    if rasd_mode; then
        history_last_is "$G_ADDR" stop
    else
        grep -q 'No response to 3 echo-requests' "$SERVER_LOG"
    fi
}
scenario_g() {
    local t_kill dt cause g2_addr
    scen_begin g-dead-peer "client link down + kill -9; LCP echo must detect it"
    if connect_and_ping g cli1 'MPPE 128-bit' require-mppe-128; then
        G_ADDR=$CONNECTED_ADDR
        # The client for (h) on cli2 connects while the dead session is pending.
        client_start h2 cli2 secret123 require-mppe-128
        ip -n cli1 link set eth0 down
        ip netns pids cli1 | xargs -r kill -KILL
        t_kill=$(now_ms)
        log "cli1 link down, its processes killed"
        if wait_until 40 dead_peer_detected; then
            dt=$(( $(now_ms) - t_kill ))
            note "dead peer detected after $dt ms"
            check "detected within ${ECHO_LIMIT_S} s (took $dt ms)" \
                test "$dt" -le $((ECHO_LIMIT_S * 1000))
            if rasd_mode; then
                cause=$(history cause "$G_ADDR")
                note "stop cause: $cause"
                check "stop cause mentions echo/timeout ('$cause')" grep -qiE 'echo|time' <<< "$cause"
            fi
        else
            fail "server did not notice the dead peer within 40 s"
        fi
        ns_reap cli1
        ip -n cli1 link set eth0 up
        # The address must be free again: a new client connects (the pool may hand out G_ADDR).
        client_start g2 cli1 secret123 require-mppe-128
        if client_wait_up g2; then
            g2_addr=$(client_addr g2)
            note "new client got $g2_addr (dead session had $G_ADDR)"
            check "new client's address is in the pool" in_pool "$g2_addr"
            check "new client pings" ping_through cli1
            expect_history_start "$g2_addr"
        else
            fail "a new client could not connect after the dead session"
        fi
    fi
    scen_end
}

# (h) SIGTERM: rasd ends every session (clients see LCP Terminate), writes every stop record,
# and exits 0.
scenario_h() {
    local t live="" t0 rc
    if ! rasd_mode; then
        skip h-shutdown "rasd-specific (pptpd mode)"
        return
    fi
    scen_begin h-shutdown "SIGTERM rasd with clients connected"
    client_alive g2 || client_start g2 cli1 secret123 require-mppe-128
    client_alive h2 || client_start h2 cli2 secret123 require-mppe-128
    check "client on cli1 is up" client_wait_up g2
    check "client on cli2 is up" client_wait_up h2
    for t in g2 h2; do client_is_up "$t" && client_alive "$t" && live="$live $t"; done
    note "connected at SIGTERM:${live:- none}"
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
    for t in $live; do
        check "client $t: pppd ends within 20 s" wait_until 20 not_alive "$(client_pid "$t")"
        check "client $t: pppd log shows 'LCP terminated by peer'" \
            log_has "$W/$t.pppd.log" 'LCP terminated by peer'
    done
    if grep -q 'Received Stop Control Connection Request' "$RUN/syslog.log" 2>/dev/null; then
        note "pptp saw Stop-Control-Connection-Request"
    fi
    check "history: every started session has exactly one stop record" history balanced
    history balanced | tail -5 | while read -r l; do log "history: $l"; done
    scen_end
}

# start_freeradius: FreeRADIUS 3.2 in netns srv on 127.0.0.1 with alice/secret123, its files
# under /run (not the 9p /tmp, where files freerad creates become root's), replies signed
# (rasd refuses unsigned ones; FreeRADIUS before 3.2.5 does not sign by itself).
start_freeradius() {
    local d=$RUN/radius/raddb w=$RUN/radius
    rm -rf "$w"; mkdir -p "$w/log/radacct" "$w/run"
    cp -a /etc/freeradius/3.0 "$d" || return 1
    sed -i -e "s|^raddbdir = .*|raddbdir = $d|" -e "s|^logdir = .*|logdir = $w/log|" \
        -e "s|^run_dir = .*|run_dir = $w/run|" -e 's|^\treject_delay = .*|\treject_delay = 0|' \
        "$d/radiusd.conf"
    sed -i -e 's|^\tipaddr = \*|\tipaddr = 127.0.0.1|' -e 's|^\tipv6addr = ::.*|\tipv6addr = ::1|' \
        -e 's|^post-auth {$|post-auth {\n\tupdate reply {\n\t\t\&Message-Authenticator := 0x00\n\t}|' \
        -e 's|^\tPost-Auth-Type REJECT {$|\tPost-Auth-Type REJECT {\n\tupdate reply {\n\t\t\&Message-Authenticator := 0x00\n\t}|' \
        "$d/sites-available/default"
    printf 'client rasd {\n    ipaddr = 127.0.0.1\n    secret = testing123\n}\n' > "$d/clients.conf"
    { printf 'alice\tCleartext-Password := "secret123"\n\n'; cat "$d/mods-config/files/authorize"; } \
        > "$w/authorize" && cp "$w/authorize" "$d/mods-config/files/authorize"
    chown -R freerad:freerad "$w"
    ip netns exec srv freeradius -X -d "$d" > "$w/radiusd.log" 2>&1 &
    RADIUS_PID=$!
    wait_until 30 grep -q 'Ready to process requests' "$w/radiusd.log"
}
radius_log_has() { grep -q "$1" "$RUN/radius/radiusd.log"; }

# (i) MS-CHAPv2 judged by FreeRADIUS, MPPE-128 keyed with the MS-MPPE-Send/Recv-Key of its
# reply: the tunnel passes traffic both ways only if those keys are the ones pppd computed.
scenario_i() {
    if ! rasd_mode; then
        skip i-radius-mppe "the RADIUS backend is rasd's (pptpd mode)"
        return
    fi
    scen_begin i-radius-mppe "rasd restarted with a [[radius.server]] (FreeRADIUS in srv); require-mppe-128"
    stop_server
    if ! start_freeradius; then
        fail "FreeRADIUS did not start: $(tail -3 "$RUN/radius/radiusd.log" | tr '\n' ' ')"
        scen_end
        return
    fi
    rasd_config
    printf '\n[[radius.server]]\naddress = "127.0.0.1"\nsecret = "testing123"\n' >> "$W/rasd.toml"
    launch_rasd
    if wait_until 30 server_up_or_dead && listening; then
        if connect_and_ping i cli1 'MPPE 128-bit stateless compression enabled' require-mppe-128; then
            transfer_both i cli1
            disconnect i cli1 "$CONNECTED_ADDR"
        fi
        check "FreeRADIUS judged alice with MS-CHAPv2" radius_log_has 'Client is using MS-CHAPv2'
        check "FreeRADIUS sent the MPPE keys" radius_log_has 'Adding MS-CHAPv2 MPPE keys'
    else
        fail "rasd with RADIUS does not listen within 30 s"
    fi
    check "rasd exits within 20 s after SIGTERM" stop_server
    kill "$RADIUS_PID" 2>/dev/null
    cp "$RUN/radius/radiusd.log" "$W/radiusd.log" 2>/dev/null
    scen_end
}

# stop_server: SIGTERM, bounded wait (20 s), then SIGKILL.
stop_server() {
    not_alive "$SERVER_PID" && return 0
    kill -TERM "$SERVER_PID" 2>/dev/null
    wait_until 20 not_alive "$SERVER_PID" && return 0
    kill -KILL "$SERVER_PID" 2>/dev/null
    return 1
}

run_scenario a a-mppe128-stateless
run_scenario b b-mppe40
run_scenario d d-wrong-password
run_scenario e e-two-clients
run_scenario f f-transfer-1mb
run_scenario g g-dead-peer
run_scenario h h-shutdown
for t in g2 h2; do client_alive "$t" && client_stop "$t"; done
for ns in cli1 cli2; do ns_reap "$ns"; done
run_scenario c c-mppe128-stateful   # these last two restart rasd with another config
run_scenario i i-radius-mppe

stop_server
# pptpd leaves its pptpctrl/pppd children behind; end them by pid.
rasd_mode || ip netns pids srv | xargs -r kill -TERM 2>/dev/null
finish
log "guest done"
}
main "$@"; exit
