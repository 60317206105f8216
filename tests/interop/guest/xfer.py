#!/usr/bin/env python3
"""Bounded one-shot TCP file transfer for the interop tests (no dependencies beyond python3).

usage: xfer.py listen-recv PORT OUTFILE READYFILE | listen-send PORT INFILE READYFILE
             | connect-send HOST PORT INFILE     | connect-recv HOST PORT OUTFILE

The listening side binds 0.0.0.0, touches READYFILE once it listens, serves one connection
and exits. Every socket operation times out (30 s idle), so a broken tunnel cannot hang a test.
"""
import socket
import sys
import time

TIMEOUT = 30.0
CHUNK = 65536


def send_file(sock, path):
    with open(path, "rb") as f:
        while True:
            data = f.read(CHUNK)
            if not data:
                break
            sock.sendall(data)
    sock.shutdown(socket.SHUT_WR)
    # Wait for the peer to close so that everything sent is known to be read.
    while sock.recv(CHUNK):
        pass


def recv_file(sock, path):
    n = 0
    with open(path, "wb") as f:
        while True:
            data = sock.recv(CHUNK)
            if not data:
                break
            f.write(data)
            n += len(data)
    return n


def listen(port, ready):
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("0.0.0.0", port))
    srv.listen(1)
    srv.settimeout(60.0)
    open(ready, "w").close()
    conn, _ = srv.accept()
    conn.settimeout(TIMEOUT)
    srv.close()
    return conn


def connect(host, port):
    return socket.create_connection((host, port), timeout=TIMEOUT)


def main(argv):
    mode = argv[1] if len(argv) > 1 else ""
    t0 = time.monotonic()
    if mode == "listen-recv" and len(argv) == 5:
        conn = listen(int(argv[2]), argv[4])
        n = recv_file(conn, argv[3])
        conn.close()
    elif mode == "listen-send" and len(argv) == 5:
        conn = listen(int(argv[2]), argv[4])
        send_file(conn, argv[3])
        conn.close()
        n = 0
    elif mode == "connect-send" and len(argv) == 5:
        conn = connect(argv[2], int(argv[3]))
        send_file(conn, argv[4])
        conn.close()
        n = 0
    elif mode == "connect-recv" and len(argv) == 5:
        conn = connect(argv[2], int(argv[3]))
        n = recv_file(conn, argv[4])
        conn.close()
    else:
        print(__doc__, file=sys.stderr)
        return 2
    dt = time.monotonic() - t0
    print(f"{mode}: {n} bytes received in {dt:.1f}s")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv))
    except OSError as e:
        print(f"{sys.argv[1] if len(sys.argv) > 1 else 'xfer'}: {e}", file=sys.stderr)
        sys.exit(1)
