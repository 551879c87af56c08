// libFuzzer target: the apk analyzer on lib/apk/db/installed.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "analyze/builtins.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const auto analyzer = hivesec::analyze::make_apk_analyzer();
  std::string_view content(reinterpret_cast<const char*>(data), size);
  hivesec::analyze::FileInfo file{"lib/apk/db/installed"};
  hivesec::analyze::AnalysisOutput out;
  (void)analyzer->analyze(file, content, out);
  return 0;
}
