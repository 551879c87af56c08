#!/usr/bin/env bash
# password_test.sh — the "password" scanner on real multi-layer docker-archives (written here with
# Python's tarfile) whose etc/shadow hashes are made at test time by the real libxcrypt (ctypes:
# crypt_gensalt + crypt): common passwords under yescrypt, sha512crypt, sha256crypt, md5crypt and
# bcrypt are found with path and layer, a strong random one is not, an empty password and an
# extra uid-0 account are reported; a later layer that replaces etc/shadow with a clean one leaves
# no shadow findings; a corrupted shadow is a note (exit 0); a tiny budget stops with a note; the
# real Debian 12 "app" image (lib/images.sh) gives zero weak-password findings.
set -uo pipefail
source "$(dirname "$0")/lib/common.sh"
require_hivesec
T="$(mktemp -d)"
trap 'rm -rf "$T"' EXIT
python3 - "$T" "$LIB" <<'PY' || { echo "cannot build the test images (libcrypt via ctypes)"; exit 77; }
import ctypes, hashlib, io, os, secrets, string, sys, tarfile
out, lib = sys.argv[1], sys.argv[2]
sys.path.insert(0, lib)
import hostile
lc = ctypes.CDLL("libcrypt.so.1")
lc.crypt_gensalt.restype = ctypes.c_char_p
lc.crypt_gensalt.argtypes = [ctypes.c_char_p, ctypes.c_ulong, ctypes.c_char_p, ctypes.c_int]
lc.crypt.restype = ctypes.c_char_p
lc.crypt.argtypes = [ctypes.c_char_p, ctypes.c_char_p]

def mkhash(prefix, cost, password):
    salt = lc.crypt_gensalt(prefix.encode(), cost, None, 0)
    h = lc.crypt(password.encode(), salt).decode()
    assert not h.startswith("*"), (prefix, h)
    return h

strong = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(24))
passwd0 = ("root:x:0:0:root:/root:/bin/bash\n"
           "daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n")
shadow0 = "root:*:19700:0:99999:7:::\ndaemon:*:19700:0:99999:7:::\n"
users = [("alice", 1000, mkhash("$y$", 0, "password")),
         ("bob", 1001, mkhash("$6$", 0, "123456")),
         ("carol", 1002, mkhash("$2b$", 5, strong)),
         ("dave", 1003, mkhash("$1$", 0, "qwerty")),
         ("guest", 1004, ""),
         ("ops", 0, mkhash("$5$", 0, "admin"))]
passwd1 = passwd0 + "".join(f"{n}:x:{u}:{u}::/home/{n}:/bin/sh\n" for n, u, _ in users)
shadow1 = ("root:" + mkhash("$6$", 0, "toor") + ":19700:0:99999:7:::\n"
           "daemon:*:19700:0:99999:7:::\n" +
           "".join(f"{n}:{h}:19700:0:99999:7:::\n" for n, _, h in users))
clean = shadow0 + "".join(f"{n}:!:19700:0:99999:7:::\n" for n, _, _ in users)

def image(name, layers):
    paths, diff_ids = hostile.write_layers(out, name + "-", layers,
        mode=lambda n: 0o640 if n.endswith("shadow") else 0o644)
    hostile.write_archive(os.path.join(out, name + ".tar"), name, paths, diff_ids)
    open(os.path.join(out, name + ".ids"), "w").write("\n".join(diff_ids) + "\n")

base = {"etc/os-release": "ID=debian\nVERSION_ID=12\n", "etc/passwd": passwd0, "etc/shadow": shadow0}
weak = {"etc/passwd": passwd1, "etc/shadow": shadow1}
image("weak", [base, weak, {"srv/app.txt": "hello\n"}])
image("fixed", [base, weak, {"etc/shadow": clean}])
image("corrupt", [base, {"etc/shadow": b"\x7fELF\x00\x00binary\xff\n" + os.urandom(3000)}])
PY
scan() { "$HIVESEC" image scan "docker-archive:$T/$1.tar" --no-store --no-cache --scanners password -f json "${@:2}"; }
rows() { jq -r '.findings[] | select(.kind == "weak-password") | [.id, .evidence.extra.account, .severity, .evidence.path, .evidence.layer] | join(" ")' "$1" | sort; }

mapfile -t ids <"$T/weak.ids"
L1="${ids[1]}"
if scan weak -o "$T/weak.json" 2>"$T/err"; then
  got="$(rows "$T/weak.json")"
  want="$(printf '%s\n' \
    "weak-password:common alice high etc/shadow $L1" \
    "weak-password:common bob high etc/shadow $L1" \
    "weak-password:common dave high etc/shadow $L1" \
    "weak-password:common ops critical etc/shadow $L1" \
    "weak-password:common root critical etc/shadow $L1" \
    "weak-password:empty guest critical etc/shadow $L1" \
    "weak-password:extra-uid0 ops high etc/passwd $L1" | sort)"
  [ "$got" = "$want" ] && pass "common passwords (5 methods), empty and extra uid 0 found in layer 1; the strong bcrypt one is not" ||
    fail "findings:\n$got\nwant:\n$want\n$(head -c 300 "$T/err")"
  algos="$(jq -r '[.findings[] | select(.id == "weak-password:common") | .evidence.extra.algorithm] | sort | join(",")' "$T/weak.json")"
  [ "$algos" = "md5crypt,sha256crypt,sha512crypt,sha512crypt,yescrypt" ] && pass "algorithms named: $algos" || fail "algorithms: $algos"
  masks="$(jq -r '[.findings[] | select(.id == "weak-password:common") | .evidence.match] | sort | join(",")' "$T/weak.json")"
  [ "$masks" = "1*****,a****,p*******,q*****,t***" ] && pass "matched passwords are masked" || fail "masks: $masks"
  if grep -q '"toor"\|"qwerty"\|"123456"\|"admin"' "$T/weak.json"; then fail "report prints a password"; else pass "no password in clear"; fi
else
  fail "scan weak: exit $? $(head -c 300 "$T/err")"
fi

if scan fixed -o "$T/fixed.json" 2>"$T/err"; then
  got="$(rows "$T/fixed.json")"
  mapfile -t fids <"$T/fixed.ids"
  [ "$got" = "weak-password:extra-uid0 ops high etc/passwd ${fids[1]}" ] &&
    pass "a later clean etc/shadow leaves no shadow findings (passwd's uid 0 stays)" || fail "fixed: [$got]"
else
  fail "scan fixed: exit $?"
fi

if scan corrupt -o "$T/corrupt.json" 2>"$T/err"; then
  n="$(jq '[.findings[] | select(.kind == "weak-password")] | length' "$T/corrupt.json")"
  note="$(jq -r '.notes[] | select(startswith("password: etc/shadow:"))' "$T/corrupt.json")"
  [ "$n" = 0 ] && [[ "$note" == *"lines unparseable"* ]] && pass "corrupted shadow: exit 0, note: $note" ||
    fail "corrupt: $n findings, note [$note]"
else
  fail "corrupted shadow is fatal: exit $? $(head -c 300 "$T/err")"
fi

# A tiny budget: the scan ends quickly and says which accounts were not fully checked.
start=$(date +%s%N)
scan weak --password-time-budget 1 -o "$T/budget.json" 2>/dev/null
ms=$((($(date +%s%N) - start) / 1000000))
notes="$(jq -r '.notes[] | select(contains("(time budget)"))' "$T/budget.json" | head -3)"
[ -n "$notes" ] && [ "$ms" -lt 5000 ] && pass "budget 1 ms: ${ms} ms, notes: $(echo "$notes" | head -1)" ||
  fail "budget: ${ms} ms, notes [$notes]"
jq -e '[.findings[] | select(.id == "weak-password:empty")] | length == 1' "$T/budget.json" >/dev/null &&
  pass "budget does not hide the empty password" || fail "empty password missing under budget"

# --scanners without password: no weak-password findings.
n="$("$HIVESEC" image scan "docker-archive:$T/weak.tar" --no-store --no-cache --scanners file -f json | jq '[.findings[] | select(.kind == "weak-password")] | length')"
[ "$n" = 0 ] && pass "--scanners file turns the password scanner off" || fail "--scanners file: $n"

# A real Debian 12 image: every account locked, no findings.
if D="$(build_image app 2>/dev/null)"; then
  if "$HIVESEC" image scan "docker-archive:$D/docker.tar" --no-store --no-cache --scanners password -f json -o "$T/debian.json" 2>"$T/err"; then
    n="$(jq '[.findings[] | select(.kind == "weak-password")] | length' "$T/debian.json")"
    pn="$(jq '[.notes[] | select(startswith("password"))] | length' "$T/debian.json")"
    [ "$n" = 0 ] && [ "$pn" = 0 ] && pass "Debian 12 image: zero weak-password findings and notes" ||
      fail "Debian 12 image: $n findings, $pn notes"
  else
    fail "scan of the Debian image: exit $?"
  fi
else
  echo "skip: Debian image not available"
fi
finish
