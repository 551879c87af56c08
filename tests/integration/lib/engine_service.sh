# shellcheck shell=bash
# engine_service.sh — sourced by tests and benchmarks that need a container engine with running
# containers: a private `podman system service` on its own socket and storage. The storage sees
# the test images built by images.sh (the `base` Debian image, which has `sleep`) through a
# read-only additional image store, so nothing is copied and the machine's global podman state
# is neither read nor changed.
#
#   engine_service_start DIR   start it; sets ENGINE_SOCK, ENGINE_IMAGE; returns 77 when podman,
#                              runc or the base image cannot be had
#   epod ARGS...               podman against that storage (runc, cgroupfs, small ulimits)
#   engine_service_stop        remove every container of the private storage, stop the service
# Needs root (rootful podman, the shared image cache belongs to root).

_engine_service_lib="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

engine_service_start() {
  ENGINE_DIR="$1"
  local lib="$_engine_service_lib" images_dir cache
  command -v podman >/dev/null || return 77
  [ -x /usr/sbin/runc ] || return 77
  mkdir -p "$ENGINE_DIR/storage" "$ENGINE_DIR/run" "$ENGINE_DIR/tmp"
  images_dir="$("$lib/images.sh" build base 2>"$ENGINE_DIR/images.log")" || return 77
  ENGINE_IMAGE="$(cat "$images_dir/ref.txt")"
  cache="$(dirname "$images_dir")"
  cat >"$ENGINE_DIR/storage.conf" <<CONF
[storage]
driver = "overlay"
graphroot = "$ENGINE_DIR/storage"
runroot = "$ENGINE_DIR/run"
[storage.options]
additionalimagestores = ["$cache/storage"]
CONF
  cat >"$ENGINE_DIR/containers.conf" <<CONF
[containers]
default_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
events_logfile_path = "$ENGINE_DIR/run/events.log"
image_copy_tmp_dir = "$ENGINE_DIR/tmp"
CONF
  export CONTAINERS_STORAGE_CONF="$ENGINE_DIR/storage.conf" CONTAINERS_CONF="$ENGINE_DIR/containers.conf"
  ENGINE_SOCK="$ENGINE_DIR/engine.sock"
  podman --runtime /usr/sbin/runc system service --time=0 "unix://$ENGINE_SOCK" \
    >"$ENGINE_DIR/service.log" 2>&1 &
  ENGINE_PID=$!
  local i
  for i in $(seq 1 100); do
    curl -sf --unix-socket "$ENGINE_SOCK" http://localhost/_ping >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "podman system service did not answer on $ENGINE_SOCK (see $ENGINE_DIR/service.log)" >&2
  return 1
}

epod() { podman --runtime /usr/sbin/runc "$@"; }

engine_service_stop() {
  [ -n "${ENGINE_DIR:-}" ] || return 0
  epod rm -af -t 0 >/dev/null 2>&1 || true
  if [ -n "${ENGINE_PID:-}" ]; then
    kill "$ENGINE_PID" 2>/dev/null || true
    wait "$ENGINE_PID" 2>/dev/null || true
  fi
  # Not `podman system reset`: it would also drop the host-wide lock segment other podman
  # users share. The container layers are removed with the directory.
  umount -R "$ENGINE_DIR/storage/overlay" 2>/dev/null || true
  rm -rf "$ENGINE_DIR"
}
