// `k8s_manifests` {check}: what the Kubernetes manifest checks of `config scan`
// (config/k8s_checks.h, ids HS-K8S-NNN; several comma-separated) found in the manifests given
// with `bench kubernetes --manifests` (HostOptions::manifests, manifest_input.h). The checks
// run once per run; this collector only reads their results, so each manifest check has one
// implementation.
//
// Value: {checks, evaluated (subjects examined), offending (count), objects (one line per
// finding: title, file:line and YAML path; the first 100)}; details: every such line (up to
// 1000). kMissing "no manifests given (use --manifests)" without input, kMissing "no applicable
// objects in the manifests" when the checks examined nothing; `incomplete` (a PASS becomes
// WARN) when some documents could not be read - their content may well fail the check.
#include <fmt/format.h>

#include "config/k8s_catalogue.h"
#include "policy/collectors/util.h"
#include "policy/manifest_input.h"

namespace hivesec::policy::collectors {

namespace {

using nlohmann::json;

constexpr size_t kMaxObjects = 100;
constexpr size_t kMaxDetails = 1000;

std::vector<std::string> check_ids(const json& p) {
  std::vector<std::string> out;
  auto add_text = [&out](const std::string& s) {
    size_t pos = 0;
    while (pos <= s.size()) {
      size_t c = s.find(',', pos);
      if (c == std::string::npos) c = s.size();
      std::string id = trim(s.substr(pos, c - pos));
      if (!id.empty()) out.push_back(id);
      pos = c + 1;
    }
  };
  if (!p.contains("check")) return out;
  const json& v = p["check"];
  if (v.is_string()) add_text(v.get<std::string>());
  if (v.is_array()) {
    for (const auto& x : v) {
      if (x.is_string()) add_text(x.get<std::string>());
    }
  }
  return out;
}

std::string line_of(const model::Finding& f) {
  auto at = f.evidence.extra.find("yaml_path");
  std::string path = at == f.evidence.extra.end() ? "" : at->second;
  return fmt::format("{} ({}:{}{}{})", f.title, f.evidence.path, f.evidence.line, path.empty() ? "" : " ", path);
}

class K8sManifestsCollector : public Collector {
 public:
  std::string_view name() const override { return "k8s_manifests"; }
  std::string_view description() const override {
    return "what the Kubernetes manifest checks (HS-K8S-NNN, comma-separated in `check`) found "
           "in the --manifests input";
  }
  Status validate(const json& p) const override {
    HIVESEC_TRY_STATUS(only_params(p, {"check"}));
    auto ids = check_ids(p);
    if (ids.empty()) return make_error(Errc::kInvalidArgument, "needs check: HS-K8S-NNN[,HS-K8S-NNN]");
    auto cat = config::builtin_k8s_catalogue();
    if (!cat.ok()) return cat.error();
    for (const auto& id : ids) {
      if (!(*cat)->find(id)) return make_error(Errc::kInvalidArgument, "unknown manifest check '{}'", id);
    }
    return ok_status();
  }
  Fact collect(const json& p, Host& host) const override {
    const ManifestInput* in = host.options().manifests.get();
    if (!in) return Fact::missing("no manifests given (use --manifests)", "manifests");
    auto ids = check_ids(p);
    std::string source = fmt::format("manifests ({} file{}, {} object{})", in->files, in->files == 1 ? "" : "s",
                                     in->set.objects.size(), in->set.objects.size() == 1 ? "" : "s");
    json value = {{"checks", ids}, {"evaluated", 0}, {"offending", 0}, {"objects", json::array()}};
    std::vector<std::string> details;
    size_t evaluated = 0, offending = 0;
    for (const auto& id : ids) {
      const config::K8sCheckResult* r = in->result(id);
      if (!r) return Fact::error(fmt::format("manifest check {} was not run", id), source);
      evaluated += r->evaluated;
      for (const auto& f : r->findings) {
        ++offending;
        std::string line = line_of(f);
        if (value["objects"].size() < kMaxObjects) value["objects"].push_back(line);
        if (details.size() < kMaxDetails) details.push_back(std::move(line));
      }
    }
    value["evaluated"] = evaluated;
    value["offending"] = offending;
    size_t bad = in->unreadable();
    std::string unread = fmt::format("{} document{} could not be read", bad, bad == 1 ? "" : "s");
    if (evaluated == 0) {
      if (bad > 0) return Fact::unavailable("no applicable objects in the readable manifests; " + unread, source);
      return Fact::missing("no applicable objects in the manifests", source);
    }
    Fact f = Fact::ok(std::move(value), source);
    f.details = std::move(details);
    if (bad > 0) {
      f.incomplete = true;
      f.reason = unread;
    }
    return f;
  }
};

}  // namespace

std::unique_ptr<Collector> make_k8s_manifests_collector() { return std::make_unique<K8sManifestsCollector>(); }

}  // namespace hivesec::policy::collectors
