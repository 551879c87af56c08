#include "scan/inventory.h"

#include <spdlog/spdlog.h>

#include <atomic>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <mutex>
#include <optional>
#include <thread>

#include "scan/layer_cache.h"
#include "scan/merge.h"
#include "common/time.h"
#include "scan/tar_layer.h"

namespace hivesec::scan {

namespace {

std::string options_fingerprint(const WalkLimits& l) {
  return fmt::format("entries={};bytes={};links={}", l.max_entries, l.max_layer_bytes,
                     l.max_symlinks);
}

}  // namespace

Result<model::ScanResult> inventory_image(const image::ImageSource& source,
                                          const analyze::Registry& registry,
                                          const InventoryOptions& options) {
  const image::ImageMeta& meta = source.meta();
  const size_t n = meta.layers.size();

  std::optional<LayerCache> cache;
  if (options.use_cache) {
    auto c = LayerCache::open(options.cache_dir.empty() ? default_cache_dir() : options.cache_dir);
    if (!c.ok()) return std::move(c).error();
    cache.emplace(std::move(*c));
  }
  const std::string fp = registry.fingerprint();
  const std::string ofp = options_fingerprint(options.limits);

  std::vector<LayerResult> results(n);
  std::vector<bool> cached(n, false);
  std::atomic<size_t> next{0};
  std::atomic<bool> stop{false};
  std::mutex err_mu;
  std::optional<Error> first_error;
  size_t first_error_layer = n;

  auto work = [&] {
    while (!stop.load()) {
      size_t i = next.fetch_add(1);
      if (i >= n) return;
      const auto& layer = meta.layers[i];
      std::string key;
      if (cache && !layer.diff_id.empty()) {
        key = LayerCache::key(layer.diff_id, fp, ofp);
        auto t0 = std::chrono::steady_clock::now();
        auto hit = cache->get(key);
        spdlog::debug("layer {} ({}): cache {} in {} ms", i, layer.diff_id, hit ? "hit" : "miss",
                      std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::steady_clock::now() - t0)
                          .count());
        if (hit) {
          results[i] = std::move(*hit);
          cached[i] = true;
          continue;
        }
      }
      auto blob = source.open_layer(i);
      Result<LayerResult> r =
          blob.ok() ? analyze_tar_layer(std::move(*blob), layer.diff_id, registry, options.limits)
                    : Result<LayerResult>(std::move(blob).error());
      if (!r.ok()) {
        std::lock_guard lock(err_mu);
        if (i < first_error_layer) {
          first_error = std::move(r).error();
          first_error_layer = i;
        }
        stop = true;
        return;
      }
      if (!key.empty()) {
        // A cache that cannot be written only costs time next run.
        (void)cache->put(key, *r);
      }
      results[i] = std::move(*r);
    }
  };

  size_t workers = options.parallel > 0 ? static_cast<size_t>(options.parallel)
                                        : std::max(1u, std::thread::hardware_concurrency());
  workers = std::min(workers, std::max<size_t>(n, 1));
  {
    std::vector<std::jthread> pool;
    for (size_t w = 1; w < workers; ++w) pool.emplace_back(work);
    work();
  }
  if (first_error) return std::move(*first_error);

  model::ScanResult out;
  out.asset.kind = model::AssetKind::kImage;
  out.asset.id = meta.image_id;
  out.asset.name = meta.name;
  out.scanned_at = now_rfc3339();
  out.image = meta;

  std::vector<std::string> ids;
  size_t h = 0;
  for (size_t i = 0; i < n; ++i) {
    ids.push_back(meta.layers[i].diff_id);
    model::LayerSummary s;
    s.digest = meta.layers[i].digest;
    s.diff_id = meta.layers[i].diff_id;
    s.size = meta.layers[i].size;
    s.cached = cached[i];
    while (h < meta.history.size() && meta.history[h].empty_layer) ++h;
    if (h < meta.history.size()) s.created_by = meta.history[h++].created_by;
    out.layers.push_back(std::move(s));
  }
  auto t0 = std::chrono::steady_clock::now();
  merge_layers(std::move(results), ids, out);
  spdlog::debug(
      "merged {} layers in {} ms", n,
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0)
          .count());
  return out;
}

Result<model::ScanResult> inventory_tree(const std::string& root, const analyze::Registry& registry,
                                         const TreeOptions& options) {
  HIVESEC_TRY(LayerResult layer, analyze_tree(root, registry, options));
  model::ScanResult out;
  out.asset.kind = model::AssetKind::kFilesystem;
  std::error_code ec;
  auto abs = std::filesystem::canonical(root, ec);
  out.asset.id = ec ? root : abs.string();
  out.asset.name = root;
  out.scanned_at = now_rfc3339();
  std::vector<LayerResult> layers;
  layers.push_back(std::move(layer));
  merge_layers(std::move(layers), {""}, out);
  return out;
}

}  // namespace hivesec::scan
