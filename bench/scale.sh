#!/usr/bin/env bash
# rasd's memory and CPU with many sessions held: L2TP + CHAP-MD5, no MPPE, at 1,000, 10,000,
# 50,000, 100,000 and 200,000 sessions over 100 tunnels (N/100 sessions each). For each N, a
# fresh rasd (bench/lib/rasd.sh): its RSS idle (before), the largest RSS while all N are held
# (a hold of 20 s after the setup), the RSS each session costs ((held - idle) / N), rasd's
# CPU over the hold (its ticks from 1 s into the hold to 1 s before its end; no probe
# traffic, so this is LCP echoes, timers and bookkeeping), the sessions held (up - dropped),
# and its RSS 15 s after the generator closed every session, against idle (within 10%?), and
# again 35 s after, once the closed tunnels' hold of one retransmission cycle (31 s, RFC 2661
# §5.7) has passed; each with its anonymous part (RssAnon: heap and stacks; the rest is mostly
# the binary's pages, which the first sessions page in). Then one rasd takes a warm-up of 1,000
# sessions (its code paged in, its per-socket buffers made), whose RSS once it closed is the
# warm idle, then 3 rounds of 20,000 sessions in a row, its RSS held and after each round: is
# memory flat across rounds, and back to the warm idle?
#
# As root: bench/scale.sh [--quick] [--sizes N,N,...] [--rounds K] [--round-size N]
#   --quick         1,000 and 10,000 only, a 10 s hold, rounds of 5,000
#   --sizes         the sizes instead of 1000,10000,50000,100000,200000 (0: no size runs)
#   --rounds K      rounds in the one-process run (default 3; 0: none)
#   --round-size N  sessions a round (default 20000)
# Environment: HOLD (seconds, default 20), SETTLE (seconds after the close, default 15), LATER
# (seconds after the close of the second reading, default 35; at least SETTLE),
# TUNNELS (default 100), MAX_IN_SETUP (256), KEEP=1, RESULTS (results directory).
# Output: a line per size and per round (whole numbers with units), then tables.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/lib/common.sh
source bench/lib/common.sh

sizes="1000 10000 50000 100000 200000"
rounds=3
round_size=20000
hold=${HOLD:-20}
usage() { echo "usage: $0 [--quick] [--sizes N,N,...] [--rounds K] [--round-size N]" >&2; exit 2; }
args=("$@")
while [ $# -gt 0 ]; do
    case "$1" in
        --quick) sizes="1000 10000"; round_size=5000; hold=${HOLD:-10}; shift ;;
        --sizes | --rounds | --round-size) [ $# -ge 2 ] || usage; shift 2 ;;
        *) usage ;;
    esac
done
# Explicit options win over --quick, wherever they are.
set -- "${args[@]}"
while [ $# -gt 0 ]; do
    case "$1" in
        --sizes) sizes=${2//,/ }; [ "$sizes" != 0 ] || sizes=; shift 2 ;;
        --rounds) rounds=$2; shift 2 ;;
        --round-size) round_size=$2; shift 2 ;;
        *) shift ;;
    esac
done
settle=${SETTLE:-15}
later=${LATER:-35}
[ "$later" -ge "$settle" ] || { echo "scale: LATER must be at least SETTLE" >&2; exit 2; }
tunnels_max=${TUNNELS:-100}
max_in_setup=${MAX_IN_SETUP:-256}
[ "$hold" -ge 4 ] || { echo "scale: HOLD must be at least 4 s" >&2; exit 2; }

setup_timeout() { echo $((30 + $1 / 250)); }
# shape N: "TUNNELS PER_TUNNEL": 100 tunnels (fewer when N < 100), N/100 sessions each.
shape() {
    local t=$tunnels_max
    [ "$1" -ge "$t" ] || t=$1
    echo "$t $((($1 + t - 1) / t))"
}
bound=60
for n in $sizes; do bound=$((bound + 40 + $(setup_timeout "$n") + hold + 110 + later)); done
bound=$((bound + 10 + $(setup_timeout 1000) + hold + 110 + later))
for _ in $(seq 1 "$rounds"); do bound=$((bound + 10 + $(setup_timeout "$round_size") + hold + 110 + later)); done
bench_init scale "$bound"
bench_netns

# load RUN N: `rasd bench` with N sessions (100 tunnels) held $hold s, against the running
# rasd; sets B_* (bench_json), HELD_KB (largest RSS over the hold), HOLD_PCT (rasd's CPU over
# the hold), SHAPE ("T tunnels x S"), STATUS.
load() {
    local run=$1 n=$2 t s h0 a b
    RUN=$run
    read -r t s <<< "$(shape "$n")"
    SHAPE="$t tunnels x $s"
    STATUS=0
    bench_run "$run" "$RASD_PID" -- l2tp --tunnels "$t" --sessions "$s" --user "$RASD_USER" \
        --password "$RASD_PASSWORD" --auth chap-md5 --mppe none --max-in-setup "$max_in_setup" \
        --setup-timeout "$(setup_timeout "$n")" --hold "$hold" || STATUS=$?
    bench_json "$run"
    [ -n "$B_UP" ] || bench_die "$run: no report from rasd bench (status $STATUS): $(tail -n 5 "$BENCH_RESULTS/$run.stderr")"
    h0=$(bench_event "$run" hold)
    if [ -z "$h0" ]; then
        bench_log "$run: no hold phase seen in the generator's output"
        HELD_KB=0 HOLD_PCT=0
        return 0
    fi
    a=$(awk -v t="$h0" 'BEGIN { printf "%.3f\n", t + 1 }')
    b=$(awk -v t="$h0" -v h="$hold" 'BEGIN { printf "%.3f\n", t + h - 1 }')
    HELD_KB=$(bench_window_max_rss "$run" 4 "$h0" "$(awk -v t="$h0" -v h="$hold" 'BEGIN { printf "%.3f\n", t + h }')")
    HOLD_PCT=$(cpu_pct "$(bench_window_ticks "$run" 3 "$a" "$b")" "$(bench_sub "$a" "$b")")
}

# notes: what went wrong in the last load, for its line.
notes() {
    local x
    x=$(bench_note "$RUN" "$STATUS")
    rasd_pid > /dev/null || x="$x; rasd had exited"
    echo "$x"
}

# after_close: waits SETTLE s, reads rasd's RSS and RssAnon into CLOSED and CLOSED_ANON, waits
# until LATER s, reads them into LATER_KB and LATER_ANON (0 when rasd is gone).
after_close() {
    sleep "$settle"
    CLOSED=$(rss_kb "$RASD_PID" || echo 0) CLOSED_ANON=$(anon_kb "$RASD_PID" || echo 0)
    sleep $((later - settle))
    LATER_KB=$(rss_kb "$RASD_PID" || echo 0) LATER_ANON=$(anon_kb "$RASD_PID" || echo 0)
}

# returned IDLE AFTER: "yes" when AFTER is within 10% of IDLE, else "no".
returned() { awk -v i="$1" -v a="$2" 'BEGIN { print (a <= i * 1.1 && a >= i * 0.9) ? "yes" : "no" }'; }
# pct_over IDLE X: X over IDLE in whole percent (signed).
pct_over() { awk -v i="$1" -v x="$2" 'BEGIN { if (i == 0) print 0; else printf "%+.0f\n", 100 * (x - i) / i }'; }

sizes_tsv=$BENCH_RESULTS/scale.tsv
printf 'sessions\tshape\tup\theld\tsetup_per_s\tidle_kib\tidle_anon_kib\theld_kib\tper_session_kib\tper_session_bytes\thold_cpu_pct\tclosed_kib\tclosed_anon_kib\tclosed_vs_idle\twithin_10pct\tlater_kib\tlater_anon_kib\tlater_vs_idle\n' > "$sizes_tsv"
for n in $sizes; do
    run=scale-$n
    work=$(bench_workdir "$run.server")
    BENCH_WORKDIRS+=("$work")
    rasd_start "$BENCH_SRV" "$work" || bench_die "$run: rasd did not start"
    sleep 2
    idle=$(rss_kb "$RASD_PID") idle_anon=$(anon_kb "$RASD_PID")
    load "$run" "$n"
    total=$((B_UP + B_FAILED))
    held_n=$((B_UP - B_DROPPED))
    after_close
    closed=$CLOSED
    note=$(notes)
    rasd_stop || bench_log "$run: rasd did not stop cleanly"
    per_bytes=$(bench_div "$(((HELD_KB - idle) * 1024))" "$held_n")
    per_kib=$(bench_div "$((HELD_KB - idle))" "$held_n")
    ok=$(returned "$idle" "$closed")
    echo "$total sessions ($SHAPE): $held_n held, $B_RATE sessions/s; RSS idle $idle KiB (anon $idle_anon), held $HELD_KB KiB ($per_kib KiB = $per_bytes bytes a session), hold CPU $HOLD_PCT%; ${settle} s after close $closed KiB (anon $CLOSED_ANON; $(pct_over "$idle" "$closed")% on idle, within 10%: $ok), ${later} s after $LATER_KB KiB (anon $LATER_ANON; $(pct_over "$idle" "$LATER_KB")%)$note"
    bench_problems "$work" rasd.log
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s%%\t%s\t%s\t%s\t%s%%\n' "$total" "${SHAPE// /}" \
        "$B_UP" "$held_n" "$B_RATE" "$idle" "$idle_anon" "$HELD_KB" "$per_kib" "$per_bytes" "$HOLD_PCT" \
        "$closed" "$CLOSED_ANON" "$(pct_over "$idle" "$closed")" "$ok" "$LATER_KB" "$LATER_ANON" \
        "$(pct_over "$idle" "$LATER_KB")" >> "$sizes_tsv"
done

rounds_tsv=$BENCH_RESULTS/rounds.tsv
printf 'round\tsessions\theld\tidle_kib\twarm_kib\theld_kib\tclosed_kib\tclosed_anon_kib\tclosed_vs_idle\tclosed_vs_warm\tclosed_vs_round1\tlater_kib\tlater_anon_kib\tlater_vs_warm\n' > "$rounds_tsv"
if [ "$rounds" -gt 0 ]; then
    work=$(bench_workdir "rounds.server")
    BENCH_WORKDIRS+=("$work")
    rasd_start "$BENCH_SRV" "$work" || bench_die "rounds: rasd did not start"
    sleep 2
    idle=$(rss_kb "$RASD_PID") idle_anon=$(anon_kb "$RASD_PID")
    load warm-up 1000
    after_close
    warm=$LATER_KB warm_anon=$LATER_ANON
    echo "rounds: one rasd, $rounds rounds of $round_size sessions; RSS idle $idle KiB (anon $idle_anon), warm idle (${later} s after a round of 1,000 closed) $warm KiB (anon $warm_anon)$(notes)"
    first=
    for r in $(seq 1 "$rounds"); do
        load "round-$r" "$round_size"
        after_close
        closed=$CLOSED
        [ -n "$first" ] || first=$closed
        note=$(notes)
        echo "round $r ($SHAPE): $((B_UP - B_DROPPED)) held, RSS held $HELD_KB KiB, ${settle} s after close $closed KiB (anon $CLOSED_ANON; $(pct_over "$idle" "$closed")% on idle, $(pct_over "$warm" "$closed")% on warm idle, $(pct_over "$first" "$closed")% on round 1), ${later} s after $LATER_KB KiB (anon $LATER_ANON; $(pct_over "$warm" "$LATER_KB")% on warm idle)$note"
        printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s%%\t%s%%\t%s%%\t%s\t%s\t%s%%\n' "$r" "$((B_UP + B_FAILED))" \
            "$((B_UP - B_DROPPED))" "$idle" "$warm" "$HELD_KB" "$closed" "$CLOSED_ANON" \
            "$(pct_over "$idle" "$closed")" "$(pct_over "$warm" "$closed")" "$(pct_over "$first" "$closed")" \
            "$LATER_KB" "$LATER_ANON" "$(pct_over "$warm" "$LATER_KB")" >> "$rounds_tsv"
        [ -n "$note" ] && ! rasd_pid > /dev/null && break
    done
    rasd_stop || bench_log "rounds: rasd did not stop cleanly"
    bench_problems "$work" rasd.log
fi

echo
echo "scale (L2TP + CHAP-MD5; RSS in KiB; CPU: 100% = one core of $(nproc)):"
[ -z "$sizes" ] || column -t -s $'\t' "$sizes_tsv"
if [ "$rounds" -gt 0 ]; then
    echo
    column -t -s $'\t' "$rounds_tsv"
fi
BENCH_OK=1
