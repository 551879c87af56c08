#!/usr/bin/env python3
"""Checks of `hivesec image inventory --format json` results against truths.

    check.py dpkg RESULT.json TRUTH.txt          deb packages (name<TAB>version) == truth
    check.py npm RESULT.json TRUTH.txt           npm packages (name@version) == truth
    check.py go RESULT.json TRUTH.txt            each "path<TAB>goX.Y.Z" binary is reported
    check.py os RESULT.json FAMILY VERSION_PREFIX
    check.py layers RESULT.json N                image.layers has N entries with diff_ids
    check.py same A.json B.json                  same (type, name, version, location) set
    check.py pkgset RESULT.json EXPECTED_JSON    (type, name, version) set == expected list
    check.py os-not RESULT.json FAMILY...        os.family is none of FAMILY

Exit 0 when the check holds, 1 with a short diff on stdout otherwise. Standard library only.
"""

import json
import sys


def load(path):
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    if not isinstance(doc, dict) or not isinstance(doc.get("packages", []), list):
        raise ValueError(f"{path}: not an inventory document")
    return doc


def packages(doc, types=None):
    for p in doc.get("packages") or []:
        if types is None or p.get("type") in types:
            yield p


def read_lines(path):
    with open(path, encoding="utf-8") as f:
        return {line.rstrip("\n") for line in f if line.strip()}


def compare(label, got, want):
    missing, extra = sorted(want - got), sorted(got - want)
    if not missing and not extra:
        print(f"{label}: {len(want)} match")
        return True
    print(f"{label}: {len(got)} reported, {len(want)} expected")
    for m in missing[:20]:
        print(f"  missing: {m}")
    for e in extra[:20]:
        print(f"  extra:   {e}")
    if len(missing) > 20 or len(extra) > 20:
        print(f"  ... {len(missing)} missing, {len(extra)} extra in all")
    return False


def norm_path(p):
    return "/" + (p or "").lstrip("/")


def go_version(v):
    v = (v or "").strip()
    for prefix in ("v", "go"):
        if v.startswith(prefix):
            v = v[len(prefix):]
    return v


def main(argv):
    cmd, args = argv[1], argv[2:]
    if cmd == "dpkg":
        got = {f"{p.get('name')}\t{p.get('version')}" for p in packages(load(args[0]), {"deb"})}
        return compare("dpkg", got, read_lines(args[1]))
    if cmd == "npm":
        got = {f"{p.get('name')}@{p.get('version')}" for p in packages(load(args[0]), {"npm"})}
        return compare("npm", got, read_lines(args[1]))
    if cmd == "go":
        doc = load(args[0])
        ok = True
        for line in sorted(read_lines(args[1])):
            path, version = line.split("\t")
            hits = [p for p in packages(doc) if norm_path(p.get("location")) == path
                    and p.get("name") in ("stdlib", "go", "golang")
                    and go_version(p.get("version")) == go_version(version)]
            if hits:
                print(f"go: {path} {version} found")
            else:
                seen = sorted({f"{p.get('type')}:{p.get('name')}@{p.get('version')}"
                               for p in packages(doc) if norm_path(p.get("location")) == path})
                print(f"go: {path} {version} NOT found; at that location: {seen[:10]}")
                ok = False
        return ok
    if cmd == "os":
        os_ = load(args[0]).get("os") or {}
        ok = os_.get("family") == args[1] and str(os_.get("version", "")).startswith(args[2])
        print(f"os: {os_} (want {args[1]} {args[2]}*)")
        return ok
    if cmd == "os-not":
        family = (load(args[0]).get("os") or {}).get("family")
        print(f"os family: {family!r} (must not be one of {args[1:]})")
        return family not in args[1:]
    if cmd == "layers":
        layers = (load(args[0]).get("image") or {}).get("layers") or []
        ok = len(layers) == int(args[1]) and all(
            str(l.get("diff_id", "")).startswith("sha256:") for l in layers)
        print(f"layers: {len(layers)} (want {args[1]}, each with a sha256 diff_id)")
        return ok
    if cmd == "same":
        def key_set(path):
            return {f"{p.get('type')}|{p.get('name')}|{p.get('version')}|"
                    f"{norm_path(p.get('location'))}" for p in packages(load(path))}
        a = key_set(args[0])
        return compare(f"same({args[0]} vs {args[1]})", key_set(args[1]), a) and bool(a)
    if cmd == "pkgset":
        want = {f"{p['type']}|{p['name']}|{p['version']}" for p in json.loads(args[1])}
        got = {f"{p.get('type')}|{p.get('name')}|{p.get('version')}"
               for p in packages(load(args[0]))}
        return compare("packages", got, want)
    print(f"unknown check: {cmd}", file=sys.stderr)
    return False


if __name__ == "__main__":
    try:
        sys.exit(0 if main(sys.argv) else 1)
    except (OSError, ValueError, IndexError, KeyError) as e:
        print(f"check error: {e}")
        sys.exit(1)
