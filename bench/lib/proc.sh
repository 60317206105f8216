# shellcheck shell=bash
# Figures about a running process, from /proc (sourced, bash), for any server a benchmark runs:
# rasd (bench/lib/rasd.sh), l2tpns (bench/lib/l2tpns.sh), FreeRADIUS, the load generator.
# They read with bash builtins only; the *_to forms also skip the fork of $(...), so a
# sampling loop costs next to nothing. A process that is gone: nothing printed, status 1.
#
#   source bench/lib/proc.sh
#   rss_kb PID          # resident memory (VmRSS), KiB
#   anon_kb PID         # the anonymous part of it (RssAnon: heap, stacks), KiB; the rest is
#                       # mostly the binary's pages (RssFile), which the kernel can drop
#   cpu_ticks PID       # CPU time so far, user + system, all threads, in clock ticks
#   rss_kb_to VAR PID; cpu_ticks_to VAR PID   # the same into VAR (no subshell)
#   clk_tck             # ticks a second (getconf CLK_TCK; 100 on Linux)
#   cpu_pct TICKS SECONDS   # TICKS over SECONDS of wall time as a whole percent of one core

# rss_kb PID: VmRSS of PID in KiB.
rss_kb() {
    local v
    rss_kb_to v "$1" || return 1
    echo "$v"
}

# anon_kb PID: RssAnon of PID in KiB.
anon_kb() {
    local v
    status_kb_to v "$1" RssAnon: || return 1
    echo "$v"
}

# cpu_ticks PID: utime + stime of PID (fields 14 and 15 of /proc/PID/stat), every thread.
cpu_ticks() {
    local v
    cpu_ticks_to v "$1" || return 1
    echo "$v"
}

# rss_kb_to VAR PID, cpu_ticks_to VAR PID: the same into the variable VAR, without the fork
# a $(...) costs (for sampling loops).
rss_kb_to() { status_kb_to "$1" "$2" VmRSS:; }

# status_kb_to VAR PID KEY: the value of the line KEY ("VmRSS:") of /proc/PID/status into VAR.
status_kb_to() {
    local -n _kb_out=$1
    local key value _unit
    while read -r key value _unit; do
        if [ "$key" = "$3" ]; then
            _kb_out=$value
            return 0
        fi
    done 2> /dev/null < "/proc/$2/status" || return 1
    return 1
}
cpu_ticks_to() {
    local -n _ticks_out=$1
    local line
    read -r line 2> /dev/null < "/proc/$2/stat" || return 1
    # The command name (field 2) is in parentheses and may hold spaces: cut after the last ')'.
    line=${line##*) }
    local -a f
    read -r -a f <<< "$line"
    # f[0] is field 3 (state): utime is field 14, stime 15.
    _ticks_out=$((f[11] + f[12]))
}

# clk_tck: clock ticks a second.
PROC_CLK_TCK=${PROC_CLK_TCK:-$(getconf CLK_TCK 2> /dev/null || echo 100)}
clk_tck() {
    echo "$PROC_CLK_TCK"
}

# cpu_pct TICKS SECONDS: whole percent of one core (200 = two cores busy); 0 for no time.
cpu_pct() {
    awk -v t="$1" -v s="$2" -v hz="$PROC_CLK_TCK" \
        'BEGIN { if (s <= 0) print 0; else printf "%.0f\n", 100 * t / hz / s }'
}
