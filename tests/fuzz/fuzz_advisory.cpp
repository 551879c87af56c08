// libFuzzer target for the vulnerability path's text inputs: version strings in every scheme
// (validate, compare), CVSS vectors, and OSV records (parse, then evaluate every affected entry
// against a version). The first input byte picks the target; the rest is the text.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "match/affected.h"
#include "severity/cvss.h"
#include "versions/scheme.h"
#include "vulndb/osv.h"

namespace {

const hivesec::versions::SchemeRegistry& schemes() {
  static const hivesec::versions::SchemeRegistry reg = [] {
    hivesec::versions::SchemeRegistry r;
    (void)hivesec::versions::register_builtin_schemes(r);
    return r;
  }();
  return reg;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  const auto& reg = schemes();
  switch (data[0] % 3) {
    case 0: {
      // Two versions separated by the first newline, compared in every scheme.
      size_t nl = text.find('\n');
      std::string_view a = text.substr(0, nl);
      std::string_view b = nl == std::string_view::npos ? "1.0" : text.substr(nl + 1);
      for (const std::string& name : reg.names()) {
        const auto* s = reg.find(name);
        (void)hivesec::versions::compare_versions(*s, a, b);
        if (s->validate(a).ok() && s->validate(b).ok()) {
          int ab = s->compare(a, b), ba = s->compare(b, a);
          if ((ab < 0) != (ba > 0)) __builtin_trap();  // antisymmetry
        }
      }
      break;
    }
    case 1:
      (void)hivesec::severity::score_cvss(text);
      break;
    case 2: {
      auto adv = hivesec::vulndb::detail::parse_osv(text);
      if (!adv.ok()) break;
      const auto* semver = reg.find("semver");
      for (const auto& a : adv->affected) {
        for (const char* scheme : {"semver", "dpkg", "pep440", "go"}) {
          const auto* s = reg.find(scheme);
          for (const char* v : {"0.0.1", "1.2.3", "1:2.3-4", "2.0.0rc1"}) {
            if (s->validate(v).ok()) (void)hivesec::match::evaluate_affected(a, v, *s, *semver);
          }
        }
      }
      break;
    }
  }
  return 0;
}
