// libFuzzer target: the dpkg analyzer on every kind of file it reads. The first byte picks the
// path (status, status.d entry, md5sums, info .list, copyright); the rest is the content.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "analyze/builtins.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const auto analyzer = hivesec::analyze::make_dpkg_analyzer();
  static constexpr std::string_view kPaths[] = {
      "var/lib/dpkg/status", "var/lib/dpkg/status.d/libc6", "var/lib/dpkg/status.d/libc6.md5sums",
      "var/lib/dpkg/info/libc6:amd64.list", "usr/share/doc/libc6/copyright"};
  if (size == 0) return 0;
  std::string_view path = kPaths[data[0] % std::size(kPaths)];
  std::string_view content(reinterpret_cast<const char*>(data) + 1, size - 1);
  hivesec::analyze::FileInfo file{path};
  hivesec::analyze::AnalysisOutput out;
  (void)analyzer->analyze(file, content, out);
  return 0;
}
