// Per-layer result cache on disk (DESIGN §2: "layer results are cached by layer digest").
//
// Key: sha256 of (diffID, every analyzer's name:version, options fingerprint, cache format).
// One JSON file per key under <dir>/layers/. Writes go to a temp file in the same directory and
// are renamed into place, so any number of processes may share one cache: readers see either
// nothing or a complete entry. A corrupt entry is treated as a miss and overwritten.
#pragma once

#include <optional>
#include <string>

#include "common/result.h"
#include "scan/layer_result.h"

namespace hivesec::scan {

class LayerCache {
 public:
  // Creates <dir>/layers if needed. kIo when the directory cannot be created.
  static Result<LayerCache> open(const std::string& dir);

  static std::string key(const std::string& diff_id, const std::string& analyzers_fingerprint,
                         const std::string& options_fingerprint);

  // Thread-safe.
  std::optional<LayerResult> get(const std::string& key) const;
  Status put(const std::string& key, const LayerResult& result) const;

  const std::string& dir() const { return dir_; }

 private:
  explicit LayerCache(std::string dir) : dir_(std::move(dir)) {}
  std::string path_for(const std::string& key) const;
  std::string dir_;
};

// $XDG_CACHE_HOME/hivesec, else $HOME/.cache/hivesec, else /tmp/hivesec-cache-<uid>.
std::string default_cache_dir();

}  // namespace hivesec::scan
