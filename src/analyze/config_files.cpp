// The "config-files" analyzer (scanner "config"): metadata-only layer checks of the image
// configuration checks — set-id files, world-writable files in PATH directories, package
// manager caches (src/config/layer_checks.cpp, metadata in rules/config/image-checks.yaml).
// Reads no content (max_size 0); the merge gives each finding the layer that added the file
// and drops it when a later layer deletes the file.
#include <memory>

#include "analyze/builtins.h"
#include "config/checks.h"
#include "config/layer_checks.h"

namespace hivesec::analyze {

namespace {

class ConfigFilesAnalyzer final : public Analyzer {
 public:
  explicit ConfigFilesAnalyzer(const config::Catalogue& catalogue) : catalogue_(catalogue) {}

  std::string_view name() const override { return "config-files"; }
  int version() const override { return 1; }
  std::string_view scanner() const override { return "config"; }
  int64_t max_size() const override { return 0; }

  bool required(const FileInfo& file) const override {
    for (const auto& [id, check] : config::layer_checks()) {
      if (check.matches(file)) return true;
    }
    return false;
  }

  Status analyze(const FileInfo& file, std::string_view /*content*/,
                 AnalysisOutput& out) const override {
    for (const auto& [id, check] : config::layer_checks()) {
      if (!check.matches(file)) continue;
      model::Finding f = catalogue_.finding(id);
      f.evidence.path = std::string(file.path);
      check.describe(file, f);
      out.findings.push_back(std::move(f));
    }
    return ok_status();
  }

 private:
  const config::Catalogue& catalogue_;  // the bundled one: lives as long as the program
};

}  // namespace

Result<std::unique_ptr<Analyzer>> make_config_files_analyzer() {
  HIVESEC_TRY(const config::Catalogue* cat, config::builtin_catalogue());
  return std::unique_ptr<Analyzer>(std::make_unique<ConfigFilesAnalyzer>(*cat));
}

}  // namespace hivesec::analyze
