// Fuzzes the layer reader: decompression sniffing (gzip/zstd/plain), tar parsing, path
// normalization, whiteouts, and dispatch to every built-in analyzer.
#include <cstddef>
#include <cstdint>
#include <string>

#include "analyze/analyzer.h"
#include "image/stream.h"
#include "scan/tar_layer.h"

namespace {
const hivesec::analyze::Registry* g_registry = nullptr;
}  // namespace

// The analyzers are built once, outside the per-input timeout: compiling the secret rules'
// Hyperscan database takes seconds under ASan.
extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  auto* r = new hivesec::analyze::Registry();
  (void)hivesec::analyze::register_builtins(*r);
  g_registry = r;
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  hivesec::scan::WalkLimits limits;
  limits.max_entries = 10000;
  limits.max_layer_bytes = 64 << 20;
  auto stream = hivesec::image::string_stream(std::string(reinterpret_cast<const char*>(data), size));
  auto result = hivesec::scan::analyze_tar_layer(std::move(stream), "", *g_registry, limits);
  (void)result.ok();
  return 0;
}
