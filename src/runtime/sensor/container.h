// Container attribution for the sensor: cgroup path -> container id (podman, docker,
// containerd, cri-o naming), id -> metadata through a ContainerMetadataSource (the Docker
// Engine API by default), and the per-container cache the sensor consults for every event.
//
// Contracts:
// - The cache resolves synchronously on the first event of a container (bounded by the
//   source's timeout) and serves later events from memory.
// - An engine outage yields the id alone (metadata_complete=false); it never fails an event.
//   A failed lookup is retried at most every `retry_ns`.
// - Entries are evicted when the last process counted in them exits.
// Thread-safety: ContainerCache is not thread-safe (the sensor's consumer thread owns it); the
// ContainerInfo objects it hands out are immutable and may be shared across threads.
#pragma once

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "common/result.h"
#include "runtime/event.h"

namespace hivesec::runtime::sensor {

struct CgroupContainer {
  std::string runtime;  // "podman", "docker", "containerd", "crio", "" (bare id)
  std::string id;       // 64 lowercase hex digits
};

// The container named by a cgroup path, looking from the leaf up:
// libpod-<id>[.scope], docker-<id>.scope, /docker/<id>, cri-containerd-<id>.scope,
// crio-<id>.scope, and bare 64-hex segments (cgroupfs drivers). conmon scopes are not
// containers.
std::optional<CgroupContainer> container_from_cgroup_path(std::string_view path);

// /proc/<pid>/cgroup: the unified (v2, "0::") path and the container found on any line.
struct ProcCgroup {
  std::string unified_path;
  std::optional<CgroupContainer> container;
};
ProcCgroup parse_proc_cgroup(std::string_view content);

// The overlay upper directory of the mount at "/" in a /proc/<pid>/mountinfo text ("" when the
// root is not overlayfs). Octal escapes (\040) are decoded.
std::string overlay_upperdir(std::string_view mountinfo);

// "2024-05-01T10:00:00.123456789Z" or with a "+02:00" offset -> Unix nanoseconds; nullopt when
// malformed. The Engine API's zero time ("0001-01-01T00:00:00Z") gives 0.
std::optional<uint64_t> parse_rfc3339_ns(std::string_view s);

// Where container metadata comes from (the Engine API in production, fakes in tests).
class ContainerMetadataSource {
 public:
  virtual ~ContainerMetadataSource() = default;
  // Name, image, labels, pod fields, privileged, started_ns of container `id`.
  // kNotFound: the engine does not know it; kNetwork: the engine is unreachable or timed out.
  virtual Result<ContainerInfo> inspect(std::string_view id, int timeout_ms) = 0;
};

// Parses a GET /containers/<id>/json body (Docker and Podman). kCorrupt on malformed JSON.
Result<ContainerInfo> parse_inspect_json(std::string_view body);
Result<ContainerInfo> parse_inspect(const nlohmann::json& inspect);

// The Engine API through src/engine (`docker_host` as DOCKER_HOST spells it; "" = found as
// Docker's tools find it, again at each lookup so an engine started later is used).
std::unique_ptr<ContainerMetadataSource> make_engine_metadata_source(std::string docker_host = "");

// What the cache keeps per container.
struct ContainerState {
  std::shared_ptr<const ContainerInfo> info;
  std::string upperdir;  // overlay upper dir on the host ("" unknown)
  std::string cgroup_path;
  int64_t live = 0;          // processes counted in this container
  uint64_t retry_at_ns = 0;  // next metadata attempt when incomplete (monotonic)
};

class ContainerCache {
 public:
  struct Options {
    std::string proc_root = "/proc";
    std::string cgroup2_root;  // "" = found in /proc/self/mountinfo
    int timeout_ms = 1000;
    uint64_t retry_ns = 10'000'000'000;
  };
  ContainerCache(std::unique_ptr<ContainerMetadataSource> source, Options opts);

  // Cache key of a process: its cgroup v2 id, or its pid namespace when it sits in the root
  // cgroup (hybrid hosts where a runtime only uses cgroup v1).
  uint64_t key_for(uint64_t cgroup_id, uint32_t pidns_ino) const;

  // The container of `pid` (whose key is `key`); resolves on first sight. Never null.
  const ContainerState& resolve(uint64_t key, uint64_t cgroup_id, int32_t pid);

  // Process accounting for eviction: retain when a process is attributed to `key`, release
  // when it exits; the entry is dropped when the count reaches zero.
  void retain(uint64_t key);
  // Returns true when the entry was evicted (its last process exited).
  bool release(uint64_t key);

  size_t size() const { return entries_.size(); }
  uint64_t lookups() const { return lookups_; }       // engine queries made
  uint64_t lookup_failures() const { return failures_; }

  // The shared "host" container (processes outside any container).
  static std::shared_ptr<const ContainerInfo> host();

 private:
  void fetch_metadata(ContainerState& st, const std::string& id);
  std::string cgroup_path_by_id(uint64_t cgroup_id) const;

  std::unique_ptr<ContainerMetadataSource> source_;
  Options opts_;
  uint64_t root_cgroup_id_ = 1;
  std::unordered_map<uint64_t, ContainerState> entries_;
  uint64_t lookups_ = 0, failures_ = 0;
  uint64_t source_down_until_ns_ = 0;
};

}  // namespace hivesec::runtime::sensor
