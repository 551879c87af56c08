# Test helpers: run Debian's docker-registry (and a bearer-token proxy in front of it) on
# loopback. Source this file; every function takes a work directory it owns.
#
#   registry_start anon  DIR            -> prints "127.0.0.1:PORT"; storage in DIR/storage
#   registry_start basic DIR USER PASS  -> htpasswd auth
#   registry_start token DIR USER PASS [--redirect-blobs]
#                                        -> anonymous registry on an inner port (DIR/inner_addr,
#                                           for pushing) behind token_proxy.py (printed address)
#   registry_stop DIR                   -> kills what registry_start started in DIR
#   registry_push SRC DEST [USER PASS]  -> skopeo copy --all SRC docker://DEST over plain HTTP
#
# Requires docker-registry, skopeo, python3 (and htpasswd for basic).

REGISTRY_LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

registry_free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

registry_wait() {  # ADDR: waits until /v2/ answers (any status)
  local i
  for i in $(seq 1 100); do
    if curl -s -o /dev/null "http://$1/v2/"; then return 0; fi
    sleep 0.1
  done
  echo "registry at $1 did not come up" >&2
  return 1
}

registry_run() {  # DIR PORT [htpasswd-file]: starts docker-registry, records its pid
  local dir=$1 port=$2 htpasswd=${3:-}
  mkdir -p "$dir/storage"
  {
    echo "version: 0.1"
    echo "log: {level: error}"
    echo "storage:"
    echo "  filesystem: {rootdirectory: $dir/storage}"
    echo "  delete: {enabled: true}"
    echo "http: {addr: 127.0.0.1:$port, secret: hivesec-test-secret}"
    if [ -n "$htpasswd" ]; then
      echo "auth:"
      echo "  htpasswd: {realm: hivesec-test, path: $htpasswd}"
    fi
  } > "$dir/config-$port.yml"
  env -u REGISTRY_HTTP_ADDR docker-registry serve "$dir/config-$port.yml" \
    > "$dir/registry-$port.log" 2>&1 &
  echo $! >> "$dir/pids"
  registry_wait "127.0.0.1:$port"
}

registry_start() {
  local mode=$1 dir=$2 user=${3:-} pass=${4:-} extra=${5:-}
  mkdir -p "$dir"
  local port
  port=$(registry_free_port)
  case "$mode" in
    anon)
      registry_run "$dir" "$port" || return 1
      echo "127.0.0.1:$port" ;;
    basic)
      htpasswd -Bbn "$user" "$pass" > "$dir/htpasswd"
      registry_run "$dir" "$port" "$dir/htpasswd" || return 1
      echo "127.0.0.1:$port" ;;
    token)
      registry_run "$dir" "$port" || return 1
      echo "127.0.0.1:$port" > "$dir/inner_addr"
      local front
      front=$(registry_free_port)
      python3 "$REGISTRY_LIB_DIR/token_proxy.py" "$front" "$port" "$user" "$pass" $extra \
        > "$dir/proxy.log" 2>&1 &
      echo $! >> "$dir/pids"
      registry_wait "127.0.0.1:$front" || return 1
      echo "127.0.0.1:$front" ;;
    *)
      echo "registry_start: unknown mode $mode" >&2
      return 2 ;;
  esac
}

registry_stop() {
  local dir=$1 pid
  [ -f "$dir/pids" ] || return 0
  while read -r pid; do
    kill "$pid" 2>/dev/null || true
  done < "$dir/pids"
  while read -r pid; do
    wait "$pid" 2>/dev/null || true
  done < "$dir/pids"
  rm -f "$dir/pids"
}

registry_push() {
  local src=$1 dest=$2 user=${3:-} pass=${4:-}
  local creds=()
  [ -n "$user" ] && creds=(--dest-creds "$user:$pass")
  skopeo copy --all --quiet --dest-tls-verify=false "${creds[@]}" "$src" "docker://$dest"
}

# Path of a blob's data file in a registry's filesystem storage.
registry_blob_file() {  # DIR DIGEST
  local hex=${2#sha256:}
  echo "$1/storage/docker/registry/v2/blobs/sha256/${hex:0:2}/$hex/data"
}
