# shellcheck shell=bash
# strongSwan helpers for the IPsec interop scenarios inside the QEMU guest (sourced, not executed).
# Expects: W (host-visible work dir), RUN (guest-private dir on tmpfs), SERVER, and lib.sh (log,
# wait_until).
#
# One charon per network namespace. charon's pid file (/run/charon.pid) and its VICI socket
# (/run/charon.vici) are compiled-in paths, so each charon runs in a mount namespace of its own
# where $RUN/NS-run is bind-mounted over /run; seen from the rest of the guest its socket is
# $RUN/NS-run/charon.vici (unix sockets cannot live on the 9p-shared $W). Each instance has its
# own strongswan.conf ($W/strongswan-NS.conf, through STRONGSWAN_CONF for charon and swanctl),
# an explicit plugin list (no stroke: its socket path is fixed), a file log $W/charon-NS.log,
# and its own swanctl directory $W/swanctl-NS/ (SWANCTL_DIR: swanctl.conf, x509ca/, x509/,
# private/).

SW_PLUGINS="random nonce aes sha1 sha2 md5 hmac kdf gmp openssl pem pkcs1 pkcs8 x509 pubkey \
constraints revocation kernel-netlink socket-default vici updown"

sw_vici() { echo "$RUN/$1-run/charon.vici"; }
sw_dir() { echo "$W/swanctl-$1"; }

# sw NS SWANCTL-ARGS...: swanctl against NS's charon (--uri must come after the command option).
sw() {
    local ns=$1; shift
    STRONGSWAN_CONF=$W/strongswan-$ns.conf SWANCTL_DIR=$(sw_dir "$ns") \
        swanctl "$@" --uri "unix://$(sw_vici "$ns")"
}

# sw_start NS: charon in NS (own mount namespace and /run); waits (bounded) for its VICI socket.
# $RUN/NS.charon.pid holds charon's pid.
sw_start() {
    local ns=$1 run dir
    run=$RUN/$ns-run; dir=$(sw_dir "$ns")
    mkdir -p "$run" "$dir/x509" "$dir/x509ca" "$dir/private"
    rm -f "$run"/charon.*
    cat > "$W/strongswan-$ns.conf" <<EOF
charon {
    load = $SW_PLUGINS
    # short IKE retransmissions: a refused proposal or a wrong PSK fails within seconds
    retransmit_timeout = 2
    retransmit_tries = 3
    install_routes = no
    filelog {
        charon-$ns {
            path = $W/charon-$ns.log
            time_format = %T
            default = 1
            ike = 2
            cfg = 2
            knl = 1
            flush_line = yes
        }
    }
}
swanctl {
    load = random nonce aes sha1 sha2 md5 hmac openssl pem pkcs1 pkcs8 x509 pubkey
}
EOF
    # ip netns exec, unshare (without --fork) and sh all exec: $! is charon itself.
    ip netns exec "$ns" unshare -m --propagation private sh -c \
        "mount --bind '$run' /run && STRONGSWAN_CONF='$W/strongswan-$ns.conf' exec /usr/lib/ipsec/charon" \
        > "$W/charon-$ns.out" 2>&1 &
    echo $! > "$RUN/$ns.charon.pid"
    if wait_until 20 test -S "$run/charon.vici"; then
        log "charon started in $ns (pid $!, vici $(sw_vici "$ns"))"
        return 0
    fi
    log "charon in $ns made no VICI socket within 20 s: $(tail -3 "$W/charon-$ns.out" | tr '\n' ' ')"
    return 1
}

sw_pid() { cat "$RUN/$1.charon.pid" 2>/dev/null; }

# sw_stop NS: SIGTERM to charon (it deletes its SAs), bounded wait, then SIGKILL.
sw_stop() {
    local p; p=$(sw_pid "$1")
    [ -n "$p" ] || return 0
    kill -TERM "$p" 2>/dev/null
    wait_until 10 not_alive "$p" || kill -KILL "$p" 2>/dev/null
    rm -f "$RUN/$1.charon.pid"
}

# sw_load NS: loads $(sw_dir NS)/swanctl.conf (connections, secrets, certificates), replacing
# what NS's charon had before. Output in $W/swanctl-NS/load.log.
sw_load() {
    local dir; dir=$(sw_dir "$1")
    if sw "$1" --load-all --clear --noprompt > "$dir/load.log" 2>&1; then
        log "swanctl --load-all in $1: $(grep -cE 'loaded (connection|ike secret|certificate|.*key)' "$dir/load.log") items"
        return 0
    fi
    log "swanctl --load-all in $1 failed: $(grep -iE 'fail|error|invalid' "$dir/load.log" | head -3 | tr '\n' ' ')"
    return 1
}

# sw_child_conf NAME LOCAL_PORT REMOTE_PORT ESP_PROPOSALS [EXTRA LINES]: the "l2tp" child of an
# L2TP/IPsec connection: transport mode for UDP LOCAL_PORT <-> UDP REMOTE_PORT ("" = any port).
sw_child_conf() {
    local lport=${2:+/$2} rport=${3:+/$3}
    cat <<EOF
        children {
            $1 {
                mode = transport
                local_ts = dynamic[udp$lport]
                remote_ts = dynamic[udp$rport]
                esp_proposals = $4
                ${5:-}
            }
        }
EOF
}

# sw_client_conf NS NAME IKE_PROPOSALS ESP_PROPOSALS AUTH L2TP_PORT [PSK|CERT KEY]: writes the
# client's swanctl.conf: connection NAME (IKEv1 Main Mode, no PFS) to $SERVER with child "l2tp"
# for UDP L2TP_PORT -> UDP 1701. AUTH psk (with the PSK) or pubkey (with the client's certificate
# and key file, copied into the swanctl directory; the CA must already be in x509ca/).
sw_client_conf() {
    local ns=$1 name=$2 ike=$3 esp=$4 auth=$5 port=$6 dir local_auth
    dir=$(sw_dir "$ns")
    rm -f "$dir"/x509/* "$dir"/private/*
    if [ "$auth" = psk ]; then
        local_auth="auth = psk"
    else
        cp "$7" "$dir/x509/client.pem"; cp "$8" "$dir/private/client.key"
        local_auth="auth = pubkey
            certs = client.pem"
    fi
    {
        cat <<EOF
connections {
    $name {
        version = 1
        aggressive = no
        remote_addrs = $SERVER
        proposals = $ike
        dpd_delay = 10
        local {
            $local_auth
        }
        remote {
            auth = $auth
        }
EOF
        sw_child_conf l2tp "$port" 1701 "$esp"
        echo "    }"
        echo "}"
        if [ "$auth" = psk ]; then
            printf 'secrets {\n    ike-l2tp {\n        secret = "%s"\n    }\n}\n' "$7"
        fi
    } > "$dir/swanctl.conf"
}

# sw_initiate NS NAME TAG: brings IKE and the "l2tp" CHILD_SA up (bounded: 25 s); swanctl's
# output in $W/TAG.initiate.log.
sw_initiate() {
    sw "$1" --initiate --ike "$2" --child l2tp --timeout 25 > "$W/$3.initiate.log" 2>&1
}

# sw_terminate NS NAME: deletes the IKE SA (and its CHILD_SAs), bounded.
sw_terminate() { sw "$1" --terminate --ike "$2" --timeout 10 > /dev/null 2>&1; }

# sw_sas NS: swanctl --list-sas of NS (text).
sw_sas() { sw "$1" --list-sas 2>/dev/null; }
sw_ike_established() { sw_sas "$1" | grep -q 'ESTABLISHED.*IKEv1'; }
sw_no_ike() { ! sw_sas "$1" | grep -qE 'ESTABLISHED|CONNECTING|REKEYING|DELETING'; }

# xfrm_esp_count NS: number of ESP states in NS's kernel.
xfrm_esp_count() { ip -n "$1" xfrm state | grep -c 'proto esp'; }
xfrm_empty() { [ "$(xfrm_esp_count "$1")" = 0 ]; }
