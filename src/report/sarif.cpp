// "sarif": SARIF 2.1.0 for code-scanning dashboards (GitHub code scanning and others).
// One run; one rule per distinct finding id, carrying `security-severity` the way GitHub ranks
// alerts; one result per finding, located at the file that proved it (or the image when none)
// with the package purl as a logical location. Validated against the OASIS schema by
// writers_test.cpp (tools/validate-schema.mjs sarif).
#include <fmt/format.h>

#include <map>
#include <nlohmann/json.hpp>

#include "common/hash.h"
#include "report/finding_facts.h"
#include "report/sarif_severity.h"
#include "report/util.h"

namespace hivesec::report {

namespace {

using nlohmann::json;

constexpr char kSchemaUri[] =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
constexpr char kInformationUri[] = "https://hivesec.dev/";

// The finding's score for ranking: its agreeing CVSS base score, else the severity's band.
double security_score(const model::Finding& f) {
  double cvss = matching_cvss_score(f);
  return cvss >= 0 ? cvss : sarif_security_score(f.severity);
}

// A relative URI reference for a path inside the scanned asset: no leading '/' or "./", every
// byte outside unreserved and '/' percent-encoded (so a ':' cannot pose as a scheme).
std::string artifact_uri(std::string_view path) {
  while (path.starts_with("/") || path.starts_with("./"))
    path.remove_prefix(path[0] == '/' ? 1 : 2);
  return percent_encode(path, "/");
}

std::string rule_id_of(const model::Finding& f) {
  return f.rule_id.empty() ? std::string(model::finding_kind_name(f.kind)) : f.rule_id;
}

std::string message_of(const model::Finding& f) {
  std::string id = rule_id_of(f);
  if (std::string alias = headline_alias(f); !alias.empty()) id += " (" + alias + ")";
  if (!f.vuln) {
    std::string text = f.title.empty() ? id : id + ": " + f.title;
    if (!f.evidence.path.empty()) {
      text += " in " + f.evidence.path;
      if (f.evidence.line > 0) text += " line " + std::to_string(f.evidence.line);
    }
    return text;
  }
  const model::VulnDetail& v = *f.vuln;
  std::string package = finding_package_name(f);
  std::string text = fmt::format("{} in package {}", id, package.empty() ? "(unknown)" : package);
  text += "\nInstalled: " + (v.installed_version.empty() ? "unknown" : v.installed_version);
  std::string fix = recommended_fix(v);
  if (!fix.empty()) {
    text += "\nFixed: " + fix;
  } else {
    text += std::string("\nFixed: none (") + model::fix_status_name(v.status) + ")";
  }
  if (!f.title.empty()) text += "\n" + f.title;
  return text;
}

class SarifBuilder {
 public:
  explicit SarifBuilder(const model::ScanResult& r) : r_(r) {}

  json build() {
    json results = json::array();
    for (const auto& f : r_.findings) results.push_back(result(f));
    json driver = {{"name", "hivesec"},
                   {"version", r_.tool_version},
                   {"informationUri", kInformationUri},
                   {"rules", rules_json()}};
    json run = {{"tool", {{"driver", std::move(driver)}}}, {"results", std::move(results)}};
    json props = json::object();
    props["hivesec:asset"] = asset_display_name(r_);
    props["hivesec:asset_kind"] = model::asset_kind_name(r_.asset.kind);
    if (!r_.asset.id.empty()) props["hivesec:asset_id"] = r_.asset.id;
    if (r_.image && !r_.image->manifest_digest.empty()) {
      props["hivesec:manifest_digest"] = r_.image->manifest_digest;
    }
    if (!r_.os.empty()) {
      props["hivesec:os"] =
          r_.os.version.empty() ? r_.os.family : r_.os.family + " " + r_.os.version;
    }
    run["properties"] = std::move(props);
    return {{"$schema", kSchemaUri}, {"version", "2.1.0"}, {"runs", json::array({std::move(run)})}};
  }

 private:
  struct Rule {
    std::size_t index = 0;
    const model::Finding* first = nullptr;
    model::Severity worst = model::Severity::kUnknown;
    double score = -1;
  };

  std::size_t rule_index(const model::Finding& f) {
    std::string id = rule_id_of(f);
    auto [it, fresh] = rules_.try_emplace(id);
    Rule& rule = it->second;
    if (fresh) {
      rule.index = order_.size();
      rule.first = &f;
      order_.push_back(id);
    }
    if (severity_rank(f.severity) > severity_rank(rule.worst)) rule.worst = f.severity;
    rule.score = std::max(rule.score, security_score(f));
    return rule.index;
  }

  json rules_json() const {
    json out = json::array();
    for (const auto& id : order_) {
      const Rule& rule = rules_.at(id);
      const model::Finding& f = *rule.first;
      std::string title = f.title.empty() ? id : f.title;
      json d = {{"id", id},
                {"shortDescription", {{"text", title}}},
                {"fullDescription", {{"text", title}}},
                {"defaultConfiguration", {{"level", sarif_level(rule.worst)}}}};
      std::string help = title;
      if (f.vuln) {
        for (const auto& ref : f.vuln->references) {
          if (!is_web_url(ref)) continue;
          if (!d.contains("helpUri")) d["helpUri"] = ref;
          help += "\n" + ref;
        }
      }
      if (!d.contains("helpUri") && f.kind == model::FindingKind::kVulnerability) {
        // An advisory id without references still has a page at its publisher.
        d["helpUri"] = advisory_source(id).url;
      }
      d["help"] = {{"text", help}};
      json props = {{"tags", json::array({"security", model::finding_kind_name(f.kind)})}};
      if (rule.score >= 0) props["security-severity"] = fmt::format("{:.1f}", rule.score);
      props["hivesec:severity"] = model::severity_name(rule.worst);
      d["properties"] = std::move(props);
      out.push_back(std::move(d));
    }
    return out;
  }

  json location(const model::Finding& f) const {
    std::string uri = artifact_uri(f.evidence.path);
    if (uri.empty()) uri = artifact_uri(asset_display_name(r_));
    json physical = {{"artifactLocation", {{"uri", uri}}}};
    if (f.evidence.line > 0) physical["region"] = {{"startLine", f.evidence.line}};
    json loc = {{"physicalLocation", std::move(physical)}};
    if (!f.evidence.package.empty()) {
      json logical = {{"fullyQualifiedName", f.evidence.package}, {"kind", "package"}};
      if (std::string name = finding_package_name(f); !name.empty()) logical["name"] = name;
      loc["logicalLocations"] = json::array({std::move(logical)});
    }
    return loc;
  }

  // Stable across runs of the same asset: what the finding is and where, never when or which
  // layer (a rebuilt image keeps its alerts). Secrets and misconfigurations without a package
  // include the line so two hits in one file stay apart.
  static std::string fingerprint(const model::Finding& f) {
    std::string key = std::string(model::finding_kind_name(f.kind)) + '\0' + rule_id_of(f) + '\0' +
                      f.evidence.package + '\0' + f.evidence.path;
    if (f.evidence.package.empty()) key += '\0' + std::to_string(f.evidence.line);
    return sha256_hex(key);
  }

  json result(const model::Finding& f) {
    std::size_t index = rule_index(f);
    json res = {{"ruleId", rule_id_of(f)},
                {"ruleIndex", index},
                {"level", sarif_level(f.severity)},
                {"message", {{"text", message_of(f)}}},
                {"locations", json::array({location(f)})},
                {"partialFingerprints", {{"hivesec/v1", fingerprint(f)}}}};
    json props = {{"kind", model::finding_kind_name(f.kind)},
                  {"severity", model::severity_name(f.severity)}};
    if (!f.aliases.empty()) props["aliases"] = f.aliases;
    if (!f.evidence.layer.empty()) props["layer"] = f.evidence.layer;
    if (!f.remediation.empty()) props["remediation"] = f.remediation;
    if (f.vuln) {
      const model::VulnDetail& v = *f.vuln;
      props["package"] = v.package_name;
      props["installed_version"] = v.installed_version;
      props["fixed_versions"] = v.fixed_versions;
      props["fix_status"] = model::fix_status_name(v.status);
      if (!f.evidence.package.empty()) props["purl"] = f.evidence.package;
    }
    res["properties"] = std::move(props);
    return res;
  }

  const model::ScanResult& r_;
  std::map<std::string, Rule> rules_;
  std::vector<std::string> order_;
};

class SarifWriter final : public Writer {
 public:
  std::string_view name() const override { return "sarif"; }
  std::string_view description() const override {
    return "SARIF 2.1.0 findings (GitHub code scanning)";
  }

  Status write(const model::ScanResult& result, std::ostream& out) const override {
    std::string text;
    try {
      text = SarifBuilder(result).build().dump(2, ' ', false, json::error_handler_t::replace);
    } catch (const std::exception& e) {
      return make_error(Errc::kInternal, "sarif report: {}", e.what());
    }
    text.push_back('\n');
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    if (!out) return make_error(Errc::kIo, "sarif report: write failed");
    return ok_status();
  }
};

}  // namespace

std::unique_ptr<Writer> make_sarif_writer() { return std::make_unique<SarifWriter>(); }

}  // namespace hivesec::report
