// Kubernetes manifests as the input of `bench kubernetes --target policies`: the files,
// directories (recursively) and standard input given with --manifests, parsed once into a
// ManifestSet and evaluated once by the manifest checks of `config scan` (config/k8s_checks.h).
// The `k8s_manifests` collector reads the results through HostOptions::manifests.
#pragma once

#include <cstddef>
#include <istream>
#include <string>
#include <vector>

#include "common/result.h"
#include "config/k8s_checks.h"
#include "config/k8s_manifest.h"

namespace hivesec::policy {

struct ManifestInputLimits {
  size_t max_files = 10'000;          // files read from directories and arguments
  size_t max_total_bytes = 256u << 20;  // all files together
  size_t max_stdin = 64u << 20;
  config::ManifestLimits manifest;
};

struct ManifestInput {
  std::vector<std::string> paths;  // as given
  size_t files = 0;                // files read (stdin counts as one)
  config::ManifestSet set;
  std::vector<config::ManifestError> unreadable_files;  // whole files that could not be used
  std::vector<config::K8sCheckResult> results;           // every manifest check, once

  // Documents (and whole files) that could not be read.
  size_t unreadable() const { return set.errors.size() + unreadable_files.size(); }
  // One line per unreadable document: "file:line: document N: message".
  std::vector<std::string> notes() const;
  // The result of one manifest check id; nullptr when it was not run.
  const config::K8sCheckResult* result(std::string_view id) const;
};

// Reads every path: "-" is `in` (bounded), a directory is walked recursively (symlinks not
// followed; only *.yaml, *.yml and *.json files that look like Kubernetes objects), a file is
// read whatever its name. A path that does not exist is kNotFound; over max_files or
// max_total_bytes is kLimit; a file that is binary, too large or unreadable becomes an
// unreadable entry (a note), not an error. Not thread-safe with other readers of `in`.
Result<ManifestInput> load_manifest_input(const std::vector<std::string>& paths, std::istream& in,
                                          const ManifestInputLimits& limits = {});

}  // namespace hivesec::policy
