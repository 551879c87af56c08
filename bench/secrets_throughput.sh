#!/usr/bin/env bash
# secrets_throughput.sh — secret scanning speed and memory: a docker-archive whose one layer is a
# single big text file (log, config and source-like lines, near misses such as `password=None`
# and `token: ${TOKEN}`, and a few planted fake secrets generated now), scanned with
# `hivesec image scan --scanners secret` against the baseline `hivesec image inventory` of the
# same archive in the same invocation (reading and walking the layer without secret matching).
# Runs a big (default 1024 MB) and a small (256 MB) variant: secret-scan bytes/s, the ratio to
# the inventory, and the peak RSS of both, which must not grow with the file size.
# Median of $BENCH_RUNS (default 1) runs each. Needs ~2x the big size free in $BENCH_TMP
# (default /var/tmp).
#
# Usage: bench/secrets_throughput.sh [BIG_MB] [SMALL_MB]   (HIVESEC=path/to/hivesec)
set -uo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
SRC="$(cd "$HERE/.." && pwd)"
HIVESEC="${HIVESEC:-$SRC/build/hivesec}"
RUNS="${BENCH_RUNS:-1}"
BIG="${1:-1024}"
SMALL="${2:-256}"
T="$(mktemp -d "${BENCH_TMP:-/var/tmp}/hivesec-secrets-bench.XXXXXX")"
trap 'rm -rf "$T"' EXIT

make_image() { # MB OUT.tar -> prints the number of planted secrets
  python3 - "$1" "$2" <<'PY'
import hashlib, io, json, random, string, sys, tarfile
mb, out = int(sys.argv[1]), sys.argv[2]
rng = random.Random(1)
def pick(chars, n):
    return "".join(rng.choice(chars) for _ in range(n))
alnum = string.ascii_letters + string.digits
lines = []
for i in range(20000):
    k = i % 10
    if k < 4:
        lines.append(f"2024-05-{i % 28 + 1:02d}T10:{i % 60:02d}:11Z INFO  http request method=GET path=/api/v1/items/{i} status=200 bytes={i * 7 % 9000} duration_ms={i % 97}")
    elif k == 4:
        lines.append(f"    def handle_{i}(self, request, token=None, password=None):  # validate the session token first")
    elif k == 5:
        lines.append(f"  database_host: db-{i % 5}.internal\n  password: ${{DB_PASSWORD}}\n  api_key: <your-key-here>")
    elif k == 6:
        lines.append(f"export PATH=/usr/local/bin:$PATH; cd /srv/app-{i % 9} && ./configure --prefix=/usr --with-ssl")
    elif k == 7:
        lines.append(f"    secret = os.environ.get('APP_SECRET_{i % 13}')  # read at run time; see docs/secrets.md")
    elif k == 8:
        lines.append(f'{{"id": {i}, "name": "item-{i}", "sha256": "{hashlib.sha256(str(i).encode()).hexdigest()}", "tags": ["a", "b"]}}')
    else:
        lines.append(f"WARN cache miss key=user:{i * 31 % 100000} ttl=300 node=cache-{i % 3} retry=1 url=https://cdn.example.org/static/{i}.js")
block = ("\n".join(lines) + "\n").encode()
size = mb << 20
planted = [
    "GITHUB_TOKEN=ghp_" + pick(alnum, 36),
    "aws_secret_access_key = " + pick(alnum + "+/", 40),
    'smtp_password = "' + pick(alnum, 20) + '"',
    "url = postgres://app:" + pick(alnum, 16) + "@db:5432/app",
    "slack: xoxb-" + pick(string.digits, 12) + "-" + pick(string.digits, 13) + "-" + pick(alnum, 24),
]
# The layer: one ustar file "srv/data/big.txt", written streaming while its digest is computed.
h = hashlib.sha256()
layer_path = out + ".layer"
with open(layer_path, "wb") as f:
    def w(b):
        h.update(b)
        f.write(b)
    info = tarfile.TarInfo("srv/data/big.txt")
    info.size = size
    w(info.tobuf(format=tarfile.USTAR_FORMAT))
    written, n = 0, 0
    every = max(1, size // len(block) // 8)
    while written < size:
        chunk = block
        if n % every == every // 2 and n // every < len(planted):
            chunk = (planted[n // every] + "\n").encode() + block
        chunk = chunk[: size - written]
        w(chunk)
        written += len(chunk)
        n += 1
    w(b"\0" * ((512 - size % 512) % 512) + b"\0" * 1024)
diff_id = "sha256:" + h.hexdigest()
config = json.dumps({"architecture": "amd64", "os": "linux", "config": {"Env": ["PATH=/usr/bin:/bin"]},
                     "rootfs": {"type": "layers", "diff_ids": [diff_id]},
                     "history": [{"created_by": "COPY big.txt /srv/data/"}]}).encode()
cname = hashlib.sha256(config).hexdigest() + ".json"
manifest = json.dumps([{"Config": cname, "RepoTags": ["bench/secrets:latest"], "Layers": ["l/layer.tar"]}]).encode()
import os
with tarfile.open(out, "w", format=tarfile.USTAR_FORMAT) as t:
    info = tarfile.TarInfo("l/layer.tar")
    info.size = os.path.getsize(layer_path)
    with open(layer_path, "rb") as f:
        t.addfile(info, f)
    for name, data in ((cname, config), ("manifest.json", manifest)):
        info = tarfile.TarInfo(name)
        info.size = len(data)
        t.addfile(info, io.BytesIO(data))
os.remove(layer_path)
print(min(len(planted), (size // len(block)) // every))
PY
}

med() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
run() { # label cmd...  (appends "seconds rss_kb" per run to $T/label)
  local label="$1"
  shift
  for _ in $(seq "$RUNS"); do
    /usr/bin/time -f "%e %M" -o "$T/time" "$@" >"$T/$label.json" 2>"$T/err" || { cat "$T/err" >&2; exit 1; }
    tail -1 "$T/time" >>"$T/$label"
  done
}

printf '%-8s %9s %9s %9s %7s %10s %10s %8s\n' size_MB inv_s scan_s ratio MB/s inv_rss_MB scan_rss_MB findings
for mb in "$BIG" "$SMALL"; do
  planted="$(make_image "$mb" "$T/img$mb.tar")"
  img="docker-archive:$T/img$mb.tar"
  run "inv$mb" "$HIVESEC" image inventory "$img" --no-cache -f json
  run "scan$mb" "$HIVESEC" image scan "$img" --no-cache --no-store --scanners secret \
    --secret-max-size 4G -f json
  inv=$(awk '{print $1}' "$T/inv$mb" | med)
  scan=$(awk '{print $1}' "$T/scan$mb" | med)
  irss=$(awk '{print $2}' "$T/inv$mb" | med)
  srss=$(awk '{print $2}' "$T/scan$mb" | med)
  found=$(jq '[.findings[] | select(.kind == "secret")] | length' "$T/scan$mb.json")
  printf '%-8s %9s %9s %9.2f %7.0f %10d %10d %5s/%s\n' "$mb" "$inv" "$scan" \
    "$(awk -v s="$scan" -v i="$inv" 'BEGIN{print s/(i>0?i:0.01)}')" \
    "$(awk -v m="$mb" -v s="$scan" 'BEGIN{print m/(s>0?s:0.01)}')" \
    $((irss / 1024)) $((srss / 1024)) "$found" "$planted"
  echo "$srss" >"$T/rss$mb"
  rm -f "$T/img$mb.tar"
done
echo "scan RSS growth ${BIG} MB / ${SMALL} MB: $(awk -v a="$(cat "$T/rss$BIG")" -v b="$(cat "$T/rss$SMALL")" 'BEGIN{printf "%.3f", a/b}') (target: not growing, <= 1.1)"
