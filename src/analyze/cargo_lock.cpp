// Cargo.lock analyzer: every [[package]] with its name, version and source (crates.io, another
// registry, git, or local path/workspace when there is no source).
#include "analyze/builtins.h"
#include "analyze/lang_util.h"
#include "analyze/toml_lite.h"
#include "common/paths.h"
#include "model/purl.h"

namespace hivesec::analyze {
namespace {

std::string_view source_kind(std::string_view source) {
  if (source.empty()) return "local";
  if (source == "registry+https://github.com/rust-lang/crates.io-index" ||
      source == "sparse+https://index.crates.io/") {
    return "crates.io";
  }
  if (source.starts_with("git+")) return "git";
  if (source.starts_with("registry+") || source.starts_with("sparse+")) return "registry";
  return "other";
}

class CargoLockAnalyzer final : public Analyzer {
 public:
  std::string_view name() const override { return "cargo-lock"; }
  int version() const override { return 1; }

  bool required(const FileInfo& file) const override {
    return (file.type == FileType::kRegular || file.type == FileType::kHardlink) &&
           base_name(file.path) == "Cargo.lock";
  }

  Status analyze(const FileInfo&, std::string_view content, AnalysisOutput& out) const override {
    HIVESEC_TRY(toml::Value doc, toml::parse(content));
    const toml::Value* pkgs = doc.find("package");
    if (!pkgs) return ok_status();
    if (!pkgs->is_array())
      return make_error(Errc::kCorrupt, "Cargo.lock: 'package' is not [[package]]");
    for (const auto& pkg : pkgs->items) {
      std::string_view name = pkg.string_or_empty("name");
      std::string_view version = pkg.string_or_empty("version");
      if (!lang::plausible_name(name) || !lang::plausible_name(version)) continue;
      std::string_view source = pkg.string_or_empty("source");
      model::Package p;
      p.type = "cargo";
      p.name = std::string(name);
      p.version = std::string(version);
      p.purl = model::make_purl("cargo", "", name, version);
      p.metadata["source"] = std::string(source_kind(source));
      if (!source.empty()) p.metadata["source_url"] = std::string(source);
      out.packages.push_back(std::move(p));
    }
    return ok_status();
  }
};

}  // namespace

std::unique_ptr<Analyzer> make_cargo_lock_analyzer() {
  return std::make_unique<CargoLockAnalyzer>();
}

}  // namespace hivesec::analyze
