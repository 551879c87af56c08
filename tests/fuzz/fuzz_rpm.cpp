// libFuzzer target: the rpm header parser and the sqlite, Berkeley DB and ndb readers. The first
// byte picks the parser; the rest is the input. Seed with tests/data/rpm/* prefixed by a byte.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "analyze/builtins.h"
#include "analyze/rpm_db.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const auto analyzer = hivesec::analyze::make_rpm_analyzer();
  if (size == 0) return 0;
  std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  hivesec::analyze::AnalysisOutput out;
  switch (data[0] % 4) {
    case 0:
      (void)hivesec::analyze::rpm::parse_header(input);
      break;
    case 1:
      (void)analyzer->analyze({"var/lib/rpm/rpmdb.sqlite"}, input, out);
      break;
    case 2:
      (void)analyzer->analyze({"var/lib/rpm/Packages"}, input, out);
      break;
    default:
      (void)analyzer->analyze({"var/lib/rpm/Packages.db"}, input, out);
      break;
  }
  return 0;
}
