// libFuzzer target: the Java archive reader (zip via libarchive, pom.properties, manifest,
// nested archives) on arbitrary bytes, with small limits so bombs stay cheap.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "analyze/java.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  hivesec::analyze::JarLimits limits;
  limits.max_total_bytes = 8 << 20;
  limits.max_nested_size = 4 << 20;
  limits.max_entries = 10000;
  std::string_view content(reinterpret_cast<const char*>(data), size);
  hivesec::analyze::AnalysisOutput out;
  (void)hivesec::analyze::read_java_archive(content, "app-1.0.war", limits, out);
  return 0;
}
