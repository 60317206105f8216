#!/usr/bin/env python3
"""Queries rasd's history file (one JSON object per line, see README "history_file").

usage: history.py FILE last ADDRESS     -> prints the event of the last record for ADDRESS
                                           ("start", "stop", or "none")
       history.py FILE cause ADDRESS    -> prints the cause of the last stop record for ADDRESS
       history.py FILE field ADDRESS KEY -> prints KEY of the last start record for ADDRESS
                                           ("" when there is none)
       history.py FILE ipsec ADDRESS KEY -> prints KEY of the "ipsec" object of the last start
                                           record for ADDRESS as JSON (true, "198.51.100.2:500",
                                           ...); "none" when there is no such record or key
       history.py FILE balanced         -> exit 0 when every started session has exactly one stop
                                           record, at least one session started and no record
                                           is malformed; prints a summary
A missing file counts as empty.
"""
import json
import sys


def load(path):
    records, bad = [], []
    try:
        with open(path, encoding="utf-8") as f:
            for lineno, line in enumerate(f, 1):
                if not line.strip():
                    continue
                try:
                    rec = json.loads(line)
                    if not isinstance(rec, dict):
                        raise ValueError("not an object")
                    records.append(rec)
                except ValueError as e:
                    bad.append(f"line {lineno}: {e}: {line.strip()[:120]}")
    except FileNotFoundError:
        pass
    return records, bad


def of(records, event, address):
    return [r for r in records if r.get("event") == event and r.get("address") == address]


def balanced(records, bad):
    ok = not bad
    for b in bad:
        print(f"malformed {b}")
    starts, stops = {}, {}
    for r in records:
        sid = r.get("session")
        if r.get("event") == "start":
            starts[sid] = starts.get(sid, 0) + 1
        elif r.get("event") == "stop":
            stops[sid] = stops.get(sid, 0) + 1
        else:
            print(f"unknown event: {r}")
            ok = False
    for sid, n in sorted(starts.items(), key=lambda kv: str(kv[0])):
        if n != 1 or stops.get(sid, 0) != 1:
            print(f"session {sid}: {n} start record(s), {stops.get(sid, 0)} stop record(s)")
            ok = False
    for sid, n in stops.items():
        if n > 1:
            print(f"session {sid}: {n} stop records")
            ok = False
    print(f"{len(starts)} session(s) started, {sum(stops.values())} stop record(s)")
    return ok and bool(starts)


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    records, bad = load(argv[1])
    cmd = argv[2]
    if cmd == "last" and len(argv) == 4:
        mine = [r for r in records if r.get("address") == argv[3]]
        print(mine[-1].get("event", "none") if mine else "none")
    elif cmd == "cause" and len(argv) == 4:
        stops = of(records, "stop", argv[3])
        print(stops[-1].get("cause", "") if stops else "")
    elif cmd == "field" and len(argv) == 5:
        starts = of(records, "start", argv[3])
        print(starts[-1].get(argv[4], "") if starts else "")
    elif cmd == "ipsec" and len(argv) == 5:
        starts = of(records, "start", argv[3])
        ipsec = starts[-1].get("ipsec") if starts else None
        print(json.dumps(ipsec[argv[4]]) if isinstance(ipsec, dict) and argv[4] in ipsec else "none")
    elif cmd == "balanced":
        return 0 if balanced(records, bad) else 1
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
