// Facts: what a collector learned about the target (a file's mode, a parsed config, a sysctl),
// and the host handle collectors read through. A fact's value is JSON so that every collector
// speaks one vocabulary and tests can address parts of it with a dotted path.
#pragma once

#include <sys/types.h>

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hivesec::policy {

// kMissing: the thing is legitimately not there (no such file, key not set) - tests decide.
// kUnavailable: cannot be decided here (permission denied while not root, no /proc under
//   --root, no kernel config): the check's verdict is WARN with the reason.
// kError: could not be collected (malformed file, I/O error): the check's verdict is ERROR.
enum class FactState { kOk, kMissing, kUnavailable, kError };
const char* fact_state_name(FactState s);

struct Fact {
  FactState state = FactState::kOk;
  nlohmann::json value;     // meaningful when kOk
  std::string reason;       // why when not kOk
  std::string source;       // what was read ("/etc/ssh/sshd_config", "sysctl net.ipv4.ip_forward")
  bool incomplete = false;  // a bounded walk stopped early: a passing test becomes WARN
  // What the value is about, one line each (the offending objects of a manifest check): the
  // engine copies them into the result (the JSON report lists them all, the table a few).
  std::vector<std::string> details;

  static Fact ok(nlohmann::json v, std::string source) {
    return Fact{FactState::kOk, std::move(v), "", std::move(source), false};
  }
  static Fact missing(std::string reason, std::string source) {
    return Fact{FactState::kMissing, nullptr, std::move(reason), std::move(source), false};
  }
  static Fact unavailable(std::string reason, std::string source) {
    return Fact{FactState::kUnavailable, nullptr, std::move(reason), std::move(source), false};
  }
  static Fact error(std::string reason, std::string source) {
    return Fact{FactState::kError, nullptr, std::move(reason), std::move(source), false};
  }
};

struct ManifestInput;  // manifest_input.h: Kubernetes manifests given with --manifests

struct HostOptions {
  std::string root = "/";  // every file collector reads below this directory
  bool live = true;        // false with --root: processes/sysctl/kernel come from files under root
  size_t max_file_bytes = 8u << 20;  // larger files are an ERROR fact (hostile input)
  size_t walk_limit = 300000;        // entries a filesystem walk visits before it stops
  std::shared_ptr<const ManifestInput> manifests;  // null: none given (k8s_manifests collector)
};

// The target collectors read: a root directory (the live "/" or an offline tree), resolved
// safely (symlinks never leave the root), with user/group names from the root's own
// etc/passwd and etc/group. Not thread-safe (caches); one per run.
class Host {
 public:
  explicit Host(HostOptions options);

  const HostOptions& options() const { return options_; }
  bool live() const { return options_.live; }
  bool privileged() const { return privileged_; }

  // The host path of `abs` (an absolute path on the target), after resolving symlinks inside
  // the root; nullopt when resolution fails (link loop).
  std::optional<std::string> host_path(std::string_view abs) const;

  // Reads a whole file on the target. On failure returns a non-ok Fact carrying the reason:
  // kMissing (ENOENT/ENOTDIR), kUnavailable (EACCES while not root), kError (anything else,
  // a directory, over max_file_bytes).
  std::optional<Fact> read_file(std::string_view abs, std::string* content) const;

  // Names from the target's etc/passwd / etc/group; nullopt when the id is not listed.
  std::optional<std::string> user_name(uid_t uid);
  std::optional<std::string> group_name(gid_t gid);

  // The per-run fact cache, keyed by collector name + canonical parameters.
  std::map<std::string, Fact>& cache() { return cache_; }

 private:
  void load_ids();
  HostOptions options_;
  bool privileged_ = false;
  bool ids_loaded_ = false;
  std::map<uid_t, std::string> users_;
  std::map<gid_t, std::string> groups_;
  std::map<std::string, Fact> cache_;
};

}  // namespace hivesec::policy
