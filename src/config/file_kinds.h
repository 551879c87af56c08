// The kinds of configuration file `hivesec config scan` understands, registered by name: which
// files a kind claims (by name, and for some kinds by content) and how it checks them.
// Dockerfiles are checked one file at a time; Kubernetes manifests are gathered over the whole
// scan first (a session), because some checks relate objects of different files.
#pragma once

#include <cstddef>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "config/k8s_catalogue.h"
#include "model/finding.h"

namespace hivesec::config {

// Which checks a scan runs (`config scan --standard`, `--skip`).
struct CheckSelection {
  K8sStandard standard = K8sStandard::kAll;
  std::set<std::string> skip;  // check ids
};

// Files of one kind over one scan: add() each file, then finish() once.
class KindSession {
 public:
  virtual ~KindSession() = default;
  // Errors: the file as a whole is unusable (binary, over a limit: kInvalidArgument / kLimit,
  // one line). Problems in a part of the file (one document) go to `notes` instead.
  virtual Status add(std::string_view path, std::string_view content, std::vector<std::string>& notes) = 0;
  // The findings of everything added (evidence.path = the path given to add).
  virtual Result<std::vector<model::Finding>> finish() = 0;
};

struct FileKind {
  std::string_view name;  // "dockerfile"
  std::string_view patterns;  // for messages: "Dockerfile, Containerfile, *.Dockerfile, Dockerfile.*"
  bool (*matches)(std::string_view file_name);  // base name only
  // Content check for files whose name matches (and for files given explicitly or on standard
  // input whose name matches no kind); nullptr: the name decides alone.
  bool (*sniff)(std::string_view content) = nullptr;
  // Per-file kinds: findings for one file (evidence.path = path). Errors: content that is not
  // of this kind (kInvalidArgument / kLimit, one line, with the line number where known).
  Result<std::vector<model::Finding>> (*scan)(std::string_view path, std::string_view content) = nullptr;
  // Whole-scan kinds (scan == nullptr): a new session with this selection of checks.
  std::unique_ptr<KindSession> (*open)(const CheckSelection& selection) = nullptr;
  size_t max_size = 0;  // larger files are not read
};

// An instance registry: names unique, first match wins in registration order.
class FileKindRegistry {
 public:
  Status add(FileKind kind);
  const FileKind* match(std::string_view file_name) const;
  // The first kind with a sniff function that accepts the content.
  const FileKind* sniff(std::string_view content) const;
  const std::vector<FileKind>& all() const { return kinds_; }

 private:
  std::vector<FileKind> kinds_;
};

// Every built-in kind, in one visible list.
Status register_builtin_file_kinds(FileKindRegistry& registry);

// The Dockerfile kind's file names: Dockerfile, Containerfile, *.Dockerfile, Dockerfile.*,
// *.Containerfile, Containerfile.* (case-insensitive for the Dockerfile/Containerfile part).
bool is_dockerfile_name(std::string_view file_name);

// The Kubernetes kind's candidate names: *.yaml, *.yml, *.json (case-insensitive); the content
// decides (looks_like_kubernetes).
bool is_manifest_name(std::string_view file_name);

}  // namespace hivesec::config
