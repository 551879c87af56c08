// "junit": JUnit XML for CI dashboards: one <testsuite> per section, one <testcase> per check
// result (name: id, title and [subject] for per-container checks; classname = benchmark.section);
// FAIL -> <failure>, ERROR -> <error>, WARN/INFO -> <skipped> with the reason, PASS -> an empty
// testcase.
#include <fmt/format.h>

#include "policy/report.h"
#include "report/markup.h"

namespace hivesec::policy {

namespace {

// Escaped for XML 1.0 (invalid UTF-8 and control characters replaced, so a hostile value read
// from a target file cannot break the document).
std::string xml(std::string_view s) {
  std::string out;
  report::escape_into(out, s);
  return out;
}

class JunitWriter : public BenchWriter {
 public:
  std::string_view name() const override { return "junit"; }
  Status write(const BenchReport& r, std::ostream& out) const override {
    auto t = r.totals();
    std::string s = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    s += fmt::format(
        "<testsuites name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\">\n",
        xml("hivesec bench " + r.benchmark), t.total(), t.fail, t.error, t.warn + t.info);
    for (const auto& sec : r.sections()) {
      s += fmt::format(
          "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\" "
          "timestamp=\"{}\">\n",
          xml(sec.section), sec.total(), sec.fail, sec.error, sec.warn + sec.info,
          xml(r.generated));
      for (const auto& cr : r.results) {
        if (cr.check.section != sec.section) continue;
        s += fmt::format("    <testcase classname=\"{}\" name=\"{}\"",
                         xml(r.benchmark + "." + sec.section),
                         xml(cr.check.id + " " + cr.check.title +
                             (cr.subject.empty() ? "" : " [" + cr.subject + "]")));
        std::string body;
        switch (cr.verdict) {
          case Verdict::kPass:
            break;
          case Verdict::kFail: {
            std::string text = cr.reason;
            for (const auto& d : cr.details) text += "\n- " + d;
            body = fmt::format(
                "      <failure message=\"{}\" type=\"{}\">{}\n\nRemediation:\n{}</failure>\n",
                xml(cr.reason), model::severity_name(cr.check.severity), xml(text),
                xml(cr.check.remediation));
            break;
          }
          case Verdict::kError:
            body = fmt::format("      <error message=\"{}\" type=\"ERROR\">{}</error>\n",
                               xml(cr.reason), xml(cr.reason));
            break;
          case Verdict::kWarn:
          case Verdict::kInfo:
            body = fmt::format("      <skipped message=\"{}\"/>\n",
                               xml(std::string(verdict_name(cr.verdict)) + ": " + cr.reason));
            break;
        }
        s += body.empty() ? "/>\n" : ">\n" + body + "    </testcase>\n";
      }
      s += "  </testsuite>\n";
    }
    s += "</testsuites>\n";
    out << s;
    return ok_status();
  }
};

}  // namespace

std::unique_ptr<BenchWriter> make_junit_writer() { return std::make_unique<JunitWriter>(); }

}  // namespace hivesec::policy
