#!/usr/bin/env python3
"""A stand-in for the hivesec CLI, used only to check the integration test scripts themselves
(HIVESEC=tests/integration/lib/mock_hivesec.py bash tests/integration/inventory_test.sh).

It implements a slice of the CLI contract, in a slow, simple way:
    image inventory REF --format json [--cache-dir D | --no-cache] [--platform P]
    fs inventory DIR --format json
REF: docker-archive:PATH, oci-archive:PATH, oci:DIR, or a path (autodetected).
Found: dpkg status (deb), node_modules/**/package.json (npm), Go build info of ELF files
(name "stdlib", version "goX.Y.Z"), os-release. Bad input: exit 2 with one line on stderr.
It never extracts anything: all reads are in memory, bounded per file.
"""

import gzip
import hashlib
import io
import json
import os
import posixpath
import re
import stat
import sys
import tarfile
import zlib

MAX_META = 8 << 20  # bytes read from one metadata file
MAX_BIN = 64 << 20  # bytes read from one executable
GO_MAGIC = b"\xff Go buildinf:"


class Bad(Exception):
    pass


def norm(path):
    """Lexical normalisation clamped at the root: 'a/../../b' -> 'b', '/x' -> 'x'."""
    parts = []
    for p in path.split("/"):
        if p in ("", "."):
            continue
        if p == "..":
            if parts:
                parts.pop()
            continue
        parts.append(p)
    return "/".join(parts)


def interesting(path):
    base = posixpath.basename(path)
    return (path in ("etc/os-release", "usr/lib/os-release", "var/lib/dpkg/status")
            or path.startswith("var/lib/dpkg/status.d/")
            or (base == "package.json" and "node_modules/" in path))


class HashReader(io.RawIOBase):
    def __init__(self, f):
        self.f, self.h, self.n = f, hashlib.sha256(), 0

    def readable(self):
        return True

    def readinto(self, b):
        data = self.f.read(len(b))
        self.h.update(data)
        self.n += len(data)
        b[:len(data)] = data
        return len(data)


def read_layer(fileobj, state, index):
    raw = fileobj if hasattr(fileobj, "peek") else io.BufferedReader(fileobj)
    head = raw.peek(2)[:2]
    stream = gzip.GzipFile(fileobj=raw) if head == b"\x1f\x8b" else raw
    hr = HashReader(stream)
    buf = io.BufferedReader(hr, 1 << 16)
    try:
        tf = tarfile.open(fileobj=buf, mode="r|")
        count = 0
        while True:
            m = tf.next()
            if m is None:
                break
            tf.members = []  # keep memory flat
            count += 1
            path = norm(m.name)
            base = posixpath.basename(path)
            if base.startswith(".wh."):
                d = posixpath.dirname(path)
                target = d if base == ".wh..wh..opq" else posixpath.join(d, base[4:])
                for tbl in (state["files"], state["links"], state["bins"]):
                    for k in [k for k in tbl if k == target or k.startswith(target + "/")]:
                        if not (base == ".wh..wh..opq" and k == target):
                            del tbl[k]
                continue
            for tbl in (state["files"], state["links"], state["bins"]):
                tbl.pop(path, None)
            if m.issym() or m.islnk():
                state["links"][path] = (m.linkname, m.issym())
            elif m.isfile():
                if interesting(path) and m.size <= MAX_META:
                    state["files"][path] = (tf.extractfile(m).read(), index)
                elif m.mode & 0o111 and 0 < m.size <= MAX_BIN:
                    data = tf.extractfile(m).read()
                    if data[:4] == b"\x7fELF":
                        v = go_version(data)
                        if v:
                            state["bins"][path] = (v, index)
        while buf.read(1 << 20):
            pass
    except (tarfile.TarError, EOFError, OSError, gzip.BadGzipFile, zlib.error) as e:
        raise Bad(f"layer {index}: unreadable: {e}")
    return "sha256:" + hr.h.hexdigest()


def go_version(data):
    i = data.find(GO_MAGIC)
    while i >= 0 and i % 16:
        i = data.find(GO_MAGIC, i + 1)
    if i < 0 or len(data) < i + 33 or not data[i + 15] & 2:
        return None
    p, shift, n = i + 32, 0, 0
    while p < len(data):
        b = data[p]
        n |= (b & 0x7F) << shift
        p += 1
        shift += 7
        if not b & 0x80:
            break
    v = data[p:p + n].decode(errors="replace")
    return v if v.startswith("go") else None


def resolve(state, path, depth=0):
    """Resolves symlinks inside the image root; None if missing or looping."""
    if depth > 40:
        return None
    parts = path.split("/")
    for i in range(1, len(parts) + 1):
        pre = "/".join(parts[:i])
        if pre in state["links"]:
            target, sym = state["links"][pre]
            base = posixpath.dirname(pre) if sym and not target.startswith("/") else ""
            new = norm(posixpath.join(base, target) + "/" + "/".join(parts[i:]))
            return resolve(state, new, depth + 1)
    return path


def lookup(state, path):
    p = resolve(state, path)
    return state["files"].get(p) if p is not None else None


def parse_kv(text):
    out = {}
    for line in text.splitlines():
        if "=" in line:
            k, v = line.split("=", 1)
            out[k.strip()] = v.strip().strip('"')
    return out


def inventory(state, layers_meta):
    pkgs, notes = [], []
    osr = lookup(state, "etc/os-release") or lookup(state, "usr/lib/os-release")
    os_info = {}
    if osr:
        kv = parse_kv(osr[0].decode(errors="replace"))
        os_info = {"family": kv.get("ID", ""), "version": kv.get("VERSION_ID", "")}
    st = lookup(state, "var/lib/dpkg/status")
    if st:
        for para in st[0].decode(errors="replace").split("\n\n"):
            f = dict(re.findall(r"^([A-Za-z-]+): ?(.*)$", para, re.M))
            if f.get("Package") and "installed" in f.get("Status", "").split()[-1:]:
                src = f.get("Source", f["Package"]).split(" ")[0]
                pkgs.append({"type": "deb", "name": f["Package"], "version": f.get("Version", ""),
                             "source_name": src, "location": "/var/lib/dpkg/status",
                             "layer": layers_meta[st[1]]["diff_id"]})
    for path, (data, idx) in sorted(state["files"].items()):
        if posixpath.basename(path) == "package.json" and "node_modules/" in path:
            try:
                j = json.loads(data)
            except ValueError:
                notes.append(f"/{path}: bad JSON")
                continue
            if isinstance(j, dict) and j.get("name") and j.get("version"):
                pkgs.append({"type": "npm", "name": j["name"], "version": j["version"],
                             "location": "/" + path, "layer": layers_meta[idx]["diff_id"]})
    for path, (v, idx) in sorted(state["bins"].items()):
        pkgs.append({"type": "golang", "name": "stdlib", "version": v, "location": "/" + path,
                     "layer": layers_meta[idx]["diff_id"]})
    return {"packages": pkgs, "os": os_info, "image": {"layers": layers_meta}, "notes": notes}


def new_state():
    return {"files": {}, "links": {}, "bins": {}}


def jload(data, what):
    try:
        return json.loads(data)
    except (ValueError, UnicodeDecodeError):
        raise Bad(f"{what}: invalid JSON")


def scan_layers(open_blob, layer_refs, diff_ids):
    if len(layer_refs) != len(diff_ids):
        raise Bad("config diff_ids do not match the manifest's layers")
    state, meta = new_state(), []
    for i, (ref, want) in enumerate(zip(layer_refs, diff_ids)):
        got = read_layer(open_blob(ref), state, i)
        if got != want:
            raise Bad(f"layer {i}: diff_id mismatch ({got} != {want})")
        meta.append({"digest": ref if ref.startswith("sha256:") else "", "diff_id": got,
                     "size": 0})
    return state, meta


def docker_archive(path):
    try:
        t = tarfile.open(fileobj=path) if hasattr(path, "read") else tarfile.open(path, "r:")
    except (tarfile.TarError, OSError) as e:
        raise Bad(f"{path}: not a docker-archive: {e}")
    names = {norm(m.name): m for m in t.getmembers() if m.isfile()}

    def read(name):
        m = names.get(norm(name))
        if m is None:
            raise Bad(f"docker-archive: missing entry {name}")
        return t.extractfile(m)

    man = jload(read("manifest.json").read(MAX_META), "manifest.json")
    if not isinstance(man, list) or not man or not isinstance(man[0], dict):
        raise Bad("manifest.json: not a list of images")
    cfg_name = str(man[0].get("Config", ""))
    cfg_raw = read(cfg_name).read(MAX_META)
    hexname = posixpath.basename(cfg_name).split(".")[0]
    if re.fullmatch(r"[0-9a-f]{64}", hexname) and hashlib.sha256(cfg_raw).hexdigest() != hexname:
        raise Bad(f"config {cfg_name}: digest mismatch")
    cfg = jload(cfg_raw, "config")
    diff_ids = ((cfg.get("rootfs") or {}).get("diff_ids")) if isinstance(cfg, dict) else None
    if not isinstance(diff_ids, list):
        raise Bad("config: no rootfs.diff_ids")
    return scan_layers(lambda n: io.BufferedReader(read(n)), list(man[0].get("Layers") or []),
                       diff_ids)


def oci_layout(open_file):
    def blob(digest):
        if not re.fullmatch(r"sha256:[0-9a-f]{64}", str(digest)):
            raise Bad(f"bad digest {digest!r}")
        return open_file("blobs/sha256/" + digest[7:])

    def verified(digest):
        data = blob(digest).read(MAX_META)
        if "sha256:" + hashlib.sha256(data).hexdigest() != digest:
            raise Bad(f"blob {digest}: digest mismatch")
        return data

    idx = jload(open_file("index.json").read(MAX_META), "index.json")
    mans = idx.get("manifests") if isinstance(idx, dict) else None
    if not mans:
        raise Bad("index.json: no manifests")
    man = jload(verified(mans[0]["digest"]), "manifest")
    cfg = jload(verified(man["config"]["digest"]), "config")
    refs = [l["digest"] for l in man.get("layers", [])]
    return scan_layers(lambda d: io.BufferedReader(blob(d)), refs,
                       (cfg.get("rootfs") or {}).get("diff_ids") or [])


def oci_dir(path):
    def open_file(rel):
        try:
            return open(os.path.join(path, rel), "rb")
        except OSError as e:
            raise Bad(f"oci:{path}: {e.strerror}: {rel}")
    return oci_layout(open_file)


def oci_archive(path):
    try:
        t = tarfile.open(path, "r:")
    except (tarfile.TarError, OSError) as e:
        raise Bad(f"{path}: not an oci-archive: {e}")
    names = {norm(m.name): m for m in t.getmembers() if m.isfile()}

    def open_file(rel):
        if rel not in names:
            raise Bad(f"oci-archive: missing {rel}")
        return t.extractfile(names[rel])
    return oci_layout(open_file)


def engine_image(name):
    """docker:NAME: GET /images/NAME/get from the Engine API at DOCKER_HOST (unix socket)."""
    import http.client
    import socket
    import tempfile
    import urllib.parse
    host = os.environ.get("DOCKER_HOST", "unix:///var/run/docker.sock")
    if not host.startswith("unix://"):
        raise Bad(f"DOCKER_HOST {host}: only unix sockets")

    class Conn(http.client.HTTPConnection):
        def connect(self):
            self.sock = socket.socket(socket.AF_UNIX)
            self.sock.connect(host[len("unix://"):])
    try:
        c = Conn("localhost")
        c.request("GET", "/v1.41/images/" + urllib.parse.quote(name, safe="") + "/get")
        r = c.getresponse()
        if r.status != 200:
            raise Bad(f"docker:{name}: engine answered {r.status}")
        f = tempfile.TemporaryFile()
        while True:
            chunk = r.read(1 << 20)
            if not chunk:
                break
            f.write(chunk)
        f.seek(0)
    except OSError as e:
        raise Bad(f"docker:{name}: {e}")
    return f


def image_inventory(ref):
    if ref.startswith("docker:"):
        return docker_archive(engine_image(ref.split(":", 1)[1]))
    if ref.startswith("docker-archive:"):
        return docker_archive(ref.split(":", 1)[1])
    if ref.startswith("oci-archive:"):
        return oci_archive(ref.split(":", 1)[1])
    if ref.startswith("oci:"):
        return oci_dir(ref.split(":", 1)[1])
    if os.path.isdir(ref):
        return oci_dir(ref)
    if os.path.isfile(ref):
        try:
            with tarfile.open(ref, "r:") as t:
                names = set(t.getnames())
        except (tarfile.TarError, OSError) as e:
            raise Bad(f"{ref}: not an image archive: {e}")
        return docker_archive(ref) if "manifest.json" in names else oci_archive(ref)
    raise Bad(f"{ref}: no such image")


def fs_inventory(root):
    if not os.path.isdir(root):
        raise Bad(f"{root}: not a directory")
    state = new_state()
    for d, dirs, files in os.walk(root):
        for name in files + [x for x in dirs if os.path.islink(os.path.join(d, x))]:
            full = os.path.join(d, name)
            rel = norm(os.path.relpath(full, root))
            st = os.lstat(full)
            if stat.S_ISLNK(st.st_mode):
                state["links"][rel] = (os.readlink(full), True)
            elif stat.S_ISREG(st.st_mode) and interesting(rel) and st.st_size <= MAX_META:
                with open(full, "rb") as f:
                    state["files"][rel] = (f.read(), 0)
    return state, [{"digest": "", "diff_id": "", "size": 0}]


def main(argv):
    args = argv[1:]
    opts = {"--format": None, "--cache-dir": None, "--platform": None}
    pos = []
    i = 0
    while i < len(args):
        if args[i] in opts and i + 1 < len(args):
            opts[args[i]] = args[i + 1]
            i += 2
        elif args[i] == "--no-cache":
            i += 1
        else:
            pos.append(args[i])
            i += 1
    try:
        if pos[:2] == ["image", "inventory"] and len(pos) == 3:
            state, meta = image_inventory(pos[2])
        elif pos[:2] == ["fs", "inventory"] and len(pos) == 3:
            state, meta = fs_inventory(pos[2])
        else:
            raise Bad("usage: image inventory REF | fs inventory DIR (--format json)")
        if opts["--cache-dir"]:
            os.makedirs(opts["--cache-dir"], exist_ok=True)
        json.dump(inventory(state, meta), sys.stdout)
        sys.stdout.write("\n")
        return 0
    except (KeyError, TypeError, AttributeError, IndexError) as e:
        print(f"hivesec: error: malformed image metadata: {e!r}", file=sys.stderr)
        return 2
    except Bad as e:
        print(f"hivesec: error: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
