#!/usr/bin/env python3
"""gen_sbom.py — a realistic CycloneDX 1.6 SBOM of N components for bench/vuln_match.sh.

Names and versions come from the bundled advisory data (data/vulndata), so matching does real
work: Debian 11 packages (named by source package, as `Source:` would), PyPI, Go modules and
npm packages at versions taken from advisory events (some affected, some fixed), plus packages
no advisory names (most of a real image). Deterministic (seeded).
Usage: gen_sbom.py DATA_DIR N OUT.json
"""
import json
import random
import sys
import zipfile

data, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
rng = random.Random(20261122)


def names_versions(eco_dir, eco_prefix):
    found = {}
    with zipfile.ZipFile(f"{data}/{eco_dir}/all.zip") as z:
        for name in z.namelist():
            rec = json.loads(z.read(name))
            for a in rec.get("affected", []):
                pkg = a.get("package", {})
                if not pkg.get("ecosystem", "").startswith(eco_prefix):
                    continue
                for r in a.get("ranges", []):
                    for e in r.get("events", []):
                        for v in e.values():
                            if v != "0":
                                found.setdefault(pkg["name"], set()).add(v)
    return {k: sorted(v) for k, v in found.items()}


def pick(table, count):
    names = sorted(table)
    rng.shuffle(names)
    return [(nm, rng.choice(table[nm])) for nm in names[:count]]


share = {"deb": 0.40, "pypi": 0.20, "golang": 0.20, "npm": 0.05, "filler": 0.15}
comps = []
for name, v in pick(names_versions("Debian", "Debian:11"), int(n * share["deb"])):
    comps.append(("deb", "debian", name, v, {"distro": "debian-11", "arch": "amd64"}))
for name, v in pick(names_versions("PyPI", "PyPI"), int(n * share["pypi"])):
    comps.append(("pypi", "", name, v, {}))
for name, v in pick(names_versions("Go", "Go"), int(n * share["golang"])):
    ns, _, base = name.rpartition("/")
    comps.append(("golang", ns, base, ("" if name == "stdlib" else "v") + v, {}))
npm = names_versions("npm", "npm")
for i in range(int(n * share["npm"])):
    name = sorted(npm)[i % len(npm)]
    comps.append(("npm", "", name, rng.choice(npm[name]), {}))
while len(comps) < n:
    i = len(comps)
    comps.append(("npm", "", f"bench-filler-{i}", f"1.{i % 17}.{i % 5}", {}))


def purl(t, ns, name, v, q):
    from urllib.parse import quote
    p = f"pkg:{t}/" + "".join(quote(s, safe="") + "/" for s in ns.split("/") if s)
    p += quote(name, safe="") + "@" + quote(v, safe="")
    if q:
        p += "?" + "&".join(f"{k}={quote(val, safe='')}" for k, val in sorted(q.items()))
    return p


bom = {
    "bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1,
    "metadata": {"component": {"type": "container", "name": "bench-4000", "bom-ref": "root"}},
    "components": [{"type": "operating-system", "name": "debian", "version": "11",
                    "bom-ref": "os"}] + [
        {"type": "library", "bom-ref": f"c{i}", "name": (ns + "/" if ns and t != "golang" else "") + name,
         "version": v, "purl": purl(t, ns, name, v, q)}
        for i, (t, ns, name, v, q) in enumerate(comps)],
}
with open(out, "w") as f:
    json.dump(bom, f)
print(f"{len(comps)} components", file=sys.stderr)
