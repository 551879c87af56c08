#include "config/k8s_catalogue.h"

#include <yaml-cpp/yaml.h>

#include <set>

#include "common/embedded.h"
#include "config/k8s_checks.h"

namespace hivesec::config {

namespace {

constexpr std::string_view kCatalogueFile = "config/kubernetes.yaml";

// Throws YAML::Exception (caught by parse) so a missing field is one line with the check id.
std::string required_string(const YAML::Node& n, const char* key, const std::string& id) {
  if (!n.IsMap() || !n[key] || !n[key].IsScalar()) {
    throw YAML::Exception(YAML::Mark::null_mark(), "check " + id + ": missing field '" + key + "'");
  }
  return n[key].as<std::string>();
}

}  // namespace

Result<K8sStandard> parse_k8s_standard(std::string_view s) {
  if (s.empty()) return K8sStandard::kAll;
  if (s == "baseline") return K8sStandard::kBaseline;
  if (s == "restricted") return K8sStandard::kRestricted;
  if (s == "nsa") return K8sStandard::kNsa;
  if (s == "cis") return K8sStandard::kCis;
  return make_error(Errc::kInvalidArgument, "unknown standard '{}' (known: baseline, restricted, nsa, cis)", s);
}

bool K8sCheckMeta::in_standard(K8sStandard s) const {
  switch (s) {
    case K8sStandard::kAll: return true;
    case K8sStandard::kBaseline: return pss_level == "baseline";
    case K8sStandard::kRestricted: return pss_level == "baseline" || pss_level == "restricted";
    case K8sStandard::kNsa: return !nsa.empty();
    case K8sStandard::kCis: return !cis.empty();
  }
  return false;
}

std::string cis_k8s_alias(std::string_view cis) { return "CIS-K8S-" + std::string(cis); }

Result<K8sCatalogue> K8sCatalogue::parse(std::string_view yaml, std::string_view name) {
  K8sCatalogue c;
  try {
    YAML::Node doc = YAML::Load(std::string(yaml));
    if (!doc.IsMap() || !doc["checks"] || !doc["checks"].IsSequence()) {
      return make_error(Errc::kInvalidArgument, "{}: no 'checks' list", name);
    }
    std::set<std::string> seen;
    for (const auto& n : doc["checks"]) {
      K8sCheckMeta m;
      m.id = required_string(n, "id", "?");
      if (!seen.insert(m.id).second) {
        return make_error(Errc::kInvalidArgument, "{}: duplicate check id {}", name, m.id);
      }
      m.title = required_string(n, "title", m.id);
      auto sev = model::parse_severity(required_string(n, "severity", m.id));
      if (!sev) return make_error(Errc::kInvalidArgument, "{}: check {}: bad severity", name, m.id);
      m.severity = *sev;
      m.description = required_string(n, "description", m.id);
      m.remediation = required_string(n, "remediation", m.id);
      if (const YAML::Node pss = n["pss"]) {
        m.pss_level = required_string(pss, "level", m.id);
        m.pss_control = required_string(pss, "control", m.id);
        if (m.pss_level != "baseline" && m.pss_level != "restricted") {
          return make_error(Errc::kInvalidArgument, "{}: check {}: pss level must be baseline or restricted",
                            name, m.id);
        }
      }
      if (n["nsa"]) m.nsa = required_string(n, "nsa", m.id);
      if (const YAML::Node cis = n["cis"]) {
        if (!cis.IsSequence()) return make_error(Errc::kInvalidArgument, "{}: check {}: cis must be a list", name, m.id);
        for (const auto& x : cis) m.cis.push_back(x.as<std::string>());
      }
      c.checks_.push_back(std::move(m));
    }
  } catch (const YAML::Exception& e) {
    return make_error(Errc::kInvalidArgument, "{}: {}", name, e.what());
  }
  return c;
}

const K8sCheckMeta* K8sCatalogue::find(std::string_view id) const {
  for (const auto& c : checks_) {
    if (c.id == id) return &c;
  }
  return nullptr;
}

model::Finding K8sCatalogue::finding(std::string_view id) const {
  model::Finding f;
  f.kind = model::FindingKind::kMisconfig;
  f.rule_id = std::string(id);
  if (const K8sCheckMeta* m = find(id)) {
    std::string cis;
    for (const auto& n : m->cis) {
      f.aliases.push_back(cis_k8s_alias(n));
      cis += (cis.empty() ? "" : ",") + n;
    }
    f.title = m->title;
    f.severity = m->severity;
    f.remediation = m->remediation;
    if (!m->pss_level.empty()) f.evidence.extra["pss"] = m->pss_level + ": " + m->pss_control;
    if (!m->nsa.empty()) f.evidence.extra["nsa"] = m->nsa;
    if (!cis.empty()) f.evidence.extra["cis"] = cis;
  }
  return f;
}

Status verify_k8s_registry(const K8sCatalogue& cat) {
  const auto& code = k8s_checks();
  for (const K8sCheckMeta& m : cat.all()) {
    if (!code.count(m.id)) return make_error(Errc::kInternal, "{}: no code for this Kubernetes check", m.id);
  }
  for (const auto& [id, fn] : code) {
    if (!cat.find(id)) return make_error(Errc::kInternal, "{}: code but no catalogue entry", id);
  }
  return ok_status();
}

Result<const K8sCatalogue*> builtin_k8s_catalogue() {
  static const Result<K8sCatalogue> kCatalogue = []() -> Result<K8sCatalogue> {
    HIVESEC_TRY(K8sCatalogue c, K8sCatalogue::parse(embedded_rule_file(kCatalogueFile), kCatalogueFile));
    HIVESEC_TRY_STATUS(verify_k8s_registry(c));
    return c;
  }();
  if (!kCatalogue.ok()) {
    return make_error(Errc::kInternal, "bundled {}: {}", kCatalogueFile, kCatalogue.error().message);
  }
  return &kCatalogue.value();
}

}  // namespace hivesec::config
