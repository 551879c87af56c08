// cargo-auditable: Rust binaries built with `cargo auditable` carry their dependency tree in the
// ELF section .dep-v0 as zlib-compressed JSON:
//   {"packages":[{"name","version","source","kind","dependencies":[idx...],"root"}]}
// kind "build" packages (build scripts, proc macros) are not linked in and are not reported.
#include <zlib.h>

#include <nlohmann/json.hpp>

#include "analyze/builtins.h"
#include "analyze/elf.h"
#include "common/json.h"
#include "model/purl.h"

namespace hivesec::analyze {
namespace {

constexpr size_t kMaxJsonSize = 16u << 20;
constexpr size_t kMaxPackages = 100000;

Result<std::string> inflate_bounded(std::string_view in, size_t cap) {
  z_stream zs{};
  if (inflateInit(&zs) != Z_OK) return make_error(Errc::kInternal, "inflateInit failed");
  std::string out;
  char buf[64 * 1024];
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(std::min<size_t>(in.size(), UINT32_MAX));
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    zs.next_out = reinterpret_cast<Bytef*>(buf);
    zs.avail_out = sizeof buf;
    rc = inflate(&zs, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) {
      inflateEnd(&zs);
      return make_error(Errc::kCorrupt, "bad zlib stream in .dep-v0");
    }
    size_t n = sizeof buf - zs.avail_out;
    if (out.size() + n > cap) {
      inflateEnd(&zs);
      return make_error(Errc::kLimit, ".dep-v0 inflates to more than {} bytes", cap);
    }
    out.append(buf, n);
    if (rc == Z_OK && n == 0 && zs.avail_in == 0) {
      inflateEnd(&zs);
      return make_error(Errc::kCorrupt, "truncated zlib stream in .dep-v0");
    }
  }
  inflateEnd(&zs);
  return out;
}

std::string string_field(const nlohmann::json& o, const char* key) {
  auto it = o.find(key);
  if (it == o.end() || !it->is_string()) return {};
  return it->get<std::string>();
}

class CargoAuditableAnalyzer final : public Analyzer {
 public:
  std::string_view name() const override { return "cargo-auditable"; }
  int version() const override { return 1; }
  bool required(const FileInfo& file) const override { return is_binary_candidate(file); }
  int64_t max_size() const override { return kMaxBinarySize; }

  Status analyze(const FileInfo& file, std::string_view content,
                 AnalysisOutput& out) const override {
    (void)file;
    if (!is_elf(content)) return ok_status();
    auto elf = ElfFile::parse(content);
    if (!elf.ok()) return ok_status();  // not ours to report: other analyzers see the same bytes
    const ElfSection* sec = elf->find_section(".dep-v0");
    if (sec == nullptr) return ok_status();
    HIVESEC_TRY(std::string_view compressed, elf->section_data(*sec));
    HIVESEC_TRY(std::string text, inflate_bounded(compressed, kMaxJsonSize));
    if (json_nesting_depth(text) > kMaxJsonDepth) {
      return make_error(Errc::kLimit, ".dep-v0 JSON nested deeper than {}", kMaxJsonDepth);
    }
    nlohmann::json doc = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (doc.is_discarded() || !doc.is_object()) {
      return make_error(Errc::kCorrupt, ".dep-v0 is not a JSON object");
    }
    auto pkgs = doc.find("packages");
    if (pkgs == doc.end() || !pkgs->is_array()) {
      return make_error(Errc::kCorrupt, ".dep-v0 has no \"packages\" array");
    }
    if (pkgs->size() > kMaxPackages) {
      return make_error(Errc::kLimit, ".dep-v0 lists {} packages (limit {})", pkgs->size(),
                        kMaxPackages);
    }
    for (const auto& p : *pkgs) {
      if (!p.is_object()) continue;
      std::string name = string_field(p, "name");
      std::string version = string_field(p, "version");
      if (name.empty() || version.empty()) continue;
      if (string_field(p, "kind") == "build") continue;
      model::Package pkg;
      pkg.type = "cargo";
      pkg.name = std::move(name);
      pkg.version = std::move(version);
      pkg.purl = model::make_purl("cargo", "", pkg.name, pkg.version);
      std::string source = string_field(p, "source");
      if (!source.empty()) pkg.metadata["source"] = source;
      auto root = p.find("root");
      if (root != p.end() && root->is_boolean() && root->get<bool>()) {
        pkg.metadata["root"] = "true";
      }
      out.packages.push_back(std::move(pkg));
    }
    return ok_status();
  }
};

}  // namespace

std::unique_ptr<Analyzer> make_cargo_auditable_analyzer() {
  return std::make_unique<CargoAuditableAnalyzer>();
}

}  // namespace hivesec::analyze
