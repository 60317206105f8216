#!/usr/bin/env bash
# Session setup rate of rasd: how many sessions a second come up (LAC or PPTP client to IPCP
# up), for L2TP + CHAP-MD5, L2TP + MS-CHAPv2 without MPPE and PPTP + MS-CHAPv2 + MPPE-128, at
# 1,000, 10,000 and a largest N (50,000 for L2TP, 20,000 for PPTP). Each run: a fresh rasd
# (bench/lib/rasd.sh) in one namespace, `rasd bench` in another, sessions started as fast as
# --max-in-setup (256) allows, held 3 s, torn down. L2TP uses T = N/1000 tunnels (1 to 100) of
# N/T sessions. Server CPU: rasd's ticks (/proc) over the setup phase (from the generator's
# start to the hold's); generator CPU: its ticks over the same phase. On a 2-core machine the
# two share the cores: 200% is both cores.
#
# As root: bench/setup-rate.sh [--quick] [--sizes N,N,...] [--l2tp-max N] [--pptp-max N]
#   --quick         1,000 sessions only
#   --sizes         the sizes to run (each protocol), instead of 1,000, 10,000 and the largest
#   --l2tp-max N    the largest L2TP size (default 50000, or $L2TP_MAX)
#   --pptp-max N    the largest PPTP size (default 20000, or $PPTP_MAX; at most 65535, and
#                   at most the open-file limit less 200: every call is a TCP connection)
# Environment: MAX_IN_SETUP (256), RATE (0: as fast as that allows), KEEP=1 (keep the
# servers' logs and history), RESULTS (the results directory; default a new /tmp/rasd-bl-*).
# Output: one line per run, e.g.
#   l2tp chap-md5 10000 sessions: 10000 up, 4700 sessions/s, p50 84 ms p99 1103 ms, server 187% CPU, generator 55% CPU
# then a table; reports and samples stay in the results directory.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/lib/common.sh
source bench/lib/common.sh

quick=
sizes=
l2tp_max=${L2TP_MAX:-50000}
pptp_max=${PPTP_MAX:-20000}
usage() { echo "usage: $0 [--quick] [--sizes N,N,...] [--l2tp-max N] [--pptp-max N]" >&2; exit 2; }
while [ $# -gt 0 ]; do
    case "$1" in
        --quick) quick=1; shift ;;
        --sizes) [ $# -ge 2 ] || usage; sizes=${2//,/ }; shift 2 ;;
        --l2tp-max) [ $# -ge 2 ] || usage; l2tp_max=$2; shift 2 ;;
        --pptp-max) [ $# -ge 2 ] || usage; pptp_max=$2; shift 2 ;;
        *) usage ;;
    esac
done
max_in_setup=${MAX_IN_SETUP:-256}
rate=${RATE:-0}
hold=3

# The runs: "PROTOCOL AUTH MPPE N".
runs=()
for c in "l2tp chap-md5 none" "l2tp mschapv2 none" "pptp mschapv2 128"; do
    read -r proto _ _ <<< "$c"
    if [ -n "$sizes" ]; then
        list=$sizes
    elif [ -n "$quick" ]; then
        list=1000
    elif [ "$proto" = l2tp ]; then
        list="1000 10000 $l2tp_max"
    else
        list="1000 10000 $pptp_max"
    fi
    for n in $list; do runs+=("$c $n"); done
done

# setup_timeout N: generous for the size, bounded (30 s + 4 ms a session).
setup_timeout() { echo $((30 + $1 / 250)); }
bound=60
for r in "${runs[@]}"; do
    read -r _ _ _ n <<< "$r"
    bound=$((bound + 20 + $(setup_timeout "$n") + hold + 110))
done
bench_init setup-rate "$bound"
bench_netns

summary=$BENCH_RESULTS/summary.tsv
printf 'protocol\tauth\tmppe\tsessions\tup\tfailed\tsessions_per_s\tp50_ms\tp90_ms\tp99_ms\tserver_cpu_pct\tgenerator_cpu_pct\tsetup_ms\tdropped\tunclean\n' > "$summary"
lines=()
for r in "${runs[@]}"; do
    read -r proto auth mppe n <<< "$r"
    if [ "$proto" = l2tp ]; then
        tunnels=$((n / 1000))
        [ "$tunnels" -ge 1 ] || tunnels=1
        [ "$tunnels" -le 100 ] || tunnels=100
        per=$(((n + tunnels - 1) / tunnels))
        total=$((tunnels * per))
        shape=(--tunnels "$tunnels" --sessions "$per")
        label="l2tp $auth"
    else
        # Every call is a TCP connection: a file descriptor in the generator and in rasd.
        fds=$(($(ulimit -n) - 200))
        if [ "$n" -gt "$fds" ]; then
            bench_log "PPTP $n calls capped to $fds: the open-file limit is $(ulimit -n) (raising it needs CAP_SYS_RESOURCE)"
            n=$fds
        fi
        total=$n
        shape=(--sessions "$n")
        label="pptp $auth mppe-128"
    fi
    run="$proto-$auth-$total"
    work=$(bench_workdir "$run.server")
    BENCH_WORKDIRS+=("$work")
    rasd_start "$BENCH_SRV" "$work" || bench_die "$run: rasd did not start"
    sleep 1
    status=0
    bench_run "$run" "$RASD_PID" -- "$proto" "${shape[@]}" --user "$RASD_USER" --password "$RASD_PASSWORD" \
        --auth "$auth" --mppe "$mppe" --rate "$rate" --max-in-setup "$max_in_setup" \
        --setup-timeout "$(setup_timeout "$total")" --hold "$hold" || status=$?
    alive=yes
    rasd_pid > /dev/null || alive=no
    rasd_stop || bench_log "$run: rasd did not stop cleanly"
    bench_json "$run"
    [ -n "$B_UP" ] || bench_die "$run: no report from rasd bench (status $status): $(tail -n 5 "$BENCH_RESULTS/$run.stderr")"
    bench_setup_window "$run"
    srv_ticks=$(bench_window_ticks "$run" 3 "$W_T0" "$W_T1")
    gen_ticks=$(bench_window_ticks "$run" 2 "$W_T0" "$W_T1")
    srv_pct=$(cpu_pct "$srv_ticks" "$W_S")
    gen_pct=$(cpu_pct "$gen_ticks" "$W_S")
    line="$label $total sessions: $B_UP up, $B_RATE sessions/s, p50 $B_P50_MS ms p99 $B_P99_MS ms, server $srv_pct% CPU, generator $gen_pct% CPU"
    line="$line$(bench_note "$run" "$status")"
    [ "$alive" = yes ] || line="$line; rasd had exited"
    echo "$line"
    bench_problems "$work" rasd.log
    lines+=("$line")
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$proto" "$auth" "$mppe" "$total" \
        "$B_UP" "$B_FAILED" "$B_RATE" "$B_P50_MS" "$B_P90_MS" "$B_P99_MS" "$srv_pct" "$gen_pct" \
        "$(bench_ms "$W_S")" "$B_DROPPED" "$B_UNCLEAN" >> "$summary"
done

echo
echo "setup rate (sessions/s; CPU over the setup phase, 100% = one core of $(nproc)):"
column -t -s $'\t' "$summary"
BENCH_OK=1
