#!/usr/bin/env python3
"""osv_oracle.py — an independent reading of OSV data, to check hivesec's matcher against.

Usage: osv_oracle.py ZIP ECOSYSTEM SCHEME NAME=VERSION...
Prints "NAME=VERSION<TAB>ID" for every non-withdrawn record in ZIP that affects the package,
sorted. SCHEME is "dpkg" (compares with the real `dpkg --compare-versions`) or "semver"
(SemVer 2.0 precedence, written here from the SemVer specification).

Deliberately simple and separate from hivesec's C++: events sorted by version, affected from an
introduced event until the next fixed (exclusive) / last_affected (inclusive) event.
"""
import functools
import json
import subprocess
import sys
import zipfile


def dpkg_cmp(a, b):
    if a == b:
        return 0
    lt = subprocess.run(["dpkg", "--compare-versions", a, "lt", b]).returncode == 0
    return -1 if lt else 1


def semver_key(v):
    v = v.split("+", 1)[0]
    core, _, pre = v.partition("-")
    nums = [int(x) for x in core.split(".")]
    while len(nums) < 3:
        nums.append(0)
    # A release sorts after every prerelease of it.
    pre_key = (1,) if not pre else (0,) + tuple(
        (0, int(p), "") if p.isdigit() else (1, 0, p) for p in pre.split("."))
    return (tuple(nums), pre_key)


def semver_cmp(a, b):
    ka, kb = semver_key(a), semver_key(b)
    return (ka > kb) - (ka < kb)


CMP = {"dpkg": dpkg_cmp, "semver": semver_cmp}


def affected(cmp, entry, version):
    if version in entry.get("versions", []):
        return True
    for rng in entry.get("ranges", []):
        if rng.get("type") not in ("ECOSYSTEM", "SEMVER"):
            continue
        events = []
        for e in rng.get("events", []):
            (kind, value), = e.items()
            events.append((kind, value))
        order = {"introduced": 0, "last_affected": 1, "fixed": 2, "limit": 3}

        def key_cmp(x, y):
            if x[1] == "0" and x[0] == "introduced":
                return -1
            if y[1] == "0" and y[0] == "introduced":
                return 1
            c = cmp(x[1], y[1])
            return c if c else order[x[0]] - order[y[0]]

        events.sort(key=functools.cmp_to_key(key_cmp))
        if any(k == "limit" and cmp(version, v) >= 0 for k, v in events):
            continue
        state = False
        for kind, value in events:
            if kind == "introduced" and (value == "0" or cmp(version, value) >= 0):
                state = True
            elif kind == "fixed" and cmp(version, value) >= 0:
                state = False
            elif kind == "last_affected" and cmp(version, value) > 0:
                state = False
        if state:
            return True
    return False


def main():
    zip_path, ecosystem, scheme = sys.argv[1:4]
    wanted = [a.split("=", 1) for a in sys.argv[4:]]
    cmp = CMP[scheme]
    out = set()
    with zipfile.ZipFile(zip_path) as z:
        for name in z.namelist():
            rec = json.loads(z.read(name))
            if rec.get("withdrawn"):
                continue
            for entry in rec.get("affected", []):
                pkg = entry.get("package", {})
                if pkg.get("ecosystem") != ecosystem:
                    continue
                for pname, version in wanted:
                    if pkg.get("name") == pname and affected(cmp, entry, version):
                        out.add(f"{pname}={version}\t{rec['id']}")
    print("\n".join(sorted(out)))


if __name__ == "__main__":
    main()
