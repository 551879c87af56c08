// JSON forms of the model types. Field names are the documented output schema
// (docs/json-schema.md); change both together.
#include <nlohmann/json.hpp>

#include "model/asset.h"
#include "model/finding.h"
#include "model/os.h"
#include "model/package.h"

namespace hivesec::model {

using nlohmann::json;

namespace {
template <typename T>
void get_opt(const json& j, const char* key, T& out) {
  if (auto it = j.find(key); it != j.end() && !it->is_null()) it->get_to(out);
}
void put_nonempty(json& j, const char* key, const std::string& v) {
  if (!v.empty()) j[key] = v;
}
}  // namespace

bool is_os_package_type(std::string_view t) {
  return t == "deb" || t == "apk" || t == "rpm" || t == "alpm";
}

std::string Package::key() const {
  std::string k;
  for (const std::string* s : {&type, &namespace_, &name, &version, &arch, &location}) {
    k.append(*s);
    k.push_back('\x1f');
  }
  return k;
}

void to_json(json& j, const Package& p) {
  j = json{{"type", p.type}, {"name", p.name}, {"version", p.version}, {"purl", p.purl}};
  put_nonempty(j, "namespace", p.namespace_);
  put_nonempty(j, "arch", p.arch);
  put_nonempty(j, "source_name", p.source_name);
  put_nonempty(j, "source_version", p.source_version);
  if (!p.licenses.empty()) j["licenses"] = p.licenses;
  put_nonempty(j, "found_by", p.found_by);
  put_nonempty(j, "location", p.location);
  put_nonempty(j, "layer", p.layer);
  if (!p.files.empty()) j["files"] = p.files;
  put_nonempty(j, "owner", p.owner);
  if (p.dev) j["dev"] = true;
  if (!p.metadata.empty()) j["metadata"] = p.metadata;
}

void from_json(const json& j, Package& p) {
  get_opt(j, "type", p.type);
  get_opt(j, "name", p.name);
  get_opt(j, "version", p.version);
  get_opt(j, "namespace", p.namespace_);
  get_opt(j, "arch", p.arch);
  get_opt(j, "source_name", p.source_name);
  get_opt(j, "source_version", p.source_version);
  get_opt(j, "licenses", p.licenses);
  get_opt(j, "purl", p.purl);
  get_opt(j, "found_by", p.found_by);
  get_opt(j, "location", p.location);
  get_opt(j, "layer", p.layer);
  get_opt(j, "files", p.files);
  get_opt(j, "owner", p.owner);
  get_opt(j, "dev", p.dev);
  get_opt(j, "metadata", p.metadata);
}

void to_json(json& j, const OsInfo& o) {
  j = json{{"family", o.family}, {"name", o.name}, {"version", o.version}};
  put_nonempty(j, "codename", o.codename);
  put_nonempty(j, "source", o.source);
}

void from_json(const json& j, OsInfo& o) {
  get_opt(j, "family", o.family);
  get_opt(j, "name", o.name);
  get_opt(j, "version", o.version);
  get_opt(j, "codename", o.codename);
  get_opt(j, "source", o.source);
}

const char* asset_kind_name(AssetKind k) {
  switch (k) {
    case AssetKind::kHost:
      return "host";
    case AssetKind::kContainer:
      return "container";
    case AssetKind::kImage:
      return "image";
    case AssetKind::kLayer:
      return "layer";
    case AssetKind::kRegistry:
      return "registry";
    case AssetKind::kPod:
      return "pod";
    case AssetKind::kWorkload:
      return "workload";
    case AssetKind::kNamespace:
      return "namespace";
    case AssetKind::kCluster:
      return "cluster";
    case AssetKind::kFilesystem:
      return "filesystem";
    case AssetKind::kSbom:
      return "sbom";
  }
  return "unknown";
}

void to_json(json& j, const Asset& a) {
  j = json{{"kind", asset_kind_name(a.kind)}, {"id", a.id}, {"name", a.name}};
  if (!a.labels.empty()) j["labels"] = a.labels;
}

const char* severity_name(Severity s) {
  switch (s) {
    case Severity::kUnknown:
      return "unknown";
    case Severity::kLow:
      return "low";
    case Severity::kMedium:
      return "medium";
    case Severity::kHigh:
      return "high";
    case Severity::kCritical:
      return "critical";
  }
  return "unknown";
}

std::optional<Severity> parse_severity(std::string_view s) {
  for (auto v : {Severity::kUnknown, Severity::kLow, Severity::kMedium, Severity::kHigh,
                 Severity::kCritical}) {
    std::string_view n = severity_name(v);
    if (n.size() == s.size() && std::equal(n.begin(), n.end(), s.begin(), [](char a, char b) {
          return a == std::tolower(static_cast<unsigned char>(b));
        })) {
      return v;
    }
  }
  return std::nullopt;
}

const char* finding_kind_name(FindingKind k) {
  switch (k) {
    case FindingKind::kVulnerability:
      return "vulnerability";
    case FindingKind::kSecret:
      return "secret";
    case FindingKind::kMalware:
      return "malware";
    case FindingKind::kMisconfig:
      return "misconfig";
    case FindingKind::kSensitiveFile:
      return "sensitive-file";
    case FindingKind::kWeakPassword:
      return "weak-password";
    case FindingKind::kRuntime:
      return "runtime";
    case FindingKind::kNetwork:
      return "network";
    case FindingKind::kAdmission:
      return "admission";
    case FindingKind::kAudit:
      return "audit";
  }
  return "unknown";
}

const char* fix_status_name(FixStatus s) {
  switch (s) {
    case FixStatus::kUnknown:
      return "unknown";
    case FixStatus::kFixed:
      return "fixed";
    case FixStatus::kNotFixed:
      return "not-fixed";
    case FixStatus::kWontFix:
      return "wont-fix";
  }
  return "unknown";
}

std::optional<FixStatus> parse_fix_status(std::string_view s) {
  for (auto v : {FixStatus::kUnknown, FixStatus::kFixed, FixStatus::kNotFixed,
                 FixStatus::kWontFix}) {
    if (s == fix_status_name(v)) return v;
  }
  return std::nullopt;
}

namespace {

std::optional<FindingKind> parse_finding_kind(std::string_view s) {
  for (int k = 0; k <= static_cast<int>(FindingKind::kAudit); ++k) {
    if (s == finding_kind_name(static_cast<FindingKind>(k))) return static_cast<FindingKind>(k);
  }
  return std::nullopt;
}

json vuln_to_json(const VulnDetail& v) {
  json j = json{{"package_name", v.package_name},
                {"package_type", v.package_type},
                {"installed_version", v.installed_version},
                {"ecosystem", v.ecosystem},
                {"status", fix_status_name(v.status)}};
  put_nonempty(j, "matched_name", v.matched_name);
  if (!v.advisories.empty()) j["advisories"] = v.advisories;
  if (!v.fixed_versions.empty()) j["fixed_versions"] = v.fixed_versions;
  put_nonempty(j, "severity_source", v.severity_source);
  if (!v.cvss.empty()) {
    json arr = json::array();
    for (const CvssRating& c : v.cvss) {
      json cj = json{{"version", c.version}, {"vector", c.vector}};
      if (c.base_score >= 0) cj["base_score"] = c.base_score;
      cj["severity"] = severity_name(c.severity);
      put_nonempty(cj, "source", c.source);
      arr.push_back(std::move(cj));
    }
    j["cvss"] = std::move(arr);
  }
  put_nonempty(j, "published", v.published);
  put_nonempty(j, "modified", v.modified);
  if (!v.references.empty()) j["references"] = v.references;
  return j;
}

void vuln_from_json(const json& j, VulnDetail& v) {
  get_opt(j, "package_name", v.package_name);
  get_opt(j, "package_type", v.package_type);
  get_opt(j, "installed_version", v.installed_version);
  get_opt(j, "ecosystem", v.ecosystem);
  get_opt(j, "matched_name", v.matched_name);
  get_opt(j, "advisories", v.advisories);
  get_opt(j, "fixed_versions", v.fixed_versions);
  std::string status;
  get_opt(j, "status", status);
  v.status = parse_fix_status(status).value_or(FixStatus::kUnknown);
  get_opt(j, "severity_source", v.severity_source);
  if (auto it = j.find("cvss"); it != j.end() && it->is_array()) {
    for (const json& cj : *it) {
      CvssRating c;
      get_opt(cj, "version", c.version);
      get_opt(cj, "vector", c.vector);
      get_opt(cj, "base_score", c.base_score);
      std::string sev;
      get_opt(cj, "severity", sev);
      c.severity = parse_severity(sev).value_or(Severity::kUnknown);
      get_opt(cj, "source", c.source);
      v.cvss.push_back(std::move(c));
    }
  }
  get_opt(j, "published", v.published);
  get_opt(j, "modified", v.modified);
  get_opt(j, "references", v.references);
}

}  // namespace

void to_json(json& j, const Finding& f) {
  j = json{{"kind", finding_kind_name(f.kind)},
           {"id", f.rule_id},
           {"severity", severity_name(f.severity)},
           {"title", f.title}};
  if (!f.aliases.empty()) j["aliases"] = f.aliases;
  put_nonempty(j, "asset", f.asset_id);
  json ev = json::object();
  put_nonempty(ev, "path", f.evidence.path);
  put_nonempty(ev, "layer", f.evidence.layer);
  if (f.evidence.line > 0) ev["line"] = f.evidence.line;
  put_nonempty(ev, "package", f.evidence.package);
  put_nonempty(ev, "match", f.evidence.match);
  if (!f.evidence.extra.empty()) ev["extra"] = f.evidence.extra;
  j["evidence"] = std::move(ev);
  put_nonempty(j, "remediation", f.remediation);
  if (!f.attack.empty()) j["attack"] = f.attack;
  put_nonempty(j, "first_seen", f.first_seen);
  put_nonempty(j, "last_seen", f.last_seen);
  if (f.vuln) j["vulnerability"] = vuln_to_json(*f.vuln);
}

// Reads what to_json wrote (the store keeps findings in this form). Unknown kinds and
// severities read as the defaults; type errors throw nlohmann::json::exception.
void from_json(const json& j, Finding& f) {
  std::string kind;
  get_opt(j, "kind", kind);
  f.kind = parse_finding_kind(kind).value_or(FindingKind::kVulnerability);
  get_opt(j, "id", f.rule_id);
  get_opt(j, "aliases", f.aliases);
  std::string sev;
  get_opt(j, "severity", sev);
  f.severity = parse_severity(sev).value_or(Severity::kUnknown);
  get_opt(j, "title", f.title);
  get_opt(j, "asset", f.asset_id);
  if (auto ev = j.find("evidence"); ev != j.end() && ev->is_object()) {
    get_opt(*ev, "path", f.evidence.path);
    get_opt(*ev, "layer", f.evidence.layer);
    get_opt(*ev, "line", f.evidence.line);
    get_opt(*ev, "package", f.evidence.package);
    get_opt(*ev, "match", f.evidence.match);
    get_opt(*ev, "extra", f.evidence.extra);
  }
  get_opt(j, "remediation", f.remediation);
  get_opt(j, "attack", f.attack);
  get_opt(j, "first_seen", f.first_seen);
  get_opt(j, "last_seen", f.last_seen);
  if (auto v = j.find("vulnerability"); v != j.end() && v->is_object()) {
    VulnDetail d;
    vuln_from_json(*v, d);
    f.vuln = std::move(d);
  }
}

}  // namespace hivesec::model
