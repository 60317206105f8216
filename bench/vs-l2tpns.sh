#!/usr/bin/env bash
# rasd against Debian's l2tpns (bench/lib/l2tpns.sh, with its private FreeRADIUS) under the same
# load in the same run: L2TP + CHAP-MD5, no MPPE, user bench / bench123, 50 tunnels, at 1,000,
# 10,000 and 50,000 sessions (l2tpns holds at most 500 tunnels and ~60,000 sessions). For each
# size and each server, a fresh server in the server namespace and `rasd bench` in the client
# one: setup rate (sessions/s) and latency, sessions held over a 10 s hold, the server's CPU
# over the setup (l2tpns: l2tpns plus FreeRADIUS, which does its logins), its RSS idle and with
# every session held, and the RSS a session costs ((held - idle) / held sessions; l2tpns
# preallocates its session tables, so its absolute RSS is shown too). After the smallest size,
# the same server carries probe traffic over 1,000 fresh sessions (TRAFFIC_SESSIONS): 64-byte
# ICMP echoes, 10 a second per session, for 5 s, each to the server's end of its PPP link
# (l2tpns: 198.19.0.1; rasd: its [ip] local), answered by the server namespace's kernel through
# the server's TUN device. Then the ratios rasd / l2tpns.
#
# Worth knowing when reading the figures: l2tpns leaves its UDP socket at the kernel's default
# receive buffer (net.core.rmem_default, 208 KiB here; not settable per namespace), rasd forces
# 4 MiB; every line says how many datagrams the server namespace dropped for a full buffer.
# The generator sends each tunnel's probes in one burst per period, all tunnels in step, so the
# probe run measures bursts of TRAFFIC_SESSIONS packets; replies dropped at the server's TUN
# queue are counted.
#
# As root: bench/vs-l2tpns.sh [--quick] [--sizes N,N,...] [--tunnels T]
#   --quick     1,000 sessions only (and the traffic run)
#   --sizes     the sizes instead of 1000,10000,50000 (each a multiple of the tunnels, at most
#               60,000)
#   --tunnels   tunnels (default 50, at most 500)
# Environment: HOLD (10), TRAFFIC_SECONDS (5), TRAFFIC_SESSIONS (1000), L2TPNS_DEBUG (1),
# MAX_IN_SETUP (256: sessions in setup at once, for both servers), KEEP=1, RESULTS (results
# directory).
# Output: a line per size and server, a ratio line per size, the traffic lines, then tables.
set -euo pipefail
cd "$(dirname "$0")/.."
L2TPNS_DEBUG=${L2TPNS_DEBUG:-1}
# shellcheck source=bench/lib/common.sh
source bench/lib/common.sh
# shellcheck source=bench/lib/l2tpns.sh
source bench/lib/l2tpns.sh

sizes="1000 10000 50000"
tunnels=50
usage() { echo "usage: $0 [--quick] [--sizes N,N,...] [--tunnels T]" >&2; exit 2; }
quick=
explicit_sizes=
while [ $# -gt 0 ]; do
    case "$1" in
        --quick) quick=1; shift ;;
        --sizes) [ $# -ge 2 ] || usage; explicit_sizes=${2//,/ }; shift 2 ;;
        --tunnels) [ $# -ge 2 ] || usage; tunnels=$2; shift 2 ;;
        *) usage ;;
    esac
done
[ -z "$quick" ] || sizes=1000
[ -z "$explicit_sizes" ] || sizes=$explicit_sizes
hold=${HOLD:-10}
traffic_s=${TRAFFIC_SECONDS:-5}
traffic_n=${TRAFFIC_SESSIONS:-1000}
max_in_setup=${MAX_IN_SETUP:-256}
if [ "$tunnels" -lt 1 ] || [ "$tunnels" -gt 500 ]; then echo "vs-l2tpns: --tunnels 1 to 500" >&2; exit 2; fi
smallest=
for n in $sizes; do
    [ $((n % tunnels)) = 0 ] || { echo "vs-l2tpns: $n sessions is not a multiple of $tunnels tunnels" >&2; exit 2; }
    [ "$n" -le 60000 ] || { echo "vs-l2tpns: l2tpns holds at most ~60,000 sessions" >&2; exit 2; }
    [ -n "$smallest" ] && [ "$smallest" -le "$n" ] || smallest=$n
done
[ $((traffic_n % tunnels)) = 0 ] || { echo "vs-l2tpns: TRAFFIC_SESSIONS $traffic_n is not a multiple of $tunnels tunnels" >&2; exit 2; }

# l2tpns has to ask FreeRADIUS for every login: give it more time than rasd.
setup_timeout() { echo $((60 + $1 / 200)); }
bound=60
for n in $sizes; do bound=$((bound + 2 * (40 + $(setup_timeout "$n") + hold + 110))); done
bound=$((bound + 2 * (traffic_s + 170)))
bench_init vs-l2tpns "$bound"
l2tpns_install || bench_die "could not install l2tpns and FreeRADIUS"
bench_netns

# server_start SERVER RUN: a fresh rasd or l2tpns; sets PIDS (sampled: the server, then for
# l2tpns FreeRADIUS) and IDLE_KB.
server_start() {
    local work
    work=$(bench_workdir "$2.$1")
    BENCH_WORKDIRS+=("$work")
    if [ "$1" = rasd ]; then
        rasd_start "$BENCH_SRV" "$work" || bench_die "$2: rasd did not start"
        PIDS=$RASD_PID
        WORK=$work
    else
        l2tpns_start "$BENCH_SRV" "$work" || bench_die "$2: l2tpns did not start"
        PIDS="$L2TPNS_MAIN_PID $RADIUS_PID"
        WORK=$work
    fi
    sleep 2
    if [ "$1" = rasd ]; then IDLE_KB=$(rss_kb "$RASD_PID"); else IDLE_KB=$(l2tpns_rss_kb); fi
}

server_stop() {
    if [ "$1" = rasd ]; then
        rasd_stop || bench_log "rasd did not stop cleanly"
        bench_problems "$WORK" rasd.log
    else
        l2tpns_stop || bench_log "l2tpns did not stop cleanly"
    fi
}

# alive SERVER: whether it still runs.
alive() {
    if [ "$1" = rasd ]; then rasd_pid > /dev/null; else [ -n "$(l2tpns_pid)" ]; fi
}

# notes SERVER STATUS: what went wrong in the last run, for its line.
notes() {
    local x
    x=$(bench_note "$RUN" "$2")
    alive "$1" || x="$x; $1 had exited"
    echo "$x"
}

# load SERVER RUN N HOLD [ARGS...]: one `rasd bench` of N sessions over $tunnels tunnels, held
# HOLD s, against the running server; sets B_*, STATUS, SRV_PCT (server CPU over the setup; l2tpns + FreeRADIUS),
# SRV_DETAIL, GEN_PCT, HELD_KB (largest RSS of the server's main process over the hold),
# HOLD_PCT (server CPU from 1 s into the hold to 1 s before its end).
load() {
    local server=$1 run=$2 n=$3 h=$4 a b h0 t_srv t_rad
    RUN=$run
    shift 4
    STATUS=0
    bench_run "$run" "$PIDS" -- l2tp --tunnels "$tunnels" --sessions $((n / tunnels)) \
        --user "$RASD_USER" --password "$RASD_PASSWORD" --auth chap-md5 --mppe none \
        --max-in-setup "$max_in_setup" --setup-timeout "$(setup_timeout "$n")" --hold "$h" "$@" || STATUS=$?
    bench_json "$run"
    [ -n "$B_UP" ] || bench_die "$run: no report from rasd bench (status $STATUS): $(tail -n 5 "$BENCH_RESULTS/$run.stderr")"
    bench_setup_window "$run"
    t_srv=$(bench_window_ticks "$run" 3 "$W_T0" "$W_T1")
    SRV_DETAIL=
    if [ "$server" = l2tpns ]; then
        t_rad=$(bench_window_ticks "$run" 5 "$W_T0" "$W_T1")
        SRV_DETAIL=" (l2tpns $(cpu_pct "$t_srv" "$W_S")% + FreeRADIUS $(cpu_pct "$t_rad" "$W_S")%)"
        t_srv=$((t_srv + t_rad))
    fi
    SRV_PCT=$(cpu_pct "$t_srv" "$W_S")
    GEN_PCT=$(cpu_pct "$(bench_window_ticks "$run" 2 "$W_T0" "$W_T1")" "$W_S")
    HELD_KB=0 HOLD_PCT=0
    h0=$(bench_event "$run" hold)
    [ -n "$h0" ] || return 0
    a=$(awk -v t="$h0" 'BEGIN { printf "%.3f\n", t + 1 }')
    b=$(awk -v t="$h0" -v h="$h" 'BEGIN { printf "%.3f\n", t + h - 1 }')
    HELD_KB=$(bench_window_max_rss "$run" 4 "$h0" "$(awk -v t="$h0" -v h="$h" 'BEGIN { printf "%.3f\n", t + h }')")
    HOLD_PCT=$(bench_window_ticks "$run" 3 "$a" "$b")
    [ "$server" = rasd ] || HOLD_PCT=$((HOLD_PCT + $(bench_window_ticks "$run" 5 "$a" "$b")))
    HOLD_PCT=$(cpu_pct "$HOLD_PCT" "$(bench_sub "$a" "$b")")
}

mib() { bench_div "$1" 1024; }

tsv=$BENCH_RESULTS/vs-l2tpns.tsv
printf 'sessions\tserver\tup\theld\tsessions_per_s\tp50_ms\tp99_ms\tserver_cpu_pct\tgenerator_cpu_pct\tidle_kib\theld_kib\tper_session_bytes\n' > "$tsv"
traffic_tsv=$BENCH_RESULTS/traffic.tsv
printf 'sessions\tserver\tsent\treceived\tlost\ttun_drops\treceived_per_s\tserver_cpu_pct\n' > "$traffic_tsv"
declare -A R_RATE R_HELD R_PER R_PPS
traffic_lines=()
for n in $sizes; do
    for server in rasd l2tpns; do
        run="$server-$n"
        server_start "$server" "$run"
        idle=$IDLE_KB
        load "$server" "$run" "$n" "$hold"
        held_n=$((B_UP - B_DROPPED))
        per=$(bench_div "$(((HELD_KB - idle) * 1024))" "$held_n")
        note=$(notes "$server" "$STATUS")
        line="$n sessions ($tunnels tunnels x $((n / tunnels))), $server: $B_UP up, $held_n held, $B_RATE sessions/s, p50 $B_P50_MS ms p99 $B_P99_MS ms, server $SRV_PCT% CPU$SRV_DETAIL, generator $GEN_PCT% CPU; RSS $idle KiB idle, $HELD_KB KiB held, $per bytes a session"
        [ "$server" = rasd ] || line="$line (l2tpns RSS $(mib "$idle") MiB idle, $(mib "$HELD_KB") MiB held)"
        echo "$line$note"
        R_RATE[$server-$n]=$B_RATE R_HELD[$server-$n]=$held_n R_PER[$server-$n]=$per
        printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$n" "$server" "$B_UP" "$held_n" "$B_RATE" \
            "$B_P50_MS" "$B_P99_MS" "$SRV_PCT" "$GEN_PCT" "$idle" "$HELD_KB" "$per" >> "$tsv"
        if [ "$n" = "$smallest" ] && alive "$server"; then
            run="$server-traffic-$traffic_n"
            tun=$RASD_TUN
            [ "$server" = rasd ] || tun=$L2TPNS_TUN
            tun0=$(bench_tun_drops "$BENCH_SRV" "$tun")
            load "$server" "$run" "$traffic_n" "$traffic_s" --packet-size 64 --packets-per-second 10
            tun_drops=$(($(bench_tun_drops "$BENCH_SRV" "$tun") - tun0))
            tline="probes, $traffic_n sessions x 10/s x 64 bytes for $traffic_s s, $server: $B_RECEIVED of $B_SENT back ($B_LOST lost; $tun_drops replies dropped at its TUN device's full queue), $B_PPS packets/s, server $HOLD_PCT% CPU over the traffic$(notes "$server" "$STATUS")"
            echo "$tline"
            traffic_lines+=("$tline")
            R_PPS[$server]=$B_PPS
            printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$traffic_n" "$server" "$B_SENT" "$B_RECEIVED" "$B_LOST" "$tun_drops" "$B_PPS" "$HOLD_PCT" >> "$traffic_tsv"
        fi
        server_stop "$server"
    done
    echo "$n sessions, rasd / l2tpns: setup rate $(bench_ratio "${R_RATE[rasd-$n]}" "${R_RATE[l2tpns-$n]}"), held $(bench_ratio "${R_HELD[rasd-$n]}" "${R_HELD[l2tpns-$n]}"), RSS a session $(bench_ratio "${R_PER[rasd-$n]}" "${R_PER[l2tpns-$n]}")"
done
if [ -n "${R_PPS[rasd]:-}" ] && [ -n "${R_PPS[l2tpns]:-}" ]; then
    echo "probes at $traffic_n sessions, rasd / l2tpns: packets/s $(bench_ratio "${R_PPS[rasd]}" "${R_PPS[l2tpns]}")"
fi

echo
echo "rasd vs l2tpns (L2TP + CHAP-MD5, $tunnels tunnels; RSS in KiB; CPU: 100% = one core of $(nproc)):"
column -t -s $'\t' "$tsv"
echo
column -t -s $'\t' "$traffic_tsv"
BENCH_OK=1
