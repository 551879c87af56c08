#!/usr/bin/env bash
# images.sh — builds the real container images the integration tests and benchmarks read.
#
# Usage:
#   images.sh build NAME...   build (once; cached) and print each image's directory
#   images.sh path NAME       print the directory of an already built image (exit 1 if not built)
#   images.sh list            the image names
#   images.sh env             export lines for podman's private config (eval "$(images.sh env)")
#   images.sh clean           remove this recipe version's cache (and its podman storage)
#
# Names:
#   base         Debian 12 minbase rootfs (mmdebstrap) with runc, ca-certificates, curl;
#                 directory + tar (no image exports)
#   app          base as layer 1 (podman import) + /app/node_modules (old, vulnerable npm
#                 packages) + a Go binary in /usr/local/bin; 3 layers
#   bench-small  base + a delta layer with python3/git/... + the /app layer (~300 MB, 3 layers)
#   bench-large  bench-small + a copy of the big rootfs' /usr under /opt/sysroot (~double size)
#   debpy        Debian 12 minbase rootfs with Debian's python3-requests and python3-urllib3
#                 (Python packages owned by dpkg); directory only, no image exports
#   debnode      Debian 12 minbase rootfs with Debian's node-semver, node-tar and node-ws (npm
#                 packages shipped by Debian: /usr/share/nodejs, one bundled under a
#                 node_modules folder); directory only, no image exports
#   clean        Debian 12 minbase with nginx, curl, python3, openssl (one layer): a clean image
#                 on which secret, malware and weak-password scans must find nothing
#   threats      clean + layers planting what issue 4's scanners must find, all generated at
#                 build time (fake secrets with random characters, a PHP webshell, EICAR from
#                 pieces, a miner config, a reverse shell, an account whose password is set by
#                 the image's own chpasswd (yescrypt), an extra uid 0, a setuid binary), root
#                 user, port 22; truth/planted.json lists each plant and its layer index
#
# Each image directory holds:
#   docker.tar   docker-archive (podman save --format docker-archive, uncompressed layers)
#   oci.tar      oci-archive    (podman save --format oci-archive)
#   oci/         OCI layout dir (skopeo copy --dest-compress: gzip layers), tag "latest"
#   truth/dpkg.txt  "name<TAB>version", sorted (dpkg-query --admindir on the final rootfs)
#   truth/npm.txt   "name@version", sorted, unique (npm ls --all --json of /app)
#   truth/go.txt    "path<TAB>goX.Y.Z" for the Go binaries in the image
#   build-seconds   wall time the build took
#   ref.txt      the image name in the private podman storage
#
# Cache: ${HIVESEC_TESTIMAGES:-$HOME/.cache/hivesec-testimages}/v$RECIPE_VERSION/NAME. The
# recipe version below must be bumped whenever the recipe changes; only then are images
# rebuilt. Builds take a per-name flock, so concurrent callers wait and then reuse the result.
# Podman uses a private storage.conf/containers.conf under the cache (CONTAINERS_STORAGE_CONF,
# CONTAINERS_CONF), so nothing depends on or touches the machine's global podman storage.
#
# Needs (Debian): mmdebstrap podman runc skopeo golang-go uidmap npm python3; root.
# Exit 77 when they are missing (CTest's skip code), 1 on a failed build.
set -euo pipefail

RECIPE_VERSION=1
CACHE_ROOT="${HIVESEC_TESTIMAGES:-$HOME/.cache/hivesec-testimages}"
CACHE="$CACHE_ROOT/v$RECIPE_VERSION"
IMAGE_PREFIX="localhost/hivesec-test"

# Old npm packages with advisories in the OSV npm data (fixed in later versions).
NPM_PACKAGES=(lodash@4.17.15 minimist@1.2.0 handlebars@4.5.3 axios@0.21.0 moment@2.29.1
  express@4.17.1)
BASE_PACKAGES="runc,ca-certificates,curl"
BENCH_EXTRA_PACKAGES="python3,git,openssl,procps,less"
DEBPY_PACKAGES="python3-requests,python3-urllib3"
DEBNODE_PACKAGES="node-semver,node-tar,node-ws"
CLEAN_PACKAGES="nginx,curl,python3,openssl,ca-certificates"

log() { echo "images.sh: $*" >&2; }
die() {
  echo "images.sh: error: $*" >&2
  exit 1
}

setup_podman() {
  mkdir -p "$CACHE/containers" "$CACHE/storage" "$CACHE/run" "$CACHE/tmp"
  cat >"$CACHE/containers/storage.conf" <<EOF
[storage]
driver = "overlay"
graphroot = "$CACHE/storage"
runroot = "$CACHE/run"
EOF
  cat >"$CACHE/containers/containers.conf" <<EOF
[containers]
default_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
events_logfile_path = "$CACHE/run/events.log"
image_copy_tmp_dir = "$CACHE/tmp"
EOF
  export CONTAINERS_STORAGE_CONF="$CACHE/containers/storage.conf"
  export CONTAINERS_CONF="$CACHE/containers/containers.conf"
  export TMPDIR="$CACHE/tmp"
}

pod() { podman --runtime /usr/sbin/runc "$@"; }

check_tools() {
  local missing=()
  for t in mmdebstrap podman skopeo npm python3 flock go; do
    command -v "$t" >/dev/null || missing+=("$t")
  done
  [ -x /usr/sbin/runc ] || missing+=(runc)
  if ((${#missing[@]} > 0)); then
    log "missing tools: ${missing[*]} (apt-get install mmdebstrap podman runc skopeo golang-go uidmap npm)"
    exit 77
  fi
  if [ "$(id -u)" != 0 ]; then
    log "must run as root (mmdebstrap --mode=root, podman storage)"
    exit 77
  fi
}

# Host apt sources for Debian (so mmdebstrap uses the mirror this machine is configured for).
mirror_arg() {
  if [ -f /etc/apt/sources.list.d/debian.sources ]; then
    echo /etc/apt/sources.list.d/debian.sources
  elif [ -f /etc/apt/sources.list ]; then
    echo /etc/apt/sources.list
  else
    echo ""
  fi
}

mmdebstrap_rootfs() { # out_dir packages
  local out="$1" pkgs="$2" mirror
  mirror="$(mirror_arg)"
  # shellcheck disable=SC2086
  mmdebstrap --quiet --mode=root --variant=minbase --include="$pkgs" --format=directory \
    bookworm "$out" $mirror >&2
}

write_dpkg_truth() { # rootfs out
  dpkg-query --admindir="$1/var/lib/dpkg" -W -f='${Package}\t${Version}\n' | LC_ALL=C sort -u >"$2"
}

write_npm_truth() { # app_dir out
  (cd "$1" && npm ls --all --json 2>/dev/null || true) | python3 -c '
import json, sys
seen = set()
def walk(deps):
    for name, d in (deps or {}).items():
        v = d.get("version")
        if v:
            seen.add(name + "@" + v)
        walk(d.get("dependencies"))
walk(json.load(sys.stdin).get("dependencies"))
print("\n".join(sorted(seen)))
' >"$2"
  [ -s "$2" ] || die "npm ls gave no packages for $1"
}

# Copies to DELTA every entry of NEW that is absent from or differs from OLD (type, mode, size,
# mtime, link target), as hard links (same filesystem) — the files an `apt-get install` layer
# would add on top of OLD.
make_delta() { # old new delta
  python3 - "$@" <<'EOF'
import os, stat, sys
old, new, delta = sys.argv[1:4]
def sig(p):
    st = os.lstat(p)
    t = stat.S_IFMT(st.st_mode)
    link = os.readlink(p) if stat.S_ISLNK(st.st_mode) else None
    return (t, st.st_mode, st.st_size if not stat.S_ISDIR(st.st_mode) else 0,
            int(st.st_mtime) if stat.S_ISREG(st.st_mode) else 0, link)
n = 0
for root, dirs, files in os.walk(new):
    rel = os.path.relpath(root, new)
    for name in dirs + files:
        src = os.path.join(root, name)
        r = os.path.normpath(os.path.join(rel, name))
        o = os.path.join(old, r)
        st = os.lstat(src)
        if stat.S_ISDIR(st.st_mode):
            continue
        try:
            if sig(o) == sig(src):
                continue
        except FileNotFoundError:
            pass
        dst = os.path.join(delta, r)
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        if stat.S_ISLNK(st.st_mode):
            os.symlink(os.readlink(src), dst)
        elif stat.S_ISREG(st.st_mode):
            os.link(src, dst)
        else:
            continue  # device nodes, fifos: not needed in a layer
        n += 1
print(f"delta: {n} entries", file=sys.stderr)
EOF
}

export_image() { # image_ref dir
  local ref="$1" d="$2"
  pod save --format docker-archive -o "$d/docker.tar" "$ref" >&2
  pod save --format oci-archive -o "$d/oci.tar" "$ref" >&2
  skopeo copy --quiet --dest-compress --dest-compress-format gzip \
    "containers-storage:$ref" "oci:$d/oci:latest" >&2
  echo "$ref" >"$d/ref.txt"
}

go_truth() { # out path_in_image=host_path...
  local out="$1"
  shift
  : >"$out"
  for pair in "$@"; do
    printf '%s\t%s\n' "${pair%%=*}" "$(go version "${pair#*=}" | awk '{print $NF}')" >>"$out"
  done
}

# --- recipes: each writes into $1 (a fresh work dir) ---

build_base() {
  local w="$1"
  mmdebstrap_rootfs "$w/rootfs" "$BASE_PACKAGES"
  tar -C "$w/rootfs" --numeric-owner -cf "$w/rootfs.tar" .
  mkdir -p "$w/truth"
  write_dpkg_truth "$w/rootfs" "$w/truth/dpkg.txt"
  go_truth "$w/truth/go.txt" "/usr/sbin/runc=$w/rootfs/usr/sbin/runc"
  local ref="$IMAGE_PREFIX/base:v$RECIPE_VERSION"
  pod import --quiet "$w/rootfs.tar" "$ref" >&2
  echo "$ref" >"$w/ref.txt"
}

build_debpy() {
  local w="$1"
  mmdebstrap_rootfs "$w/rootfs" "$DEBPY_PACKAGES"
  mkdir -p "$w/truth"
  write_dpkg_truth "$w/rootfs" "$w/truth/dpkg.txt"
}

build_debnode() {
  local w="$1"
  mmdebstrap_rootfs "$w/rootfs" "$DEBNODE_PACKAGES"
  mkdir -p "$w/truth"
  write_dpkg_truth "$w/rootfs" "$w/truth/dpkg.txt"
}

build_clean() {
  local w="$1"
  mmdebstrap_rootfs "$w/rootfs" "$CLEAN_PACKAGES"
  tar -C "$w/rootfs" --numeric-owner -cf "$w/rootfs.tar" .
  rm -rf "$w/rootfs"
  local ref="$IMAGE_PREFIX/clean:v$RECIPE_VERSION"
  pod import --quiet "$w/rootfs.tar" "$ref" >&2
  rm -f "$w/rootfs.tar"
  export_image "$ref" "$w"
}

build_threats() {
  local w="$1" clean pw env_secret
  clean="$(build_one clean)"
  mkdir -p "$w/ctx" "$w/truth"
  python3 "$(dirname "${BASH_SOURCE[0]}")/plant_threats.py" "$w/ctx" "$w/truth/planted.json"
  pw="$(jq -r .weak_password "$w/truth/planted.json")"
  env_secret="$(jq -r .env_secret "$w/truth/planted.json")"
  # Layers: 0 clean, 1 app, 2 web, 3 drop, 4 accounts, 5 setuid helper.
  cat >"$w/ctx/Containerfile" <<EOF
FROM $(cat "$clean/ref.txt")
COPY app/ /srv/app/
COPY web/ /var/www/html/
COPY drop/ /var/tmp/.cache/
RUN useradd -m -s /bin/bash deploy && echo 'deploy:$pw' | chpasswd && useradd -o -u 0 -g 0 -M -s /bin/sh operator2 && passwd -d operator2 >/dev/null
COPY --chmod=4755 bin/backup-helper /usr/local/bin/backup-helper
ENV DB_PASSWORD=$env_secret
EXPOSE 22
EOF
  local ref="$IMAGE_PREFIX/threats:v$RECIPE_VERSION"
  pod build --quiet --runtime /usr/sbin/runc -t "$ref" -f "$w/ctx/Containerfile" "$w/ctx" >&2
  export_image "$ref" "$w"
  rm -rf "$w/ctx"
}

make_app_context() { # ctx base_dir
  local ctx="$1" base="$2"
  mkdir -p "$ctx/app" "$ctx/bin"
  npm install --prefix "$ctx/app" --no-audit --no-fund --no-update-notifier \
    --cache "$CACHE/npm-cache" "${NPM_PACKAGES[@]}" >&2
  cp "$base/rootfs/usr/sbin/runc" "$ctx/bin/runc"
}

build_app() {
  local w="$1" base
  base="$(build_one base)"
  make_app_context "$w/ctx" "$base"
  cat >"$w/ctx/Containerfile" <<EOF
FROM $(cat "$base/ref.txt")
COPY app/ /app/
COPY bin/runc /usr/local/bin/runc
EOF
  local ref="$IMAGE_PREFIX/app:v$RECIPE_VERSION"
  pod build --quiet --runtime /usr/sbin/runc -t "$ref" -f "$w/ctx/Containerfile" "$w/ctx" >&2
  export_image "$ref" "$w"
  mkdir -p "$w/truth"
  cp "$base/truth/dpkg.txt" "$w/truth/dpkg.txt"
  write_npm_truth "$w/ctx/app" "$w/truth/npm.txt"
  go_truth "$w/truth/go.txt" "/usr/sbin/runc=$base/rootfs/usr/sbin/runc" \
    "/usr/local/bin/runc=$w/ctx/bin/runc"
  rm -rf "$w/ctx/app/node_modules/.cache"
}

build_bench_small() {
  local w="$1" base
  base="$(build_one base)"
  mmdebstrap_rootfs "$w/rootfs" "$BASE_PACKAGES,$BENCH_EXTRA_PACKAGES"
  mkdir -p "$w/ctx"
  make_delta "$base/rootfs" "$w/rootfs" "$w/ctx/delta"
  make_app_context "$w/ctx" "$base"
  cat >"$w/ctx/Containerfile" <<EOF
FROM $(cat "$base/ref.txt")
COPY delta/ /
COPY app/ /app/
EOF
  local ref="$IMAGE_PREFIX/bench-small:v$RECIPE_VERSION"
  pod build --quiet --runtime /usr/sbin/runc -t "$ref" -f "$w/ctx/Containerfile" "$w/ctx" >&2
  export_image "$ref" "$w"
  mkdir -p "$w/truth"
  write_dpkg_truth "$w/rootfs" "$w/truth/dpkg.txt"
  write_npm_truth "$w/ctx/app" "$w/truth/npm.txt"
  go_truth "$w/truth/go.txt" "/usr/sbin/runc=$w/rootfs/usr/sbin/runc"
}

build_bench_large() {
  local w="$1" small
  small="$(build_one bench-small)"
  mkdir -p "$w/ctx"
  # The big rootfs' /usr again, as a vendored sysroot: doubles bytes and file count.
  cp -al "$small/rootfs/usr" "$w/ctx/usr"
  cat >"$w/ctx/Containerfile" <<EOF
FROM $(cat "$small/ref.txt")
COPY usr/ /opt/sysroot/usr/
EOF
  local ref="$IMAGE_PREFIX/bench-large:v$RECIPE_VERSION"
  pod build --quiet --runtime /usr/sbin/runc -t "$ref" -f "$w/ctx/Containerfile" "$w/ctx" >&2
  export_image "$ref" "$w"
  cp -r "$small/truth" "$w/truth"
  rm -rf "$w/ctx"
}

# build_one NAME: builds NAME unless cached; prints its directory.
build_one() {
  local name="$1" dir="$CACHE/$1"
  case "$name" in base | app | bench-small | bench-large | debpy | debnode | clean | threats) ;; *) die "unknown image: $name" ;; esac
  if [ ! -f "$dir/.done" ]; then
    mkdir -p "$CACHE/locks"
    exec {lockfd}>"$CACHE/locks/$name.lock"
    flock "$lockfd"
    if [ ! -f "$dir/.done" ]; then
      log "building $name (recipe v$RECIPE_VERSION) into $dir"
      local t0 w="$dir.tmp"
      t0=$(date +%s)
      rm -rf "$w" "$dir"
      mkdir -p "$w"
      "build_${name//-/_}" "$w"
      echo $(($(date +%s) - t0)) >"$w/build-seconds"
      touch "$w/.done"
      mv "$w" "$dir"
      log "built $name in $(cat "$dir/build-seconds") s"
    fi
    exec {lockfd}>&-
  fi
  echo "$dir"
}

main() {
  local cmd="${1:-}"
  shift || true
  case "$cmd" in
    build)
      (($# > 0)) || die "usage: images.sh build NAME..."
      check_tools
      setup_podman
      for n in "$@"; do build_one "$n"; done
      ;;
    path)
      [ -f "$CACHE/${1:-}/.done" ] || exit 1
      echo "$CACHE/$1"
      ;;
    list) printf '%s\n' base app bench-small bench-large debpy debnode clean threats ;;
    env)
      printf 'export CONTAINERS_STORAGE_CONF=%q CONTAINERS_CONF=%q\n' \
        "$CACHE/containers/storage.conf" "$CACHE/containers/containers.conf"
      ;;
    clean)
      setup_podman
      pod system reset --force >/dev/null 2>&1 || true
      rm -rf "$CACHE"
      ;;
    *) die "usage: images.sh build NAME... | path NAME | list | env | clean" ;;
  esac
}

main "$@"
