# shellcheck shell=bash
# Helpers for the interop scenarios that run inside the QEMU guest (sourced, not executed).
# Expects: W (host-visible work dir), RUN (guest-private dir on tmpfs), RESULTS (results file),
# SERVER (the server's address on the test LAN).

now_ms() { date +%s%3N; }

log() { printf '[%6.1f] %s\n' "$(( $(now_ms) - T_START ))e-3" "$*"; }

# wait_until SECONDS CMD...: runs CMD every 0.3 s until it succeeds (0) or SECONDS pass (1).
wait_until() {
    local limit=$(( $(now_ms) + $1 * 1000 )); shift
    while :; do
        "$@" && return 0
        [ "$(now_ms)" -ge "$limit" ] && return 1
        sleep 0.3
    done
}

# --- scenario bookkeeping: one result line per scenario in $RESULTS -----------------------------

# scen_begin ID DESCRIPTION
scen_begin() {
    SCEN=$1; SCEN_T0=$(now_ms); SCEN_FAILS=(); SCEN_NOTES=(); SCEN_XFAIL=""
    SCEN_LOG0=$(server_log_lines)
    log "=== $SCEN: $2"
}

# check DESCRIPTION CMD...: records a failed check (the scenario goes on; later checks still run).
check() {
    local what=$1; shift
    if "$@"; then log "ok: $what"; else log "FAILED: $what"; SCEN_FAILS+=("$what"); fi
}

not() { ! "$@"; }
fail() { log "FAILED: $*"; SCEN_FAILS+=("$*"); }
note() { log "note: $*"; SCEN_NOTES+=("$*"); }

# expect_failure REASON: this scenario is known to fail in this mode (e.g. a limitation of the
# harness-development server); scen_end then reports XFAIL instead of FAIL, and a pass is noted.
expect_failure() { SCEN_XFAIL=$1; log "expected to fail in this mode: $1"; }

# scen_end: writes "PASS|FAIL|XFAIL ID SECONDS | failed checks | notes" and the server log line range
# of the scenario ("LOGRANGE ID FIRST LAST") so the host can show the relevant excerpt.
scen_end() {
    local dt status=PASS fails notes
    dt=$(( $(now_ms) - SCEN_T0 ))
    [ ${#SCEN_FAILS[@]} -eq 0 ] || status=FAIL
    if [ -n "${SCEN_XFAIL:-}" ]; then
        if [ "$status" = FAIL ]; then
            status=XFAIL; SCEN_NOTES+=("expected failure: $SCEN_XFAIL")
        else
            SCEN_NOTES+=("passed although expected to fail: $SCEN_XFAIL")
        fi
    fi
    fails=$(IFS=';'; echo "${SCEN_FAILS[*]:-}")
    notes=$(IFS=';'; echo "${SCEN_NOTES[*]:-}")
    printf '%s %s %d.%ds | %s | %s\n' "$status" "$SCEN" $((dt / 1000)) $((dt % 1000 / 100)) \
        "$fails" "$notes" >> "$RESULTS"
    printf 'LOGRANGE %s %d %d\n' "$SCEN" "$((SCEN_LOG0 + 1))" "$(server_log_lines)" >> "$RESULTS"
    log "=== $SCEN: $status ($((dt / 1000)).$((dt % 1000 / 100)) s)"
}

# skip ID REASON: a scenario that does not apply in this mode.
skip() { printf 'SKIP %s 0.0s | | %s\n' "$1" "$2" >> "$RESULTS"; log "=== $1: SKIP ($2)"; }

server_log_lines() { if [ -f "$SERVER_LOG" ]; then wc -l < "$SERVER_LOG"; else echo 0; fi; }

# --- topology: netns srv + clients on one bridge -------------------------------------------------

# ns_addr NS: the namespace's LAN address.
ns_addr() {
    case $1 in
        srv) echo 198.51.100.1 ;; cli1) echo 198.51.100.2 ;;
        cli2) echo 198.51.100.3 ;; cli3) echo 198.51.100.4 ;;
    esac
}

# add_ns NS: namespace with lo and eth0 (a veth whose other end is a port of bridge br0).
add_ns() {
    ip netns add "$1"
    ip link add "v-$1" type veth peer name eth0 netns "$1"
    ip link set "v-$1" master br0 up
    ip -n "$1" addr add "$(ns_addr "$1")/24" dev eth0
    ip -n "$1" link set lo up
    ip -n "$1" link set eth0 up
}

# --- PPTP clients: pptp-linux as pppd's pty --------------------------------------------------------

# client_start TAG NS PASSWORD [pppd options...]: starts pppd (nodetach) in NS; log $W/TAG.pppd.log.
# pptp --localbind gives each namespace its own call manager socket (/var/run/pptp/SERVER:LOCAL).
client_start() {
    local tag=$1 ns=$2 pw=$3 opt; shift 3
    {
        echo "pty \"pptp $SERVER --nolaunchpppd --nohostroute --localbind $(ns_addr "$ns") --logstring $tag\""
        echo "name alice"
        echo "user alice"
        echo "password $pw"
        echo "remotename $REMOTENAME"
        # Authenticate ourselves with MS-CHAPv2 only (the server authenticates us; MS-CHAPv2's
        # authenticator response authenticates the server).
        printf '%s\n' noauth refuse-pap refuse-chap refuse-mschap refuse-eap
        printf '%s\n' nobsdcomp nodeflate novj novjccomp noipdefault nodefaultroute maxfail 1
        echo "ipparam $tag"
        echo "logfile $W/$tag.pppd.log"
        printf '%s\n' nodetach debug
        for opt in "$@"; do echo "$opt"; done
    } > "$W/$tag.pppd.opts"
    : > "$W/$tag.pppd.log"
    ip netns exec "$ns" pppd file "$W/$tag.pppd.opts" > "$W/$tag.pppd.out" 2>&1 &
    echo $! > "$RUN/$tag.pid"
    log "client $tag started in $ns (pid $!): $*"
}

client_pid() { cat "$RUN/$1.pid" 2>/dev/null; }
client_alive() { local p; p=$(client_pid "$1") && [ -n "$p" ] && kill -0 "$p" 2>/dev/null; }
client_is_up() { grep -q '^local  IP address' "$W/$1.pppd.log"; }
client_up_or_dead() { client_is_up "$1" || ! client_alive "$1"; }

# client_wait_up TAG: 0 once pppd reports the IP layer up (bounded: 60 s).
client_wait_up() {
    wait_until 60 client_up_or_dead "$1"
    client_is_up "$1"
}

# client_addr TAG: the address the server gave the client.
client_addr() { sed -n 's/^local  IP address \([0-9.]*\).*/\1/p' "$W/$1.pppd.log" | tail -1; }

# client_stop TAG: SIGTERM (pppd sends LCP Terminate-Request), then waits for pppd to exit.
client_stop() {
    local p; p=$(client_pid "$1")
    [ -n "$p" ] || return 0
    kill -TERM "$p" 2>/dev/null
    if ! wait_until 20 not_alive "$p"; then
        log "client $1 did not exit within 20 s of SIGTERM; killing it"
        kill -KILL "$p" 2>/dev/null
        return 1
    fi
}
not_alive() { ! kill -0 "$1" 2>/dev/null; }

# ns_quiet NS: no process left in NS (pptp's call manager lingers briefly after pppd exits).
ns_quiet() { [ -z "$(ip netns pids "$1")" ]; }
ns_reap() {
    wait_until 10 ns_quiet "$1" && return 0
    log "leftover processes in $1: $(ip netns pids "$1" | tr '\n' ' '); killing them"
    ip netns pids "$1" | xargs -r kill -KILL 2>/dev/null
    wait_until 5 ns_quiet "$1"
}

in_pool() {
    local a=$1 last
    case $a in 192.0.2.*) ;; *) return 1 ;; esac
    last=${a##*.}
    [ "$last" -ge 10 ] && [ "$last" -le 20 ]
}

# ping_through NS: ICMP to the server's tunnel end through the tunnel.
ping_through() {
    local out
    out=$(ip netns exec "$1" ping -c 3 -i 0.3 -W 3 "$TUNNEL_SERVER" 2>&1)
    local rc=$?
    log "ping from $1: $(echo "$out" | grep -E 'packets transmitted' || echo "$out" | tail -1)"
    return $rc
}

log_has() { grep -qE -- "$2" "$1" 2>/dev/null; }

# --- history file (rasd mode) ----------------------------------------------------------------------

history() { python3 -S "$GUEST_DIR/history.py" "$HISTORY" "$@"; }
history_last_is() { [ "$(history last "$1")" = "$2" ]; }

# --- L2TP clients: xl2tpd as LAC, pppd started by xl2tpd -------------------------------------------
# One xl2tpd per namespace, named by its first TAG; each TAG is one [lac TAG] section with its own
# pppd options ($W/TAG.pppd.opts) and log ($W/TAG.pppd.log). The control FIFO and pid file live
# in $RUN (no FIFOs on 9p). Tunnel secrets: "us them secret" lines, matched on host names.
# Expects L2TP_SERVER_HOSTNAME (the server's Host Name AVP) besides the variables above.

# l2tp_lac_opts TAG PASSWORD [pppd options...]: writes $W/TAG.pppd.opts.
l2tp_lac_opts() {
    local tag=$1 pw=$2 opt; shift 2
    {
        echo "name alice"
        echo "user alice"
        echo "password $pw"
        echo "remotename $REMOTENAME"
        printf '%s\n' noauth refuse-pap refuse-chap refuse-mschap refuse-eap
        printf '%s\n' nobsdcomp nodeflate novj novjccomp noipdefault nodefaultroute
        printf '%s\n' "mtu 1400" "mru 1400"
        echo "ipparam $tag"
        echo "logfile $W/$tag.pppd.log"
        echo debug
        for opt in "$@"; do echo "$opt"; done
    } > "$W/$tag.pppd.opts"
    : > "$W/$tag.pppd.log"
}

# l2tp_client_start NS TUNNEL_SECRET CHALLENGE(yes|no) TAG...: starts xl2tpd in NS with one
# [lac TAG] per TAG (options written by l2tp_lac_opts before), dials none. TUNNEL_SECRET "" = none.
# The pid file $RUN/TAG.pid of every TAG holds xl2tpd's pid (pppd is its child). xl2tpd's UDP
# port is ${L2TP_CLIENT_PORT:-1701} (a second xl2tpd in the same namespace needs another one).
l2tp_client_start() {
    local ns=$1 secret=$2 challenge=$3 first=$4 tag; shift 3
    {
        echo "[global]"
        echo "port = ${L2TP_CLIENT_PORT:-1701}"
        echo "auth file = $W/$first.l2tp-secrets"
        printf '%s\n' "debug tunnel = yes" "debug state = yes" "debug avp = no"
        for tag in "$@"; do
            echo
            echo "[lac $tag]"
            echo "lns = $SERVER"
            echo "hostname = lac-$ns"
            echo "name = alice"
            printf '%s\n' "refuse pap = yes" "refuse chap = yes" "require authentication = no"
            printf '%s\n' "ppp debug = yes" "length bit = yes" "autodial = no" "redial = no"
            echo "challenge = $challenge"
            echo "pppoptfile = $W/$tag.pppd.opts"
        done
    } > "$W/$first.xl2tpd.conf"
    if [ -n "$secret" ]; then
        printf 'lac-%s %s %s\n' "$ns" "$L2TP_SERVER_HOSTNAME" "$secret"
    fi > "$W/$first.l2tp-secrets"
    chmod 600 "$W/$first.l2tp-secrets"
    rm -f "$RUN/$first.ctl"
    ip netns exec "$ns" xl2tpd -D -c "$W/$first.xl2tpd.conf" -p "$RUN/$first.xl2tpd.pid" \
        -C "$RUN/$first.ctl" > "$W/$first.xl2tpd.log" 2>&1 &
    local pid=$!
    for tag in "$@"; do echo "$pid" > "$RUN/$tag.pid"; done
    log "xl2tpd $first started in $ns (pid $pid): lacs $* challenge=$challenge secret=${secret:+set}"
    wait_until 15 test -p "$RUN/$first.ctl"
}

# l2tp_dial FIRST TAG: asks xl2tpd FIRST to dial [lac TAG].
l2tp_dial() { echo "c $2" > "$RUN/$1.ctl"; log "dial $2 (xl2tpd $1)"; }

# l2tp_client_stop TAG: SIGTERM to xl2tpd (it sends StopCCN and ends its pppds), bounded wait.
l2tp_client_stop() { client_stop "$1"; }

# --- shared by the scenario scripts (they define RUN, W, TUNNEL_SERVER and the server helpers) ---

setup_fail() {
    log "SET-UP FAILED: $*"
    echo "SETUP-FAILED $*" >> "$RESULTS"
    [ -f "$SERVER_LOG" ] && tail -40 "$SERVER_LOG"
    finish
    exit 1
}

# launch_rasd: rasd run in srv, debug log appended to $SERVER_LOG; sets SERVER_PID.
launch_rasd() {
    ip netns exec srv env RUST_LOG=debug "$RASD" run --config "$W/rasd.toml" >> "$SERVER_LOG" 2>&1 &
    # shellcheck disable=SC2034 # read by the scenario scripts
    SERVER_PID=$!
}

# transfer TAG NS up|down: 1 MiB of fresh random data through the tunnel (TCP), sha256 compared.
transfer() {
    local tag=$1 ns=$2 dir=$3 port=5001 srv_mode=listen-recv cli_mode=connect-send src dst t0 pid
    [ "$dir" = down ] && { port=5002; srv_mode=listen-send; cli_mode=connect-recv; }
    src=$RUN/$tag.$dir.bin; dst=$RUN/$tag.$dir.recv
    head -c 1048576 /dev/urandom > "$src"
    rm -f "$dst" "$RUN/$tag.$dir.ready"
    local srv_file=$dst cli_file=$src
    [ "$dir" = down ] && { srv_file=$src; cli_file=$dst; }
    ip netns exec srv timeout 120 python3 -S "$GUEST_DIR/xfer.py" "$srv_mode" "$port" "$srv_file" \
        "$RUN/$tag.$dir.ready" > "$W/$tag.$dir-server.log" 2>&1 &
    pid=$!
    if ! wait_until 15 test -e "$RUN/$tag.$dir.ready"; then
        kill "$pid" 2>/dev/null
        fail "$dir: the listener in srv did not start"
        return
    fi
    t0=$(now_ms)
    ip netns exec "$ns" timeout 120 python3 -S "$GUEST_DIR/xfer.py" "$cli_mode" "$TUNNEL_SERVER" \
        "$port" "$cli_file" > "$W/$tag.$dir-client.log" 2>&1
    wait "$pid"
    note "$dir $(( $(now_ms) - t0 )) ms"
    check "$dir: 1048576 bytes arrive byte-exact (sha256)" \
        test "$(sha256sum < "$src")" = "$(sha256sum < "$dst" 2>/dev/null)"
}

run_scenario() { # run_scenario LETTER ID
    case " $SELECTED " in
        *" $1 "*) "scenario_$1" ;;
        *) skip "$2" "not selected (RASD_INTEROP_SCENARIOS=$SELECTED)" ;;
    esac
}
