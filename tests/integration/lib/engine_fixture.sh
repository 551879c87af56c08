#!/usr/bin/env bash
# Runs `podman system service` (Docker Engine API) on a private socket and storage for the
# engine source tests.
#   engine_fixture.sh start DIR -> DIR/env with SOCKET=..., IMAGE=..., ARCHIVE=...; 77 if no podman
#   engine_fixture.sh stop DIR
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cmd=$1 dir=$2
podman_args=(--root "$dir/storage" --runroot "$dir/run" --storage-driver vfs --runtime /usr/sbin/runc)

if [ "$cmd" = stop ]; then
  if [ -f "$dir/podman.pid" ]; then
    kill "$(cat "$dir/podman.pid")" 2>/dev/null || true
    rm -f "$dir/podman.pid"
  fi
  exit 0
fi

for tool in podman skopeo python3 curl; do
  command -v "$tool" >/dev/null 2>&1 || { echo "missing $tool" >&2; exit 77; }
done
[ -x /usr/sbin/runc ] || { echo "missing runc" >&2; exit 77; }
mkdir -p "$dir"
python3 "$here/make_oci.py" "$dir/oci-single" 1.0 amd64
skopeo copy --quiet oci:"$dir/oci-single":1.0 docker-archive:"$dir/single.tar":test/single:1.0
skopeo copy --quiet oci:"$dir/oci-single":1.0 \
  "containers-storage:[vfs@$dir/storage+$dir/run]localhost/test/single:1.0"
podman "${podman_args[@]}" system service --time=0 "unix://$dir/podman.sock" \
  > "$dir/podman.log" 2>&1 &
echo $! > "$dir/podman.pid"
for _ in $(seq 1 100); do
  curl -s --unix-socket "$dir/podman.sock" http://localhost/_ping >/dev/null 2>&1 && break
  sleep 0.1
done
curl -sf --unix-socket "$dir/podman.sock" http://localhost/_ping >/dev/null
{
  echo "SOCKET=$dir/podman.sock"
  echo "ARCHIVE=$dir/single.tar"
} > "$dir/env"
