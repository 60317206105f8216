# shellcheck shell=bash
# What the load benchmarks (bench/setup-rate.sh, bench/scale.sh, bench/vs-l2tpns.sh) share
# (sourced, bash, from the repository root): root and dependency checks, the release build,
# one run at a time, a watchdog, cleanup on any exit, the two namespaces, and `rasd bench`
# run in the client namespace while the server's CPU ticks and RSS are sampled.
#
#   source bench/lib/common.sh
#   bench_init NAME MAX_SECONDS     # checks, build, lock, watchdog, traps, $BENCH_RESULTS
#   bench_netns                     # $BENCH_SRV <-> $BENCH_CLI, fresh
#   bench_run RUN "PID [PID...]" -- ARGS...   # `rasd bench ARGS --json`, sampling the PIDs
#   bench_json RUN                  # sets B_* from the run's report (see there)
#   bench_window_ticks RUN COLUMN T0 T1 ; bench_window_max_rss RUN INDEX T0 T1
#
# Every run's files are in $BENCH_RESULTS/RUN.*: .json (the report), .stderr (the generator's
# progress lines), .samples (time, generator ticks, then ticks and RSS of each sampled PID),
# .events (launch, hold, end times). BENCH_RESULTS is kept (its path printed at the end); the
# servers' big files (history, logs) are deleted unless KEEP=1 or the script failed.

BENCH_LIB=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=bench/lib/netns.sh
source "$BENCH_LIB/netns.sh"
# shellcheck source=bench/lib/proc.sh
source "$BENCH_LIB/proc.sh"
# shellcheck source=bench/lib/rasd.sh
source "$BENCH_LIB/rasd.sh"

BENCH_SRV=rasd-bl-bench-srv
BENCH_CLI=rasd-bl-bench-cli
BENCH_LOCK=/run/lock/rasd-bl-bench.lock
# Sampling period of bench_run, seconds.
BENCH_SAMPLE=${BENCH_SAMPLE:-0.05}
BENCH_NAME=
BENCH_RESULTS=
BENCH_OK=
BENCH_WATCHDOG=
BENCH_GEN_PID=
# Server work directories made by bench_workdir (cleaned at the end).
BENCH_WORKDIRS=()

bench_now() { echo "$EPOCHREALTIME"; }
bench_log() { echo "$BENCH_NAME: $*" >&2; }
bench_die() { echo "$BENCH_NAME: $*" >&2; exit 1; }
# bench_sub A B: B - A (seconds, decimals).
bench_sub() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f\n", b - a }'; }
# bench_int X: X rounded to a whole number.
bench_int() { awk -v x="$1" 'BEGIN { printf "%.0f\n", x }'; }
# bench_ms S: seconds S as whole milliseconds.
bench_ms() { awk -v s="$1" 'BEGIN { printf "%.0f\n", s * 1000 }'; }
# bench_div A B: A / B rounded, 0 when B is 0.
bench_div() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) print 0; else printf "%.0f\n", a / b }'; }
# bench_ratio A B: A / B with two decimals, "n/a" when B is 0.
bench_ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) print "n/a"; else printf "%.2f\n", a / b }'; }

# bench_init NAME MAX_SECONDS: as root, installs what is missing (scripts/install-test-deps.sh),
# builds the release binary, takes the benchmark lock (one load test at a time on this
# machine), raises the open-file limit, arms the traps and a watchdog that ends the script
# after MAX_SECONDS, and makes $BENCH_RESULTS.
bench_init() {
    BENCH_NAME=$1
    local max=$2
    [ "$(id -u)" = 0 ] || bench_die "needs root (network namespaces, TUN, raw sockets)"
    exec 9> "$BENCH_LOCK"
    flock -n 9 || bench_die "another benchmark holds $BENCH_LOCK (one load test at a time)"
    scripts/install-test-deps.sh > /dev/null || bench_die "scripts/install-test-deps.sh failed"
    command -v python3 > /dev/null || bench_die "python3 missing"
    bench_log "building (cargo build --release)"
    cargo build --release -q || bench_die "cargo build --release failed"
    RASD=$PWD/target/release/rasd
    ulimit -n "$(cat /proc/sys/fs/nr_open)" 2> /dev/null || ulimit -n "$(ulimit -Hn)"
    BENCH_RESULTS=${RESULTS:-$(mktemp -d "/tmp/rasd-bl-$BENCH_NAME.XXXXXX")}
    mkdir -p "$BENCH_RESULTS"
    chmod 755 "$BENCH_RESULTS"
    trap bench_cleanup EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    (
        trap 'kill "$s" 2> /dev/null; exit 0' TERM
        sleep "$max" &
        s=$!
        wait "$s"
        echo "$BENCH_NAME: watchdog: over $max s, giving up" >&2
        kill -TERM $$
    ) &
    BENCH_WATCHDOG=$!
    bench_log "time bound $max s; results in $BENCH_RESULTS"
}

# bench_workdir NAME: a fresh server work directory under $BENCH_RESULTS, on stdout.
bench_workdir() {
    local d=$BENCH_RESULTS/$1
    rm -rf "$d"
    mkdir -p "$d"
    chmod 755 "$d"
    echo "$d"
}

# bench_trim WORKDIR: drops a server work directory's big files (history, log) unless KEEP=1,
# after keeping the log's warnings and errors (at most 200 lines) in WORKDIR/problems.log.
bench_trim() {
    local d=$1 f
    for f in rasd.log l2tpns.log; do
        [ -e "$d/$f" ] || continue
        grep -E ' (WARN|ERROR) ' "$d/$f" | head -n 200 > "$d/problems-$f" || true
    done
    [ -n "${KEEP:-}" ] && return 0
    rm -f "$d/history.jsonl" "$d/rasd.log" "$d/l2tpns.log"
}

bench_cleanup() {
    local rc=$? d
    trap - EXIT INT TERM
    set +e
    if [ -n "$BENCH_WATCHDOG" ]; then
        kill "$BENCH_WATCHDOG" 2> /dev/null
        wait "$BENCH_WATCHDOG" 2> /dev/null
    fi
    if [ -n "$BENCH_GEN_PID" ] && kill -0 "$BENCH_GEN_PID" 2> /dev/null; then
        kill -INT "$BENCH_GEN_PID" 2> /dev/null
        for _ in $(seq 1 50); do kill -0 "$BENCH_GEN_PID" 2> /dev/null || break; sleep 0.1; done
        kill -KILL "$BENCH_GEN_PID" 2> /dev/null
        wait "$BENCH_GEN_PID" 2> /dev/null
    fi
    rasd_stop 10
    if declare -F l2tpns_stop > /dev/null; then l2tpns_stop > /dev/null 2>&1; fi
    netns_del "$BENCH_SRV" "$BENCH_CLI"
    if [ -z "$BENCH_OK" ] || [ "$rc" != 0 ]; then
        echo "$BENCH_NAME: FAILED (status $rc); everything kept in $BENCH_RESULTS" >&2
        [ "$rc" != 0 ] || rc=1
    elif [ -z "${KEEP:-}" ]; then
        for d in "${BENCH_WORKDIRS[@]}"; do bench_trim "$d"; done
        echo "$BENCH_NAME: reports and samples in $BENCH_RESULTS" >&2
    fi
    exit "$rc"
}

# bench_netns: the server and client namespaces, fresh; the client may use ports 1024-65535
# for its connections (each PPTP call is one).
bench_netns() {
    netns_pair "$BENCH_SRV" "$BENCH_CLI" || bench_die "could not make the namespaces"
    ip netns exec "$BENCH_CLI" sysctl -q -w net.ipv4.ip_local_port_range="1024 65535" > /dev/null
    ip netns exec "$BENCH_SRV" sysctl -q -w net.core.somaxconn=65535 > /dev/null
}

# bench_run RUN "PID [PID...]" -- ARGS...: `rasd bench ARGS --json` in the client namespace
# against $NETNS_SERVER_ADDR; while it runs, every $BENCH_SAMPLE s, the generator's ticks and
# each PID's ticks and RSS go to RUN.samples. RUN.events gets `launch T`, `hold T` (the hold's
# start: its first progress line, printed 1 s into it, minus 1 s) and `end T`, in
# $EPOCHREALTIME seconds. Bounded: the setup timeout and hold from ARGS plus 110 s (the
# generator's own teardown limit is 45 s), then the generator is interrupted, then killed.
# Returns the generator's exit status (124 when it had to be stopped).
bench_run() {
    local run=$1 pids=$2 base=$BENCH_RESULTS/$1
    shift 3
    local setup_timeout=60 hold=5 a prev=
    for a in "$@"; do
        case "$prev" in
            --setup-timeout) setup_timeout=$a ;;
            --hold) hold=$a ;;
        esac
        prev=$a
    done
    local bound=$((setup_timeout + hold + 110))
    : > "$base.stderr"
    local fd t0 deadline line p row ticks rss status=0 seen_hold='' interrupted='' partial=''
    exec {fd}< "$base.stderr"
    {
        echo "srv_udp_drops0 $(bench_udp_drops "$BENCH_SRV")"
        echo "cli_udp_drops0 $(bench_udp_drops "$BENCH_CLI")"
    } > "$base.events"
    t0=$(bench_now)
    echo "launch $t0" >> "$base.events"
    ip netns exec "$BENCH_CLI" "$RASD" bench "$@" "$NETNS_SERVER_ADDR" --json \
        < /dev/null > "$base.json" 2> "$base.stderr" &
    BENCH_GEN_PID=$!
    deadline=$(awk -v t="$t0" -v b="$bound" 'BEGIN { printf "%d\n", t + b }')
    {
        while kill -0 "$BENCH_GEN_PID" 2> /dev/null; do
            ticks=0
            cpu_ticks_to ticks "$BENCH_GEN_PID" || ticks=0
            row="$EPOCHREALTIME $ticks"
            for p in $pids; do
                ticks=0 rss=0
                cpu_ticks_to ticks "$p" || ticks=0
                rss_kb_to rss "$p" || rss=0
                row="$row $ticks $rss"
            done
            echo "$row"
            if [ -z "$seen_hold" ]; then
                # A line still being written reads as a partial one (status 1): keep it.
                while IFS= read -r -u "$fd" line || { partial+=$line; false; }; do
                    line=$partial$line
                    partial=
                    if [[ "$line" == *" hold: "* ]]; then
                        echo "hold $(awk -v t="$EPOCHREALTIME" 'BEGIN { printf "%.3f\n", t - 1 }')" >> "$base.events"
                        seen_hold=1
                        break
                    fi
                done
            fi
            if [ -z "$interrupted" ] && [ "${EPOCHREALTIME%.*}" -ge "$deadline" ]; then
                echo "$BENCH_NAME: $run: the generator is still running after $bound s; interrupting it" >&2
                kill -INT "$BENCH_GEN_PID" 2> /dev/null
                interrupted=1
                deadline=$((deadline + 10))
            elif [ -n "$interrupted" ] && [ "${EPOCHREALTIME%.*}" -ge "$deadline" ]; then
                kill -KILL "$BENCH_GEN_PID" 2> /dev/null
            fi
            # Not `read -t` (no fork): bash 5.2 leaves its timer armed when a trap exits
            # during it, and the timer's longjmp later aborts the shell mid-cleanup.
            sleep "$BENCH_SAMPLE"
        done
    } > "$base.samples"
    wait "$BENCH_GEN_PID" || status=$?
    BENCH_GEN_PID=
    {
        echo "end $(bench_now)"
        echo "srv_udp_drops1 $(bench_udp_drops "$BENCH_SRV")"
        echo "cli_udp_drops1 $(bench_udp_drops "$BENCH_CLI")"
    } >> "$base.events"
    exec {fd}<&-
    [ -z "$interrupted" ] || status=124
    return $status
}

# bench_udp_drops NS: UDP datagrams NS's kernel dropped so far for a full socket receive
# buffer (RcvbufErrors of /proc/net/snmp).
bench_udp_drops() {
    ip netns exec "$1" cat /proc/net/snmp 2> /dev/null | awk '
        $1 == "Udp:" && !h { for (i = 2; i <= NF; i++) if ($i == "RcvbufErrors") c = i; h = 1; next }
        $1 == "Udp:" && h { print $c + 0; exit }'
}

# bench_tun_drops NS DEV: packets the kernel dropped on their way out of TUN device DEV in NS
# (to the server reading it: its queue was full), so far; 0 without the device.
bench_tun_drops() {
    ip netns exec "$1" cat "/sys/class/net/$2/statistics/tx_dropped" 2> /dev/null || echo 0
}

# bench_udp_note RUN: "; the server's namespace dropped N UDP datagrams ..." (and the
# client's) over the run, or nothing when none was.
bench_udp_note() {
    local s c
    s=$(($(bench_event "$1" srv_udp_drops1) - $(bench_event "$1" srv_udp_drops0)))
    c=$(($(bench_event "$1" cli_udp_drops1) - $(bench_event "$1" cli_udp_drops0)))
    [ "$s" = 0 ] || printf '; %s UDP datagrams dropped for a full receive buffer in the server namespace' "$s"
    [ "$c" = 0 ] || printf '; %s in the client namespace' "$c"
    return 0
}

# bench_event RUN NAME: the time of event NAME of a run (empty if none).
bench_event() {
    awk -v n="$2" '$1 == n { print $2; exit }' "$BENCH_RESULTS/$1.events"
}

# bench_window_ticks RUN COLUMN T0 T1: how much the ticks in column COLUMN of RUN.samples
# (2: the generator; 3, 5, ...: the sampled PIDs) grew from T0 to T1, both interpolated
# between the samples around them.
bench_window_ticks() {
    awk -v c="$2" -v a="$3" -v b="$4" '
        function at(x,    i) {
            if (x <= t[1]) return v[1]
            for (i = 2; i <= n; i++)
                if (t[i] >= x) return v[i-1] + (v[i] - v[i-1]) * (x - t[i-1]) / (t[i] - t[i-1])
            return v[n]
        }
        # a process that is gone reads 0: keep its last value
        { n++; t[n] = $1; v[n] = ($c > 0 || n == 1) ? $c : v[n-1] }
        END { if (n == 0) print 0; else printf "%.0f\n", at(b) - at(a) }
    ' "$BENCH_RESULTS/$1.samples"
}

# bench_window_max_rss RUN COLUMN T0 T1: the largest RSS (KiB) in column COLUMN (4: the first
# sampled PID, 6: the second, ...) from T0 to T1.
bench_window_max_rss() {
    awk -v c="$2" -v a="$3" -v b="$4" '
        $1 >= a && $1 <= b && $c > m { m = $c }
        END { print m + 0 }
    ' "$BENCH_RESULTS/$1.samples"
}

# bench_json RUN: sets, from RUN.json, B_SESSIONS (asked) B_STARTED B_UP B_FAILED B_RATE B_P50_MS B_P90_MS B_P99_MS
# B_DROPPED B_CLEAN B_UNCLEAN B_GEN_CPU_MS B_WALL_MS B_SENT B_RECEIVED B_LOST B_PPS B_MBITS,
# B_FAILURES and B_DROPS (the causes, "n stage: cause; ...", empty when none); B_UP empty when
# the report is missing.
bench_json() {
    local vars
    vars=$(python3 - "$BENCH_RESULTS/$1.json" << 'EOF'
import json, shlex, sys
try:
    r = json.load(open(sys.argv[1]))
except Exception:
    print("B_UP=")
    sys.exit(0)
t = r.get("traffic") or {}
ms = lambda us: round((us or 0) / 1000)
causes = lambda l: "; ".join("%d %s: %s" % (c["sessions"], c["stage"], c["cause"]) for c in (l or [])[:4])
vals = {
    "B_SESSIONS": r.get("sessions", 0), "B_STARTED": r.get("started", 0),
    "B_UP": r.get("up", 0), "B_FAILED": r.get("failed", 0), "B_RATE": r.get("setup_rate_per_s", 0),
    "B_P50_MS": ms(r.get("setup_us_p50")), "B_P90_MS": ms(r.get("setup_us_p90")),
    "B_P99_MS": ms(r.get("setup_us_p99")), "B_DROPPED": r.get("dropped_during_hold", 0),
    "B_CLEAN": r.get("clean_teardowns", 0), "B_UNCLEAN": r.get("unclean_teardowns", 0),
    "B_GEN_CPU_MS": r.get("generator_cpu_ms", 0), "B_WALL_MS": r.get("wall_ms", 0),
    "B_SENT": t.get("sent_packets", 0), "B_RECEIVED": t.get("received_packets", 0),
    "B_LOST": t.get("lost_packets", 0), "B_PPS": t.get("received_packets_per_s", 0),
    "B_MBITS": t.get("received_mbit_per_s", 0),
    "B_FAILURES": causes(r.get("failures")), "B_DROPS": causes(r.get("drops")),
    "B_UNCLEAN_WHY": causes(r.get("unclean")),
}
for k, v in vals.items():
    print("%s=%s" % (k, shlex.quote(str(v))))
EOF
    )
    eval "$vars"
}

# bench_note RUN STATUS: what went wrong in a run (after bench_json RUN; STATUS: the
# generator's exit status), as "; ..." parts for its line, or nothing.
bench_note() {
    local x=
    [ "$B_FAILED" = 0 ] || x="$x; $B_FAILED failed ($B_FAILURES)"
    [ "$B_STARTED" = "$B_SESSIONS" ] ||
        x="$x; $((B_SESSIONS - B_STARTED)) of $B_SESSIONS never started (the setup timeout came first)"
    [ "$B_DROPPED" = 0 ] || x="$x; $B_DROPPED dropped during the hold ($B_DROPS)"
    [ "$B_UNCLEAN" = 0 ] || x="$x; $B_UNCLEAN unclean teardowns ($B_UNCLEAN_WHY)"
    [ "$2" = 0 ] || x="$x; rasd bench exited with status $2"
    echo "$x$(bench_udp_note "$1")"
}

# bench_setup_window RUN: sets W_T0 and W_T1, the setup phase of RUN, and W_S, its length
# (seconds): from the generator's launch to the launch plus up / setup rate (the generator
# measures the rate from its first start to its last session up) when every session came up;
# else (failed sessions last until they time out) to the hold's start. Call bench_json first.
bench_setup_window() {
    W_T0=$(bench_event "$1" launch)
    W_T1=
    if [ "${B_FAILED:-0}" = 0 ] && [ "${B_RATE:-0}" -gt 0 ]; then
        W_T1=$(awk -v t="$W_T0" -v u="$B_UP" -v r="$B_RATE" 'BEGIN { printf "%.3f\n", t + u / r }')
    fi
    [ -n "$W_T1" ] || W_T1=$(bench_event "$1" hold)
    [ -n "$W_T1" ] || W_T1=$(bench_event "$1" end)
    # shellcheck disable=SC2034  # for the caller
    W_S=$(bench_sub "$W_T0" "$W_T1")
}

# bench_problems WORKDIR FILE: the count of WARN and ERROR lines in a server log, and the
# commonest few messages, on stdout (nothing when there are none).
bench_problems() {
    local log=$1/$2 n
    [ -e "$log" ] || return 0
    n=$(grep -cE ' (WARN|ERROR) ' "$log" || true)
    [ "$n" -gt 0 ] || return 0
    echo "    $2: $n WARN/ERROR lines, commonest:"
    grep -E ' (WARN|ERROR) ' "$log" | sed -E 's/^[^ ]+ +//; s/[0-9]+/N/g' | cut -c1-160 |
        sort | uniq -c | sort -rn | head -n 3 | sed 's/^/      /'
}
