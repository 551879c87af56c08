// The "sensitive-files" analyzer (scanner "file"): credentials, private keys, history files and
// repository metadata left in an image. Rules are data (rules/sensitive-files.yaml, compiled
// in): a path suffix or file-name ending selects the file, an optional content string confirms
// it. Findings never quote the file's content.
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <string>
#include <vector>

#include "analyze/builtins.h"
#include "common/embedded.h"

namespace hivesec::analyze {

namespace {

struct Rule {
  std::string id;
  std::string title;
  model::Severity severity = model::Severity::kMedium;
  std::string remediation;
  std::vector<std::string> paths;       // suffixes
  std::vector<std::string> extensions;  // file name endings
  std::vector<std::string> contains;    // any of them confirms
};

constexpr int64_t kMaxSensitiveFile = 1 << 20;

bool ends_with_component(std::string_view path, std::string_view suffix) {
  if (path == suffix) return true;
  return path.size() > suffix.size() && path.ends_with(suffix) &&
         path[path.size() - suffix.size() - 1] == '/';
}

bool selects(const Rule& r, std::string_view path) {
  for (const auto& s : r.paths) {
    if (ends_with_component(path, s)) return true;
  }
  std::string_view base = path.substr(path.rfind('/') + 1);
  for (const auto& e : r.extensions) {
    if (base.size() > e.size() && base.ends_with(e)) return true;
  }
  return false;
}

Result<std::vector<Rule>> load_rules(std::string_view yaml) {
  std::vector<Rule> out;
  try {
    YAML::Node doc = YAML::Load(std::string(yaml));
    for (const auto& n : doc["rules"]) {
      Rule r;
      r.id = n["id"].as<std::string>();
      r.title = n["title"].as<std::string>();
      auto sev = model::parse_severity(n["severity"].as<std::string>());
      if (!sev) return make_error(Errc::kInternal, "sensitive-files rule {}: bad severity", r.id);
      r.severity = *sev;
      r.remediation = n["remediation"].as<std::string>();
      if (n["paths"]) r.paths = n["paths"].as<std::vector<std::string>>();
      if (n["extensions"]) r.extensions = n["extensions"].as<std::vector<std::string>>();
      if (n["contains"]) r.contains = n["contains"].as<std::vector<std::string>>();
      if (r.paths.empty() && r.extensions.empty()) {
        return make_error(Errc::kInternal, "sensitive-files rule {}: no paths or extensions", r.id);
      }
      out.push_back(std::move(r));
    }
  } catch (const YAML::Exception& e) {
    return make_error(Errc::kInternal, "rules/sensitive-files.yaml: {}", e.what());
  }
  return out;
}

class SensitiveFilesAnalyzer final : public Analyzer {
 public:
  explicit SensitiveFilesAnalyzer(std::vector<Rule> rules) : rules_(std::move(rules)) {}

  std::string_view name() const override { return "sensitive-files"; }
  int version() const override { return 1; }
  std::string_view scanner() const override { return "file"; }
  int64_t max_size() const override { return kMaxSensitiveFile; }

  bool required(const FileInfo& file) const override {
    if (file.type != FileType::kRegular) return false;
    return std::any_of(rules_.begin(), rules_.end(),
                       [&](const Rule& r) { return selects(r, file.path); });
  }

  Status analyze(const FileInfo& file, std::string_view content,
                 AnalysisOutput& out) const override {
    for (const Rule& r : rules_) {
      if (!selects(r, file.path)) continue;
      bool confirmed = r.contains.empty() ||
                       std::any_of(r.contains.begin(), r.contains.end(), [&](const auto& c) {
                         return content.find(c) != std::string_view::npos;
                       });
      if (!confirmed) continue;
      model::Finding f;
      f.kind = model::FindingKind::kSensitiveFile;
      f.rule_id = r.id;
      f.severity = r.severity;
      f.title = r.title;
      f.remediation = r.remediation;
      f.evidence.path = std::string(file.path);
      out.findings.push_back(std::move(f));
      break;  // one finding per file
    }
    return ok_status();
  }

 private:
  std::vector<Rule> rules_;
};

}  // namespace

std::unique_ptr<Analyzer> make_sensitive_files_analyzer() {
  auto rules = load_rules(embedded_rule_file("sensitive-files.yaml"));
  if (!rules.ok()) return nullptr;  // a bug in the bundled data; the registry reports it
  return std::make_unique<SensitiveFilesAnalyzer>(std::move(rules).value());
}

}  // namespace hivesec::analyze
