// Composer analyzer: composer.lock (packages, packages-dev) and vendor/composer/installed.json
// (Composer 1: a JSON array; Composer 2: {"packages": [...], "dev-package-names": [...]}).
#include <set>

#include "analyze/builtins.h"
#include "analyze/lang_util.h"
#include "common/paths.h"
#include "model/purl.h"

namespace hivesec::analyze {
namespace {

using nlohmann::json;

constexpr size_t kMaxPackages = 200000;

bool valid_composer_name(std::string_view name) {
  size_t slash = name.find('/');
  return slash != std::string_view::npos && slash > 0 && slash + 1 < name.size() &&
         name.find('/', slash + 1) == std::string_view::npos && lang::plausible_name(name);
}

Status add_packages(const json& list, bool all_dev, const std::set<std::string>& dev_names,
                    AnalysisOutput& out, size_t& count) {
  if (!list.is_array()) return make_error(Errc::kCorrupt, "package list is not an array");
  for (const auto& e : list) {
    std::string name = lang::json_string(e, "name");
    std::string version = lang::json_string(e, "version");
    if (!valid_composer_name(name) || version.empty() || !lang::plausible_name(version)) continue;
    if (++count > kMaxPackages) {
      return make_error(Errc::kLimit, "more than {} packages", kMaxPackages);
    }
    model::Package p;
    p.type = "composer";
    size_t slash = name.find('/');
    p.purl = model::make_purl("composer", std::string_view(name).substr(0, slash),
                              std::string_view(name).substr(slash + 1), version);
    p.name = std::move(name);
    p.version = std::move(version);
    p.dev = all_dev || dev_names.contains(p.name);
    if (auto it = e.find("license"); it != e.end()) p.licenses = lang::json_licenses(*it);
    if (auto hp = lang::json_string(e, "homepage"); !hp.empty()) p.metadata["homepage"] = hp;
    out.packages.push_back(std::move(p));
  }
  return ok_status();
}

Status analyze_lock(const json& doc, AnalysisOutput& out) {
  if (!doc.is_object()) return make_error(Errc::kCorrupt, "composer.lock is not a JSON object");
  size_t count = 0;
  if (auto it = doc.find("packages"); it != doc.end()) {
    HIVESEC_TRY_STATUS(add_packages(*it, false, {}, out, count));
  }
  if (auto it = doc.find("packages-dev"); it != doc.end() && !it->is_null()) {
    HIVESEC_TRY_STATUS(add_packages(*it, true, {}, out, count));
  }
  return ok_status();
}

Status analyze_installed(const json& doc, AnalysisOutput& out) {
  size_t count = 0;
  if (doc.is_array()) return add_packages(doc, false, {}, out, count);  // Composer 1
  if (!doc.is_object()) return make_error(Errc::kCorrupt, "installed.json is not array or object");
  std::set<std::string> dev_names;
  if (auto it = doc.find("dev-package-names"); it != doc.end() && it->is_array()) {
    for (const auto& n : *it) {
      if (n.is_string() && dev_names.size() < kMaxPackages) dev_names.insert(n.get<std::string>());
    }
  }
  auto it = doc.find("packages");
  if (it == doc.end()) return make_error(Errc::kCorrupt, "installed.json has no 'packages'");
  return add_packages(*it, false, dev_names, out, count);
}

class ComposerAnalyzer final : public Analyzer {
 public:
  std::string_view name() const override { return "composer"; }
  int version() const override { return 1; }

  bool required(const FileInfo& file) const override {
    if (file.type != FileType::kRegular && file.type != FileType::kHardlink) return false;
    std::string_view p = file.path;
    return base_name(p) == "composer.lock" || p == "vendor/composer/installed.json" ||
           p.ends_with("/vendor/composer/installed.json");
  }

  Status analyze(const FileInfo& file, std::string_view content,
                 AnalysisOutput& out) const override {
    HIVESEC_TRY(json doc, lang::parse_json(content));
    if (base_name(file.path) == "composer.lock") return analyze_lock(doc, out);
    return analyze_installed(doc, out);
  }
};

}  // namespace

std::unique_ptr<Analyzer> make_composer_analyzer() { return std::make_unique<ComposerAnalyzer>(); }

}  // namespace hivesec::analyze
