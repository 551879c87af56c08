#include "config/file_kinds.h"

#include <fmt/format.h>

#include <cctype>

#include "config/checks.h"
#include "config/k8s_checks.h"
#include "config/k8s_manifest.h"
#include "dockerfile/parser.h"

namespace hivesec::config {

namespace {

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  }
  return true;
}

Result<std::vector<model::Finding>> scan_dockerfile(std::string_view path, std::string_view content) {
  HIVESEC_TRY(auto df, dockerfile::parse(content));
  return check_dockerfile(df, path);
}

// Kubernetes manifests of the whole scan, checked together at the end.
class K8sSession : public KindSession {
 public:
  explicit K8sSession(const CheckSelection& sel) {
    options_.standard = sel.standard;
    options_.skip = sel.skip;
  }
  Status add(std::string_view path, std::string_view content, std::vector<std::string>& notes) override {
    size_t before = set_.errors.size();
    HIVESEC_TRY_STATUS(add_manifests(set_, path, content));
    for (size_t i = before; i < set_.errors.size(); ++i) {
      const ManifestError& e = set_.errors[i];
      notes.push_back(fmt::format("config: {}: document {} (line {}): {}", e.file, e.document, e.line, e.message));
    }
    return ok_status();
  }
  Result<std::vector<model::Finding>> finish() override {
    HIVESEC_TRY(auto results, evaluate_manifests(set_, options_));
    return k8s_findings(std::move(results));
  }

 private:
  ManifestSet set_;
  K8sCheckOptions options_;
};

std::unique_ptr<KindSession> open_k8s(const CheckSelection& sel) { return std::make_unique<K8sSession>(sel); }

}  // namespace

bool is_manifest_name(std::string_view n) {
  for (std::string_view ext : {".yaml", ".yml", ".json"}) {
    if (n.size() > ext.size() && iequals(n.substr(n.size() - ext.size()), ext)) return true;
  }
  return false;
}

bool is_dockerfile_name(std::string_view n) {
  for (std::string_view base : {"dockerfile", "containerfile"}) {
    if (iequals(n, base)) return true;
    if (n.size() > base.size() + 1) {
      if (iequals(n.substr(0, base.size() + 1), std::string(base) + ".")) return true;
      if (iequals(n.substr(n.size() - base.size() - 1), "." + std::string(base))) return true;
    }
  }
  return false;
}

Status FileKindRegistry::add(FileKind kind) {
  for (const auto& k : kinds_) {
    if (k.name == kind.name) return make_error(Errc::kInternal, "file kind {} registered twice", kind.name);
  }
  kinds_.push_back(kind);
  return ok_status();
}

const FileKind* FileKindRegistry::match(std::string_view file_name) const {
  for (const auto& k : kinds_) {
    if (k.matches(file_name)) return &k;
  }
  return nullptr;
}

const FileKind* FileKindRegistry::sniff(std::string_view content) const {
  for (const auto& k : kinds_) {
    if (k.sniff && k.sniff(content)) return &k;
  }
  return nullptr;
}

Status register_builtin_file_kinds(FileKindRegistry& r) {
  HIVESEC_TRY_STATUS(r.add({"dockerfile", "Dockerfile, Containerfile, *.Dockerfile, Dockerfile.*", is_dockerfile_name,
                            nullptr, scan_dockerfile, nullptr, dockerfile::kMaxDockerfileSize}));
  HIVESEC_TRY_STATUS(r.add({"kubernetes", "Kubernetes YAML or JSON (documents with apiVersion and kind)",
                            is_manifest_name, looks_like_kubernetes, nullptr, open_k8s,
                            ManifestLimits{}.max_file_bytes}));
  return ok_status();
}

}  // namespace hivesec::config
