// Walks one layer blob (gzip/zstd/plain tar) in a single streaming pass, dispatching files to
// analyzers. Nothing is extracted to disk.
#pragma once

#include <memory>
#include <string>

#include "analyze/analyzer.h"
#include "image/stream.h"
#include "scan/dispatcher.h"
#include "scan/layer_result.h"

namespace hivesec::scan {

// Reads the whole blob. Errors (kCorrupt, kLimit, kIo) name the layer and mean the layer cannot
// be trusted: "../" or absolute escapes in entry names or hard-link targets, truncated or
// corrupt compression, diffID mismatch (when `diff_id` is non-empty), too many entries/bytes.
// Thread-safe for distinct blobs; `registry` is shared read-only.
Result<LayerResult> analyze_tar_layer(std::unique_ptr<image::ByteStream> blob,
                                      const std::string& diff_id, const analyze::Registry& registry,
                                      const WalkLimits& limits);

}  // namespace hivesec::scan
