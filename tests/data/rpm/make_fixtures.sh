#!/bin/bash
# Regenerates the rpm database fixtures of src/analyze/rpm_test.cpp (run from anywhere):
#   rpmdb.sqlite  real database written by rpm (--justdb) holding two tiny noarch packages
#   Packages      the same header blobs in a Berkeley DB hash database (db5.3_load -t hash)
#   Packages.db   the same blobs in rpm's ndb layout (written here: Debian's rpm lacks ndb)
# Needs: rpm (rpmbuild), db5.3-util, sqlite3, python3.
set -euo pipefail
out="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

mkspec() {  # name epoch version release license
  cat > "$work/$1.spec" <<SPEC
Name: $1
${2:+Epoch: $2}
Version: $3
Release: $4
Summary: hivesec test package $1
License: $5
BuildArch: noarch
%description
hivesec fixture.
%install
mkdir -p %{buildroot}/usr/share/$1 %{buildroot}/etc
echo hello > %{buildroot}/usr/share/$1/readme.txt
echo data > %{buildroot}/usr/share/$1/data.bin
echo conf > %{buildroot}/etc/$1.conf
%files
/usr/share/$1
/etc/$1.conf
SPEC
  rpmbuild -bb --quiet --define "_topdir $work/top" "$work/$1.spec" >/dev/null 2>&1
}
mkspec hello-fixture 2 1.0 3.el9 MIT
mkspec other-fixture "" 0.5 1 "GPL-2.0-or-later"

db="$work/db"
mkdir -p "$db"
rpm --dbpath "$db" --define '_db_backend sqlite' --justdb --nodeps --noscripts -i \
  "$work"/top/RPMS/noarch/*.rpm
sqlite3 "$db/rpmdb.sqlite" 'PRAGMA journal_mode=DELETE; VACUUM;' >/dev/null
cp "$db/rpmdb.sqlite" "$out/rpmdb.sqlite"

# Blobs as hex, one "hnum hex" line each.
sqlite3 "$db/rpmdb.sqlite" "SELECT hnum || ' ' || hex(blob) FROM Packages ORDER BY hnum" \
  > "$work/blobs.txt"

python3 - "$work/blobs.txt" "$work/dump.txt" "$out/Packages.db" <<'PY'
import struct, sys
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
blobs = [(int(n), bytes.fromhex(h)) for n, h in rows]
# db_load input: keys are native (little-endian) 4-byte record numbers; key 0 is rpm's counter.
with open(sys.argv[2], "w") as f:
    f.write("VERSION=3\nformat=bytevalue\ntype=hash\ndb_pagesize=512\nHEADER=END\n")
    f.write(" %s\n %s\n" % (struct.pack("<I", 0).hex(), struct.pack("<I", len(blobs) + 1).hex()))
    for n, b in blobs:
        f.write(" %s\n %s\n" % (struct.pack("<I", n).hex(), b.hex()))
    f.write("DATA=END\n")
# ndb: one 4096-byte slot page (file header + slots), then 16-byte-aligned blobs.
page = bytearray(4096)
page[0:16] = b"RpmP" + struct.pack("<III", 0, 1, 1)
for o in range(32, 4096, 16):  # rpm writes every slot, used or not
    struct.pack_into("<4sIII", page, o, b"Slot", 0, 0, 0)
data = bytearray()
off = 4096
for i, (n, b) in enumerate(blobs):
    blk = off // 16
    rec = b"BlbS" + struct.pack("<III", n, 1, len(b)) + b
    rec += b"\0" * 12  # rpm's blob tail (adler32, length, magic) is not read
    rec += b"\0" * (-len(rec) % 16)
    struct.pack_into("<4sIII", page, 32 + 16 * i, b"Slot", n, blk, len(rec) // 16)
    data += rec
    off += len(rec)
open(sys.argv[3], "wb").write(bytes(page) + bytes(data))
PY
rm -f "$out/Packages"
db5.3_load -t hash -f "$work/dump.txt" "$out/Packages"
ls -l "$out"
