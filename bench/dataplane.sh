#!/usr/bin/env bash
# Data-plane throughput of rasd next to a raw TUN<->UDP forwarder (examples/tun_udp_forwarder.rs,
# the same syscalls with no protocol work), in one run, on this machine.
#
# Two network namespaces (rasd-dp-srv 198.51.100.1/24, rasd-dp-cli .2) joined by a veth pair.
# The server namespace runs `rasd run` (TUN dpsrv0, 192.0.2.1, pool 192.0.2.10-30); the client
# namespace runs `rasd dial l2tp` (--mppe none, then 128) and `rasd dial pptp` (--mppe 128), TUN
# dpcli0. The forwarder runs one instance in each namespace (TUN dpfs0 203.0.113.1 <-> dpfc0
# 203.0.113.10, UDP port 5555 over the same veth), with the socket buffers of the rasd end it
# stands for (server: 4 MiB; client: the kernel's default, as `rasd dial`). iperf3 drives each
# path: an iperf3 server in the server namespace bound to the TUN's local address, the client in
# the client namespace bound to its TUN (--bind-dev): TCP (Mbit/s), UDP flood (-b 0) with 64-byte
# and 1372-byte payloads (92- and 1400-byte IP packets; 1400 is the tunnel MTU), packets/s
# received and loss, each direction ("up": client to server; "down": -R). Then --sessions N
# (default 4) sessions at once (N `rasd dial` processes): L2TP (N tunnels) with MPPE off, then
# 128, then PPTP with MPPE-128 (N control connections), next to N forwarder pairs, aggregate.
# The MPPE-128 figures are also set against the forwarder with `--mppe 128` (both ends encrypt
# and decrypt every packet as stateless MPPE-128 does, a key change and RC4 each): what is left
# between rasd and that is rasd's own work, the rest is the cryptography RFC 3078 asks for.
#
# For every figure: the server process's packets per CPU-second (IP packets it forwarded, counted
# by the kernel on its TUN device and the veth, over its utime+stime from /proc/PID/stat), the
# CPU of every process in the path (% of one core), the machine's busy time and the part of it
# that was not ours (another load on the machine), and the kernel's drop counters that moved.
# A figure whose iperf3 client failed (a flood can starve its control connection, which runs
# through the tunnel too) is run once more, and marked if it fails again.
#
# Bounded: every iperf3 run lasts --time seconds (default 5), under a timeout; the whole run takes
# about 9 minutes. Everything is removed on exit, failure included. KEEP=1 keeps the work
# directory (logs, iperf3 JSON). As root: bench/dataplane.sh [--time S] [--sessions N (0: none)]
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" = 0 ] || { echo "dataplane: needs root (network namespaces, TUN)" >&2; exit 1; }
command -v iperf3 > /dev/null || scripts/install-test-deps.sh

T=5
SESSIONS=4
while [ $# -gt 0 ]; do
    case "$1" in
        --time) T=$2; shift 2 ;;
        --sessions) SESSIONS=$2; shift 2 ;;
        *) echo "usage: bench/dataplane.sh [--time SECONDS] [--sessions N]" >&2; exit 2 ;;
    esac
done
if ! [[ "$T" =~ ^[0-9]+$ ]] || [ "$T" -lt 1 ] || [ "$T" -gt 30 ]; then
    echo "dataplane: --time 1..30" >&2
    exit 2
fi
if ! [[ "$SESSIONS" =~ ^[0-9]+$ ]] || [ "$SESSIONS" -gt 8 ]; then
    echo "dataplane: --sessions 0..8" >&2
    exit 2
fi

SRV=rasd-dp-srv
CLI=rasd-dp-cli
SRV_IP=198.51.100.1
CLI_IP=198.51.100.2
RASD_LOCAL=192.0.2.1
FWD_LOCAL=203.0.113.1
MTU=1400
UDP_SIZES=(64 1372)
RASD=target/release/rasd
FWD=target/release/examples/tun_udp_forwarder
HZ=$(getconf CLK_TCK)

work=$(mktemp -d /tmp/rasd-dp.XXXXXX)
declare -A PID=()   # role -> pid of every process we started

cleanup() {
    local p
    for p in "${PID[@]}"; do kill "$p" 2> /dev/null || true; done
    sleep 0.3
    for p in "${PID[@]}"; do kill -9 "$p" 2> /dev/null || true; done
    ip netns del "$SRV" 2> /dev/null || true
    ip netns del "$CLI" 2> /dev/null || true
    if [ -n "${KEEP:-}" ]; then echo "dataplane: kept $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

die() { echo "dataplane: $*" >&2; exit 1; }

# ---- build -------------------------------------------------------------------------------
cargo build --release -q --bin rasd --example tun_udp_forwarder

# ---- namespaces --------------------------------------------------------------------------
ip netns del "$SRV" 2> /dev/null || true
ip netns del "$CLI" 2> /dev/null || true
ip netns add "$SRV"
ip netns add "$CLI"
ip link add dpvs0 netns "$SRV" type veth peer name dpvc0 netns "$CLI"
ip -n "$SRV" addr add "$SRV_IP/24" dev dpvs0
ip -n "$CLI" addr add "$CLI_IP/24" dev dpvc0
for ns_dev in "$SRV dpvs0" "$CLI dpvc0"; do
    read -r ns dev <<< "$ns_dev"
    ip -n "$ns" link set "$dev" up
    ip -n "$ns" link set lo up
done

# ---- helpers -----------------------------------------------------------------------------
# Starts a background process in namespace $2 under role $1, output to $work/$1.{out,log}.
start() {
    local role=$1 ns=$2
    shift 2
    # Emptied here, not by the background job: a wait for its output must not see the last run's.
    : > "$work/$role.out"
    : > "$work/$role.log"
    ip netns exec "$ns" "$@" >> "$work/$role.out" 2>> "$work/$role.log" &
    PID[$role]=$!
}
stop() {
    local role=$1 p=${PID[$1]:-}
    [ -n "$p" ] || return 0
    kill "$p" 2> /dev/null || true
    for _ in $(seq 1 50); do kill -0 "$p" 2> /dev/null || break; sleep 0.1; done
    kill -9 "$p" 2> /dev/null || true
    wait "$p" 2> /dev/null || true
    unset "PID[$role]"
}
wait_for() { # seconds, command...
    local s=$1
    shift
    for _ in $(seq 1 $((s * 10))); do "$@" && return 0; sleep 0.1; done
    return 1
}
has_link() { ip -n "$1" link show "$2" > /dev/null 2>&1; }
has_addr() { ip -n "$1" -4 addr show | grep -Eq "inet $2[/ ]"; }

# One line per counter: the machine's CPU ticks, those of every process we started, packet and
# drop counters of every dp* device, UDP and raw-socket drops of both namespaces.
snap() {
    local role ns
    awk '/^cpu / { print "stat.busy", $2 + $3 + $4 + $7 + $8 + $9; print "stat.idle", $5 + $6;
        print "stat.softirq", $8 }' /proc/stat
    for role in "${!PID[@]}"; do
        [ -r "/proc/${PID[$role]}/stat" ] || continue
        echo "cpu.$role $(sed 's/^.*) //' "/proc/${PID[$role]}/stat" | awk '{print $12 + $13}')"
    done
    for ns in "$SRV" "$CLI"; do
        # shellcheck disable=SC2016 # expanded by the inner shell
        ip netns exec "$ns" sh -c '
            for d in /sys/class/net/dp*; do
                n=${d##*/}; s=$d/statistics
                echo "$n.rx $(cat $s/rx_packets)"; echo "$n.tx $(cat $s/tx_packets)"
                echo "$n.tx_dropped $(cat $s/tx_dropped)"; echo "$n.rx_dropped $(cat $s/rx_dropped)"
            done
            awk "/^Udp:/ { if (h) { print \"udp.RcvbufErrors\", \$6; print \"udp.SndbufErrors\", \$7 } else h = 1 }" /proc/net/snmp
            awk "NR > 1 { d += \$NF } END { print \"raw.drops\", d + 0 }" /proc/net/raw
        ' | sed "s/^/${ns#rasd-dp-}./"
    done
}

cat > "$work/report.py" << 'EOF'
import json, sys

RESULTS = sys.argv[2]

def load_snap(path):
    d = {}
    for line in open(path):
        k, v = line.split()
        d[k] = int(v)
    return d

def delta(a, b, k):
    return b.get(k, 0) - a.get(k, 0)

def measure(args):
    # measure CFG TEST KIND SNAP0 SNAP1 WALL HZ SRVROLE SRVDEV CLIROLE IPERFROLES JSON...
    cfg, test, kind, s0, s1, wall, hz, srvrole, srvdev, clirole, iperfroles = args[:11]
    files = args[11:]
    a, b = load_snap(s0), load_snap(s1)
    wall, hz = float(wall), int(hz)
    recv = sent = 0.0
    mbit = 0.0
    retrans = 0
    client_cpu = []
    errors = []
    for f in files:
        try:
            j = json.load(open(f))
        except Exception as e:
            errors.append(f"{f}: {e}")
            continue
        if "error" in j:
            errors.append(j["error"])
            continue
        end = j["end"]
        client_cpu.append(end.get("cpu_utilization_percent", {}).get("host_total", 0.0))
        if kind == "tcp":
            mbit += end["sum_received"]["bits_per_second"] / 1e6
            retrans += end["sum_sent"].get("retransmits", 0)
        else:
            r, s = end["sum_received"], end["sum_sent"]
            recv += (r["packets"] - r["lost_packets"]) / r["seconds"]
            sent += s["packets"] / s["seconds"]
    def cpu(role):
        return delta(a, b, "cpu." + role) / hz
    srv_cpu = sum(cpu(r) for r in srvrole.split(",") if r)
    # What the server process forwarded: the packets it wrote to its TUN device(s) and every
    # packet that left the server namespace on the veth (only the tunnel process sends there).
    # Not what it read from the TUN: rasd may read and discard (PPTP's full GRE window).
    pkts = sum(delta(a, b, f"srv.{d}.rx") for d in srvdev.split(",") if d)
    pkts += delta(a, b, "srv.dpvs0.tx")
    per_cpu = pkts / srv_cpu if srv_cpu > 0 else 0
    pct = lambda secs: 100 * secs / wall
    cpus = {"server": pct(srv_cpu)}
    for r in clirole.split(","):
        if r:
            cpus[r] = pct(cpu(r))
    for r in iperfroles.split(","):
        if r:
            cpus[r] = pct(cpu(r))
    cpus["iperf3-client(s)"] = sum(client_cpu)
    # The whole machine over the same time: busy ticks (all cores) and what our processes used.
    busy = delta(a, b, "stat.busy") / hz
    ours = sum(delta(a, b, k) for k in b if k.startswith("cpu.")) / hz + sum(client_cpu) * wall / 100
    cpus["machine busy"] = pct(busy)
    cpus["of which softirq"] = pct(delta(a, b, "stat.softirq") / hz)
    cpus["not ours"] = max(0.0, pct(busy - ours))
    drops = {k: delta(a, b, k) for k in b if ".udp." in k or "dropped" in k or ".raw." in k}
    drops = {k: v for k, v in drops.items() if v}
    if kind == "tcp":
        value, unit, extra = mbit, "Mbit/s", f"{retrans} TCP retransmissions; "
    else:
        value, unit = recv, "packets/s"
        loss = 100 * (1 - recv / sent) if sent else 0
        extra = f"sent {sent:.0f} packets/s, loss {loss:.0f}%; "
    rec = dict(cfg=cfg, test=test, value=value, unit=unit, per_cpu=per_cpu, srv_cpu=pct(srv_cpu),
               loss=(100 * (1 - recv / sent) if sent else None), errors=errors,
               others=cpus["not ours"])
    with open(RESULTS, "a") as out:
        out.write(json.dumps(rec) + "\n")
    cpu_text = ", ".join(f"{k} {v:.0f}%" for k, v in cpus.items())
    drop_text = ", ".join(f"{k} {v}" for k, v in sorted(drops.items())) or "none"
    err = f" ERRORS: {'; '.join(errors)}" if errors else ""
    print(f"  [{cfg} {test}] {value:.0f} {unit}; {extra}server {per_cpu:.0f} packets/CPU-s;"
          f" CPU (% of one core): {cpu_text}; kernel drops: {drop_text}{err}", flush=True)

def records():
    return [json.loads(l) for l in open(RESULTS)]

def figure(rec):
    loss = f" (loss {rec['loss']:.0f}%)" if rec.get("loss") is not None else ""
    failed = " (iperf3 failed)" if rec.get("errors") else ""
    # Another load on the machine takes CPU from the path: say so next to the figure.
    busy = f" (machine busy: {rec['others']:.0f}% not ours)" if rec.get("others", 0) > 25 else ""
    return f"{rec['value']:.0f} {rec['unit']}{loss}{failed}{busy}"

def ratios(rec, fwd):
    ratio = 100 * rec["value"] / fwd["value"] if fwd["value"] else 0
    cpu_ratio = 100 * rec["per_cpu"] / fwd["per_cpu"] if fwd["per_cpu"] else 0
    return ratio, cpu_ratio

def line(rec, fwd, fwd_mppe):
    name = f"{rec['cfg']} {rec['test']}"
    if fwd is None:
        return f"{name}: {figure(rec)}"
    ratio, cpu_ratio = ratios(rec, fwd)
    text = (f"{name}: rasd {figure(rec)}, forwarder {figure(fwd)}, {ratio:.0f}%; "
            f"server packets/CPU-s: rasd {rec['per_cpu']:.0f}, forwarder {fwd['per_cpu']:.0f}, "
            f"{cpu_ratio:.0f}%")
    if fwd_mppe is not None:
        ratio, cpu_ratio = ratios(rec, fwd_mppe)
        text += (f"; forwarder with MPPE-128 {figure(fwd_mppe)}, {ratio:.0f}%, "
                 f"{fwd_mppe['per_cpu']:.0f} packets/CPU-s, {cpu_ratio:.0f}%")
    return text

def forwarder_of(recs, rec, mppe=False):
    if mppe and "mppe=128" not in rec["cfg"]:
        return None
    base = "forwarder" + (" mppe=128" if mppe else "")
    base += " x" + rec["cfg"].split(" x")[1] if " x" in rec["cfg"] else ""
    return next((r for r in recs if r["cfg"] == base and r["test"] == rec["test"]), None)

def rasd_line(recs, rec):
    return line(rec, forwarder_of(recs, rec), forwarder_of(recs, rec, mppe=True))

def compare(args):
    recs = records()
    rec = recs[-1]
    if rec["cfg"].startswith("forwarder"):
        return
    print(rasd_line(recs, rec), flush=True)

def summary(args):
    recs = records()
    for rec in recs:
        if not rec["cfg"].startswith("forwarder"):
            print(rasd_line(recs, rec))
    for rec in recs:
        if rec["cfg"].startswith("forwarder"):
            print(f"{rec['cfg']} {rec['test']}: {figure(rec)}, {rec['per_cpu']:.0f} packets/CPU-s")

{"measure": measure, "compare": compare, "summary": summary}[sys.argv[1]](sys.argv[3:])
EOF
RESULTS=$work/results.jsonl
: > "$RESULTS"
report() { python3 "$work/report.py" "$1" "$RESULTS" "${@:2}"; }

# iperf3 servers: role iperf-<cfg>-<i>, port 5201+i (rasd) or 5301+i (forwarder).
start_iperf() { # role bind port
    start "$1" "$SRV" iperf3 -s -B "$2" -p "$3"
    wait_for 5 ip netns exec "$SRV" sh -c "ss -Hltn 'sport = :$3' | grep -q ." \
        || die "iperf3 server on $2:$3 did not start: $(cat "$work/$1.log")"
}

# run_test CFG TEST SRVROLES SRVDEVS CLIROLES IPERF SERVER PORT0 "ADDR DEV"...: one iperf3 client
# per "ADDR DEV" pair at once, the i-th to SERVER:PORT0+i (iperf3 server role IPERF-i). The
# server side's CPU and packets are summed over SRVROLES (processes) and SRVDEVS (TUN devices).
run_test() {
    local cfg=$1 test=$2 srvroles=$3 srvdevs=$4 cliroles=$5 iperf=$6 server=$7 port0=$8
    shift 8
    local kind=${test%% *} dir=${test##* } opts=(-t "$T" -J) i pids files iperfroles addr dev
    if [ "$kind" = tcp ]; then
        opts+=(-O 1)
    else
        local size=${test#udp }
        size=${size%%B *}
        opts+=(-u -b 0 -l "$size")
    fi
    [ "$dir" = down ] && opts+=(-R)
    local tag=${cfg// /_}-${test// /_} attempt failed t0 t1 j bind
    for attempt in 1 2; do
        i=0 pids=() files=() iperfroles="" failed=0
        snap > "$work/$tag.s0"
        t0=$(date +%s.%N)
        for pair in "$@"; do
            read -r addr dev <<< "$pair"
            local f="$work/$tag.$i.json"
            files+=("$f")
            ip netns exec "$CLI" timeout -k 2 $((T + 20)) iperf3 -c "$server" -p $((port0 + i)) \
                -B "$addr" --bind-dev "$dev" "${opts[@]}" > "$f" 2>> "$work/iperf3-client.log" &
            pids+=($!)
            iperfroles+="$iperf-$i,"
            i=$((i + 1))
        done
        for p in "${pids[@]}"; do wait "$p" || failed=1; done
        # iperf3 3.12 can exit 0 with an "error" in its JSON (a control connection lost at the end).
        grep -q '"error"' "${files[@]}" && failed=1
        t1=$(date +%s.%N)
        snap > "$work/$tag.s1"
        [ "$failed" = 0 ] && break
        # A flood can starve an iperf3 control connection (it runs through the tunnel too) and
        # leave its server stuck in the test: start the servers again and run the test once more.
        echo "  [$cfg $test] an iperf3 client failed (attempt $attempt): $(cat "${files[@]}" \
            | grep -o '"error":.*' | head -1)"
        [ "$iperf" = iperf-rasd ] && bind=$RASD_LOCAL || bind=$FWD_LOCAL
        for ((j = 0; j < i; j++)); do
            stop "$iperf-$j"
            start_iperf "$iperf-$j" "$bind" $((port0 + j))
        done
    done
    report measure "$cfg" "$test" "$kind" "$work/$tag.s0" "$work/$tag.s1" "$(echo "$t1 - $t0" | bc)" \
        "$HZ" "$srvroles" "$srvdevs" "$cliroles" "$iperfroles" "${files[@]}"
    report compare
}

TESTS=("tcp up" "tcp down")
for s in "${UDP_SIZES[@]}"; do TESTS+=("udp ${s}B up" "udp ${s}B down"); done

# ---- the forwarder -----------------------------------------------------------------------
pairs=$((SESSIONS > 1 ? SESSIONS : 1))
# start_forwarders MPPE: (re)starts every forwarder pair and its iperf3 server, with --mppe MPPE.
start_forwarders() {
    local mppe=$1 i peer
    for ((i = 0; i < pairs; i++)); do
        stop "iperf-fwd-$i"
        stop "fwd-srv-$i"
        stop "fwd-cli-$i"
    done
    for ((i = 0; i < pairs; i++)); do
        peer=203.0.113.$((10 + i))
        # Socket buffers as on rasd's side of each end: the server's 4 MiB ([l2tp]
        # socket_buffer), the kernel's default on the client's (rasd dial).
        start "fwd-srv-$i" "$SRV" "$FWD" "dpfs$i" "$SRV_IP:$((5555 + i))" "$CLI_IP:$((5555 + i))" \
            "$FWD_LOCAL" "$peer" --mtu "$MTU" --socket-buffer 4194304 --mppe "$mppe"
        start "fwd-cli-$i" "$CLI" "$FWD" "dpfc$i" "$CLI_IP:$((5555 + i))" "$SRV_IP:$((5555 + i))" \
            "$peer" "$FWD_LOCAL" --mtu "$MTU" --socket-buffer 0 --mppe "$mppe"
        wait_for 5 has_addr "$SRV" "$FWD_LOCAL" || die "forwarder: no TUN: $(cat "$work/fwd-srv-$i.log")"
        wait_for 5 has_addr "$CLI" "$peer" || die "forwarder: no TUN: $(cat "$work/fwd-cli-$i.log")"
        start_iperf "iperf-fwd-$i" "$FWD_LOCAL" $((5301 + i))
        ip netns exec "$CLI" ping -q -c 1 -W 2 -I "dpfc$i" "$FWD_LOCAL" > /dev/null \
            || die "no ping through forwarder pair $i (--mppe $mppe)"
    done
}

# forwarder_name MPPE: the configuration's name in the results ("forwarder", "forwarder mppe=128").
forwarder_name() { if [ "$1" = none ]; then echo forwarder; else echo "forwarder mppe=$1"; fi; }

echo "== $(nproc) cores, $(uname -r), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); iperf3 -t $T"
for mppe in none 128; do
    start_forwarders "$mppe"
    name=$(forwarder_name "$mppe")
    echo "== $name (TUN dpfc0 <-> UDP <-> TUN dpfs0)"
    for test in "${TESTS[@]}"; do
        run_test "$name" "$test" fwd-srv-0 dpfs0 fwd-cli-0 iperf-fwd "$FWD_LOCAL" 5301 "203.0.113.10 dpfc0"
    done
done

# ---- rasd --------------------------------------------------------------------------------
cat > "$work/rasd.toml" << EOF
[server]
history_file = "history.jsonl"
users_file = "users"
tun_name = "dpsrv0"
summary_interval = 0
[pptp]
listen = ["$SRV_IP:1723"]
[l2tp]
listen = ["$SRV_IP:1701"]
[ip]
local = "$RASD_LOCAL"
pools = ["192.0.2.10-192.0.2.30"]
EOF
"$RASD" user add alice --password secret123 --config "$work/rasd.toml" > /dev/null
RUST_LOG=info start rasd "$SRV" "$RASD" run --config "$work/rasd.toml"
wait_for 10 grep -q "listening for PPTP" "$work/rasd.log" || die "rasd did not start: $(cat "$work/rasd.log")"
for ((i = 0; i < pairs; i++)); do start_iperf "iperf-rasd-$i" "$RASD_LOCAL" $((5201 + i)); done

# dial ROLE PROTOCOL MPPE TUN: starts `rasd dial`, waits for its `connected` line and a ping
# through the session; sets SESSION to "ADDR DEV".
dial() {
    local role=$1 proto=$2 mppe=$3 tun=$4
    RUST_LOG=info start "$role" "$CLI" "$RASD" dial "$proto" "$SRV_IP" --user alice \
        --password secret123 --mppe "$mppe" --tun "$tun"
    wait_for 20 grep -q '^connected' "$work/$role.out" \
        || die "$role: no session: $(cat "$work/$role.log") $(tail -5 "$work/rasd.log")"
    local addr
    addr=$(sed -n 's/^connected address=\([0-9.]*\) .*/\1/p' "$work/$role.out")
    ip netns exec "$CLI" ping -q -c 1 -W 2 -I "$tun" "$RASD_LOCAL" > /dev/null \
        || die "$role: no ping through the session"
    echo "   $(cat "$work/$role.out")"
    SESSION="$addr $tun"
}

for cfg in "l2tp none" "l2tp 128" "pptp 128"; do
    read -r proto mppe <<< "$cfg"
    name="$proto mppe=$mppe"
    echo "== rasd $name"
    dial dial "$proto" "$mppe" dpcli0
    for test in "${TESTS[@]}"; do
        run_test "$name" "$test" rasd dpsrv0 dial iperf-rasd "$RASD_LOCAL" 5201 "$SESSION"
    done
    stop dial
    sleep 0.5
done

# ---- many sessions -----------------------------------------------------------------------
if [ "$SESSIONS" -gt 1 ]; then
    AGG_TESTS=("tcp up" "tcp down" "udp 64B up" "udp 64B down" "udp 1372B up" "udp 1372B down")
    fwd_pairs=() fwd_srv="" fwd_devs="" fwd_cli=""
    for ((i = 0; i < SESSIONS; i++)); do
        fwd_pairs+=("203.0.113.$((10 + i)) dpfc$i")
        fwd_srv+="fwd-srv-$i," fwd_devs+="dpfs$i," fwd_cli+="fwd-cli-$i,"
    done
    for mppe in none 128; do
        start_forwarders "$mppe"
        name=$(forwarder_name "$mppe")
        echo "== $name x$SESSIONS ($SESSIONS pairs at once)"
        for test in "${AGG_TESTS[@]}"; do
            run_test "$name x$SESSIONS" "$test" "$fwd_srv" "$fwd_devs" "$fwd_cli" iperf-fwd \
                "$FWD_LOCAL" 5301 "${fwd_pairs[@]}"
        done
    done
    for cfg in "l2tp none" "l2tp 128" "pptp 128"; do
        read -r proto mppe <<< "$cfg"
        echo "== rasd $proto mppe=$mppe x$SESSIONS ($SESSIONS rasd dial processes, one tunnel or control connection each)"
        sessions=() dial_roles=""
        for ((i = 0; i < SESSIONS; i++)); do
            dial "dial-$i" "$proto" "$mppe" "dpcli$i"
            sessions+=("$SESSION")
            dial_roles+="dial-$i,"
        done
        for test in "${AGG_TESTS[@]}"; do
            run_test "$proto mppe=$mppe x$SESSIONS" "$test" rasd dpsrv0 "$dial_roles" iperf-rasd \
                "$RASD_LOCAL" 5201 "${sessions[@]}"
        done
        for ((i = 0; i < SESSIONS; i++)); do stop "dial-$i"; done
        sleep 0.5
    done
fi

echo "== summary (rasd / forwarder; UDP: packets/s received by the receiving side)"
report summary
