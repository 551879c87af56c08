// Container attribution for the sensor: cgroup path -> container id (podman, docker,
// containerd, cri-o naming), id -> metadata through a ContainerMetadataSource (the Docker
// Engine API by default), and the per-container cache the sensor consults for every event.
//
// Contracts:
// - On the first event of a container the cache answers at once with the id alone
//   (metadata_complete=false, `pending` set) and asks the source on its own resolver thread,
//   so a slow engine never stalls the event stream (Podman answers an inspect only once the
//   container's start has finished). poll() hands the answers to the consumer, which may hold
//   the container's first events until then (the sensor does, bounded in time).
// - An engine outage yields the id alone (metadata_complete=false); it never fails an event.
//   A failed lookup is retried after 1 s, then 2, 4 ... up to `retry_ns`; while the engine
//   is unreachable, new containers are not asked about for 1 s.
// - Entries are evicted once the container is gone: no process counted in them any more and
//   their cgroup directory removed (or idle for `idle_ns` when the cgroup is unknown or kept).
//   A container whose processes come and go keeps its entry, so it is not looked up again.
// Thread-safety: ContainerCache is not thread-safe (the sensor's consumer thread owns it; only
// its private resolver thread calls the source); the ContainerInfo objects it hands out are
// immutable and may be shared across threads. Destruction waits for a lookup in flight (at
// most `timeout_ms`).
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

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
  uint64_t idle_since_ns = 0;  // when `live` last reached zero (monotonic; 0 = not idle)
  uint64_t retry_at_ns = 0;  // next metadata attempt when incomplete (monotonic)
  uint64_t backoff_ns = 0;   // the last wait between failed lookups
  bool pending = false;      // a lookup is in flight; `info` is the id alone until poll()
};

// A finished lookup, as poll() hands it to the consumer.
struct ContainerUpdate {
  uint64_t key = 0;
  std::shared_ptr<const ContainerInfo> info;  // complete, or the id alone after a failure
};

class ContainerCache {
 public:
  struct Options {
    std::string proc_root = "/proc";
    std::string cgroup2_root;  // "" = found in /proc/self/mountinfo
    int timeout_ms = 5000;  // one lookup
    uint64_t retry_ns = 10'000'000'000;  // the longest wait between failed lookups
    uint64_t idle_ns = 60'000'000'000;  // an idle entry whose cgroup still exists is kept this long
  };
  ContainerCache(std::unique_ptr<ContainerMetadataSource> source, Options opts);
  ~ContainerCache();
  ContainerCache(const ContainerCache&) = delete;
  ContainerCache& operator=(const ContainerCache&) = delete;

  // Cache key of a process: its cgroup v2 id, or its pid namespace when it sits in the root
  // cgroup (hybrid hosts where a runtime only uses cgroup v1).
  uint64_t key_for(uint64_t cgroup_id, uint32_t pidns_ino) const;

  // The container of `pid` (whose key is `key`); on first sight reads the cgroup and starts a
  // metadata lookup (state.pending). Never null.
  const ContainerState& resolve(uint64_t key, uint64_t cgroup_id, int32_t pid);

  // The overlay upper directory of container `key`, read from `pid`'s mountinfo when not yet
  // known (the container's first process may still be in runc's mount namespace when the
  // entry is made). "" when unknown or the root is not overlayfs.
  const std::string& upperdir(uint64_t key, int32_t pid);

  // Applies the lookups finished since the last call and returns them (also for containers
  // evicted meanwhile, so events held for them still get their metadata). Never blocks.
  std::vector<ContainerUpdate> poll();
  // Blocks until a lookup finishes or `timeout_ms` passes, then poll(). For tests and tools.
  std::vector<ContainerUpdate> wait(int timeout_ms);

  // Process accounting for eviction: retain when a process is attributed to `key`, release
  // when it exits. release() returns true when no counted process is left (the entry idles).
  void retain(uint64_t key);
  bool release(uint64_t key);
  // Evicts idle entries whose container is gone (see the contract above); returns how many.
  // Cheap when nothing idles; the sensor calls it about once a second.
  size_t sweep();

  size_t size() const { return entries_.size(); }
  uint64_t lookups() const { return lookups_; }       // engine queries made
  uint64_t lookup_failures() const { return failures_; }

  // The shared "host" container (processes outside any container).
  static std::shared_ptr<const ContainerInfo> host();

 private:
  struct Lookup {
    uint64_t key = 0;
    std::string id;
    std::shared_ptr<const ContainerInfo> base;  // what the cache knew (started_ns fallback)
    Result<ContainerInfo> answer = make_error(Errc::kInternal, "not asked");
  };
  void request(uint64_t key, ContainerState& st);
  void run_resolver();
  std::string cgroup_path_by_id(uint64_t cgroup_id) const;

  std::unique_ptr<ContainerMetadataSource> source_;
  Options opts_;
  uint64_t root_cgroup_id_ = 1;
  std::unordered_map<uint64_t, ContainerState> entries_;
  uint64_t lookups_ = 0, failures_ = 0;
  uint64_t source_down_until_ns_ = 0;

  // Resolver thread: requests in, answers out (guarded by mu_).
  std::mutex mu_;
  std::condition_variable cv_;       // requests_ or stopping_ changed
  std::condition_variable done_cv_;  // answers_ grew
  std::deque<Lookup> requests_;
  std::vector<Lookup> answers_;
  std::atomic<bool> answered_{false};  // answers_ is not empty: poll() skips the lock otherwise
  bool stopping_ = false;
  std::thread resolver_;  // started with the first request
};

}  // namespace hivesec::runtime::sensor
