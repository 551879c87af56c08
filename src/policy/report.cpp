#include "policy/report.h"

#include <cmath>

namespace hivesec::policy {

using nlohmann::json;

Status BenchWriterRegistry::add(std::unique_ptr<BenchWriter> w) {
  if (find(w->name()))
    return make_error(Errc::kInvalidArgument, "bench writer '{}' registered twice", w->name());
  writers_.push_back(std::move(w));
  return ok_status();
}

const BenchWriter* BenchWriterRegistry::find(std::string_view name) const {
  for (const auto& w : writers_) {
    if (w->name() == name) return w.get();
  }
  return nullptr;
}

std::vector<std::string> BenchWriterRegistry::names() const {
  std::vector<std::string> out;
  for (const auto& w : writers_) out.emplace_back(w->name());
  return out;
}

Status register_builtin_bench_writers(BenchWriterRegistry& r) {
  HIVESEC_TRY_STATUS(r.add(make_table_writer()));
  HIVESEC_TRY_STATUS(r.add(make_json_writer()));
  HIVESEC_TRY_STATUS(r.add(make_junit_writer()));
  HIVESEC_TRY_STATUS(r.add(make_sarif_writer()));
  return ok_status();
}

std::string cis_alias(const Check& c) {
  if (c.cis.empty()) return "";
  std::string b = c.benchmark.empty() ? "custom" : c.benchmark;
  for (char& ch : b) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  return "CIS-" + b + "-" + c.cis;
}

namespace {

json counts(const SectionSummary& s) {
  return {{"pass", s.pass}, {"fail", s.fail},   {"warn", s.warn},
          {"info", s.info}, {"error", s.error}, {"total", s.total()}};
}

}  // namespace

json report_json(const BenchReport& r) {
  json j;
  j["schema"] = "hivesec-bench/1";
  j["benchmark"] = {
      {"id", r.benchmark}, {"title", r.title}, {"version", r.version}, {"reference", r.reference}};
  j["target"] = {{"root", r.root}, {"live", r.live}, {"hostname", r.hostname}};
  j["generated"] = r.generated;
  double score = r.score();
  j["score"] = {{"passed", r.scored_passed()},
                {"failed", r.scored_failed()},
                {"percent", score < 0 ? json(nullptr) : json(std::round(score * 10) / 10)}};
  j["summary"] = counts(r.totals());
  json sections = json::array();
  for (const auto& s : r.sections()) {
    json o = counts(s);
    o["section"] = s.section;
    sections.push_back(o);
  }
  j["sections"] = sections;
  json results = json::array();
  for (const auto& cr : r.results) {
    const Check& c = cr.check;
    json o = {{"id", c.id},
              {"title", c.title},
              {"benchmark", c.benchmark},
              {"section", c.section},
              {"cis", c.cis},
              {"level", c.level},
              {"type", check_type_name(c.type)},
              {"scored", c.scored},
              {"subject", cr.subject},
              {"severity", model::severity_name(c.severity)},
              {"verdict", verdict_name(cr.verdict)},
              {"reason", cr.reason},
              {"rationale", c.rationale},
              {"remediation", c.remediation},
              {"origin", c.origin}};
    json ev = json::array();
    for (const auto& e : cr.evidence) {
      ev.push_back({{"fact", e.name},
                    {"source", e.source},
                    {"state", fact_state_name(e.state)},
                    {"value", e.value}});
    }
    o["evidence"] = ev;
    if (!cr.details.empty()) o["details"] = cr.details;
    results.push_back(o);
  }
  j["results"] = results;
  if (!r.notes.empty()) j["notes"] = r.notes;
  return j;
}

namespace {

class JsonWriter : public BenchWriter {
 public:
  std::string_view name() const override { return "json"; }
  Status write(const BenchReport& report, std::ostream& out) const override {
    std::string text = report_json(report).dump(2, ' ', false, json::error_handler_t::replace);
    out << text << "\n";
    return ok_status();
  }
};

}  // namespace

std::unique_ptr<BenchWriter> make_json_writer() { return std::make_unique<JsonWriter>(); }

std::vector<model::Finding> to_findings(const BenchReport& report,
                                        const std::set<Verdict>& verdicts) {
  std::vector<model::Finding> out;
  for (const auto& cr : report.results) {
    if (!verdicts.count(cr.verdict)) continue;
    const Check& c = cr.check;
    model::Finding f;
    f.kind = model::FindingKind::kMisconfig;
    f.rule_id = c.id;
    if (auto a = cis_alias(c); !a.empty()) f.aliases.push_back(a);
    f.severity = c.severity;
    f.title = c.title;
    f.remediation = c.remediation;
    if (!cr.evidence.empty()) f.evidence.path = cr.evidence.front().source;
    f.evidence.match = cr.subject.empty() ? cr.reason : cr.subject + ": " + cr.reason;
    if (!cr.subject.empty()) f.evidence.extra["subject"] = cr.subject;
    f.evidence.extra["verdict"] = verdict_name(cr.verdict);
    f.evidence.extra["benchmark"] = c.benchmark;
    f.evidence.extra["section"] = c.section;
    f.evidence.extra["level"] = std::to_string(c.level);
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace hivesec::policy
