#!/usr/bin/env python3
"""Writes a tiny OCI image layout for tests (stdlib only).

usage: make_oci.py OUT_DIR TAG ARCH [ARCH...]
One arch: index.json points at an image manifest. Several: index.json points at an image index
listing one manifest per arch (linux/<arch>), each with its own gzip layer.
"""
import gzip
import hashlib
import io
import json
import os
import sys
import tarfile


def write_blob(out, data):
    digest = "sha256:" + hashlib.sha256(data).hexdigest()
    path = os.path.join(out, "blobs", "sha256", digest[7:])
    with open(path, "wb") as f:
        f.write(data)
    return digest


def layer_tar(files):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for name, content in files:
            info = tarfile.TarInfo(name)
            info.size = len(content)
            info.mtime = 1700000000
            info.mode = 0o644
            tar.addfile(info, io.BytesIO(content))
    return buf.getvalue()


def make_manifest(out, arch):
    layers = []
    diff_ids = []
    contents = [
        [("etc/os-release", b'ID=hivesec-test\nVERSION_ID="1"\n')],
        [("etc/arch", arch.encode() + b"\n"), ("usr/share/doc/readme", b"x" * 5000)],
    ]
    for files in contents:
        raw = layer_tar(files)
        diff_ids.append("sha256:" + hashlib.sha256(raw).hexdigest())
        gz = gzip.compress(raw, mtime=0)
        layers.append({
            "mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
            "digest": write_blob(out, gz),
            "size": len(gz),
        })
    config = {
        "created": "2024-01-01T00:00:00Z",
        "architecture": arch,
        "os": "linux",
        "config": {"Env": ["PATH=/usr/bin"], "Cmd": ["/bin/sh"], "Labels": {"arch": arch}},
        "rootfs": {"type": "layers", "diff_ids": diff_ids},
        "history": [{"created_by": "layer one"}, {"created_by": "layer two"}],
    }
    cfg = json.dumps(config, sort_keys=True).encode()
    manifest = {
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {
            "mediaType": "application/vnd.oci.image.config.v1+json",
            "digest": write_blob(out, cfg),
            "size": len(cfg),
        },
        "layers": layers,
    }
    data = json.dumps(manifest, sort_keys=True).encode()
    return {
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "digest": write_blob(out, data),
        "size": len(data),
        "platform": {"architecture": arch, "os": "linux"},
    }


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    out, tag, arches = sys.argv[1], sys.argv[2], sys.argv[3:]
    os.makedirs(os.path.join(out, "blobs", "sha256"), exist_ok=True)
    with open(os.path.join(out, "oci-layout"), "w") as f:
        json.dump({"imageLayoutVersion": "1.0.0"}, f)
    descs = [make_manifest(out, a) for a in arches]
    if len(descs) == 1:
        top = descs[0]
    else:
        index = {
            "schemaVersion": 2,
            "mediaType": "application/vnd.oci.image.index.v1+json",
            "manifests": descs,
        }
        data = json.dumps(index, sort_keys=True).encode()
        top = {
            "mediaType": "application/vnd.oci.image.index.v1+json",
            "digest": write_blob(out, data),
            "size": len(data),
        }
    top = dict(top)
    top.pop("platform", None)
    top["annotations"] = {"org.opencontainers.image.ref.name": tag}
    with open(os.path.join(out, "index.json"), "w") as f:
        json.dump({"schemaVersion": 2, "manifests": [top]}, f)


if __name__ == "__main__":
    main()
