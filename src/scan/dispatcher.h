// FileDispatcher: the per-file step of the single pass over a layer. For each file it asks every
// analyzer whether it wants it (path filter), reads the content once into a shared buffer when
// at least one does, and runs them. Used by the tar layer walker and the filesystem walker.
// One dispatcher per thread (it owns a scratch buffer); the registry is shared read-only.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "analyze/analyzer.h"
#include "scan/layer_result.h"

namespace hivesec::scan {

struct WalkLimits {
  int64_t max_entries = 10'000'000;      // entries per layer
  int64_t max_layer_bytes = 64ll << 30;  // uncompressed bytes per layer
  size_t max_symlinks = 2'000'000;       // symlinks remembered per layer
};

class FileDispatcher {
 public:
  FileDispatcher(const analyze::Registry& registry, LayerResult& out)
      : registry_(registry), out_(out) {}

  // Reads up to `limit` bytes of the current file into `buf` (resized to the real size).
  using ContentReader = std::function<Status(std::string& buf, int64_t limit)>;

  // Dispatches one regular file. Content errors that concern only this file become notes;
  // stream errors (the layer itself is broken) are returned.
  Status dispatch(const analyze::FileInfo& file, const ContentReader& read_content);

 private:
  const analyze::Registry& registry_;
  LayerResult& out_;
  std::vector<const analyze::Analyzer*> wanted_;
  std::string buf_;
};

}  // namespace hivesec::scan
