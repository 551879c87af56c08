#!/usr/bin/env python3
"""Generators of hostile container images, written as docker-archive tars.

Each case has a valid-looking docker-archive frame (manifest.json, config, layers) with one
hostile part. Usage:

    hostile.py list                 one line per case: NAME<TAB>EXPECT<TAB>description
    hostile.py CASE OUT.tar         write the image
    hostile.py info CASE            the case's expectations as JSON

EXPECT is what a careful scanner does with the image:
    error   exit 2 with exactly one line on stderr
    valid   exit 0; the JSON result holds exactly the packages in "packages" (type, name, version)
    either  exit 0 (then "packages" as for valid and "os_family_not" must not be the OS family) or
            exit 2 with one line on stderr; never anything written outside the image

Every layer that is meant to be readable carries a one-package dpkg status
(hostile-marker 1.0) and an os-release with ID=hivesectest, so a result can be checked, unless
the case replaces them with hostile links. Symlink targets that point outside use
SENTINEL_DIR (env HIVESEC_HOSTILE_SENTINEL, default /tmp/hivesec-hostile-sentinel): a scanner
that follows them out of the image would write into, or read from, that directory or the host's
/etc and /var/lib/dpkg.

Only the Python 3 standard library is used; large layers are generated streaming.
"""

import gzip
import hashlib
import io
import json
import os
import sys
import tarfile
import tempfile
import zlib

SENTINEL_DIR = os.environ.get("HIVESEC_HOSTILE_SENTINEL", "/tmp/hivesec-hostile-sentinel")
MARKER = [{"type": "deb", "name": "hostile-marker", "version": "1.0"}]
DPKG_STATUS = (b"Package: hostile-marker\nStatus: install ok installed\nPriority: optional\n"
               b"Section: misc\nMaintainer: hivesec tests <tests@example.invalid>\n"
               b"Architecture: amd64\nVersion: 1.0\nDescription: marker package\n\n")
OS_RELEASE = b'ID=hivesectest\nVERSION_ID="1"\nPRETTY_NAME="hivesec hostile test"\n'
GIB = 1 << 30
MTIME = 1700000000


# ---------------------------------------------------------------- minimal, fast ustar writer

def _octal(value, width):
    return b"%0*o\0" % (width - 1, value)


def tar_header(name, size=0, typ=b"0", mode=0o644, linkname=""):
    """A 512-byte ustar header. Names up to 255 bytes (split into prefix/name)."""
    raw = name.encode()
    prefix = b""
    if len(raw) > 100:
        cut = raw.rfind(b"/", 0, 156)
        if cut <= 0 or len(raw) - cut - 1 > 100:
            raise ValueError("name too long for ustar: " + name)
        prefix, raw = raw[:cut], raw[cut + 1:]
    link = linkname.encode()
    if len(link) > 100:
        raise ValueError("link target too long: " + linkname)
    h = bytearray(512)
    h[0:len(raw)] = raw
    h[100:108] = _octal(mode, 8)
    h[108:116] = _octal(0, 8)
    h[116:124] = _octal(0, 8)
    h[124:136] = _octal(size, 12)
    h[136:148] = _octal(MTIME, 12)
    h[148:156] = b"        "
    h[156:157] = typ
    h[157:157 + len(link)] = link
    h[257:265] = b"ustar\x0000"
    h[265:269] = b"root"
    h[297:301] = b"root"
    h[345:345 + len(prefix)] = prefix
    h[148:156] = b"%06o\0 " % sum(h)
    return bytes(h)


class LayerWriter:
    """Streams a tar layer into a file, optionally gzip'd, hashing the uncompressed bytes."""

    def __init__(self, path, compress):
        self.path = path
        self._f = open(path, "wb")
        self._digest = hashlib.sha256()
        self._z = zlib.compressobj(1, zlib.DEFLATED, 31) if compress else None
        self._buf = []
        self._buffered = 0

    def _write(self, data):
        self._buf.append(data)
        self._buffered += len(data)
        if self._buffered >= (1 << 20):
            self._flush()

    def _flush(self):
        if not self._buf:
            return
        chunk = b"".join(self._buf)
        self._buf, self._buffered = [], 0
        self._digest.update(chunk)
        self._f.write(self._z.compress(chunk) if self._z else chunk)

    def dir(self, name, mode=0o755):
        self._write(tar_header(name.rstrip("/") + "/", typ=b"5", mode=mode))

    def file(self, name, data=b"", mode=0o644):
        self._write(tar_header(name, size=len(data), mode=mode))
        if data:
            self._write(data)
            pad = -len(data) % 512
            if pad:
                self._write(b"\0" * pad)

    def zero_file(self, name, size, mode=0o644):
        """A file of SIZE zero bytes, streamed in 1 MiB pieces."""
        self._write(tar_header(name, size=size, mode=mode))
        block = b"\0" * (1 << 20)
        left = size
        while left:
            n = min(left, len(block))
            self._write(block if n == len(block) else block[:n])
            left -= n
        pad = -size % 512
        if pad:
            self._write(b"\0" * pad)

    def symlink(self, name, target):
        self._write(tar_header(name, typ=b"2", mode=0o777, linkname=target))

    def hardlink(self, name, target):
        self._write(tar_header(name, typ=b"1", linkname=target))

    def raw(self, data):
        self._write(data)

    def close(self):
        """Ends the archive; returns 'sha256:<hex>' of the uncompressed tar (the diff_id)."""
        self._write(b"\0" * 1024)
        self._flush()
        if self._z:
            self._f.write(self._z.flush())
        self._f.close()
        return "sha256:" + self._digest.hexdigest()


def marker_files(w):
    w.dir("etc")
    w.file("etc/os-release", OS_RELEASE)
    w.dir("var")
    w.dir("var/lib")
    w.dir("var/lib/dpkg")
    w.file("var/lib/dpkg/status", DPKG_STATUS)


# ---------------------------------------------------------------- docker-archive frame

def sha256_hex(data):
    return hashlib.sha256(data).hexdigest()


def make_config(diff_ids):
    return json.dumps({
        "architecture": "amd64",
        "os": "linux",
        "created": "2024-01-01T00:00:00Z",
        "config": {"Env": ["PATH=/usr/bin:/bin"], "Cmd": ["/bin/sh"]},
        "rootfs": {"type": "layers", "diff_ids": diff_ids},
        "history": [{"created": "2024-01-01T00:00:00Z", "created_by": "hostile.py"}
                    for _ in diff_ids],
    }, sort_keys=True).encode()


def write_layers(out, prefix, layers, mode=None, uid=None, encoding="utf-8"):
    """Writes uncompressed layer tars "<out>/<prefix>layer<N>.tar" for tests that build images.

    layers: one dict per layer, {path: str | bytes | None (a directory)}, or a list of
    (path, body, mode) tuples. mode / uid: optional functions path -> int for dict layers.
    Returns (paths, diff_ids).
    """
    paths, diff_ids = [], []
    for i, files in enumerate(layers):
        p = os.path.join(out, f"{prefix}layer{i}.tar")
        items = files if isinstance(files, list) else [
            (name, body, mode(name) if mode else (0o755 if body is None else 0o644))
            for name, body in files.items()]
        with tarfile.open(p, "w", format=tarfile.USTAR_FORMAT) as t:
            for name, body, m in items:
                info = tarfile.TarInfo(name.rstrip("/"))
                info.mode = m
                if uid:
                    info.uid = uid(name)
                if body is None:
                    info.type = tarfile.DIRTYPE
                    t.addfile(info)
                    continue
                data = body if isinstance(body, bytes) else body.encode(encoding)
                info.size = len(data)
                t.addfile(info, io.BytesIO(data))
        paths.append(p)
        with open(p, "rb") as f:
            diff_ids.append("sha256:" + hashlib.sha256(f.read()).hexdigest())
    return paths, diff_ids


def write_archive(out, case, layer_paths, diff_ids, config=None, config_name=None,
                  manifest=None, skip_layers=()):
    """Writes a docker-archive: layer blobs, the config, then manifest.json.

    config defaults to make_config(diff_ids), config_name to '<sha256(config)>.json',
    manifest to the standard one-image manifest. Layer blobs are stored as '<n>/layer.tar'.
    """
    if config is None:
        config = make_config(diff_ids)
    if config_name is None:
        config_name = sha256_hex(config) + ".json"
    layer_names = [f"{i:02d}{sha256_hex(d.encode())[:30]}/layer.tar"
                   for i, d in enumerate(diff_ids)]
    if manifest is None:
        manifest = json.dumps([{"Config": config_name,
                                "RepoTags": [f"hostile/{case}:latest"],
                                "Layers": layer_names}]).encode()
    with tarfile.open(out, "w", format=tarfile.USTAR_FORMAT) as t:
        for i, (path, name) in enumerate(zip(layer_paths, layer_names)):
            if i in skip_layers:
                continue
            info = tarfile.TarInfo(name)
            info.size = os.path.getsize(path)
            info.mtime = MTIME
            with open(path, "rb") as f:
                t.addfile(info, f)
        for name, data in ((config_name, config), ("manifest.json", manifest)):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mtime = MTIME
            t.addfile(info, io.BytesIO(data))


def one_layer(out, case, fill, compress=True, **frame):
    """Builds a single-layer image whose layer content is written by fill(LayerWriter)."""
    d = os.path.dirname(os.path.abspath(out))
    fd, tmp = tempfile.mkstemp(prefix=".hostile-layer-", dir=d)
    os.close(fd)
    try:
        w = LayerWriter(tmp, compress)
        fill(w)
        diff_id = w.close()
        post = frame.pop("post", None)
        if post:
            post(tmp)
        write_archive(out, case, [tmp], [diff_id], **frame)
    finally:
        os.unlink(tmp)


# ---------------------------------------------------------------- cases

def case_valid(out):
    one_layer(out, "valid", marker_files)


def case_truncated_gzip(out):
    def fill(w):
        marker_files(w)
        # Incompressible data so the cut lands inside the deflate stream, not in its trailer.
        w.file("usr/share/blob.bin", os.urandom(256 * 1024))

    def cut(path):
        size = os.path.getsize(path)
        with open(path, "r+b") as f:
            f.truncate(size // 2)
    one_layer(out, "truncated-gzip", fill, post=cut)


def case_dotdot(out):
    def fill(w):
        marker_files(w)
        w.file("../hivesec-dotdot-escape", b"escaped\n")
        w.file("usr/../../../hivesec-dotdot-escape2", b"escaped\n")
        w.dir("../../tmp")
        w.file(f"../../../..{SENTINEL_DIR}/dotdot-pwned", b"escaped\n")
    one_layer(out, "dotdot", fill)


def case_absolute(out):
    def fill(w):
        marker_files(w)
        w.file(f"{SENTINEL_DIR}/absolute-pwned", b"escaped\n")
        w.file("/etc/hivesec-absolute-pwned", b"escaped\n")
    one_layer(out, "absolute", fill)


def case_symlink_escape(out):
    def fill(w):
        w.dir("etc")
        w.dir("var")
        w.dir("var/lib")
        w.dir("var/lib/dpkg")
        # Links that resolve on the host to real files; inside the image they go nowhere.
        w.symlink("etc/shadow-link", "/etc/shadow")
        w.symlink("etc/passwd-link", "../../../../etc/passwd")
        w.symlink("etc/os-release", "../../../../../../etc/os-release")
        w.symlink("var/lib/dpkg/status", "/var/lib/dpkg/status")
        # Directories pointing out, then files written "through" them.
        w.symlink("escape-abs", SENTINEL_DIR)
        w.file("escape-abs/symlink-pwned", b"escaped\n")
        w.symlink("escape-rel", "../../../../../../.." + SENTINEL_DIR)
        w.file("escape-rel/symlink-pwned-rel", b"escaped\n")
        w.symlink("etc/passwd", "/etc/shadow")
        w.file("etc/passwd", b"root:x:0:0:through-link:/root:/bin/sh\n")
    one_layer(out, "symlink-escape", fill)


def case_symlink_loop(out):
    def fill(w):
        w.dir("etc")
        w.symlink("a", "b")
        w.symlink("b", "a")
        w.symlink("etc/os-release", "os-release")
        w.symlink("usr", "usr/lib/..")  # a directory link to itself via its own child
        w.dir("var")
        w.dir("var/lib")
        w.dir("var/lib/dpkg")
        w.symlink("var/lib/dpkg/status", "../../../a")
        w.symlink("lib", "lib/x/../../lib")
    one_layer(out, "symlink-loop", fill)


def case_million_entries(out):
    def fill(w):
        marker_files(w)
        w.dir("m")
        for d in range(1000):
            w.dir(f"m/{d:03d}")
        # Empty regular files; headers patched from a template (name and checksum only).
        tmpl = tar_header("x")
        mid, tail = tmpl[100:148], tmpl[156:]
        base = sum(mid) + 8 * ord(" ") + sum(tail)  # checksum of the header minus the name
        for i in range(1000000):
            name = b"m/%03d/%07d" % (i % 1000, i)
            chk = base + sum(name)
            w.raw(name.ljust(100, b"\0") + mid + (b"%06o\0 " % chk) + tail)
    one_layer(out, "million-entries", fill)


def _big(name):
    def fill(w):
        marker_files(w)
        w.dir(os.path.dirname(name))
        w.zero_file(name, GIB)
    return fill


def case_big_lockfile(out):
    one_layer(out, "big-lockfile", _big("app/package-lock.json"))


def case_big_plain(out):
    one_layer(out, "big-plain", _big("var/tmp/zero.bin"))


def case_config_corrupt(out):
    def bad_config(diff_ids):
        return make_config(diff_ids)[:40] + b"\xff\xfe garbage"
    d = os.path.dirname(os.path.abspath(out))
    fd, tmp = tempfile.mkstemp(prefix=".hostile-layer-", dir=d)
    os.close(fd)
    try:
        w = LayerWriter(tmp, True)
        marker_files(w)
        diff_id = w.close()
        write_archive(out, "config-corrupt", [tmp], [diff_id], config=bad_config([diff_id]))
    finally:
        os.unlink(tmp)


def case_config_wrong_digest(out):
    one_layer(out, "config-wrong-digest", marker_files, config_name="0" * 64 + ".json")


def case_wrong_diffid(out):
    one_layer(out, "wrong-diffid", marker_files,
              config=make_config(["sha256:" + "ab" * 32]))


def case_manifest_garbage(out):
    one_layer(out, "manifest-garbage", marker_files,
              manifest=b"[{\"Config\": \x00\x01garbage" + os.urandom(64))


def case_layer_missing(out):
    one_layer(out, "layer-missing", marker_files, skip_layers=(0,))


def case_not_a_tar(out):
    with open(out, "wb") as f:
        f.write(b"this is not a tar archive\n" + os.urandom(4096))


def case_zero_tail(out):
    """A gzip'd layer: valid entries, then 1 GiB of zero blocks before the end marker."""
    d = os.path.dirname(os.path.abspath(out))
    fd, tmp = tempfile.mkstemp(prefix=".hostile-layer-", dir=d)
    os.close(fd)
    try:
        w = LayerWriter(tmp, True)
        marker_files(w)
        block = b"\0" * (1 << 20)
        for _ in range(1024):
            w.raw(block)
        diff_id = w.close()
        write_archive(out, "zero-tail", [tmp], [diff_id])
    finally:
        os.unlink(tmp)


CASES = {
    # name: (generator, expect, packages, description)
    "valid": (case_valid, "valid", MARKER, "control: a clean one-layer image"),
    "truncated-gzip": (case_truncated_gzip, "error", None, "gzip layer cut in half"),
    "dotdot": (case_dotdot, "either", MARKER, "entries with ../ escaping the root"),
    "absolute": (case_absolute, "either", MARKER, "entries with absolute paths"),
    "symlink-escape": (case_symlink_escape, "either", [],
                       "symlinks to /etc/shadow, ../../../../etc/passwd, host dpkg status and "
                       "os-release; files written through outward directory links"),
    "symlink-loop": (case_symlink_loop, "either", [], "a->b->a, etc/os-release->itself, dir loops"),
    "million-entries": (case_million_entries, "valid", MARKER, "10^6 empty files, gzip'd"),
    "big-lockfile": (case_big_lockfile, "valid", MARKER,
                     "1 GiB of zeros named app/package-lock.json, gzip'd"),
    "big-plain": (case_big_plain, "valid", MARKER, "1 GiB of zeros in var/tmp/zero.bin, gzip'd"),
    "zero-tail": (case_zero_tail, "valid", MARKER,
                  "valid entries followed by 1 GiB of zero blocks (tar end padding), gzip'd"),
    "config-corrupt": (case_config_corrupt, "error", None, "config JSON cut and garbage"),
    "config-wrong-digest": (case_config_wrong_digest, "error", None,
                            "config blob named by a digest it does not have"),
    "wrong-diffid": (case_wrong_diffid, "error", None, "config diff_id does not match the layer"),
    "manifest-garbage": (case_manifest_garbage, "error", None, "manifest.json is garbage"),
    "layer-missing": (case_layer_missing, "error", None, "manifest names a layer not in the tar"),
    "not-a-tar": (case_not_a_tar, "error", None, "the archive is random bytes"),
}


def info(name):
    _, expect, packages, desc = CASES[name]
    out = {"case": name, "expect": expect, "description": desc}
    if packages is not None:
        out["packages"] = packages
        # The host is Debian and no case's image is: reporting Debian means reading the host.
        out["os_family_not"] = ["debian"]
    return out


def main(argv):
    if len(argv) == 2 and argv[1] == "list":
        for name, (_, expect, _, desc) in CASES.items():
            print(f"{name}\t{expect}\t{desc}")
        return 0
    if len(argv) == 3 and argv[1] == "info" and argv[2] in CASES:
        print(json.dumps(info(argv[2]), sort_keys=True))
        return 0
    if len(argv) == 3 and argv[1] in CASES:
        CASES[argv[1]][0](argv[2])
        return 0
    print("usage: hostile.py list | info CASE | CASE OUT.tar", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
