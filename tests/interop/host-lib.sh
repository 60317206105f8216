# shellcheck shell=bash
# Host side of the interop suites (sourced by run-pptp.sh and run-l2tp.sh, not executed): boots
# ONE QEMU guest with virtme-ng from the installed Debian kernel (/boot/vmlinuz-*), sharing this
# machine's root filesystem read-only and /tmp read-write, runs the suite's guest script there,
# then turns the guest's results file into one PASS/FAIL/SKIP line per scenario (with log
# excerpts for failures).
#
# interop_main SUITE GUEST_SCRIPT ALL_LETTERS ALT_SERVER ALT_SERVER_LOG
#   SUITE           pptp | l2tp | ipsec (names the scenarios SUITE/ID in the results)
#   GUEST_SCRIPT    tests/interop/guest/<script> run inside the guest as
#                   "SCRIPT WORKDIR MODE REPO LETTERS"
#   ALL_LETTERS     the scenarios run by default
#   ALT_SERVER      the name RASD_INTEROP_SERVER may take besides "rasd" ("" = none)
#   ALT_SERVER_LOG  the server log (in WORKDIR) shown in excerpts in that mode
# A runner may define interop_prepare WORKDIR, run on the host before the guest boots.
# Environment: RASD_INTEROP_TIMEOUT, RASD_INTEROP_RESULTS, RASD_INTEROP_SCENARIOS,
# RASD_INTEROP_SERVER (see the runners). Returns 0 when every scenario passed.
interop_main() {
    SUITE=$1
    local guest_script=$2 all=$3 alt=$4 alt_log=$5 runner="run-$1"
    cd "$(dirname "${BASH_SOURCE[0]}")/../.." || exit 2
    REPO=$(pwd)
    MODE=${RASD_INTEROP_SERVER:-rasd}
    LIMIT=${RASD_INTEROP_TIMEOUT:-900}
    SCENARIOS=${RASD_INTEROP_SCENARIOS:-$all}

    die() {
        echo "FAIL $SUITE/setup: $*"
        [ -n "${RASD_INTEROP_RESULTS:-}" ] && echo "FAIL $SUITE/setup" >> "$RASD_INTEROP_RESULTS"
        echo "$SUITE interop: 0 passed, 1 failed"
        exit 1
    }

    if [ "$MODE" != rasd ] && { [ -z "$alt" ] || [ "$MODE" != "$alt" ]; }; then
        die "RASD_INTEROP_SERVER must be rasd${alt:+ or $alt}, not '$MODE'"
    fi
    [ "$(id -u)" = 0 ] || die "must run as root (network namespaces and modules inside the guest)"
    command -v vng > /dev/null || die "vng (virtme-ng) not found: run scripts/install-test-deps.sh"
    KERNEL=$(printf '%s\n' /boot/vmlinuz-* | grep -v '\*' | sort -V | tail -1)
    [ -n "$KERNEL" ] || die "no /boot/vmlinuz-*: run scripts/install-test-deps.sh"
    if [ "$MODE" = rasd ] && [ ! -x target/release/rasd ]; then
        die "target/release/rasd missing: cargo build --release"
    fi

    WORK=$(mktemp -d /tmp/rasd-interop-XXXXXX) || die "mktemp failed"
    chmod 755 "$WORK"
    # A suite may prepare files on the host first (interop_prepare WORKDIR, defined by its runner).
    if declare -F interop_prepare > /dev/null; then
        interop_prepare "$WORK" || die "interop_prepare failed (see $WORK)"
    fi
    echo "$runner: server=$MODE kernel=$KERNEL work=$WORK (guest log: $WORK/vm.log)"

    T0=$(date +%s)
    timeout --kill-after=30 "$LIMIT" vng --disable-kvm --force-9p -r "$KERNEL" -m 2G --rwdir /tmp \
        --exec "$REPO/tests/interop/guest/$guest_script $WORK $MODE $REPO '$SCENARIOS'" \
        < /dev/null > "$WORK/vm.log" 2>&1
    VNG_RC=$?
    WALL=$(( $(date +%s) - T0 ))
    echo "$runner: guest finished: rc=$VNG_RC, ${WALL}s"
    [ "$VNG_RC" = 124 ] && echo "$runner: the guest hit the ${LIMIT}s limit"

    RESULTS=$WORK/results
    local passed=0 failed=0 skipped=0 xfailed=0 plan id line head fails notes status secs skip_txt

    # excerpt ID: the logs that explain a failed scenario.
    excerpt() {
        local id=$1 letter=${1%%-*} range first last f
        for f in "$WORK/$letter".*.log "$WORK/$letter"[0-9].*.log; do
            [ -s "$f" ] || continue
            echo "    --- ${f#"$WORK"/} (last 25 lines)"
            tail -25 "$f" | sed 's/^/    | /'
        done
        range=$(grep "^LOGRANGE $id " "$RESULTS" 2> /dev/null | tail -1)
        local server_log=$WORK/rasd.log
        [ "$MODE" != rasd ] && server_log=$WORK/$alt_log
        if [ -n "$range" ] && [ -s "$server_log" ]; then
            read -r _ _ first last <<< "$range"
            echo "    --- ${server_log#"$WORK"/} lines $first-$last: warnings/errors, then the last 40"
            sed -n "${first},${last}p" "$server_log" | plain | grep -E 'WARN|ERROR' | head -20 \
                | sed 's/^/    | /'
            echo "    | ..."
            sed -n "${first},${last}p" "$server_log" | plain | tail -40 | sed 's/^/    | /'
        fi
    }

    plain() { sed 's/\x1b\[[0-9;]*m//g'; }   # without terminal colours

    record() { # record PASS|FAIL ID
        [ -n "${RASD_INTEROP_RESULTS:-}" ] && echo "$1 $SUITE/$2" >> "$RASD_INTEROP_RESULTS"
        return 0
    }

    plan=$(sed -n 's/^PLAN //p' "$RESULTS" 2> /dev/null | head -1)
    if [ -z "$plan" ]; then
        echo "FAIL $SUITE/guest: the guest script did not start; last lines of $WORK/vm.log:"
        tail -30 "$WORK/vm.log" | sed 's/^/    | /'
        record FAIL guest
        failed=1
    else
        if grep -q '^SETUP-FAILED' "$RESULTS"; then
            echo "$runner: guest set-up failed: $(sed -n 's/^SETUP-FAILED //p' "$RESULTS")"
            tail -40 "$WORK/vm.log" | sed 's/^/    | /'
        fi
        for id in $plan; do
            line=$(grep -E "^(PASS|FAIL|XFAIL|SKIP) $id " "$RESULTS" | tail -1)
            if [ -z "$line" ]; then
                echo "FAIL $SUITE/$id: no result (guest set-up failed, crashed or timed out)"
                record FAIL "$id"; failed=$((failed + 1))
                continue
            fi
            IFS='|' read -r head fails notes <<< "$line"
            read -r status _ secs <<< "$head"
            notes=$(echo "$notes" | sed 's/^ *//; s/ *$//')
            fails=$(echo "$fails" | sed 's/^ *//; s/ *$//')
            case $status in
                PASS)
                    echo "PASS $SUITE/$id ($secs)${notes:+  [$notes]}"
                    record PASS "$id"; passed=$((passed + 1)) ;;
                SKIP)
                    echo "SKIP $SUITE/$id${notes:+  [$notes]}"; skipped=$((skipped + 1)) ;;
                XFAIL) # a known limitation of the mode (the guest said so): shown, not counted
                    echo "XFAIL $SUITE/$id ($secs)${notes:+  [$notes]}"
                    echo "$fails" | tr ';' '\n' | sed 's/^ */    failed (expected): /'
                    xfailed=$((xfailed + 1)) ;;
                *)
                    echo "FAIL $SUITE/$id ($secs)${notes:+  [$notes]}"
                    echo "$fails" | tr ';' '\n' | sed 's/^ */    failed: /'
                    excerpt "$id"
                    record FAIL "$id"; failed=$((failed + 1)) ;;
            esac
        done
        grep -q '^DONE' "$RESULTS" || echo "$runner: the guest did not finish (see $WORK/vm.log)"
    fi
    echo "$runner: logs in $WORK (server LAN captures: srv-eth0*.pcap)"
    skip_txt=""; [ "$skipped" -gt 0 ] && skip_txt=", $skipped skipped"
    [ "$xfailed" -gt 0 ] && skip_txt="$skip_txt, $xfailed expected failure(s)"
    echo "$SUITE interop: $passed passed, $failed failed$skip_txt"
    [ "$failed" = 0 ] && [ "$passed" -gt 0 ]
}
