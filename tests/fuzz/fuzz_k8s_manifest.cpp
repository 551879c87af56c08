// libFuzzer target for Kubernetes manifests: document splitting, the parse guards (size,
// depth, node and alias caps), List expansion and every check over the parsed set. Any input
// must end in objects and per-document errors, never a crash, hang or kInternal.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "config/k8s_checks.h"
#include "config/k8s_manifest.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view content(reinterpret_cast<const char*>(data), size);
  (void)hivesec::config::looks_like_kubernetes(content);
  hivesec::config::ManifestSet set;
  hivesec::config::ManifestLimits limits;
  limits.max_nodes = 20'000;  // keep single inputs fast under ASan
  if (!hivesec::config::add_manifests(set, "fuzz.yaml", content, limits).ok()) return 0;
  auto results = hivesec::config::evaluate_manifests(set);
  if (!results.ok()) std::abort();  // kInternal: a check threw on some shape of input
  (void)hivesec::config::k8s_findings(std::move(*results));
  return 0;
}
