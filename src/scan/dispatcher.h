// FileDispatcher: the per-file step of the single pass over a layer. For each file it asks every
// analyzer whether it wants it (path filter), reads the content once into a shared buffer when
// at least one does, and runs them. Streaming analyzers get the same bytes in chunks, so a file
// larger than any whole-content limit is still read once, with bounded memory. Used by the tar layer walker and the filesystem walker.
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

  // Reads the next bytes of the current file into dst (at most cap); 0 at the end of the file.
  // A file that ends before its declared size is the reader's to report (kCorrupt in a tar).
  using ContentReader = std::function<Result<size_t>(char* dst, size_t cap)>;

  static constexpr size_t kChunk = 1 << 20;  // streaming read size

  // Dispatches one regular file. Content errors that concern only this file become notes;
  // stream errors (the layer itself is broken) are returned.
  Status dispatch(const analyze::FileInfo& file, const ContentReader& read_content);

 private:
  const analyze::Registry& registry_;
  LayerResult& out_;
  Status read_whole(const ContentReader& read, size_t want);
  void collect(const analyze::Analyzer& a, const analyze::FileInfo& file, Status st,
               analyze::AnalysisOutput&& part);

  std::vector<const analyze::Analyzer*> wanted_;
  std::vector<const analyze::Analyzer*> whole_;
  std::vector<std::pair<const analyze::Analyzer*, std::unique_ptr<analyze::FileStream>>> streams_;
  std::string buf_;
};

}  // namespace hivesec::scan
