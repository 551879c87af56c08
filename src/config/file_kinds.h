// The kinds of configuration file `hivesec config scan` understands, registered by name: which
// file names a kind claims and the function that checks one file of that kind. Dockerfiles
// today; Kubernetes manifests plug in here later.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "model/finding.h"

namespace hivesec::config {

struct FileKind {
  std::string_view name;  // "dockerfile"
  std::string_view patterns;  // for messages: "Dockerfile, Containerfile, *.Dockerfile, Dockerfile.*"
  bool (*matches)(std::string_view file_name);  // base name only
  // Findings for one file (evidence.path = path). Errors: content that is not of this kind
  // (kInvalidArgument / kLimit, one line, with the line number where known).
  Result<std::vector<model::Finding>> (*scan)(std::string_view path, std::string_view content);
  size_t max_size = 0;  // larger files are not read
};

// An instance registry: names unique, first match wins in registration order.
class FileKindRegistry {
 public:
  Status add(FileKind kind);
  const FileKind* match(std::string_view file_name) const;
  const std::vector<FileKind>& all() const { return kinds_; }

 private:
  std::vector<FileKind> kinds_;
};

// Every built-in kind, in one visible list.
Status register_builtin_file_kinds(FileKindRegistry& registry);

// The Dockerfile kind's file names: Dockerfile, Containerfile, *.Dockerfile, Dockerfile.*,
// *.Containerfile, Containerfile.* (case-insensitive for the Dockerfile/Containerfile part).
bool is_dockerfile_name(std::string_view file_name);

}  // namespace hivesec::config
