#!/usr/bin/env python3
"""wait_alert.py — polls a `hivesec agent -o file:PATH` alert file for one alert.

Usage: wait_alert.py ALERTS RULE SINCE_NS CID IMAGE PROC PPROC [TIMEOUT_S]

Waits (polling every 50 ms, at most TIMEOUT_S, default 5) for an alert of RULE whose event
time is >= SINCE_NS and whose output_fields container.id is CID (12 characters). Then checks
container.image.repository == IMAGE, proc.name == PROC (when PROC is not "-"; argv[0] of
proc.cmdline when the rule's output has no proc.name) and proc.pname ==
PPROC (when PPROC is not "-" and the rule's output has the parent; alerts of other processes
are skipped, e.g. the `sh -c` that started the attack), and the detection latency:
the wall-clock time the line was first seen in the file minus the alert's own event time,
which must be <= 1 s. Prints one line "ok latency_ms=N ..." or "bad: reason" and exits 0/1.
"""
import datetime
import json
import sys
import time


def parse_time(s):
    # RFC 3339 with nanoseconds: 2026-11-23T04:40:01.123456789Z
    base, frac = s.rstrip("Z").split(".")
    dt = datetime.datetime.strptime(base, "%Y-%m-%dT%H:%M:%S").replace(tzinfo=datetime.timezone.utc)
    return int(dt.timestamp()) * 1_000_000_000 + int(frac.ljust(9, "0")[:9])


def main():
    path, rule, since, cid, image, proc, pproc = sys.argv[1:8]
    timeout = float(sys.argv[8]) if len(sys.argv) > 8 else 5.0
    since = int(since)
    deadline = time.time() + timeout
    pos = 0
    buf = ""
    mismatch = ""
    while True:
        seen_ns = time.time_ns()
        with open(path, errors="replace") as f:
            f.seek(pos)
            buf += f.read()
            pos = f.tell()
        *lines, buf = buf.split("\n")
        for line in lines:
            try:
                a = json.loads(line)
            except ValueError:
                continue
            of = a.get("output_fields", {})
            if a.get("rule") != rule or of.get("container.id") != cid:
                continue
            t = parse_time(a["time"])
            if t < since:
                continue
            # The process: proc.name, or argv[0] of proc.cmdline when the output lacks the name.
            name = of.get("proc.name") or (of.get("proc.cmdline") or "?").split(" ")[0]
            if proc != "-" and name != proc:
                mismatch = line  # another process of the attack matched too (sh -c ARGS): wait
                continue
            problems = []
            if of.get("container.image.repository") != image:
                problems.append(f"image {of.get('container.image.repository')!r} != {image!r}")
            if pproc != "-" and "proc.pname" in of and of["proc.pname"] != pproc:
                problems.append(f"proc.pname {of['proc.pname']!r} != {pproc!r}")
            latency_ms = (seen_ns - t) / 1e6
            if latency_ms > 1000:
                problems.append(f"latency {latency_ms:.0f} ms > 1000 ms")
            chain = f"{of.get('proc.pname', '?')}>{name}"
            if problems:
                print("bad: " + "; ".join(problems) + " | " + line[:400])
                return 1
            print(f"ok latency_ms={latency_ms:.0f} chain={chain} priority={a.get('priority')}")
            return 0
        if time.time() > deadline:
            print(f"bad: no '{rule}' alert for container {cid} and process {proc} within "
                  f"{timeout:.0f} s" + (f"; other process: {mismatch[:300]}" if mismatch else ""))
            return 1
        time.sleep(0.05)


if __name__ == "__main__":
    sys.exit(main())
