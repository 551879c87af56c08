// libFuzzer target for the suppression inputs: .hivesecignore parsing and matching, VEX
// documents (OpenVEX and CycloneDX) parsing and evaluation, purl parsing and globs. The first
// input byte picks the parser; the rest is the file content.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "model/finding.h"
#include "model/purl.h"
#include "suppress/glob.h"
#include "suppress/ignore_file.h"
#include "suppress/vex.h"

namespace {

hivesec::model::Finding sample_finding() {
  hivesec::model::Finding f;
  f.rule_id = "CVE-2023-0286";
  f.aliases = {"GHSA-x4qr-2fvf-3mr5"};
  f.evidence.package = "pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64";
  f.evidence.path = "var/lib/dpkg/status";
  hivesec::model::VulnDetail d;
  d.package_name = "libssl3";
  d.matched_name = "openssl";
  f.vuln = d;
  return f;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const hivesec::model::Finding finding = sample_finding();
  static const hivesec::suppress::AssetIdentity asset = [] {
    hivesec::suppress::AssetIdentity a;
    a.digests = {"sha256:aaaa000000000000000000000000000000000000000000000000000000000001"};
    a.repositories = {"registry.example.com/team/app", "app"};
    a.tags = {{"registry.example.com/team/app", "v1"}};
    return a;
  }();
  if (size == 0) return 0;
  std::string_view content(reinterpret_cast<const char*>(data + 1), size - 1);
  switch (data[0] % 4) {
    case 0: {
      auto f = hivesec::suppress::parse_ignore_file(content, "fuzz");
      if (f.ok()) {
        for (const auto& e : f->entries) (void)e.matches(finding);
      }
      break;
    }
    case 1: {
      auto d = hivesec::suppress::parse_vex(content, "fuzz.json");
      if (d.ok()) {
        hivesec::suppress::VexSet s;
        s.add(std::move(*d));
        (void)s.evaluate(finding, asset);
      }
      break;
    }
    case 2: {
      auto p = hivesec::model::parse_purl(content);
      if (p.ok()) (void)hivesec::model::parse_purl(p->to_string());
      break;
    }
    default: {
      // "pattern\npath"
      size_t nl = content.find('\n');
      if (nl == std::string_view::npos) break;
      auto g = hivesec::suppress::Glob::compile(content.substr(0, nl));
      if (g.ok()) (void)g->matches(content.substr(nl + 1));
      break;
    }
  }
  return 0;
}
