// libFuzzer target: the SBOM reader (format detection, CycloneDX JSON, SPDX JSON, SPDX
// tag-value) on arbitrary bytes. Any document it accepts must give packages with a type and a
// purl, and errors must be one line.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "sbom/reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view doc(reinterpret_cast<const char*>(data), size);
  auto r = hivesec::sbom::read_sbom_bytes(doc, "fuzz.sbom");
  if (!r.ok()) {
    if (r.error().message.find('\n') != std::string::npos) std::abort();
    return 0;
  }
  for (const auto& p : r->packages) {
    if (p.type.empty() || p.purl.empty()) std::abort();
  }
  return 0;
}
