// "sarif": SARIF 2.1.0. One rule per check (with its CIS number, severity and remediation as
// help; per-subject results share it); one result per check result that is not PASS (a
// subject is a logical location and properties.subject): FAIL -> level by severity, ERROR ->
// "error" with kind "fail", WARN -> "warning" kind "review", INFO -> "note" kind "informational".
// The location is the first fact's source when it is a path on the target.
#include <map>

#include "policy/report.h"
#include "report/sarif_severity.h"

namespace hivesec::policy {

namespace {

using nlohmann::json;

// Checks always carry a severity; an unknown one ranks with the low band.
double score_of(model::Severity s) {
  double score = report::sarif_security_score(s);
  return score < 0 ? 2.0 : score;
}

std::string uri_of(const std::string& path) {
  std::string out;
  static const char* kHex = "0123456789ABCDEF";
  for (unsigned char c : path.substr(1)) {
    if (std::isalnum(c) || c == '/' || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

class SarifWriter : public BenchWriter {
 public:
  std::string_view name() const override { return "sarif"; }
  Status write(const BenchReport& r, std::ostream& out) const override {
    json rules = json::array(), results = json::array();
    std::map<std::string, size_t> rule_index;  // per-subject results share their check's rule
    for (size_t i = 0; i < r.results.size(); ++i) {
      const auto& cr = r.results[i];
      const Check& c = cr.check;
      auto [it, added] = rule_index.emplace(c.id, rules.size());
      if (added) {
        json props = {{"tags", json::array({"security", "compliance", c.benchmark})},
                      {"security-severity", fmt::format("{:.1f}", score_of(c.severity))},
                      {"section", c.section},
                      {"level", c.level},
                      {"type", check_type_name(c.type)}};
        if (auto a = cis_alias(c); !a.empty()) props["cis"] = a;
        rules.push_back({{"id", c.id},
                         {"name", c.id},
                         {"shortDescription", {{"text", c.title}}},
                         {"fullDescription", {{"text", c.rationale}}},
                         {"help", {{"text", "Remediation: " + c.remediation}}},
                         {"defaultConfiguration", {{"level", report::sarif_level(c.severity)}}},
                         {"properties", props}});
      }
      if (cr.verdict == Verdict::kPass) continue;
      const char* level = "none";
      const char* kind = "fail";
      switch (cr.verdict) {
        case Verdict::kFail:
          level = report::sarif_level(c.severity);
          break;
        case Verdict::kError:
          level = "error";
          break;
        case Verdict::kWarn:
          level = "none";
          kind = "review";
          break;
        case Verdict::kInfo:
          level = "none";
          kind = "informational";
          break;
        case Verdict::kPass:
          break;
      }
      std::string on = cr.subject.empty() ? "" : " [" + cr.subject + "]";
      json res = {{"ruleId", c.id},
                  {"ruleIndex", it->second},
                  {"kind", kind},
                  {"level", level},
                  {"message",
                   {{"text", std::string(verdict_name(cr.verdict)) + ": " + c.title + on + ": " +
                                 cr.reason}}},
                  {"properties", {{"verdict", verdict_name(cr.verdict)}}}};
      if (!cr.subject.empty()) {
        res["properties"]["subject"] = cr.subject;
        res["locations"] = json::array(
            {{{"logicalLocations", json::array({{{"name", cr.subject}, {"kind", "object"}}})}}});
      }
      if (cr.subject.empty() && !cr.evidence.empty() && !cr.evidence.front().source.empty() &&
          cr.evidence.front().source[0] == '/' && cr.evidence.front().source.size() > 1) {
        res["locations"] = json::array(
            {{{"physicalLocation",
               {{"artifactLocation",
                 {{"uri", uri_of(cr.evidence.front().source)}, {"uriBaseId", "ROOT"}}}}}}});
      }
      results.push_back(res);
    }
    std::string root = r.root == "/" ? "file:///" : "file://" + uri_of(r.root);
    if (r.root != "/") root = "file:///" + uri_of(r.root) + "/";
    json doc = {{"$schema",
                 "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/"
                 "sarif-schema-2.1.0.json"},
                {"version", "2.1.0"},
                {"runs", json::array({{{"tool",
                                        {{"driver",
                                          {{"name", "hivesec"},
                                           {"informationUri", "https://hivesec.dev/"},
                                           {"semanticVersion", HIVESEC_VERSION},
                                           {"rules", rules}}}}},
                                       {"originalUriBaseIds", {{"ROOT", {{"uri", root}}}}},
                                       {"results", results}}})}};
    out << doc.dump(2, ' ', false, json::error_handler_t::replace) << "\n";
    return ok_status();
  }
};

}  // namespace

std::unique_ptr<BenchWriter> make_sarif_writer() { return std::make_unique<SarifWriter>(); }

}  // namespace hivesec::policy
