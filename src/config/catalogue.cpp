#include "config/catalogue.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <set>

namespace hivesec::config {

const char* target_name(Target t) {
  switch (t) {
    case Target::kLayer: return "layer";
    case Target::kImage: return "image";
    case Target::kDockerfile: return "dockerfile";
  }
  return "?";
}

bool CheckMeta::has_target(Target t) const {
  return std::find(targets.begin(), targets.end(), t) != targets.end();
}

std::string cis_alias(std::string_view cis) { return "CIS-DOCKER-" + std::string(cis); }

namespace {

Result<Target> parse_target(const std::string& s) {
  for (Target t : {Target::kLayer, Target::kImage, Target::kDockerfile}) {
    if (s == target_name(t)) return t;
  }
  return make_error(Errc::kInvalidArgument, "unknown target '{}'", s);
}

std::string required_string(const YAML::Node& n, const char* key, const std::string& id) {
  if (!n[key] || !n[key].IsScalar()) {
    throw YAML::Exception(YAML::Mark::null_mark(), "check " + id + ": missing field '" + key + "'");
  }
  return n[key].as<std::string>();
}

}  // namespace

Result<Catalogue> Catalogue::parse(std::string_view yaml, std::string_view name) {
  Catalogue c;
  try {
    YAML::Node doc = YAML::Load(std::string(yaml));
    if (!doc["checks"] || !doc["checks"].IsSequence()) {
      return make_error(Errc::kInvalidArgument, "{}: no 'checks' list", name);
    }
    std::set<std::string> seen;
    for (const auto& n : doc["checks"]) {
      CheckMeta m;
      m.id = required_string(n, "id", "?");
      if (!seen.insert(m.id).second) {
        return make_error(Errc::kInvalidArgument, "{}: duplicate check id {}", name, m.id);
      }
      m.cis = n["cis"] ? n["cis"].as<std::string>() : "";
      m.title = required_string(n, "title", m.id);
      auto sev = model::parse_severity(required_string(n, "severity", m.id));
      if (!sev) return make_error(Errc::kInvalidArgument, "{}: check {}: bad severity", name, m.id);
      m.severity = *sev;
      m.description = required_string(n, "description", m.id);
      m.remediation = required_string(n, "remediation", m.id);
      if (!n["targets"] || !n["targets"].IsSequence() || n["targets"].size() == 0) {
        return make_error(Errc::kInvalidArgument, "{}: check {}: no targets", name, m.id);
      }
      for (const auto& t : n["targets"]) {
        auto target = parse_target(t.as<std::string>());
        if (!target.ok()) return std::move(target).error().wrap(std::string(name) + ": " + m.id);
        m.targets.push_back(*target);
      }
      c.checks_.push_back(std::move(m));
    }
  } catch (const YAML::Exception& e) {
    return make_error(Errc::kInvalidArgument, "{}: {}", name, e.what());
  }
  return c;
}

const CheckMeta* Catalogue::find(std::string_view id) const {
  for (const auto& c : checks_) {
    if (c.id == id) return &c;
  }
  return nullptr;
}

model::Finding Catalogue::finding(std::string_view id) const {
  model::Finding f;
  f.kind = model::FindingKind::kMisconfig;
  f.rule_id = std::string(id);
  if (const CheckMeta* m = find(id)) {
    if (!m->cis.empty()) f.aliases.push_back(cis_alias(m->cis));
    f.title = m->title;
    f.severity = m->severity;
    f.remediation = m->remediation;
  }
  return f;
}

}  // namespace hivesec::config
